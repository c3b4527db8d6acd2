"""The versioned store schema and its migrations.

``SCHEMA_VERSION`` is written to ``schema_meta``; opening a store migrates an older file forward in one
transaction and refuses a newer one with a clear message (a newer wiredesk wrote it). Records are kept twice:
queryable columns for filters, and the full record as JSON text (``record``) so nothing is lost between
versions. JSON is stored as VARCHAR so no DuckDB extension has to be loaded (no downloads at run time).
"""

from __future__ import annotations

SCHEMA_VERSION = 2

#: Migrations: version -> statements that bring a store from version-1 to version.
MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE IF NOT EXISTS runs (
            id VARCHAR PRIMARY KEY, started VARCHAR, finished VARCHAR, status VARCHAR,
            args VARCHAR, stats VARCHAR)""",
        # Input files fully processed (resume skips them when their content hash is unchanged).
        """CREATE TABLE IF NOT EXISTS sources (
            path VARCHAR PRIMARY KEY, sha256 VARCHAR, size BIGINT, articles INTEGER, errors INTEGER,
            run_id VARCHAR)""",
        """CREATE TABLE IF NOT EXISTS articles (
            id VARCHAR PRIMARY KEY, path VARCHAR, url VARCHAR, title VARCHAR, publication VARCHAR,
            published VARCHAR, published_basis VARCHAR, language VARCHAR, quality VARCHAR,
            n_mentions INTEGER, fingerprint VARCHAR, vector VARCHAR, record VARCHAR, run_id VARCHAR)""",
        """CREATE TABLE IF NOT EXISTS ingest_errors (
            path VARCHAR, reason VARCHAR, stage VARCHAR, run_id VARCHAR, PRIMARY KEY (path, reason, stage))""",
        """CREATE TABLE IF NOT EXISTS mentions (
            id VARCHAR PRIMARY KEY, article_id VARCHAR, event VARCHAR, date VARCHAR, record VARCHAR)""",
        """CREATE TABLE IF NOT EXISTS events (
            id VARCHAR PRIMARY KEY, event VARCHAR, date VARCHAR, date_precision VARCHAR,
            date_start VARCHAR, date_end VARCHAR, actor_codes VARCHAR, recipient_codes VARCHAR, sources INTEGER, confidence DOUBLE,
            story_id VARCHAR, country VARCHAR, lat DOUBLE, lon DOUBLE, summary VARCHAR, record VARCHAR)""",
        """CREATE TABLE IF NOT EXISTS event_mentions (
            mention_id VARCHAR PRIMARY KEY, event_id VARCHAR)""",
        """CREATE TABLE IF NOT EXISTS stories (id VARCHAR PRIMARY KEY, record VARCHAR)""",
        """CREATE TABLE IF NOT EXISTS near_duplicates (article_id VARCHAR PRIMARY KEY, group_id VARCHAR)""",
        """CREATE TABLE IF NOT EXISTS date_corrections (
            article_id VARCHAR PRIMARY KEY, old VARCHAR, new VARCHAR, why VARCHAR)""",
        "CREATE INDEX IF NOT EXISTS events_date ON events (date)",
        "CREATE INDEX IF NOT EXISTS mentions_article ON mentions (article_id)",
    ],
    # Linking's corpus phase reads a few fields of each article's record: its actors' codes (the story pass, every
    # article) and its publication-date evidence (the near-copy vote, every copied article). Read from the record,
    # that meant parsing each one's whole JSON (~26 KB: ~30 s of the 100k synthetic run's linking); a small JSON
    # column of their own (``wiredesk.store.rows.link_fields``) costs a few hundred bytes. Articles stored before
    # this version keep NULL there and are read from their record, so an old store needs no rewrite.
    2: [
        "ALTER TABLE articles ADD COLUMN IF NOT EXISTS link_fields VARCHAR",
    ],
}
