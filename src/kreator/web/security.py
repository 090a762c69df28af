"""Defences for a local app that may end up exposed.

- :class:`HostGuard`: the Host header must name an allowed host, else 400 (a page on another
  site that re-points its DNS name at 127.0.0.1 cannot talk to us: DNS rebinding).
- :class:`BodyLimit`: a body over the limit gets 413. A declared Content-Length over it is
  refused before one byte is read; a chunked body is counted as it streams and stopped at
  the limit, so memory stays flat whatever is sent.
- :func:`csrf_protect`: a POST a browser could send from another site without asking
  (a form or ``text/plain`` body, or no body type) needs the CSRF token: the form field
  ``csrf_token`` or the ``X-CSRF-Token`` header, an HMAC of the ``kreator_csrf`` cookie.
  JSON and other bodies need a CORS preflight from another origin, and the app has no CORS.
- :class:`SecurityHeaders`: a strict Content-Security-Policy (scripts and styles only from
  this server: no inline script, no CDN), no framing, no sniffing, no referrer to other sites.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Any

from fastapi import Request
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kreator.web.errors import BadHost, BodyTooLarge, CsrfFailed, ErrorDetail, error_response

CSRF_COOKIE = "kreator_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SIMPLE_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain", "")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")


def host_name(value: str) -> str:
    """``example.org:8000`` -> ``example.org``; ``[::1]:8000`` -> ``::1``; lower case."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class HostGuard:
    """Answer only requests whose Host header is on the allow-list."""

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = frozenset(h.lower() for h in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = Headers(scope=scope).get("host", "")
        if host_name(host) in self.allowed:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        exc = BadHost(f"this server does not answer to the host name '{host[:100]}'.",
                      field="Host", fix="open it at http://127.0.0.1 or start kreator serve "
                      "with --allow-host NAME.")
        detail = ErrorDetail(code=exc.code, message=exc.render(), field="Host", fix=exc.fix)
        await error_response(Request(scope, receive), 400, detail)(scope, receive, send)


class BodyLimit:
    """Refuse request bodies over ``limit_for(path)`` bytes with 413, streaming."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(scope, receive, send, limit)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send, limit)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        exc = BodyTooLarge(limit)
        detail = ErrorDetail(code="too_large", message=str(exc.detail),
                             fix="send a smaller file, or split the export.")
        await error_response(Request(scope, receive), 413, detail)(scope, receive, send)


class SecurityHeaders:
    """Add the headers every response carries (a response may set its own CSP)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", CSP)
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("x-frame-options", "DENY")
                headers.setdefault("referrer-policy", "same-origin")  # Origin stays on our posts
                headers.setdefault("cross-origin-opener-policy", "same-origin")
                headers.setdefault("cross-origin-resource-policy", "same-origin")
            await send(message)

        await self.app(scope, receive, with_headers)


def csrf_secret(state: Any) -> bytes:
    """The key CSRF tokens are signed with: the database's (the same in every worker process
    and after a restart) once a ledger database exists, else this process's own. Chosen once
    per process."""
    key = getattr(state, "csrf_secret", None)
    if key is None:
        from kreator.web.auth import _ledger_if_any

        ledger = _ledger_if_any(state)
        if ledger is None:
            key = state.settings.secret
        else:
            from kreator.ledger.sessions import server_secret

            key = server_secret(ledger, "csrf")
        state.csrf_secret = key
    return bytes(key)


def sign(secret: bytes, cookie: str) -> str:
    return hmac.new(secret, cookie.encode("utf-8"), hashlib.sha256).hexdigest()


def csrf_pair(request: Request) -> tuple[str, str, bool]:
    """(cookie value, form token, whether the cookie is new and must be set)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    fresh = len(cookie) < 32
    if fresh:
        cookie = secrets.token_urlsafe(32)
    return cookie, sign(csrf_secret(request.app.state), cookie), fresh


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: refuse cross-site-sendable POSTs without a valid token (403)."""
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("origin")
    allowed = request.app.state.settings.allowed_hosts
    if origin is not None and host_name(origin.split("://", 1)[-1]) not in allowed:
        raise CsrfFailed(f"a request from another site ({origin[:100]}) is not accepted.",
                         field="Origin", fix="use the page this server shows.")
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in SIMPLE_TYPES:
        return
    token = request.headers.get(CSRF_HEADER)
    if token is None and ctype in SIMPLE_TYPES[:2]:
        value = (await request.form()).get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    cookie = request.cookies.get(CSRF_COOKIE, "")
    expected = sign(csrf_secret(request.app.state), cookie)
    if not token or not cookie or not hmac.compare_digest(token, expected):
        if request.url.path.startswith("/api/"):
            raise CsrfFailed(f"a POST with a body of type '{ctype or 'none'}' needs the CSRF "
                             "token.", field="Content-Type",
                             fix="send JSON with Content-Type: application/json.")
        raise CsrfFailed("the form's security token is missing or out of date.",
                         field=CSRF_FIELD, fix="reload the page and send the form again.")
