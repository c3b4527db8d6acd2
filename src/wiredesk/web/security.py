"""Server hardening as plain ASGI middleware (cheaper than Starlette's BaseHTTPMiddleware on every request).

- :class:`SecurityHeaders`: a strict Content-Security-Policy (scripts, styles, data only from this origin; no
  inline script, no eval, no framing) plus nosniff, no-referrer and friends on every response.
- :class:`UploadGate`: for the write endpoint, checks the bearer token and the declared size *before* the body
  is read, then counts the bytes actually received so a lying or chunked request is cut off at the limit too.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from typing import Any

from starlette.exceptions import HTTPException

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
]


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'; anything else (0.0.0.0, a LAN address, a name) is exposed."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SecurityHeaders:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in HEADERS if h[0] not in names]
                if scope["path"].startswith("/api/") and b"cache-control" not in names:
                    message["headers"].append((b"cache-control", b"no-store"))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def check_token(expected: str | None, authorization: str | None) -> None:
    """Raise 401 (no credentials) or 403 (wrong token, or writes disabled) unless the bearer token matches."""
    if not expected:
        raise HTTPException(403, "uploads are disabled: start the server with --token (or WIREDESK_TOKEN) "
                                 "to allow writes")
    if not authorization or not authorization.lower().startswith("bearer "):
        raise HTTPException(401, "missing token: send 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    given = authorization.split(" ", 1)[1].strip()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(403, "wrong token")


class UploadGate:
    """Token and size checks for ``POST`` on ``paths`` before any body byte is read."""

    def __init__(self, app: Any, token: str | None, max_bytes: int, paths: tuple[str, ...]) -> None:
        self.app = app
        self.token = token
        self.max_bytes = max_bytes
        self.paths = paths

    async def _reply(self, send: Any, status: int, detail: str, extra: list | None = None) -> None:
        body = json.dumps({"status": status, "detail": detail}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())] + (extra or [])})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        try:
            check_token(self.token, headers.get("authorization"))
        except HTTPException as exc:
            extra = [(b"www-authenticate", b"Bearer")] if exc.status_code == 401 else []
            await self._reply(send, exc.status_code, exc.detail, extra)
            return
        declared = headers.get("content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                await self._reply(send, 400, "bad Content-Length header")
                return
            if too_big:
                await self._reply(send, 413, f"upload too large: {int(declared)} bytes; the limit is "
                                             f"{self.max_bytes} bytes")
                return
        received = 0
        limit = self.max_bytes

        async def counted() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Raised inside the route's body parsing: FastAPI re-raises HTTPExceptions from there.
                    raise HTTPException(413, f"upload too large: more than {limit} bytes")
            return message

        await self.app(scope, counted, send)
