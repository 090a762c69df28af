"""Who is asking: the gate every request passes, and what each account may see.

With no user in the ledger database the app is the single-person app it always was (and
``kreator serve`` keeps it on loopback). As soon as one user exists, every page and API route
needs a signed-in session (cookie ``kreator_session``) or ``Authorization: Bearer TOKEN``;
only ``/login`` and ``/static/`` are open. Once a process has seen a user it never goes back
to the open mode (removing the last user locks the server until it is restarted).

Ledger data is scoped in :func:`visible_creator`: an admin sees every creator, a manager the
creators assigned to them, a creator user their own. Any other name answers 404 with the same
words as a creator that does not exist, listing only the creators the user may see.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from kreator.core.errors import KreatorError, LedgerError, Phrase
from kreator.ledger.accounts import Account
from kreator.web.errors import NotFound, Unauthorized, error_response, kreator_detail, page_lang

SESSION_COOKIE = "kreator_session"
OPEN_PATHS = ("/login",)
OPEN_PREFIXES = ("/static/",)


def ledger_of(state: Any) -> Any:
    """The app's ledger, opened on first use."""
    if getattr(state, "ledger", None) is None:
        from kreator.ledger import open_ledger

        state.ledger = open_ledger(state.settings.db)
    return state.ledger


def _sqlite_file(state: Any) -> Path | None:
    """The ledger's SQLite file (None for a database server), resolved once per app."""
    if not hasattr(state, "sqlite_file"):
        from kreator.ledger.db import resolve_url

        url = resolve_url(state.settings.db)
        state.sqlite_file = (Path(url.database) if url.drivername.startswith("sqlite")
                             and url.database not in (None, "", ":memory:") else None)
    return state.sqlite_file  # type: ignore[no-any-return]


def no_database(state: Any) -> bool:
    """True while the ledger is a SQLite file that does not exist yet: no users, for sure."""
    if getattr(state, "ledger", None) is not None:
        return False
    path = _sqlite_file(state)
    return path is not None and not path.exists()


def _ledger_if_any(state: Any) -> Any:
    """The ledger, unless it is a SQLite file that does not exist yet (then: no users)."""
    return None if no_database(state) else ledger_of(state)


def shared(state: Any) -> bool:
    """True once the ledger holds a user (and from then on, for this process)."""
    if getattr(state, "shared", False):
        return True
    ledger = _ledger_if_any(state)
    if ledger is not None:
        from kreator.ledger.accounts import count_users

        state.shared = count_users(ledger) > 0
    return bool(getattr(state, "shared", False))


def bearer(headers: dict[str, str]) -> str | None:
    value = headers.get("authorization")
    if value is None:
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def identify(state: Any, headers: dict[str, str], cookies: dict[str, str]) -> Account | None:
    """The account behind a token (when the request sends one) or the session cookie."""
    from kreator.ledger import sessions

    token = bearer(headers)
    if token is not None:
        return sessions.token_account(ledger_of(state), token) if token else None
    sid = cookies.get(SESSION_COOKIE)
    return sessions.session_account(ledger_of(state), sid) if sid else None


def _check(state: Any, request: Request) -> tuple[bool, Account | None]:
    if not shared(state):
        return False, None
    return True, identify(state, dict(request.headers), request.cookies)


class Gate:
    """Pure ASGI: puts ``account`` (or None in single-person mode) on ``request.state``;
    answers 401 (API) or a redirect to the login page (a page) when nobody is signed in."""

    def __init__(self, app: ASGIApp, state: Any) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            if not getattr(self.state, "shared", False) and no_database(self.state):
                needed, who = False, None  # no ledger file yet: one stat call, no thread
            else:
                needed, who = await run_in_threadpool(_check, self.state, request)
        except KreatorError as exc:  # the database failing: 503, said once
            from kreator.web.errors import status_of

            response = error_response(request, status_of(exc),
                                      kreator_detail(exc, page_lang(request)))
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})
        scope["state"]["account"] = who
        scope["state"]["shared"] = needed
        path = scope["path"]
        if not needed or who is not None or path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
            await self.app(scope, receive, send)
            return
        await refuse(request)(scope, receive, send)


def refuse(request: Request) -> Any:
    """Nobody signed in: a page (GET) goes to the login page; anything else is 401."""
    is_page = not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", "") and request.method in ("GET", "HEAD")
    if is_page:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    exc = Unauthorized("sign in, or send an API token.", field="Authorization",
                       fix="send Authorization: Bearer TOKEN (kreator tokens create), or "
                       "sign in at /login.", key="signin_needed")
    return error_response(request, 401, kreator_detail(exc, page_lang(request)),
                          {"WWW-Authenticate": 'Bearer realm="kreator"'})


def account_of(request: Request) -> Account | None:
    """The signed-in account; None in single-person mode (no users: everything is yours)."""
    return getattr(request.state, "account", None)


def visible_names(ledger: Any, who: Account) -> list[str]:
    from sqlalchemy import select

    from kreator.ledger.models import Creator

    with ledger.read() as s:
        return list(s.scalars(select(Creator.name).where(Creator.id.in_(who.creators))
                              .order_by(Creator.name)))


def visible_creator(request: Request, ledger: Any, name: str | None) -> str | None:
    """``name`` if the account may see that creator (None: the ledger's default, for an admin
    or in single-person mode; the user's only creator otherwise). 404 for any other name."""
    who = account_of(request)
    if who is None or who.role == "admin":
        return name
    names = visible_names(ledger, who)
    if name is None:
        if len(names) == 1:
            return names[0]
        if names:
            raise LedgerError("this ledger holds several creators.", field="creator",
                              fix=f"give --creator, one of: {', '.join(names)}.",
                              key="several_creators", params={"choices": ", ".join(names)})
        name = ""
    if name.strip() in names:
        return name.strip()
    known = ", ".join(names) or Phrase("none yet", "none_yet")
    raise NotFound(f"no creator '{name}' in the ledger ({known}).", field="creator",
                   fix="check the name, or add income for them first.",
                   key="no_such_creator", params={"name": name, "known": known})


def address(request: Request) -> str:
    return request.client.host if request.client else ""


def actor(request: Request) -> str:
    who = account_of(request)
    return who.name if who is not None else "local"


def audit(request: Request, action: str, **detail: Any) -> None:
    """One audit-log entry for this request: who (``local`` in single-person mode), from
    where, what."""
    from kreator.ledger.accounts import audit as write

    write(ledger_of(request.app.state), actor(request), action, address(request), **detail)
