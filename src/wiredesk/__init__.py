"""wiredesk: news articles in, one verified PLOVER record per real event out."""

__version__ = "0.1.0"
