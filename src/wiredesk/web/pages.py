"""``GET /api/events`` answered before FastAPI's routing when everything it needs is already in memory.

Why: on a 100k-event store the page itself costs well under a millisecond (index filter, records from the record
cache, spliced JSON), but FastAPI's dependency solving, query validation, thread-pool hop and response wrapping
around it cost several times that, all on the one event-loop thread, which capped pages never asked before at
~300 requests/s on this 2-core machine. :class:`EventPages` (called by the app before FastAPI's own middleware
stack; it sends the same headers as a routed answer) answers, in order:

1. a repeated query from the page cache (:class:`wiredesk.web.access.PageCache`);
2. a query whose parameters are all *plainly* valid (:func:`plain_query`) from the event index and the record
   cache, on the event loop, when the read handle is held, the index of the current store content is built,
   a text query's matches are already known and every record of the page is cached;
3. anything else (bad or unusual input, a cold index or text query, records not cached yet, a busy store) by the
   route in ``routes.py``, which gives the errors, reads DuckDB in the thread pool and fills the caches, so the
   next such request takes step 2.

Step 2 accepts a strict subset of what the route accepts (anything it is not sure of goes to the route), builds
the filter with the route's own ``event_filter`` (so its checks: known event type, real dates, bbox range) and the
body with the same :func:`wiredesk.web.index.page_body`, so both answer byte for byte the same
(``tests/test_web_pages.py`` checks that on fixed and generated queries).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import HTTPException

from wiredesk.store import EventFilter
from wiredesk.web.access import StoreAccess, page_key
from wiredesk.web.index import page_body
from wiredesk.web.routes import event_filter
from wiredesk.web.security import HEADERS as SECURITY_HEADERS

log = logging.getLogger(__name__)

# The route's Query() rules, written as full matches of plain forms: a value in any other spelling ("+5", " 5",
# "5.0", an empty string) may still be valid to FastAPI, so it goes to the route, which decides.
_CODE = re.compile(r"[A-Za-z]{2,6}\Z")
_ID = re.compile(r"[A-Za-z0-9_.:\-]{1,200}\Z")
_NUM = re.compile(r"(?:0|[1-9][0-9]{0,8})\Z")
_MAX_LENGTH = {"event": 16, "since": 10, "until": 10, "q": 200, "bbox": 100}
_NAMES = frozenset({"event", "actor", "country", "since", "until", "q", "min_sources", "bbox", "story", "limit",
                    "offset", "order"})


def plain_query(pairs: tuple, max_page_size: int) -> tuple[EventFilter, bool] | None:
    """(filter with limit/offset, newest first) for a ``/api/events`` query the route would accept as it is, or
    None when the route must decide (an unknown name, an unusual spelling, or a value it refuses).

    ``pairs`` is :func:`wiredesk.web.access.page_key`'s normal form: for a repeated name the last value wins, as in
    the route.
    """
    args: dict[str, str] = {}
    for name, value in pairs:
        if name not in _NAMES:
            return None
        args[name] = value
    for name, cap in _MAX_LENGTH.items():
        if len(args.get(name, "")) > cap:
            return None
    for name in ("actor", "country"):
        if name in args and not _CODE.match(args[name]):
            return None
    if "story" in args and not _ID.match(args["story"]):
        return None
    numbers = {}
    for name in ("min_sources", "limit", "offset"):
        if name in args:
            if not _NUM.match(args[name]):
                return None
            numbers[name] = int(args[name])
    min_sources = numbers.get("min_sources", 0)
    limit = numbers.get("limit", min(50, max_page_size))
    offset = numbers.get("offset", 0)
    if min_sources > 100_000 or not 1 <= limit <= max_page_size or offset > 100_000_000:
        return None
    order = args.get("order", "asc")
    if order not in ("asc", "desc"):
        return None
    try:
        flt = event_filter(event=args.get("event"), actor=args.get("actor"), country=args.get("country"),
                           since=args.get("since"), until=args.get("until"), q=args.get("q"),
                           min_sources=min_sources, bbox=args.get("bbox"), story=args.get("story"))
    except HTTPException:
        return None  # the route says why
    flt.limit, flt.offset = limit, offset
    return flt, order == "desc"


def memory_page(access: StoreAccess, key: tuple, max_page_size: int) -> bytes | None:
    """Step 2 of the module docstring: the page from memory, or None (the route answers)."""
    state = access.memory_state()
    if state is None:
        return None
    version, index = state
    parsed = plain_query(key, max_page_size)
    if parsed is None:
        return None
    flt, newest_first = parsed
    if flt.query and not index.knows_query(flt.query):
        return None  # scanning the text of every event takes tens of ms: the thread pool's job, not the loop's
    total, positions = index.page_positions(flt, newest_first=newest_first)
    records = index.records.take(positions)
    if records is None:
        return None
    body = page_body(total, flt.limit, flt.offset, records)
    access.pages.put((version, key), body)
    return body


class EventPages:
    """Answers ``GET /api/events`` from memory when it can; see the module docstring. Called by
    :class:`wiredesk.web.app.DeskAPI` before FastAPI's middleware stack, so it sends the security headers itself."""

    #: what :class:`wiredesk.web.security.SecurityHeaders` adds to every ``/api/`` answer, in the same order
    HEADERS = (*SECURITY_HEADERS, (b"cache-control", b"no-store"))

    def __init__(self, access: StoreAccess, max_page_size: int, from_index: bool = True) -> None:
        self.access = access
        self.max_page_size = max_page_size
        self.from_index = from_index  # False: step 2 off (the page cache still answers repeats)

    async def answer(self, scope: dict, send: Any) -> bool:
        """Send the page and return True, or return False (and send nothing): the app answers."""
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != "/api/events":
            return False
        key = page_key(scope.get("query_string", b""))
        body = self.access.fresh_page(key)
        if body is None:
            if not self.from_index:
                return False
            try:
                body = memory_page(self.access, key, self.max_page_size)
            except Exception:  # noqa: BLE001 - never worse than the route: it answers (or reports) instead
                log.exception("in-memory page failed; answering through the route")
                return False
            if body is None:
                return False
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(body)).encode()), (b"content-type", b"application/json"),
                                *self.HEADERS]})
        await send({"type": "http.response.body", "body": body})
        return True
