"""Sign in, sign out, and the audit log page (admins only).

A sign-in makes a brand-new server-side session (the id a browser brought before is never
kept: no session fixation) and a new CSRF cookie. Session cookies are ``HttpOnly`` and
``SameSite=Lax``, and ``Secure`` when the request came over HTTPS (behind a reverse proxy,
uvicorn takes ``X-Forwarded-Proto`` from the proxies it trusts: docs/accounts.md).
Failed sign-ins are throttled per account and per address (429 with ``Retry-After``); an
unknown name and a wrong password get the same answer.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from kreator.web.auth import SESSION_COOKIE, account_of, address, audit, ledger_of
from kreator.web.errors import NotFound
from kreator.web.render import UI, UIDep, page
from kreator.web.security import CSRF_COOKIE

router = APIRouter(include_in_schema=False)


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path on this server only (never ``//other.site``, nor
    a control character or backslash that a browser would drop or turn into one)."""
    if not value or any(ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in value):
        return "/"
    if not value.startswith("/") or value.startswith("//"):
        return "/"
    return value[:2000]


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _form(request: Request, ui: UI, nxt: str, error: str | None, status: int,
          headers: dict[str, str] | None = None) -> Response:
    return page(request, ui, "login.html", {"next": nxt, "error": error, "query": ""},
                status=status, headers=headers)


@router.get("/login")
def login_page(request: Request, ui: UIDep, next: str | None = Query(None, max_length=2000)
               ) -> Response:
    """The sign-in form (with no users there is nothing to sign in to: the app is open)."""
    if not getattr(request.state, "shared", False) or account_of(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _form(request, ui, safe_next(next), None, 200)


@router.post("/login")
async def login(request: Request, ui: UIDep) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    nxt = safe_next(form.get("next"))
    if not getattr(request.state, "shared", False):
        return RedirectResponse(nxt, status_code=303)
    name, password = form.get("name", "")[:120], form.get("password", "")[:1000]
    who, wait = await run_in_threadpool(_sign_in, request, name, password)
    if wait:
        return _form(request, ui, nxt, ui.t("web.login.throttled", seconds=wait), 429,
                     {"Retry-After": str(wait)})
    if who is None:
        return _form(request, ui, nxt, ui.t("web.login.failed"), 401)
    sid = await run_in_threadpool(_new_session, request, who.id)
    response = RedirectResponse(nxt, status_code=303)
    set_session(response, request, sid)
    return response


def _sign_in(request: Request, name: str, password: str) -> tuple[Any, int]:
    from kreator.ledger.accounts import sign_in

    return sign_in(ledger_of(request.app.state), name, password, address(request),
                   request.app.state.throttle)


def _new_session(request: Request, user_id: int) -> str:
    from kreator.ledger.sessions import new_session

    return new_session(ledger_of(request.app.state), user_id,
                       replaces=request.cookies.get(SESSION_COOKIE))


def set_session(response: Response, request: Request, sid: str) -> None:
    """The session cookie, and a fresh CSRF cookie (nothing from before sign-in carries over)."""
    from kreator.ledger.sessions import SESSION_HOURS

    keep = SESSION_HOURS * 3600
    response.set_cookie(SESSION_COOKIE, sid, max_age=keep, path="/", httponly=True,
                        samesite="lax", secure=secure(request))
    response.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(32), httponly=True,
                        samesite="strict", secure=secure(request))


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Sign out: the session ends on the server at once, whatever the browser keeps."""
    from kreator.ledger.sessions import end_session

    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        await run_in_threadpool(end_session, ledger_of(request.app.state), sid)
        if account_of(request) is not None:
            await run_in_threadpool(audit, request, "signout")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=secure(request))
    return response


@router.get("/audit")
def audit_page(request: Request, ui: UIDep,
               since: str | None = Query(None, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
               ) -> Response:
    """The audit log, newest first (admins only; anyone else gets 404)."""
    from kreator.ledger.accounts import read_audit

    who = account_of(request)
    if who is None or who.role != "admin":
        raise NotFound(f"nothing at {request.url.path}.", field="path",
                       fix="go back to the start page.")
    start = dt.datetime.fromisoformat(since) if since else None
    entries = read_audit(ledger_of(request.app.state), start)[-1000:]
    return page(request, ui, "audit.html", {"entries": list(reversed(entries)),
                                            "since": since or "", "query": ""})
