"""An in-memory index of the events' filter columns, so ``GET /api/events`` costs about a millisecond of filtering.

Why: on a 100k-event store every SQL page query sorts 100k rows by two text columns (~10-90 ms, growing with the
offset) and the text filter scans the JSON records (~1.5 s). Between pipeline runs the events do not change, so
the server keeps, per *content version* of the store, numpy arrays of the filter columns in the store's own order
(``date_start NULLS LAST, id``): a filter is a boolean mask, the total is its sum, a page is a slice of its
positions, and only the page's records are read from DuckDB (by primary key), as raw JSON strings that go into
the response without being parsed again.

The content version is read from the store (event count plus the latest run), so a ``wiredesk run`` from another
process or an upload through the API is picked up at the next request after it. Semantics match
:meth:`wiredesk.store.Store.event_rows` exactly (a test checks every filter against it) except ``q``: the index
matches the words as a case-insensitive substring of the event's readable text (summary, parties' names and codes,
place, evidence sentences, source titles and outlets, type, modes, contexts) rather than of the raw JSON (where
``q=date`` would match every record through a key name).
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from bisect import bisect_right
from typing import Any

import numpy as np

from wiredesk.model import PLOVER_EVENTS
from wiredesk.store import EventFilter, period_bounds

log = logging.getLogger(__name__)

_EVENT_NUM = {e: i for i, e in enumerate(PLOVER_EVENTS)}
_NO_START = 99_999_999  # a NULL date_start never satisfies "date_start <= x"
_NO_END = -1  # a NULL date_end never satisfies "date_end >= x"


def content_version(con: Any) -> tuple:
    """Changes whenever a run (or link) rewrote the events."""
    runs = con.execute("SELECT count(*), max(started), max(finished) FROM runs").fetchone()
    events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    return (events, *runs)


def _day(value: str | None, missing: int) -> int:
    if not value:
        return missing
    try:
        return int(value[:10].replace("-", ""))
    except ValueError:
        return missing


class EventIndex:
    """Filter columns of every event, in store order; see the module docstring."""

    def __init__(self, version: tuple, rows: list[tuple], record_cache_chars: int = 0) -> None:
        self.version = version
        n = len(rows)
        self.n = n
        self.records = RecordSlots(n, record_cache_chars)
        self.ids = [r[0] for r in rows]
        self.event = np.array([_EVENT_NUM.get((r[1] or "").upper(), -1) for r in rows], dtype=np.int16)
        self.start = np.array([_day(r[2], _NO_START) for r in rows], dtype=np.int64)
        self.end = np.array([_day(r[3], _NO_END) for r in rows], dtype=np.int64)
        self.sources = np.array([r[6] or 0 for r in rows], dtype=np.int64)
        self.lat = np.array([np.nan if r[9] is None else r[9] for r in rows], dtype=np.float64)
        self.lon = np.array([np.nan if r[10] is None else r[10] for r in rows], dtype=np.float64)
        # rows come sorted by date_start NULLS LAST: dated rows first
        self.n_dated = int(np.count_nonzero(self.start != _NO_START))
        self.parties: dict[str, list[int]] = {}  # code -> positions where it is actor or recipient
        self.located_in: dict[str, list[int]] = {}  # code -> positions whose location is in that country
        self.stories: dict[str, list[int]] = {}
        for pos, r in enumerate(rows):
            for code in {c for c in ((r[4] or "") + (r[5] or "")).split("|") if c}:
                self.parties.setdefault(code, []).append(pos)
            if r[8]:
                self.located_in.setdefault(r[8], []).append(pos)
            if r[7]:
                self.stories.setdefault(r[7], []).append(pos)
        for table in (self.parties, self.located_in, self.stories):
            for key, positions in table.items():
                table[key] = np.asarray(positions, dtype=np.int64)  # type: ignore[assignment]
        self._where_ids: dict[str, int] | None = None
        self._search: tuple[str, list[int]] | None = None  # one lower-cased text, start offset of each event
        self._search_lock = threading.Lock()
        self._query_masks: OrderedDict[str, np.ndarray] = OrderedDict()  # recent text queries (12.5 kB each)
        # matching positions of recent filters (paging through one filter re-uses them): 4 bytes per match
        self._hits: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._hits_bytes = 0
        self._hits_lock = threading.Lock()

    @classmethod
    def build(cls, con: Any, version: tuple | None = None, record_cache_chars: int = 0) -> EventIndex:
        rows = con.execute(
            "SELECT id, event, date_start, date_end, actor_codes, recipient_codes, sources, story_id, country, "
            "lat, lon FROM events ORDER BY date_start NULLS LAST, id"
        ).fetchall()
        return cls(version or content_version(con), rows, record_cache_chars)

    # -- text search ---------------------------------------------------------------------------------------
    @property
    def search_ready(self) -> bool:
        return self._search is not None

    def build_search(self, con: Any) -> None:
        """Read every record once and keep its readable text (a few hundred bytes per event)."""
        with self._search_lock:
            if self._search is not None:
                return
            where = self._where()
            texts: list[str] = [""] * self.n
            cur = con.execute("SELECT id, record FROM events")
            while batch := cur.fetchmany(5000):
                for eid, record in batch:
                    pos = where.get(eid)
                    if pos is not None:
                        texts[pos] = _readable(json.loads(record))
                        self.records.put(pos, record.encode(), only_if_room=True)  # warm the record cache on the way
            starts, at = [], 0
            for text in texts:
                starts.append(at)
                at += len(text) + 1
            self._search = ("\x00".join(texts), starts)

    def knows_query(self, query: str) -> bool:
        """True when the text index is built and this query's matches are cached (no scan needed)."""
        if self._search is None:
            return False
        with self._search_lock:
            return query.lower().replace("\x00", "") in self._query_masks

    def _matching(self, query: str) -> np.ndarray:
        needle = query.lower().replace("\x00", "")
        with self._search_lock:
            cached = self._query_masks.get(needle)
            if cached is not None:
                self._query_masks.move_to_end(needle)
                return cached.copy()
        mask = self._scan(needle)
        with self._search_lock:
            self._query_masks[needle] = mask
            while len(self._query_masks) > 64:
                self._query_masks.popitem(last=False)
        return mask.copy()

    def _scan(self, needle: str) -> np.ndarray:
        text, starts = self._search  # type: ignore[misc]
        mask = np.zeros(self.n, dtype=bool)
        if not needle:
            return ~mask
        at = text.find(needle)
        while at != -1:
            pos = bisect_right(starts, at) - 1
            mask[pos] = True
            # continue after this event's text: one hit per event is enough
            nxt = starts[pos + 1] if pos + 1 < self.n else len(text)
            at = text.find(needle, nxt)
        return mask

    # -- filtering -----------------------------------------------------------------------------------------
    def _positions(self, table: dict[str, Any], code: str) -> np.ndarray:
        mask = np.zeros(self.n, dtype=bool)
        positions = table.get(code)
        if positions is not None:
            mask[positions] = True
        return mask

    def mask(self, flt: EventFilter) -> np.ndarray:
        """Boolean mask of the events matching ``flt`` (same meaning as the store's SQL filter)."""
        mask = np.ones(self.n, dtype=bool)
        if flt.event:
            mask &= self.event == _EVENT_NUM.get(flt.event.upper(), -2)
        if flt.actor:
            mask &= self._positions(self.parties, flt.actor.upper())
        if flt.country:
            code = flt.country.upper()
            mask &= self._positions(self.parties, code) | self._positions(self.located_in, code)
        if flt.since:
            mask &= self.end >= _day(period_bounds(flt.since)[0], _NO_START)
        if flt.until:
            mask &= self.start <= _day(period_bounds(flt.until)[1], _NO_END)
        if flt.min_sources:
            mask &= self.sources >= flt.min_sources
        if flt.bbox:
            min_lon, min_lat, max_lon, max_lat = flt.bbox
            with np.errstate(invalid="ignore"):
                mask &= (self.lon >= min_lon) & (self.lon <= max_lon) & (self.lat >= min_lat) & (self.lat <= max_lat)
        if flt.story:
            mask &= self._positions(self.stories, flt.story)
        if flt.query:
            mask &= self._matching(flt.query)
        return mask

    #: bound of the cache of matching positions per filter (bytes)
    HITS_CACHE_BYTES = 32 * 1024 * 1024

    def hits(self, flt: EventFilter) -> np.ndarray:
        """Positions (store order) of the events matching ``flt``, cached per filter: a page of the same filter at
        another offset or order, the next request of someone paging, costs a slice instead of a full scan."""
        key = (flt.event.upper() if flt.event else None, flt.actor.upper() if flt.actor else None,
               flt.country.upper() if flt.country else None, flt.since, flt.until,
               flt.query.lower() if flt.query else None, flt.min_sources, flt.bbox, flt.story)
        with self._hits_lock:
            found = self._hits.get(key)
            if found is not None:
                self._hits.move_to_end(key)
                return found
        found = np.flatnonzero(self.mask(flt)).astype(np.int32)
        found.flags.writeable = False  # shared between requests
        with self._hits_lock:
            if key not in self._hits and found.nbytes <= self.HITS_CACHE_BYTES // 4:
                self._hits[key] = found
                self._hits_bytes += found.nbytes
                while self._hits_bytes > self.HITS_CACHE_BYTES:
                    _, old = self._hits.popitem(last=False)
                    self._hits_bytes -= old.nbytes
        return found

    def page_positions(self, flt: EventFilter, newest_first: bool = False) -> tuple[int, np.ndarray]:
        """(total, positions of the page's events) for a filter with ``limit``/``offset``."""
        hits = self.hits(flt)
        total = int(hits.size)
        start = flt.offset
        end = min(total, start + (flt.limit if flt.limit is not None else total))
        if start >= end:
            return total, hits[:0]
        if not newest_first:
            return total, hits[start:end]
        # SQL: date_start DESC NULLS LAST, id DESC = dated rows reversed, then undated rows reversed; only the
        # page's part of each is sliced out (reversing all matches costs a copy of them per request)
        split = int(hits.searchsorted(hits.dtype.type(self.n_dated)))  # same dtype: no copy of hits
        dated = hits[split - min(end, split):split - start][::-1] if start < split else hits[:0]
        lo = max(start, split) - split
        undated = hits[total - (end - split):total - lo][::-1] if max(start, split) < end else hits[:0]
        return total, np.concatenate([dated, undated])

    def page(self, flt: EventFilter, newest_first: bool = False) -> tuple[int, list[str]]:
        """(total, ids of the page) for a filter with ``limit``/``offset``."""
        total, positions = self.page_positions(flt, newest_first)
        return total, [self.ids[i] for i in positions.tolist()]

    def _where(self) -> dict[str, int]:
        """id -> position (built on first use: only the text index and the SQL fallback need it)."""
        if self._where_ids is None:
            self._where_ids = {eid: pos for pos, eid in enumerate(self.ids)}
        return self._where_ids

    def positions_of(self, ids: list[str]) -> np.ndarray:
        """Index positions of these event ids, in order (ids not in the index are left out)."""
        where = self._where()
        return np.array([where[i] for i in ids if i in where], dtype=np.int64)

    def page_records(self, con: Any, positions: np.ndarray) -> list[bytes]:
        """The stored JSON of the events at ``positions`` as UTF-8 bytes, in order (never parsed): from the record
        cache, the rest read from DuckDB by id (and cached)."""
        found = self.records.take(positions)
        if found is not None:
            return found
        wanted = positions.tolist()
        got = [self.records.get(i) for i in wanted]  # held here: reading the rest may evict some of them
        missing = {self.ids[i]: k for k, i in enumerate(wanted) if got[k] is None}
        if missing:
            marks = ",".join("?" * len(missing))
            sql = f"SELECT id, record FROM events WHERE id IN ({marks})"  # noqa: S608 - placeholders only
            for eid, record in con.execute(sql, list(missing)).fetchall():
                k = missing[eid]
                got[k] = data = record.encode()
                self.records.put(wanted[k], data)
        return [data for data in got if data is not None]


def _readable(rec: dict[str, Any]) -> str:
    parts = [rec.get("event") or "", rec.get("summary") or "", " ".join(rec.get("mode") or []),
             " ".join(rec.get("context") or [])]
    for role in ("actor", "recipient"):
        for ent in rec.get(role) or []:
            parts += [ent.get("code") or "", ent.get("name") or "", ent.get("entity_text") or "",
                      ent.get("office") or ""]
    loc = rec.get("location") or {}
    parts += [loc.get("resolved_place") or "", loc.get("extracted_place") or ""]
    parts += [m.get("text") or "" for m in rec.get("mentions") or []]
    parts += [f"{a.get('title') or ''} {a.get('publication') or ''}" for a in rec.get("articles") or []]
    return " ".join(p for p in parts if p).lower().replace("\x00", "")


class RecordCache:
    """Values by key, least recently used out first, bounded by the total ``len()`` of the values (the page cache
    of :mod:`wiredesk.web.access` is one)."""

    def __init__(self, max_chars: int, max_item: int | None = None) -> None:
        self.max_chars = max_chars
        self.max_item = max_chars if max_item is None else max_item  # a bigger value is never kept
        self.size = 0
        self.hits = self.misses = 0
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            value = self._data.get(key)
            if value is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Any, value: Any) -> None:
        if len(value) > self.max_item:
            return
        with self._lock:
            if key in self._data:
                return
            self._data[key] = value
            self.size += len(value)
            while self.size > self.max_chars:
                _, old = self._data.popitem(last=False)
                self.size -= len(old)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.size = 0


class RecordSlots:
    """Raw record JSON (UTF-8 bytes) by the event's index position, bounded by total size; CLOCK eviction.

    Why: reading even one record from DuckDB costs ~10 ms on a 100k-event store (the lookup scans the id column
    and decompresses the record column's segment), ten times the rest of a request. Records cannot change within
    a content version, and each index (one per version) has its own slots. Why slots and not a dict by id with
    strict LRU order: a page's records are found by list position (no hashing, no key comparison, no reordering
    of a linked list on every hit), which on 160 MB of records spread over memory costs a fraction of the dict's
    cache misses. Eviction is CLOCK (second chance): a hit sets the slot's *used* bit, the hand clears bits and
    drops the first slot it finds unused, close to LRU at the cost of one bit per event.
    """

    def __init__(self, n: int, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = self.misses = 0
        self._slots: list[bytes | None] = [None] * n
        self._present = np.zeros(n, dtype=bool)
        self._used = np.zeros(n, dtype=bool)
        self._hand = 0
        self._lock = threading.Lock()

    def get(self, pos: int) -> bytes | None:
        with self._lock:
            value = self._slots[pos]
            if value is not None:
                self._used[pos] = True
            return value

    def take(self, positions: np.ndarray) -> list[bytes] | None:
        """The records at every position, in order, or None if any is not cached (one lock for the lot)."""
        with self._lock:
            if not self._present[positions].all():
                self.misses += 1
                return None
            self._used[positions] = True
            self.hits += len(positions)
            slots = self._slots
            return [slots[i] for i in positions.tolist()]  # type: ignore[misc]

    def put(self, pos: int, value: bytes, only_if_room: bool = False) -> None:
        if len(value) > self.max_bytes:
            return
        with self._lock:
            if self._slots[pos] is not None or (only_if_room and self.size + len(value) > self.max_bytes):
                return
            self._slots[pos] = value
            self._present[pos] = True
            self.size += len(value)
            n = len(self._slots)
            while self.size > self.max_bytes:  # the hand goes round: clear used bits, drop the first unused slot
                h = self._hand
                self._hand = (h + 1) % n
                old = self._slots[h]
                if old is None or h == pos:
                    continue
                if self._used[h]:
                    self._used[h] = False
                    continue
                self._slots[h] = None
                self._present[h] = False
                self.size -= len(old)


def page_body(total: int, limit: int, offset: int, records: list[bytes]) -> bytes:
    """The ``Page`` JSON of ``GET /api/events`` (the route and :mod:`wiredesk.web.pages` both build it here). The
    stored records are JSON already, kept as UTF-8 bytes: they are spliced in, never parsed and re-encoded."""
    head = b'{"total":%d,"limit":%d,"offset":%d,"items":[' % (total, limit, offset)
    return b"".join((head, b",".join(records), b"]}"))
