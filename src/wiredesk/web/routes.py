"""The JSON API under ``/api``: thin handlers that validate input, call the store, and shape the answer.

Handlers are plain ``def`` (run in the server's thread pool) because DuckDB calls block. Each read takes a cursor
from :class:`wiredesk.web.access.StoreAccess`; ``StoreBusy`` becomes 503 and unknown ids 404 in ``app.py``.
Responses are built with ``JSONResponse`` directly: the pydantic models below document the shapes in the OpenAPI
file without re-validating every event record on the way out (that validation would cost more than the query).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Header, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from wiredesk.model import PLOVER_EVENTS
from wiredesk.store import EventFilter
from wiredesk.web import queries
from wiredesk.web.access import page_key
from wiredesk.web.index import page_body
from wiredesk.web.security import check_token

router = APIRouter(prefix="/api")

_CODE = r"^[A-Za-z]{2,6}$"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ID = r"^[A-Za-z0-9_.:\-]{1,200}$"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
UPLOAD_PREFIX = "wiredesk-upload-"


class Page(BaseModel):
    """A page of records: ``total`` matches the filter, ``items`` is the slice ``offset .. offset+limit``."""

    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


class EventDetail(BaseModel):
    """An event record plus ``families`` (its sources grouped by near-copy group) and ``article_rows``."""

    id: str
    event: str
    date: str | None = None
    summary: str = ""
    mentions: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    families: list[dict[str, Any]] = []


class ArticleDetail(BaseModel):
    """An article's clean text with the evidence spans (``mentions[].start/end`` index ``text``)."""

    id: str
    title: str | None = None
    publication: str | None = None
    published: str | None = None
    text: str
    mentions: list[dict[str, Any]] = []


class Message(BaseModel):
    status: int
    detail: str


ERRORS = {404: {"model": Message}, 422: {"model": Message}, 503: {"model": Message}}


def _bad(detail: str) -> HTTPException:
    return HTTPException(422, detail)


def _date(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not _DATE.match(value):
        raise _bad(f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise _bad(f"{name} is not a real date: {value!r}") from exc
    return value


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        nums = [float(x) for x in value.split(",")]
    except ValueError as exc:
        raise _bad("bbox must be four numbers: min_lon,min_lat,max_lon,max_lat") from exc
    if len(nums) != 4 or any(x != x for x in nums):  # x != x: NaN
        raise _bad("bbox must be four numbers: min_lon,min_lat,max_lon,max_lat")
    min_lon, min_lat, max_lon, max_lat = nums
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise _bad("bbox out of range: need -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90")
    return min_lon, min_lat, max_lon, max_lat


def event_filter(
    event: Annotated[str | None, Query(description="PLOVER event type, e.g. ASSAULT", max_length=16)] = None,
    actor: Annotated[str | None, Query(description="actor or recipient code, e.g. RUS", pattern=_CODE)] = None,
    country: Annotated[str | None, Query(description="code of any party or of the location", pattern=_CODE)] = None,
    since: Annotated[str | None, Query(description="first day (YYYY, YYYY-MM or YYYY-MM-DD)", max_length=10)] = None,
    until: Annotated[str | None, Query(description="last day (YYYY, YYYY-MM or YYYY-MM-DD)", max_length=10)] = None,
    q: Annotated[str | None, Query(description="text in the summary or the record", max_length=200)] = None,
    min_sources: Annotated[int, Query(ge=0, le=100_000, description="at least this many articles")] = 0,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat", max_length=100)] = None,
    story: Annotated[str | None, Query(pattern=_ID, description="story id")] = None,
) -> EventFilter:
    """The shared event filter of /events, /timeline, /network and /map."""
    if event and event.upper() not in PLOVER_EVENTS:
        raise _bad(f"unknown event type {event!r}; expected one of {', '.join(PLOVER_EVENTS)}")
    since, until = _date(since, "since"), _date(until, "until")
    if since and until and since[:10] > until[:10] and len(since) == len(until):
        raise _bad(f"since ({since}) is after until ({until})")
    return EventFilter(event=event or None, actor=actor, country=country, since=since, until=until,
                       query=q.strip() if q and q.strip() else None, min_sources=min_sources, bbox=_bbox(bbox),
                       story=story)


Filter = Annotated[EventFilter, Depends(event_filter)]


def _key(flt: EventFilter) -> tuple:
    """A hashable cache key for a filter (facet answers are cached per store content version)."""
    return tuple(sorted((k, v) for k, v in flt.__dict__.items() if v not in (None, 0, "")))


def _settings(request: Request) -> Any:
    return request.app.state.desk


def _page_args(request: Request, limit: int | None, offset: int, default: int = 50) -> tuple[int, int]:
    cap = _settings(request).max_page_size
    limit = min(default, cap) if limit is None else limit
    if limit > cap:
        raise _bad(f"limit must be at most {cap} (the page-size limit); page with offset")
    return limit, offset


Limit = Annotated[int | None, Query(ge=1, description="page size (default 50, or 100 for actors and errors; at most the "
                                                      "server's max page size)")]
Offset = Annotated[int, Query(ge=0, le=100_000_000)]


# -- events -------------------------------------------------------------------------------------------------
@router.get("/events", response_model=Page, responses=ERRORS, summary="Canonical events matching a filter")
def list_events(request: Request, flt: Filter, limit: Limit = None, offset: Offset = 0,
                order: Annotated[str, Query(pattern="^(asc|desc)$", description="by date")] = "asc") -> Any:
    """Events matching every given filter, oldest first (``order=desc`` for newest first), one page at a time."""
    flt.limit, flt.offset = _page_args(request, limit, offset)
    access = _settings(request).access
    with access.reader() as store:
        version = access.version
        index = access.index(store)
        fallback = bool(flt.query and not index.search_ready)
        if fallback:  # text index still building: answer from SQL meanwhile (not cached: q matches differently)
            total = queries.count_events(store.con, flt)
            ids = queries.event_ids(store.con, flt, newest_first=order == "desc") if offset < total else []
            positions = index.positions_of(ids)
        else:
            total, positions = index.page_positions(flt, newest_first=order == "desc")
        records = index.page_records(store.con, positions)
    body = page_body(total, flt.limit, flt.offset, records)
    if not fallback:
        access.pages.put((version, page_key(request.scope.get("query_string", b""))), body)
    return Response(body, media_type="application/json")


@router.get("/events/{event_id}", response_model=EventDetail, responses=ERRORS, summary="One event with sources")
def get_event(request: Request, event_id: Annotated[str, PathParam(pattern=_ID)]) -> Any:
    """The event record (mentions, articles, conflicts, summary with citations) and its near-copy families."""
    with _settings(request).access.reader() as store:
        record = store.event(event_id)
        if record is None:
            raise HTTPException(404, f"no event with id {event_id!r}")
        ids = [a.get("id") for a in record.get("articles", []) if a.get("id")]
        meta = queries.articles_meta(store.con, ids)
    families: dict[str, dict[str, Any]] = {}
    for art in record.get("articles", []):
        row = {**art, **{k: v for k, v in meta.get(art.get("id"), {}).items() if v is not None}}
        row["in_store"] = art.get("id") in meta
        row["evidence"] = [m for m in record.get("mentions", []) if m.get("article_id") == art.get("id")]
        group = row.get("near_duplicate_group") or f"single:{art.get('id')}"
        fam = families.setdefault(group, {"group": group, "articles": []})
        fam["articles"].append(row)
    record["families"] = sorted(families.values(), key=lambda f: (-len(f["articles"]), f["group"]))
    return JSONResponse(record)


# -- facets for the desk ------------------------------------------------------------------------------------
@router.get("/timeline", responses=ERRORS, summary="Event counts per day or month")
def get_timeline(request: Request, flt: Filter,
                 bucket: Annotated[str, Query(pattern="^(auto|day|month)$")] = "auto") -> Any:
    access = _settings(request).access
    with access.reader() as store:
        return JSONResponse(access.cached(("timeline", _key(flt), bucket), lambda: queries.timeline(store.con, flt, bucket)))


@router.get("/network", responses=ERRORS, summary="Who interacts with whom, by event type")
def get_network(request: Request, flt: Filter,
                max_edges: Annotated[int, Query(ge=1, le=1000)] = 150) -> Any:
    access = _settings(request).access
    with access.reader() as store:
        return JSONResponse(access.cached(("network", _key(flt), max_edges),
                                          lambda: queries.network(store.con, flt, max_edges)))


@router.get("/map", responses=ERRORS, summary="Located events grouped by place")
def get_map(request: Request, flt: Filter,
            max_points: Annotated[int, Query(ge=1, le=20_000)] = 3000) -> Any:
    access = _settings(request).access
    with access.reader() as store:
        return JSONResponse(access.cached(("map", _key(flt), max_points),
                                          lambda: queries.map_points(store.con, flt, max_points)))


@router.get("/summary", summary="Store totals and date range")
def get_summary(request: Request) -> Any:
    access = _settings(request).access
    with access.reader() as store:
        out = dict(access.cached(("totals",), lambda: queries.totals(store.con)))
        index = access.index(store)
        out["text_index_ready"] = index.search_ready  # False for a while after a run (text search uses SQL)
    return JSONResponse(out)


# -- articles -----------------------------------------------------------------------------------------------
@router.get("/articles", response_model=Page, responses=ERRORS, summary="Articles (no text), paged")
def list_articles(request: Request, limit: Limit = None, offset: Offset = 0) -> Any:
    limit, offset = _page_args(request, limit, offset)
    with _settings(request).access.reader() as store:
        total = queries.count_articles(store.con)
        items = store.article_rows(limit=limit, offset=offset) if offset < total else []
    return JSONResponse({"total": total, "limit": limit, "offset": offset, "items": items})


_ARTICLE_KEEP = ("id", "path", "url", "title", "publication", "published", "published_basis",
                 "published_correction", "language", "quality", "dateline", "text", "removed", "repairs")


@router.get("/articles/{article_id}", response_model=ArticleDetail, responses=ERRORS,
            summary="An article's clean text with its evidence spans")
def get_article(request: Request, article_id: Annotated[str, PathParam(pattern=_ID)]) -> Any:
    """Clean text plus each event mention's evidence span (``start``/``end`` index ``text``) and event id."""
    with _settings(request).access.reader() as store:
        record = store.article(article_id)
        if record is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        to_event = queries.mention_events(store.con, article_id)
        meta = queries.articles_meta(store.con, [article_id]).get(article_id, {})
    out = {k: record.get(k) for k in _ARTICLE_KEEP}
    out["near_duplicate_group"] = meta.get("near_duplicate_group")
    out["mentions"] = [
        {"id": m.get("id"), "start": m.get("start"), "end": m.get("end"), "text": m.get("text"),
         "event": m.get("event"), "sentence": m.get("sentence"), "trigger": m.get("trigger"),
         "event_id": to_event.get(m.get("id"))}
        for m in record.get("mentions", [])
    ]
    out["actors"] = [{"start": a.get("start"), "end": a.get("end"), "text": a.get("text"),
                      "code": (a.get("entity") or {}).get("code")} for a in record.get("actors", [])]
    return JSONResponse(out)


# -- other lists --------------------------------------------------------------------------------------------
def _paged_list(request: Request, key: str, compute: Any, limit: int | None, offset: int,
                default: int = 50) -> JSONResponse:
    limit, offset = _page_args(request, limit, offset, default)
    access = _settings(request).access
    with access.reader() as store:
        rows = access.cached((key,), lambda: compute(store))
    return JSONResponse({"total": len(rows), "limit": limit, "offset": offset, "items": rows[offset:offset + limit]})


@router.get("/actors", response_model=Page, summary="Coded parties with their event counts")
def list_actors(request: Request, limit: Limit = None, offset: Offset = 0) -> Any:
    return _paged_list(request, "actors", lambda s: s.actors(), limit, offset, 100)


@router.get("/stories", response_model=Page, summary="Stories: articles about the same happening")
def list_stories(request: Request, limit: Limit = None, offset: Offset = 0) -> Any:
    return _paged_list(request, "stories", lambda s: s.stories(), limit, offset)


@router.get("/errors", response_model=Page, summary="Inputs that could not be read, and why")
def list_errors(request: Request, limit: Limit = None, offset: Offset = 0) -> Any:
    return _paged_list(request, "errors", lambda s: s.errors(), limit, offset, 100)


# -- writes -------------------------------------------------------------------------------------------------
def run_pipeline(paths: list[str], db: str) -> Any:
    """Indirection so tests can stand in for the NLP pipeline; the real one is the runner."""
    from wiredesk.engine.runner import run

    return run(paths, db)


def require_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    # UploadGate already checked before the body was read; this keeps the rule next to the route (and in the
    # OpenAPI document) should the middleware ever be removed.
    check_token(_settings(request).token, authorization)


@router.post("/ingest", responses={401: {"model": Message}, 403: {"model": Message}, 413: {"model": Message},
                                   503: {"model": Message}},
             dependencies=[Depends(require_token)], summary="Upload files and run the pipeline on them")
def ingest(request: Request, files: Annotated[list[UploadFile], File(description="news files")]) -> Any:
    """Write the uploaded files to a temporary folder, run the whole pipeline on them into this store, and
    return the run report. Needs ``Authorization: Bearer <token>``. Reads answer 503 while it runs."""
    settings = _settings(request)
    if not files:
        raise _bad("no files uploaded")
    if len(files) > settings.max_upload_files:
        raise _bad(f"too many files: {len(files)}; the limit is {settings.max_upload_files}")
    # the server's pid in the name: a server killed mid-upload cannot clean up; the next one sweeps (see app.py)
    folder = Path(tempfile.mkdtemp(prefix=f"{UPLOAD_PREFIX}{os.getpid()}-"))
    try:
        paths, total = [], 0
        for i, upload in enumerate(files):
            # Never trust the client's file name: keep a safe basename (for the format sniffing by extension).
            name = _SAFE_NAME.sub("_", Path(upload.filename or f"upload-{i}").name).strip("._") or f"upload-{i}"
            target = folder / f"{i:04d}-{name[:100]}"
            with target.open("wb") as out:
                while chunk := upload.file.read(1 << 20):
                    total += len(chunk)
                    if total > settings.max_upload_bytes:
                        raise HTTPException(413, f"upload too large: the limit is {settings.max_upload_bytes} bytes")
                    out.write(chunk)
            paths.append(str(target))
        with settings.access.writer():
            report = run_pipeline(paths, settings.db)
        data = report.to_dict() if hasattr(report, "to_dict") else dict(report)
        data["uploaded"] = [Path(p).name for p in paths]
        return JSONResponse(data)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
