"""What the caller can say about its input: column names for tabular formats and the safety limits."""

from __future__ import annotations

from dataclasses import dataclass, field

from wiredesk.settings import INGEST, IngestLimits

#: Column names tried, in order, when the caller names none (lower-cased comparison).
TEXT_COLUMNS = ("text", "content", "body", "article", "maintext", "full_text", "fulltext", "raw_text", "story",
                "article_text", "body_text", "description")
TITLE_COLUMNS = ("title", "headline", "heading", "name")
DATE_COLUMNS = ("date", "published", "publish_date", "published_at", "pubdate", "date_publish", "publication_date",
                "datetime", "timestamp", "time", "seendate", "created_at")
URL_COLUMNS = ("url", "link", "source_url", "uri", "href", "sourceurl")
SOURCE_COLUMNS = ("source", "publication", "outlet", "publisher", "site", "sitename", "domain", "source_name",
                  "source_domain", "media")
HTML_COLUMNS = ("html", "raw_html", "page", "content_html")


@dataclass
class IngestOptions:
    """Column mapping for JSON lines / CSV / Parquet (None = auto-detect) and limits (``settings.INGEST``)."""

    text_col: str | None = None
    title_col: str | None = None
    date_col: str | None = None
    url_col: str | None = None
    source_col: str | None = None
    #: Largest file read whole; None means ``limits.max_file_bytes``.
    max_bytes: int | None = None
    limits: IngestLimits = field(default_factory=lambda: INGEST)
    #: Hidden files and folders (".git", ".DS_Store") are skipped when walking folders.
    skip_hidden: bool = True

    @property
    def file_limit(self) -> int:
        return self.max_bytes if self.max_bytes is not None else self.limits.max_file_bytes


def pick_column(columns: list[str], explicit: str | None, defaults: tuple[str, ...]) -> str | None:
    """The explicit column if given (matched case-insensitively), else the first default present."""
    lower = {c.lower(): c for c in columns}
    if explicit:
        return lower.get(explicit.lower())
    for name in defaults:
        if name in lower:
            return lower[name]
    return None
