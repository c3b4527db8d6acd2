"""The DuckDB store: one file, one writer, every write in a transaction.

Why this shape:
- A batch of articles (with their mentions) and the input files it completes are written in one transaction,
  so a run killed at any moment leaves either the whole batch or none of it; the next run skips completed
  files and re-does the rest. Articles are keyed by content hash, so nothing is ever doubled.
- Linking replaces the derived tables (events, stories, near-copy groups) in one transaction; it is a pure
  function of the stored mentions plus the previous mention->event map, so re-running changes nothing.
- SQL is only ever built with bound parameters; the only interpolated names are our own column constants.
"""

from __future__ import annotations

import array
import calendar
import contextlib
import datetime as dt
import json
import logging
import os
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from wiredesk.model import Article, Event, EventMention, IngestError, Story
from wiredesk.store.rows import ARTICLE_COLS, MENTION_COLS, arrow_table, batch_rows, link_fields
from wiredesk.store.rows import dumps as _dumps
from wiredesk.store.schema import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)

DEFAULT_DB = "wiredesk.duckdb"

#: DuckDB buffer pool of the run's writer (``WIREDESK_WRITER_MEMORY`` overrides). The writer's own working set is a
#: batch of articles and, while linking, the linker's inputs; DuckDB needs only its indexes and a few blocks beyond
#: that, so this is a ceiling on caching, not on the corpus (docs/scale.md, memory).
WRITER_MEMORY_LIMIT = os.environ.get("WIREDESK_WRITER_MEMORY", "1GB")

# _FETCH_NOTE: results are always read whole (fetchall, never fetchone). DuckDB refuses register() (our bulk
# inserts) on a connection whose last result was only partly fetched.

ERROR_COLS = ["path", "reason", "stage", "run_id"]
EVENT_COLS = ["id", "event", "date", "date_precision", "date_start", "date_end", "actor_codes", "recipient_codes",
              "sources", "confidence", "story_id", "country", "lat", "lon", "summary", "record"]
SOURCE_COLS = ["path", "sha256", "size", "articles", "errors", "run_id"]


class StoreError(RuntimeError):
    """A store problem the user can act on (message says what to do)."""


class StoreBusy(StoreError):
    """Another process holds the store's write lock."""


class SchemaTooNew(StoreError):
    """The file was written by a newer wiredesk."""


class StoreWriteError(StoreError):
    """A write could not reach the disk (disk full, file size limit, read-only file); nothing of it was stored."""


_DISK_FULL = ("file too large", "no space left", "disk quota", "not enough space")
_NO_WRITE = ("read-only", "permission denied", "read only")


def _write_failed(path: str, what: str, exc: BaseException) -> BaseException:
    """A clear StoreWriteError for a write that failed on the file system; other errors unchanged."""
    msg = str(exc)
    low = msg.lower()
    if any(k in low for k in _DISK_FULL):
        cause = "the disk is full or a file size limit was reached"
    elif any(k in low for k in _NO_WRITE):
        cause = "the store file or its folder is not writable"
    elif isinstance(exc, duckdb.IOException) or "could not write" in low:
        cause = "the file system refused the write"
    else:
        return exc
    return StoreWriteError(f"cannot write {what} to {path}: {cause} ({msg.splitlines()[0][:300]}). Nothing of it "
                           "was stored and work committed earlier is intact: fix this and run again to resume.")


def _rollback(con: Any) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:  # a COMMIT that failed (e.g. disk full) has already ended the transaction
        pass


def _size(value: str) -> str:
    """A DuckDB memory size (digits, optional unit) checked before it goes into a SET statement."""
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]?i?B?", value.strip(), re.IGNORECASE):
        raise StoreError(f"not a memory size: {value!r} (examples: 512MB, 2GB)")
    return value.strip()


def period_bounds(date: str | None) -> tuple[str | None, str | None]:
    """First and last day of a YYYY, YYYY-MM or YYYY-MM-DD value (for range filters on mixed precision)."""
    if not date:
        return None, None
    parts = date.split("-")
    try:
        if len(parts) == 1:
            return f"{parts[0]}-01-01", f"{parts[0]}-12-31"
        if len(parts) == 2:
            year, month = int(parts[0]), int(parts[1])
            last = calendar.monthrange(year, month)[1]
            return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
        return date[:10], date[:10]
    except ValueError:
        return None, None


def _codes(entities: Iterable[dict]) -> str:
    """'|FRA|DEU|' form so that a bound LIKE '%|FRA|%' finds a code without JSON functions."""
    codes = sorted({e.get("code") for e in entities if e.get("code")})
    return "|" + "|".join(codes) + "|" if codes else ""


@dataclass
class EventFilter:
    event: str | None = None
    actor: str | None = None  # code in actor or recipient
    country: str | None = None  # code of any party or of the location
    since: str | None = None
    until: str | None = None
    query: str | None = None
    min_sources: int = 0
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    story: str | None = None
    limit: int | None = None
    offset: int = 0


def event_where(flt: EventFilter) -> tuple[str, list[Any]]:
    """The WHERE text (constant fragments) and bound parameters of an event filter: the one definition of what
    each filter means, shared by the store, the CLI and the HTTP API."""
    where, params = ["TRUE"], []
    if flt.event:
        where.append("event = ?")
        params.append(flt.event.upper())
    if flt.actor:
        where.append("(actor_codes LIKE ? OR recipient_codes LIKE ?)")
        params += [f"%|{flt.actor.upper()}|%"] * 2
    if flt.country:
        where.append("(actor_codes LIKE ? OR recipient_codes LIKE ? OR country = ?)")
        params += [f"%|{flt.country.upper()}|%"] * 2 + [flt.country.upper()]
    if flt.since:
        where.append("date_end >= ?")
        params.append(period_bounds(flt.since)[0])
    if flt.until:
        where.append("date_start <= ?")
        params.append(period_bounds(flt.until)[1])
    if flt.min_sources:
        where.append("sources >= ?")
        params.append(flt.min_sources)
    if flt.query:
        # DuckDB rejects NUL in strings; '%' and '_' stay wildcards (no ESCAPE clause), as documented.
        where.append("(summary ILIKE ? OR record ILIKE ?)")
        params += [f"%{flt.query.replace(chr(0), '')}%"] * 2
    if flt.bbox:
        min_lon, min_lat, max_lon, max_lat = flt.bbox
        where.append("lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?")
        params += [min_lon, max_lon, min_lat, max_lat]
    if flt.story:
        where.append("story_id = ?")
        params.append(flt.story)
    return " AND ".join(where), params


class Store:
    """A wiredesk store in one DuckDB file.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "demo.duckdb")
    >>> from wiredesk.store import SCHEMA_VERSION
    >>> with Store(path) as store:
    ...     store.schema_version() == SCHEMA_VERSION
    True
    """

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False, memory_limit: str | None = None) -> None:
        """``memory_limit`` (a DuckDB size such as ``"1GB"``) caps DuckDB's buffer pool for this database in this
        process. Without it DuckDB may keep up to 80% of the machine's RAM of decompressed blocks cached, so a
        long run's writer grows with the store it has read and written; the runner passes
        ``WRITER_MEMORY_LIMIT``. Readers leave it unset: a read-only connection cannot spill a large sort to disk,
        so a cap there could fail a query that fits in memory."""
        limit = _size(memory_limit) if memory_limit else None
        self.path = str(path)
        self.read_only = read_only
        try:
            if read_only and not Path(self.path).exists():
                raise StoreError(f"no store at {self.path}: run `wiredesk run PATH --db {self.path}` first")
        except OSError as exc:  # Path.exists() raises when a folder on the way may not be searched
            raise StoreError(f"cannot open store {self.path}: {exc.strerror or exc}") from exc
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                raise StoreBusy(
                    f"store is busy: {self.path} is open for writing by another process; wait for it to finish"
                ) from exc
            raise StoreError(f"cannot open store {self.path}: {msg}") from exc
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        if limit:
            self.con.execute(f"SET memory_limit = '{limit}'")
        self._migrate()

    # -- lifecycle -----------------------------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.con.close()
        except duckdb.Error:  # already closed
            pass

    def schema_version(self) -> int:
        row = self.con.execute("SELECT value FROM schema_meta WHERE key = 'schema_version'").fetchall()
        row = row[0] if row else None  # fetchall: see _FETCH_NOTE
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        tables = {r[0] for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "schema_meta" not in tables:
            if self.read_only:
                raise StoreError(f"{self.path} is not a wiredesk store (no schema_meta table)")
            if tables:
                raise StoreError(f"{self.path} is a DuckDB file but not a wiredesk store; refusing to change it")
            self.con.execute("CREATE TABLE schema_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            self.con.execute("INSERT INTO schema_meta VALUES ('schema_version', '0')")
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"{self.path} has schema version {current}, newer than this wiredesk understands "
                f"({SCHEMA_VERSION}); upgrade wiredesk to read it"
            )
        if current == SCHEMA_VERSION:
            return
        if self.read_only:
            raise StoreError(f"{self.path} has schema version {current}; open it once for writing to migrate")
        with self._writing("the schema migration"):
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version]:
                    self.con.execute(statement)
                self.con.execute("UPDATE schema_meta SET value = ? WHERE key = 'schema_version'", [str(version)])
                log.info("migrated %s to schema version %d", self.path, version)

    @contextlib.contextmanager
    def _writing(self, what: str, transaction: bool = True) -> Iterator[None]:
        """One write (in its own transaction unless ``transaction`` is false): committed whole, or rolled back
        and, when the file system refused it, raised as a clear StoreWriteError naming ``what``."""
        if transaction:
            self.con.execute("BEGIN TRANSACTION")
        try:
            yield
            if transaction:
                self.con.execute("COMMIT")
        except Exception as exc:
            if transaction:
                _rollback(self.con)
            err = _write_failed(self.path, what, exc)
            if err is exc:
                raise
            raise err from exc

    # -- runs ----------------------------------------------------------------------------------------------
    def begin_run(self, args: dict[str, Any]) -> str:
        run_id = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        with self._writing("the run record", transaction=False):
            self.con.execute(
                "INSERT INTO runs VALUES (?, ?, NULL, 'running', ?, NULL)",
                [run_id, dt.datetime.now(dt.timezone.utc).isoformat(), _dumps(args)],
            )
        return run_id

    def finish_run(self, run_id: str, status: str, stats: dict[str, Any]) -> None:
        """Close the run record. Best effort: when the run failed because the disk is full, this write fails too,
        and the run's own error (already on its way to the user) must not be masked by it."""
        try:
            self.con.execute(
                "UPDATE runs SET finished = ?, status = ?, stats = ? WHERE id = ?",
                [dt.datetime.now(dt.timezone.utc).isoformat(), status, _dumps(stats), run_id],
            )
        except duckdb.Error as exc:
            log.warning("could not close the run record %s in %s: %s", run_id, self.path, exc)

    def runs(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT * FROM runs ORDER BY started")

    # -- ingestion -----------------------------------------------------------------------------------------
    def source_done(self, path: str, sha256: str) -> bool:
        row = self.con.execute("SELECT sha256 FROM sources WHERE path = ?", [path]).fetchall()
        row = row[0] if row else None  # fetchall: see _FETCH_NOTE
        return bool(row and row[0] == sha256)

    def done_sources(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT path, sha256 FROM sources").fetchall())

    def write_batch(
        self,
        articles: Sequence[Article],
        errors: Sequence[IngestError],
        completed_sources: Sequence[dict[str, Any]],
        run_id: str,
        extras: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        """Write analysed articles, their mentions, errors and completed input files in one transaction.

        ``extras`` maps article id -> {"fingerprint": [...], "vector": [...]} computed in the per-article phase.
        """
        self.write_batch_rows(*batch_rows(articles, extras, run_id), errors, completed_sources, run_id)

    def write_batch_rows(self, article_rows: list[list[Any]], mention_rows: list[list[Any]],
                         errors: Sequence[IngestError], completed_sources: Sequence[dict[str, Any]],
                         run_id: str) -> None:
        """``write_batch`` for rows already built (``wiredesk.store.rows.batch_rows``, in a worker)."""
        with self._writing("a batch of articles"):
            # Bulk inserts through Arrow: row-at-a-time INSERTs cost milliseconds each in DuckDB.
            self._bulk_insert("articles", ARTICLE_COLS, article_rows, "ON CONFLICT (id) DO NOTHING")
            self._bulk_insert("mentions", MENTION_COLS, mention_rows, "ON CONFLICT (id) DO NOTHING")
            self._write_bookkeeping(errors, completed_sources, run_id)

    def write_batch_parts(self, parts: dict[str, str], errors: Sequence[IngestError],
                          completed_sources: Sequence[dict[str, Any]], run_id: str) -> None:
        """``write_batch`` for a batch a worker wrote to Parquet (``parts``: table -> file, see
        ``wiredesk.engine.results``): DuckDB reads the files itself, so the rows never pass through Python here,
        and they are the rows ``write_batch`` would have inserted (same builder, ``wiredesk.store.rows``)."""
        with self._writing("a batch of articles"):
            for table, columns in (("articles", ARTICLE_COLS), ("mentions", MENTION_COLS)):
                if table in parts:
                    # a part an older version wrote (a killed run resumed after an upgrade) lacks newer columns
                    present = {r[0] for r in self.con.execute("DESCRIBE SELECT * FROM read_parquet(?)",
                                                              [str(parts[table])]).fetchall()}
                    cols = ", ".join(columns)
                    select = ", ".join(c if c in present else f"NULL AS {c}" for c in columns)
                    self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {select} FROM read_parquet(?) "  # noqa: S608
                                     "ON CONFLICT (id) DO NOTHING", [str(parts[table])])
            self._write_bookkeeping(errors, completed_sources, run_id)

    def _write_bookkeeping(self, errors: Sequence[IngestError], completed_sources: Sequence[dict[str, Any]],
                           run_id: str) -> None:
        """A batch's ingest errors and the input files it completes (both ways of writing a batch)."""
        error_rows = [[e.path, e.reason, e.stage, run_id] for e in errors]
        source_rows = [[s["path"], s["sha256"], s["size"], s["articles"], s["errors"], run_id]
                       for s in completed_sources]
        self._bulk_insert("ingest_errors", ERROR_COLS, error_rows, "ON CONFLICT DO NOTHING")
        self._bulk_insert("sources", SOURCE_COLS, source_rows,
                          "ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, "
                          "articles = excluded.articles, errors = excluded.errors, run_id = excluded.run_id")

    def _bulk_insert(self, table: str, columns: list[str], rows: list[list[Any]], conflict: str = "") -> None:
        if not rows:
            return
        import pyarrow as pa

        # Deduplicate on the first column within the batch: ON CONFLICT cannot resolve duplicates inside one
        # statement (the same article may arrive twice in one batch from two files).
        if table != "ingest_errors":
            unique: dict[Any, list[Any]] = {}
            for row in rows:
                unique.setdefault(row[0], row)
            rows = list(unique.values())
        else:
            rows = [list(r) for r in {tuple(r[:3]): r for r in rows}.values()]
        if table in ("articles", "mentions"):
            data = arrow_table(columns, rows)
        else:
            data = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
        name = f"_bulk_{table}"
        self.con.register(name, data)
        try:
            cols = ", ".join(columns)  # by name: a migration adds columns at the end of a table
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name} {conflict}")  # noqa: S608
        finally:
            self.con.unregister(name)

    def known_articles(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` are already stored (one query for a whole batch)."""
        if not ids:
            return set()
        import pyarrow as pa

        self.con.register("_probe_ids", pa.table({"id": list(ids)}))
        try:
            rows = self.con.execute("SELECT a.id FROM articles a JOIN _probe_ids p ON a.id = p.id").fetchall()
        finally:
            self.con.unregister("_probe_ids")
        return {r[0] for r in rows}

    # -- linking -------------------------------------------------------------------------------------------
    def link_articles(self, chunk: int = 256, ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """The article rows the linker's corpus phase reads (no text), sorted by id.

        Streamed ``chunk`` rows at a time, so the full article records (text, sentences, parses: most of the
        store) are never all in memory at once: only the few fields the linker reads are kept from each. MinHash values
        and story vectors are kept as typed arrays (8 and 4 bytes a number instead of ~32 in a list of Python
        numbers; float32 is what the vectors were computed in, so no value changes).
        """
        articles = []
        only = "" if ids is None else " WHERE id IN (SELECT id FROM _ids)"
        for row in self._chunks(
            "SELECT id, path, url, title, publication, published, published_basis, fingerprint, vector, "
            "COALESCE(link_fields, record) FROM articles" + only, chunk, tables={"_ids": {"id": list(ids or [])}}
        ):
            # The article's link fields (``rows.link_fields``), or its whole record when it was stored before they
            # had a column. Decoded here, not with DuckDB's json_extract: that parses a vector of 2,048 records
            # (~26 KB each) at once per thread, and a store capped at 256 MB ran out of memory on it (10k store).
            fields = _link_fields(json.loads(row[9]))
            # "null" when the per-article phase gave none (an article written without its link features)
            fingerprint, vector = (json.loads(v) if v else None for v in (row[7], row[8]))
            articles.append({
                "id": row[0], "path": row[1], "url": row[2], "title": row[3], "publication": row[4],
                "published": row[5], "published_basis": row[6],
                "published_candidates": fields["published_candidates"],
                "fingerprint": array.array("Q", fingerprint) if fingerprint else None,
                "embedding": array.array("f", vector) if vector else None,
                "actor_codes": fields["actor_codes"],
                "dateline": fields["dateline"],
            })
        articles.sort(key=lambda a: a["id"])
        return articles

    def link_inputs(self, chunk: int = 256) -> tuple[list[dict[str, Any]], list[EventMention], dict[str, str]]:
        """Everything ``link.link`` takes in one process: article rows, all mentions (sorted by id) and the
        previous mention->event map. A run links partition by partition instead (:meth:`partition_records`)."""
        articles = self.link_articles(chunk)
        mentions = [EventMention.from_dict(json.loads(r[0]))
                    for r in self._chunks("SELECT record FROM mentions", chunk)]
        mentions.sort(key=lambda m: m.id)
        previous = dict(self.con.execute("SELECT mention_id, event_id FROM event_mentions").fetchall())
        return articles, mentions, previous

    def mention_partitions(self) -> list[str]:
        """The linking partitions' keys (``link.partition_key``: the PLOVER type), with mentions, sorted."""
        return [r[0] for r in self.con.execute(
            "SELECT DISTINCT event FROM mentions WHERE event IS NOT NULL ORDER BY event").fetchall()]

    def partition_records(self, key: str, chunk: int = 1024) -> tuple[list[str], set[str]]:
        """The stored JSON records of one partition's mentions, sorted by mention id, and the ids of their
        articles. Kept as text until a worker parses them: a record is ~4x smaller as JSON than as objects, and
        the run ships it as it is (the article ids come from their column, so the writer parses nothing)."""
        rows = sorted(self._chunks(
            f"SELECT id, record, article_id FROM mentions WHERE event = {_sql_literal(key)}", chunk))
        return [r[1] for r in rows], {r[2] for r in rows}

    def mention_records(self, ids: Sequence[str], chunk: int = 1024) -> dict[str, str]:
        """mention id -> stored JSON record, for ``ids`` (a window task's or an event batch's mentions)."""
        return dict(self._chunks("SELECT id, record FROM mentions WHERE id IN (SELECT id FROM _ids)", chunk,
                                 tables={"_ids": {"id": list(ids)}}))

    def article_mention_records(self, article_ids: Sequence[str], chunk: int = 1024) -> list[str]:
        """The stored JSON records of the typed mentions of ``article_ids`` (linking's live-mention phase)."""
        return [r[0] for r in self._chunks(
            "SELECT record FROM mentions WHERE event IS NOT NULL AND article_id IN (SELECT id FROM _ids)", chunk,
            tables={"_ids": {"id": list(article_ids)}})]

    def partition_previous(self, key: str) -> dict[str, str]:
        """mention id -> event id from the last committed linking, for one partition's mentions. On a cursor of
        its own: inside :meth:`relinking` the store's connection already sees the old links deleted."""
        cur = self.con.cursor()
        try:
            return dict(cur.execute(
                "SELECT em.mention_id, em.event_id FROM event_mentions em JOIN mentions m ON m.id = em.mention_id "
                "WHERE m.event = ?", [key]).fetchall())
        finally:
            cur.close()

    @contextlib.contextmanager
    def relinking(self) -> Iterator[_Relinking]:
        """Replace the linking result partition by partition in one transaction: a killed link leaves the last
        complete one in place (and a resumed run links again, deterministically)."""
        with self._writing("the linked events"):
            for table in ("events", "event_mentions", "stories", "near_duplicates", "date_corrections"):
                self.con.execute(f"DELETE FROM {table}")  # noqa: S608 - constant table names
            yield _Relinking(self)

    def article_ids(self) -> list[str]:
        """Every stored article's id, sorted."""
        return sorted(r[0] for r in self._chunks("SELECT id FROM articles", 4096))

    def previous_stories(self) -> dict[str, str]:
        """article id -> story id from the last linking."""
        return {aid: story["id"] for story in self.stories() for aid in story.get("article_ids", [])}

    #: The corrected publication date of an article (``_corr``: article_id, new) or its own.
    _PUBLISHED = "COALESCE(c.new, a.published)"

    def story_order(self, previous: set[str], corrected: dict[str, str], chunk: int = 256) -> Iterator[dict[str, Any]]:
        """The fields the story pass reads (id, published, embedding, title, actor_codes), in the order of
        ``link.stories.story_order_key``: articles of ``previous`` first, then by day (undated last), then id.

        Nothing wide is sorted: the order is decided on (id, day) alone, then one unordered pass over the articles
        puts each story vector at its rank in a float32 file on disk (``numpy.memmap``) and keeps its title and
        actor codes, and the pass reads them back in rank order. Sorting the rows in DuckDB instead (vectors as
        text or as doubles) ran out of memory at 100k articles with the store capped at 256 MB ("failed to pin
        block"); a sort's memory grows with the corpus, the file does not stay in memory."""
        import tempfile

        import numpy as np

        from wiredesk.link.stories import story_order_key

        published = {}
        for aid, day in self._chunks("SELECT id, published FROM articles", 4096):
            published[aid] = corrected.get(aid, day)
        seeded = dict.fromkeys(previous, "")
        order = sorted(published, key=lambda aid: story_order_key({"id": aid, "published": published[aid]}, seeded))
        rank = {aid: i for i, aid in enumerate(order)}
        n = len(order)
        titles: list[str | None] = [None] * n
        codes: list[list[str]] = [[]] * n
        dims = 0
        with tempfile.TemporaryDirectory(prefix="wiredesk-stories-") as tmp:
            vectors: Any = None
            has_vector = np.zeros(n, dtype=bool)
            # the record (~26 KB of JSON) is read only for articles stored before the link_fields column
            for aid, vector, title, fields in self._chunks(
                    "SELECT id, vector, title, COALESCE(link_fields, record) FROM articles", chunk):
                i = rank[aid]
                titles[i], codes[i] = title, _link_fields(json.loads(fields))["actor_codes"]
                values = json.loads(vector) if vector else None
                if values:
                    if vectors is None:
                        dims = len(values)
                        vectors = np.lib.format.open_memmap(f"{tmp}/vectors.npy", mode="w+", dtype=np.float32,
                                                            shape=(n, dims))
                    if len(values) == dims:
                        vectors[i] = values
                        has_vector[i] = True
            for i, aid in enumerate(order):
                yield {"id": aid, "published": published[aid], "title": titles[i], "actor_codes": codes[i],
                       "embedding": array.array("f", vectors[i].tobytes()) if has_vector[i] else None}
            del vectors

    def view_rows(self, ids: Sequence[str], chunk: int = 1024) -> list[dict[str, Any]]:
        """The article fields a linking partition reads (``link.linker.VIEW_FIELDS``) for ``ids``, sorted by id."""
        from wiredesk.link.linker import VIEW_FIELDS as cols

        rows = [dict(zip(cols, r)) for r in self._chunks(
            f"SELECT {', '.join(cols)} FROM articles WHERE id IN (SELECT id FROM _ids)", chunk,
            tables={"_ids": {"id": list(ids)}})]
        rows.sort(key=lambda r: r["id"])
        return rows

    def story_spans(self, story_of: dict[str, str], corrected: dict[str, str]) -> list[tuple[Any, ...]]:
        """(story id, article ids, title, first day, last day) of every story, as ``link.story_records`` makes
        them: articles earliest first (undated last, then by id), the title of the first that has one, the span
        of their publication days; stories by first day (undated first), then id. Aggregated by DuckDB."""
        pub = f"NULLIF({self._PUBLISHED}, '')"
        sql = (f"SELECT s.story_id, list(a.id ORDER BY COALESCE({pub}, '9999'), a.id), "
               f"first(a.title ORDER BY COALESCE({pub}, '9999'), a.id) FILTER (WHERE a.title <> ''), "
               f"min(left({pub}, 10)), max(left({pub}, 10)) "
               "FROM _story s JOIN articles a ON a.id = s.article_id LEFT JOIN _corr c ON c.article_id = a.id "
               f"GROUP BY s.story_id ORDER BY COALESCE(min(left({pub}, 10)), ''), s.story_id")
        tables = {"_story": {"article_id": list(story_of), "story_id": list(story_of.values())},
                  "_corr": {"article_id": list(corrected), "new": list(corrected.values())}}
        return [(r[0], list(r[1]), r[2] or "", r[3], r[4]) for r in self._chunks(sql, 1024, tables=tables)]

    def _chunks(self, sql: str, size: int, tables: dict[str, dict[str, list[Any]]] | None = None
                ) -> Iterator[tuple[Any, ...]]:
        """Rows of ``sql``, streamed ``size`` at a time. A DB-API ``execute`` would materialise the whole result
        in DuckDB before the first ``fetchmany`` (every article record at once: on a 6,528-article store the
        writer's memory after the scan was 348 MiB with it, 259 MiB streamed, and streamed it stays flat as the
        store grows once DuckDB's cache is capped). The relation runs on a cursor of its own, so the store's
        connection is never left with a partly read result (_FETCH_NOTE). No ORDER BY: sorting would materialise
        it again; callers sort what they keep."""
        import pyarrow as pa

        cur = self.con.cursor()
        try:
            for name, columns in (tables or {}).items():  # Python-side inputs, as tables on this cursor only
                cur.register(name, pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()}))
            for batch in cur.sql(sql).to_arrow_reader(size):
                yield from zip(*(col.to_pylist() for col in batch.columns))
        finally:
            cur.close()

    def write_link_result(self, result: Any) -> None:
        """Replace events, stories, near-copy groups and date corrections with a new linking result."""
        with self.relinking() as out:
            out.events([self.event_row(e) for e in result.events], result.mention_event)
            out.corpus(result.stories, result.duplicate_groups, result.date_corrections)

    @staticmethod
    def event_row(event: Event) -> list[Any]:
        rec = event.to_dict()
        start, end = period_bounds(event.date)
        loc = rec.get("location") or {}
        return [event.id, event.event, event.date, event.date_precision, start, end, _codes(rec["actor"]),
                _codes(rec["recipient"]), event.sources, event.confidence, event.story_id, loc.get("country"),
                loc.get("lat"), loc.get("lon"), event.summary, _dumps(rec)]

    # -- queries -------------------------------------------------------------------------------------------
    def _dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def event_rows(self, flt: EventFilter | None = None) -> list[dict[str, Any]]:
        """Canonical event records (dicts) matching ``flt``, ordered by date then id."""
        flt = flt or EventFilter()
        where, params = event_where(flt)
        sql = f"SELECT record FROM events WHERE {where} ORDER BY date_start NULLS LAST, id"  # noqa: S608
        if flt.limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [flt.limit, flt.offset]
        return [json.loads(r[0]) for r in self.con.execute(sql, params).fetchall()]

    def count_events(self, flt: EventFilter | None = None) -> int:
        where, params = event_where(flt or EventFilter())
        return self.con.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchall()[0][0]  # noqa: S608

    def event(self, event_id: str) -> dict[str, Any] | None:
        row = self.con.execute("SELECT record FROM events WHERE id = ?", [event_id]).fetchall()
        row = row[0] if row else None  # fetchall: see _FETCH_NOTE
        return json.loads(row[0]) if row else None

    def article_rows(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Article summaries (no text) with their near-copy group."""
        sql = (
            "SELECT a.id, a.path, a.url, a.title, a.publication, a.published, a.published_basis, a.language, "
            "a.quality, a.n_mentions, d.group_id AS near_duplicate_group, c.old AS published_before_correction, "
            "c.why AS correction "
            "FROM articles a LEFT JOIN near_duplicates d ON d.article_id = a.id "
            "LEFT JOIN date_corrections c ON c.article_id = a.id ORDER BY a.path, a.id"
        )
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [limit, offset]
        rows = self._dicts(sql, params)
        groups: dict[str, list[str]] = {}
        for gid, aid in self.con.execute("SELECT group_id, article_id FROM near_duplicates").fetchall():
            groups.setdefault(gid, []).append(aid)
        for row in rows:
            row["quality"] = json.loads(row["quality"]) if row["quality"] else []
            gid = row.pop("near_duplicate_group")
            row["near_duplicates"] = sorted(a for a in groups.get(gid, []) if a != row["id"]) if gid else []
            row["near_duplicate_group"] = gid
            if row["correction"]:
                row["published_basis"] = "corrected"
        return rows

    def article(self, article_id: str) -> dict[str, Any] | None:
        """The full article record (clean text, removals, repairs, mentions) or None."""
        row = self.con.execute("SELECT record FROM articles WHERE id = ?", [article_id]).fetchall()
        row = row[0] if row else None  # fetchall: see _FETCH_NOTE
        if not row:
            return None
        record = json.loads(row[0])
        corr = self.con.execute("SELECT old, new, why FROM date_corrections WHERE article_id = ?",
                                [article_id]).fetchall()
        corr = corr[0] if corr else None  # fetchall: see _FETCH_NOTE
        if corr:
            record["published_correction"] = {"old": corr[0], "new": corr[1], "why": corr[2]}
            record["published"], record["published_basis"] = corr[1], "corrected"
        return record

    def stories(self) -> list[dict[str, Any]]:
        return [json.loads(r[0]) for r in self.con.execute("SELECT record FROM stories ORDER BY id").fetchall()]

    def errors(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT path, reason, stage, run_id FROM ingest_errors ORDER BY path, stage, reason")

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "mentions", "events", "stories", "ingest_errors", "sources"):
            out[table] = self.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]  # noqa: S608
        return out

    #: The tables ``dump_parquet`` writes: everything a run stores except the schema bookkeeping.
    DUMP_TABLES = ("events", "event_mentions", "mentions", "articles", "stories", "near_duplicates",
                   "date_corrections", "ingest_errors", "sources", "runs")

    def dump_parquet(self, directory: str | Path, tables: Sequence[str] | None = None) -> dict[str, Any]:
        """Every stored table as ``DIRECTORY/<table>.parquet`` (zstd) plus ``manifest.json`` (schema version and
        row counts), for tools and machines that read Parquet (pandas, Arrow, ``dask.dataframe``, Spark) rather
        than this DuckDB file. DuckDB writes each file by streaming, so a store larger than memory dumps too.
        Columns are the store's: JSON records stay JSON text (``record``)."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        manifest: dict[str, Any] = {"schema_version": self.schema_version(), "tables": {}}
        for table in tables if tables is not None else self.DUMP_TABLES:
            if table not in self.DUMP_TABLES:
                raise ValueError(f"not a table dump_parquet writes: {table!r}")
            path = out / f"{table}.parquet"
            self.con.execute(f"COPY (SELECT * FROM {table} ORDER BY ALL) TO '{_sql_path(path)}' "  # noqa: S608
                             "(FORMAT PARQUET, COMPRESSION ZSTD)")
            manifest["tables"][table] = {
                "file": path.name, "rows": self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]}  # noqa: S608
        (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
        return manifest

    def actors(self) -> list[dict[str, Any]]:
        """Every coded party with how many events it is actor or recipient in."""
        seen: dict[tuple, dict[str, Any]] = {}
        for rec in self.event_rows():
            for role in ("actor", "recipient"):
                for ent in rec.get(role, []):
                    key = (ent.get("code"), ent.get("sector"), ent.get("name"))
                    row = seen.setdefault(key, {"code": key[0], "sector": key[1], "name": key[2],
                                                "as_actor": 0, "as_recipient": 0})
                    row["as_actor" if role == "actor" else "as_recipient"] += 1
        return sorted(seen.values(), key=lambda r: (-(r["as_actor"] + r["as_recipient"]), str(r["code"])))

    def story(self, story_id: str) -> Story | None:
        row = self.con.execute("SELECT record FROM stories WHERE id = ?", [story_id]).fetchall()
        row = row[0] if row else None  # fetchall: see _FETCH_NOTE
        return Story.from_dict(json.loads(row[0])) if row else None


def _link_fields(stored: dict[str, Any]) -> dict[str, Any]:
    """An article's link fields from its ``link_fields`` column, or from its record (stored before the column)."""
    return stored if "actor_codes" in stored else link_fields(stored)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _sql_literal(value: str) -> str:
    """A string as an SQL literal: a streamed relation (``_chunks``) takes no parameters."""
    return "'" + value.replace("'", "''") + "'"


class _Relinking:
    """Writes one linking result into an open transaction (see :meth:`Store.relinking`)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def events(self, rows: list[list[Any]], mention_event: dict[str, str]) -> None:
        """Rows of ``Store.event_row`` and their mentions: one partition's events."""
        self._store._bulk_insert("events", EVENT_COLS, rows)
        self._store._bulk_insert("event_mentions", ["mention_id", "event_id"],
                                 [[m, e] for m, e in sorted(mention_event.items())])

    def corpus(self, stories: list[Story], groups: dict[str, str], corrections: list[dict[str, Any]]) -> None:
        """What the corpus phase decided: stories, near-copy groups and corrected publication dates."""
        self._store._bulk_insert("stories", ["id", "record"], [[s.id, _dumps(s.to_dict())] for s in stories])
        self._store._bulk_insert("near_duplicates", ["article_id", "group_id"],
                                 [[a, g] for a, g in sorted(groups.items())])
        self._store._bulk_insert("date_corrections", ["article_id", "old", "new", "why"],
                                 [[c["article_id"], c.get("old"), c.get("new"), c.get("why")] for c in corrections],
                                 "ON CONFLICT DO NOTHING")
