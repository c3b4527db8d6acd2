"""Event and article records as flat tables (CSV, Parquet, pandas, Arrow) and JSON lines.

JSON lines carry the full nested record. Flat tables carry one row per event with list fields joined by ";" and
the full record as JSON in ``record``, so a spreadsheet user and a Parquet reader both get everything.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

EVENT_COLUMNS = [
    "id", "date", "date_precision", "event", "mode", "context", "actor", "actor_names", "recipient",
    "recipient_names", "flags", "sources", "n_articles", "n_mentions", "n_conflicts", "confidence", "location",
    "country", "lat", "lon", "summary", "story_id", "record",
]
ARTICLE_COLUMNS = [
    "id", "path", "url", "title", "publication", "published", "published_basis", "language", "quality",
    "n_mentions", "near_duplicates",
]


def _entities(ents: list[dict[str, Any]]) -> tuple[str, str]:
    codes = ";".join(f"{e.get('code')}{'-' + e['sector'] if e.get('sector') else ''}" for e in ents)
    names = ";".join(e.get("name") or e.get("entity_text") or "" for e in ents)
    return codes, names


def flat_event(rec: dict[str, Any]) -> dict[str, Any]:
    """One canonical event record as a flat row."""
    actor, actor_names = _entities(rec.get("actor", []))
    recipient, recipient_names = _entities(rec.get("recipient", []))
    loc = rec.get("location") or {}
    return {
        "id": rec["id"], "date": rec.get("date"), "date_precision": rec.get("date_precision"),
        "event": rec.get("event"), "mode": ";".join(rec.get("mode", [])), "context": ";".join(rec.get("context", [])),
        "actor": actor, "actor_names": actor_names, "recipient": recipient, "recipient_names": recipient_names,
        "flags": ";".join(rec.get("flags", [])), "sources": rec.get("sources", 0),
        "n_articles": len(rec.get("articles", [])), "n_mentions": len(rec.get("mentions", [])),
        "n_conflicts": len(rec.get("conflicts", [])), "confidence": rec.get("confidence"),
        "location": loc.get("resolved_place") or loc.get("extracted_place"), "country": loc.get("country"),
        "lat": loc.get("lat"), "lon": loc.get("lon"), "summary": rec.get("summary", ""),
        "story_id": rec.get("story_id"), "record": json.dumps(rec, ensure_ascii=False, sort_keys=True),
    }


def flat_article(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row.get(k) for k in ARTICLE_COLUMNS}
    out["quality"] = ";".join(row.get("quality") or [])
    out["near_duplicates"] = ";".join(row.get("near_duplicates") or [])
    return out


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n


def write_csv(rows: Iterable[dict[str, Any]], columns: list[str], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def to_arrow(rows: list[dict[str, Any]], columns: list[str]):
    """A pyarrow Table with the given columns (strings, numbers) from flat rows."""
    import pyarrow as pa

    return pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows])


def write_parquet(rows: list[dict[str, Any]], columns: list[str], path: str | Path) -> int:
    import pyarrow.parquet as pq

    pq.write_table(to_arrow(rows, columns), str(path))
    return len(rows)


def csv_text(rows: Iterable[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    write_csv(rows, columns, buf)
    return buf.getvalue()
