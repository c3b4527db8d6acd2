"""The app factory: JSON API, the web desk's static files, error shapes and server-wide safety rules."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from wiredesk.store import Store, StoreBusy, StoreError
from wiredesk.web.access import StoreAccess
from wiredesk.web.pages import EventPages
from wiredesk.web.routes import router
from wiredesk.web.security import SecurityHeaders, UploadGate, is_loopback

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".html": "text/html; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
         ".txt": "text/plain; charset=utf-8", ".png": "image/png", ".ico": "image/x-icon"}


@dataclass
class DeskSettings:
    """What the routes need from the factory (kept on ``app.state.desk``)."""

    db: str
    access: StoreAccess
    token: str | None
    max_upload_bytes: int
    max_upload_files: int
    max_page_size: int


def _load_static() -> dict[str, tuple[bytes, str, str]]:
    """Every file under static/, read once: URL path -> (bytes, content type, etag).

    Requests are answered only by dictionary lookup, so no request path ever reaches the file system: '..',
    encoded slashes or absolute paths simply are not keys.
    """
    files = {}
    for path in sorted(STATIC.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            data = path.read_bytes()
            ctype = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            files[path.relative_to(STATIC).as_posix()] = (data, ctype, hashlib.sha256(data).hexdigest()[:16])
    return files


def sweep_uploads(folder: str | None = None) -> list[Path]:
    """Remove upload folders left by servers that died mid-upload (SIGKILL, power loss): their names carry the
    server's pid; a folder whose process is gone is removed, any other (a live server's, or an unknown name) kept."""
    import os
    import shutil
    import tempfile

    from wiredesk.web.routes import UPLOAD_PREFIX

    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob(f"{UPLOAD_PREFIX}*-*"):
        try:
            pid = int(path.name[len(UPLOAD_PREFIX):].split("-", 1)[0])
        except ValueError:
            continue
        if pid == os.getpid() or pid <= 0:
            continue
        try:
            os.kill(pid, 0)
            continue  # alive (or the pid was reused): keep
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        except OSError:
            continue
    if removed:
        log.info("removed %d upload folder(s) left by stopped servers", len(removed))
    return removed


def _prepare_store(db: str) -> None:
    """Create or migrate the store once, so that read-only handles can open it; skip if someone writes now."""
    try:
        Store(db).close()
    except StoreBusy:
        log.info("store %s is busy at start-up; reads will answer 503 until the writer finishes", db)
    except StoreError as exc:
        log.warning("store %s: %s", db, exc)


class DeskAPI(FastAPI):
    """FastAPI, except that ``GET /api/events`` is first offered to :class:`wiredesk.web.pages.EventPages`: a page
    answered from memory skips FastAPI's middleware stack and routing, most of the cost of such a request."""

    event_pages: EventPages | None = None

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if self.event_pages is not None and await self.event_pages.answer(scope, send):
            return
        await super().__call__(scope, receive, send)


def create_app(db: str, host: str = "127.0.0.1", token: str | None = None, *,
               max_upload_bytes: int = 50 * 1024 * 1024, max_upload_files: int = 200,
               max_page_size: int = 500, idle_release: float = 2.0, record_cache_mb: int = 256,
               page_cache_mb: int = 64, memory_pages: bool = True) -> FastAPI:
    """The HTTP API (``/api/...``, OpenAPI at ``/api/openapi.json``) and the web desk (``/``) over store ``db``.

    A server bound beyond loopback must have a ``token`` (ValueError otherwise); writes always need it.
    ``max_upload_bytes`` caps one upload request, ``max_page_size`` every list's ``limit``; ``idle_release`` is how
    long the read handle stays open after the last request (see ``wiredesk.web.access``); ``record_cache_mb``
    bounds the in-memory cache of event records served by ``GET /api/events`` (see ``wiredesk.web.index``),
    ``page_cache_mb`` the cache of whole ``GET /api/events`` answers (see ``wiredesk.web.access.PageCache``; 0: off).
    ``GET /api/events`` is answered from memory before routing whenever it can be (``wiredesk.web.pages``;
    ``memory_pages=False`` leaves every page not in the page cache to the route, e.g. to compare the two).

    >>> import tempfile, os
    >>> create_app(os.path.join(tempfile.mkdtemp(), "d.duckdb"), host="0.0.0.0")
    Traceback (most recent call last):
    ...
    ValueError: binding to 0.0.0.0 exposes the store beyond this machine: pass a token (--token or WIREDESK_TOKEN)
    """
    if not is_loopback(host) and not token:
        raise ValueError(f"binding to {host} exposes the store beyond this machine: pass a token "
                         "(--token or WIREDESK_TOKEN)")
    if token is not None and len(token) < 8:
        raise ValueError("token too short: use at least 8 characters")
    _prepare_store(db)
    sweep_uploads()
    access = StoreAccess(db, idle_release=idle_release, record_cache_chars=record_cache_mb * 1024 * 1024,
                         page_cache_bytes=page_cache_mb * 1024 * 1024)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        access.start()  # the same app may be started again after a shutdown (test clients do)
        # Build the event index (and, behind it, the text index and record cache) before the first request asks.
        threading.Thread(target=access.warm, name="wiredesk-warm", daemon=True).start()
        yield
        access.close()

    # Swagger/ReDoc pages load scripts from a CDN and use inline script: both break our CSP and the offline
    # rule, so only the OpenAPI document itself is served.
    app = DeskAPI(title="wiredesk", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="PLOVER event records built from news articles: events, their sources and evidence.")
    app.state.desk = DeskSettings(db=db, access=access, token=token, max_upload_bytes=max_upload_bytes,
                                  max_upload_files=max_upload_files, max_page_size=max_page_size)
    app.include_router(router)
    _errors(app)
    _static(app)
    app.event_pages = EventPages(access, max_page_size, from_index=memory_pages)
    app.add_middleware(UploadGate, token=token, max_bytes=max_upload_bytes, paths=("/api/ingest",))
    app.add_middleware(SecurityHeaders)
    return app


def app_from_env() -> FastAPI:
    """App factory for ``uvicorn --factory wiredesk.web.app:app_from_env`` (several worker processes).

    Reads WIREDESK_DB, WIREDESK_HOST (the address uvicorn binds, for the token rule), WIREDESK_TOKEN,
    WIREDESK_RECORD_CACHE_MB, WIREDESK_PAGE_CACHE_MB and WIREDESK_MEMORY_PAGES (0: no in-memory pages).
    Each worker opens its own read-only handle: DuckDB allows many reading processes.
    """
    import os

    return create_app(os.environ.get("WIREDESK_DB", "wiredesk.duckdb"), host=os.environ.get("WIREDESK_HOST", "127.0.0.1"),
                      token=os.environ.get("WIREDESK_TOKEN") or None,
                      record_cache_mb=int(os.environ.get("WIREDESK_RECORD_CACHE_MB", "256")),
                      page_cache_mb=int(os.environ.get("WIREDESK_PAGE_CACHE_MB", "64")),
                      memory_pages=os.environ.get("WIREDESK_MEMORY_PAGES", "1") != "0")


def _message(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"status": status, "detail": detail}, status_code=status, headers=headers)


def _errors(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = "not found"
        return _message(exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
        return JSONResponse({"status": 422, "detail": "bad request: " + "; ".join(parts)}, status_code=422)

    @app.exception_handler(StoreBusy)
    async def busy(_: Request, exc: StoreBusy) -> JSONResponse:
        return _message(503, str(exc), {"Retry-After": "2"})

    @app.exception_handler(StoreError)
    async def store_error(_: Request, exc: StoreError) -> JSONResponse:
        return _message(503, str(exc), {"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def crash(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return _message(500, f"internal error ({type(exc).__name__}); see the server log")


def _static(app: FastAPI) -> None:
    files = _load_static()

    def serve(name: str, request: Request) -> Response:
        entry = files.get(name)
        if entry is None:
            return _message(404, "not found")
        data, ctype, etag = entry
        headers = {"ETag": f'"{etag}"', "Cache-Control": "no-cache"}
        if request.headers.get("if-none-match") == f'"{etag}"':
            return Response(status_code=304, headers=headers)
        return Response(data, media_type=ctype, headers=headers)

    @app.get("/", include_in_schema=False)
    def index(request: Request) -> Response:
        return serve("index.html", request)

    @app.get("/static/{name:path}", include_in_schema=False)
    def static(name: str, request: Request) -> Response:
        return serve(name, request)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon(request: Request) -> Response:
        return serve("favicon.svg", request)
