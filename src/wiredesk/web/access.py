"""How the server shares one DuckDB file with itself and with other processes.

DuckDB lets many read-only handles or one read-write handle hold a file, never both, across processes; within
one process, a file cannot be open read-only and read-write at the same time either. Opening a handle costs
~50 ms (instance start-up), a cursor on an open handle well under 1 ms. So the server:

- keeps one read-only *anchor* handle while requests flow and gives each request its own cursor (cursors are
  independent connections to the same instance, safe to use from many threads at once);
- drops the anchor after ``idle_release`` seconds without a request, so a ``wiredesk run`` in another process
  can take the write lock when the desk is idle (while the desk is in use, that run fails at once with
  "store is busy"; DuckDB never waits and never corrupts the file);
- answers 503 "store is busy" (``StoreBusy``) while another process writes, and while an upload it accepted
  itself is being processed (:meth:`StoreAccess.writer` waits for in-flight reads, closes the anchor, lets the
  pipeline open the store for writing, then lets readers back in).

While the anchor is held no one else can write, so the data cannot change under it. Each time the anchor is
opened the store's *content version* (event count and latest run) is read; results derived from the whole store
(the event index, actor lists, facet counts) are kept per content version, so they survive idle releases and are
rebuilt only after a run changed the store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl

from wiredesk.store import Store, StoreBusy
from wiredesk.web.index import EventIndex, RecordCache, content_version


class CursorStore(Store):
    """A :class:`Store` whose queries run on one cursor of a shared read-only handle (no open, no migration)."""

    def __init__(self, con: Any, path: str) -> None:  # noqa: D107 - deliberately skips Store.__init__
        self.path = path
        self.read_only = True
        self.con = con


def page_key(query_string: bytes) -> tuple:
    """A query string in a normal form: decoded, parameters ordered by name (a repeated name keeps the order of its
    values: the last one wins in the route), so ``a=1&b=2`` and ``b=2&a=1`` share a cache entry."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return tuple(sorted(pairs, key=lambda kv: kv[0]))


class PageCache(RecordCache):
    """Whole response bodies by (content version, normalised query), least recently used out first, bounded by bytes.

    Why: between runs the events do not change, and the desk asks the same pages again and again (every user opens
    the same first pages, paging back and forth); a hit is answered by :class:`wiredesk.web.pages.EventPages` before
    FastAPI's routing, validation and thread pool, at a fraction of the cost of the route.
    """

    def __init__(self, max_bytes: int) -> None:
        super().__init__(max_bytes, max_item=max_bytes // 8)  # one huge page must not flush the rest

    @property
    def max_bytes(self) -> int:
        return self.max_chars


class StoreAccess:
    """Read handles per request, one in-process writer at a time, and the idle release described above."""

    def __init__(self, db: str, idle_release: float = 2.0, record_cache_chars: int = 256 * 1024 * 1024,
                 page_cache_bytes: int = 64 * 1024 * 1024) -> None:
        self.db = db
        self.idle_release = idle_release
        self.record_cache_chars = record_cache_chars
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._anchor: Store | None = None
        self._active = 0
        self._writing = False
        self._last_used = time.monotonic()
        self.generation = 0
        self.version: tuple = ()
        self.cache: dict[tuple, Any] = {}
        self.pages = PageCache(page_cache_bytes)
        self._index: EventIndex | None = None
        self._index_lock = threading.Lock()
        self._stop = threading.Event()
        self._reaper: threading.Thread | None = None
        self._closed = False

    # -- reading -------------------------------------------------------------------------------------------
    @contextmanager
    def reader(self) -> Iterator[CursorStore]:
        """A store view for one request; raises StoreBusy (-> 503) when a writer holds the file."""
        with self._lock:
            if self._closed:
                # After shutdown a late background reader (start-up warm, text index) must not reopen the file: an
                # orphan handle would keep it locked, and DuckDB's POSIX locks are per process, so closing another
                # handle to the same file in this process could release it under that orphan.
                raise StoreBusy("server is shutting down")
            if self._writing:
                raise StoreBusy("store is busy: an upload is being processed; try again in a moment")
            if self._anchor is None:
                # Store() maps DuckDB's lock error to StoreBusy and a missing file to StoreError.
                anchor = Store(self.db, read_only=True)
                try:
                    version = content_version(anchor.con)
                except Exception:
                    anchor.close()
                    raise
                self._anchor = anchor
                self.generation += 1
                if version != self.version:
                    self.version = version
                    self.cache.clear()
                    self.pages.clear()
                self._ensure_reaper()
            self._active += 1
            anchor = self._anchor
        cursor = anchor.con.cursor()
        try:
            yield CursorStore(cursor, self.db)
        finally:
            cursor.close()
            with self._lock:
                self._active -= 1
                self._last_used = time.monotonic()
                if self._active == 0:
                    self._idle.notify_all()

    def fresh_page(self, key: tuple) -> bytes | None:
        """A cached ``GET /api/events`` body for this normalised query (:func:`page_key`), only while the read handle
        is held (no other process can have changed the store since its content version was read) and no upload is
        being written."""
        if self._anchor is None or self._writing or not self.pages.max_bytes:
            return None
        body = self.pages.get((self.version, key))
        if body is not None:
            self._last_used = time.monotonic()  # a hit is a use: keep the handle (as a routed request would)
        return body

    def memory_state(self) -> tuple[tuple, EventIndex] | None:
        """(content version, its event index) when a page may be answered from memory alone: the read handle is
        held (so no other process changed the store since the version was read), no upload is being written, and
        the index of this version is built. None otherwise: the route answers, opening the handle if need be."""
        with self._lock:
            index = self._index
            if self._anchor is None or self._writing or index is None or index.version != self.version:
                return None
            self._last_used = time.monotonic()  # a use, as for a page-cache hit
            return self.version, index

    def cached(self, key: tuple, compute: Any) -> Any:
        """``compute()`` once per content version (call inside :meth:`reader`)."""
        full = (self.version, *key)
        if full not in self.cache:
            if len(self.cache) > 512:
                self.cache.clear()  # crude bound: facets are cheap to recompute, memory must stay flat
            self.cache[full] = compute()
        return self.cache[full]

    def index(self, store: Store) -> EventIndex:
        """The event index for the current content version (built on first use; call inside :meth:`reader`)."""
        with self._index_lock:
            if self._index is None or self._index.version != self.version:
                self._index = EventIndex.build(store.con, self.version, self.record_cache_chars)
                threading.Thread(target=self._build_search, args=(self._index,), name="wiredesk-search-index",
                                 daemon=True).start()
            return self._index

    def warm(self) -> None:
        """Build the event index now (server start-up) instead of on the first request."""
        try:
            with self.reader() as store:
                self.index(store)
        except Exception:  # noqa: BLE001 - busy or missing store: requests will say so
            pass

    def _build_search(self, index: EventIndex) -> None:
        # Text search falls back to SQL until this finishes (seconds on 100k events); holding a reader keeps the
        # anchor (and so this content version) in place while it reads.
        try:
            with self.reader() as store:
                if index.version == self.version:
                    index.build_search(store.con)
        except Exception:  # noqa: BLE001 - busy or closed: the SQL fallback keeps answering
            pass

    # -- writing -------------------------------------------------------------------------------------------
    @contextmanager
    def writer(self, wait_seconds: float = 30.0) -> Iterator[None]:
        """Exclusive use of the file for an in-process write (the upload's pipeline run)."""
        with self._lock:
            if self._writing:
                raise StoreBusy("store is busy: another upload is being processed; try again when it finishes")
            self._writing = True
            deadline = time.monotonic() + wait_seconds
            while self._active:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._writing = False
                    raise StoreBusy("store is busy: reads did not finish in time; try the upload again")
                self._idle.wait(left)
            self._close_anchor()
        try:
            yield
        finally:
            with self._lock:
                self._writing = False

    # -- idle release --------------------------------------------------------------------------------------
    def _close_anchor(self) -> None:
        if self._anchor is not None:
            self._anchor.close()
            self._anchor = None

    def _ensure_reaper(self) -> None:
        if self._reaper is None or not self._reaper.is_alive():
            self._stop.clear()
            self._reaper = threading.Thread(target=self._reap, name="wiredesk-store-release", daemon=True)
            self._reaper.start()

    def _reap(self) -> None:
        while not self._stop.wait(min(0.5, self.idle_release / 2 or 0.1)):
            with self._lock:
                if (self._anchor is not None and self._active == 0
                        and time.monotonic() - self._last_used >= self.idle_release):
                    self._close_anchor()
                    return

    def start(self) -> None:
        """Accept readers again (app start-up; a new access accepts them from the start)."""
        with self._lock:
            self._closed = False

    def close(self) -> None:
        """Release the file and refuse later readers (app shutdown)."""
        self._stop.set()
        with self._lock:
            self._closed = True
            self._close_anchor()
