"""Store rows of analysed articles, built without a database connection.

The writer builds them to insert a batch, and so does a worker that writes its batch to a Parquet results
directory (``wiredesk run --results-dir``, workers on other machines): both go through these functions, so the
rows the store holds are the same whichever way they travelled.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from wiredesk.model import Article

ARTICLE_COLS = ["id", "path", "url", "title", "publication", "published", "published_basis", "language", "quality",
                "n_mentions", "fingerprint", "vector", "record", "run_id", "link_fields"]
MENTION_COLS = ["id", "article_id", "event", "date", "record"]

#: Arrow types of the columns above (everything the schema keeps as VARCHAR is a string; JSON stays text).
_INTEGER_COLS = {"n_mentions"}


def dumps(obj: Any) -> str:
    """JSON text as the store keeps it: stable key order, so the same record is the same bytes."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def stage_errors(articles: Sequence[Article]) -> list[tuple[str, str]]:
    """(path, error) of every stage that failed on an article of a batch, for the writer's run report."""
    return [(a.path, e) for a in articles for e in a.errors]


def link_fields(record: dict[str, Any]) -> dict[str, Any]:
    """What the corpus phase of linking reads of an article beyond its columns, from its record: its actors'
    distinct codes (the story pass) and the evidence for its publication date (the near-copy vote). Stored as a
    small JSON column so linking never parses the whole record (``Store.story_order``, ``Store.link_articles``);
    applied to the record itself for articles stored before that column."""
    return {"actor_codes": sorted({a["entity"]["code"] for a in record.get("actors", [])}),
            "published_candidates": record.get("published_candidates", []), "dateline": record.get("dateline")}


def batch_rows(articles: Sequence[Article], extras: dict[str, dict[str, Any]] | None,
               run_id: str) -> tuple[list[list[Any]], list[list[Any]]]:
    """(article rows, mention rows) of a batch, each list deduplicated on its id (first wins): the same article
    can arrive twice in one batch from two input files, and one INSERT cannot resolve a conflict with itself."""
    extras = extras or {}
    article_rows: dict[str, list[Any]] = {}
    mention_rows: dict[str, list[Any]] = {}
    for art in articles:
        if art.id in article_rows:
            continue
        extra = extras.get(art.id, {})
        record = art.to_dict()
        article_rows[art.id] = [
            art.id, art.path, art.url, art.title, art.publication, art.published, art.published_basis,
            art.language, dumps(art.quality), len(art.mentions), dumps(extra.get("fingerprint")),
            dumps(extra.get("vector")), dumps(record), run_id, dumps(link_fields(record))]
        # the record holds each mention's dict already (Article.to_dict): the same dict mention.to_dict() makes
        for mention, mention_record in zip(art.mentions, record["mentions"]):
            mention_rows.setdefault(mention.id, [mention.id, mention.article_id, mention.event, mention.date,
                                                 dumps(mention_record)])
    return list(article_rows.values()), list(mention_rows.values())


def arrow_table(columns: list[str], rows: list[list[Any]]) -> Any:
    """The rows as an Arrow table with explicit types, so an empty batch or a column of nulls still has the
    store's types when it is written to Parquet and read back by DuckDB."""
    import pyarrow as pa

    schema = pa.schema([(c, pa.int32() if c in _INTEGER_COLS else pa.string()) for c in columns])
    return pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)}, schema=schema)
