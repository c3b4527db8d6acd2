"""A Parquet results directory: workers write their analysed batches to it, the writer loads them from it.

With workers on other machines (``--engine dask --scheduler ADDRESS``) shipping every analysed batch back through
the scheduler to the writer is the run's heaviest traffic: the article records, their mentions and vectors. With
``wiredesk run --results-dir DIR`` (a directory every worker and the writer can reach: a shared or network
mount) each worker writes its batch's store rows as Parquet into ``DIR`` and returns only a receipt (file
names, article ids, stage errors); the writer then has DuckDB read the files straight into the store. At the end
of the run the linked tables are written beside them, so ``DIR`` is the run's output as a Parquet dataset that
pandas, Arrow, ``dask.dataframe`` or Spark read without the DuckDB file::

    DIR/articles/<batch>.parquet   one file per batch (the store's articles rows)
    DIR/mentions/<batch>.parquet   that batch's event mentions
    DIR/events.parquet, event_mentions.parquet, stories.parquet, ...   written after linking
    DIR/manifest.json              schema version, row counts, files

Nothing is lost or doubled when a run is killed: a worker writes ``<batch>.parquet.pending`` and the writer renames
it to ``<batch>.parquet`` only after the store has committed the batch. The next run settles what a killed one
left: a pending part whose articles are all in the store was committed (published now), any other was not
(deleted: its articles are analysed again). So ``DIR/articles`` holds each stored article exactly once. One
results directory belongs to one store.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wiredesk.model import Article
from wiredesk.store.rows import ARTICLE_COLS, MENTION_COLS, arrow_table, batch_rows, stage_errors

PENDING = ".pending"
#: The tables written per batch by workers, and the columns of each.
PART_TABLES = {"articles": ARTICLE_COLS, "mentions": MENTION_COLS}


@dataclass
class Receipt:
    """What a worker sends back for a batch it wrote to the results directory (small: no records)."""

    parts: dict[str, str] = field(default_factory=dict)  # table -> pending file
    article_ids: list[str] = field(default_factory=list)
    mentions: int = 0
    #: (path, stage error) per failed stage of an article, as ``Article.errors`` holds them.
    stage_errors: list[tuple[str, str]] = field(default_factory=list)


def batch_key(article_ids: list[str]) -> str:
    """A batch's file name: a hash of its article ids, so the same batch writes the same file when re-done."""
    return hashlib.sha1("\n".join(sorted(article_ids)).encode()).hexdigest()[:20]


def write_parts(directory: str | Path, articles: list[Article], extras: dict[str, dict[str, Any]],
                run_id: str) -> Receipt:
    """Write one analysed batch as pending Parquet parts and return its receipt (runs on the worker)."""
    import pyarrow.parquet as pq

    article_rows, mention_rows = batch_rows(articles, extras, run_id)
    receipt = Receipt(article_ids=[r[0] for r in article_rows], mentions=len(mention_rows),
                      stage_errors=stage_errors(articles))
    if not article_rows:
        return receipt
    key = batch_key(receipt.article_ids)
    for table, rows in (("articles", article_rows), ("mentions", mention_rows)):
        folder = Path(directory) / table
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"{key}.parquet"
        tmp = folder / f"{key}.parquet{PENDING}.{os.getpid()}"
        # written under a private name, then renamed: a reader never sees half a file
        pq.write_table(arrow_table(PART_TABLES[table], rows), tmp, compression="zstd")
        os.replace(tmp, str(final) + PENDING)
        receipt.parts[table] = str(final) + PENDING
    return receipt


def publish(receipt: Receipt) -> None:
    """The store has committed this batch: its parts become part of the dataset."""
    for pending in receipt.parts.values():
        os.replace(pending, pending[: -len(PENDING)])


def settle(directory: str | Path, known_articles: Any) -> dict[str, int]:
    """Settle what a killed run left in ``directory`` (see the module doc): publish the pending parts of batches
    the store committed, delete the rest. ``known_articles(ids)`` returns the ids the store holds."""
    import pyarrow.parquet as pq

    done = {"published": 0, "deleted": 0}
    folder = Path(directory) / "articles"
    if not folder.is_dir():
        return done
    for stray in [p for table in PART_TABLES for p in (Path(directory) / table).glob(f"*{PENDING}.*")]:
        stray.unlink()  # a worker died while writing it
    for pending in sorted(folder.glob(f"*.parquet{PENDING}")):
        key = pending.name[: -len(".parquet" + PENDING)]
        try:
            ids = pq.read_table(pending, columns=["id"]).column("id").to_pylist()
        except Exception:  # noqa: BLE001 - unreadable: cannot have been committed from (renamed after writing)
            ids = []
        committed = bool(ids) and len(known_articles(ids)) == len(set(ids))
        for table in PART_TABLES:
            part = Path(directory) / table / f"{key}.parquet{PENDING}"
            if not part.exists():
                continue
            if committed:
                os.replace(part, Path(directory) / table / f"{key}.parquet")
            else:
                part.unlink()
        done["published" if committed else "deleted"] += 1
    for orphan in (Path(directory) / "mentions").glob(f"*.parquet{PENDING}"):
        orphan.unlink()  # its articles part is gone, so it was never committed
        done["deleted"] += 1
    return done


def finish(directory: str | Path, store: Any) -> dict[str, Any]:
    """After linking: write the linked tables beside the batch parts and a manifest of the whole dataset.

    The manifest says, per part folder, how many rows its files hold and how many the store holds; they differ
    only when the store also holds articles from runs made without this results directory (``complete``)."""
    import json

    derived = [t for t in store.DUMP_TABLES if t not in PART_TABLES]
    manifest = store.dump_parquet(directory, tables=derived)
    counts = store.counts()
    for table in PART_TABLES:
        files = sorted((Path(directory) / table).glob("*.parquet"))
        rows = 0
        if files:
            # fetchall, never fetchone: the store's connection must not keep a half-read result (store/duck.py)
            paths = [str(f) for f in files]
            rows = store.con.execute("SELECT count(*) FROM read_parquet(?)", [paths]).fetchall()[0][0]
        stored = counts[table]
        manifest["tables"][table] = {"folder": f"{table}/", "files": len(files), "rows": rows,
                                     "rows_in_store": stored, "complete": rows == stored}
    manifest["tables"] = dict(sorted(manifest["tables"].items()))
    (Path(directory) / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest
