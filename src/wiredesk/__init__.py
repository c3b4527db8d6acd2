"""wiredesk: news articles in, one verified PLOVER record per real event out.

>>> import wiredesk
>>> wiredesk.__version__
'0.1.0'
"""

__version__ = "0.1.0"


def __getattr__(name: str):
    # Lazy: `import wiredesk` stays cheap (no DuckDB, pandas or spaCy) until the API is used.
    if name in {"open", "run", "Desk"}:
        from wiredesk import api

        return getattr(api, name)
    raise AttributeError(name)
