"""Sign-in sessions and server secrets, kept in the ledger database so that every server
process (``kreator serve --workers N``) sees the same ones.

A session id is 32 random bytes given to the browser once; the database keeps only its
SHA-256. Every sign-in makes a new id (a session id set before sign-in is never promoted:
no fixation); signing out, a password change and removing the user delete sessions at once.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kreator.ledger import db
from kreator.ledger.account_models import ApiToken, ServerSecret, User, UserCreator, WebSession
from kreator.ledger.accounts import Account, digest
from kreator.ledger.models import utcnow
from kreator.ledger.repo import Ledger

SESSION_HOURS = 12


def _account(s: Session, user: User) -> Account:
    ids = s.scalars(select(UserCreator.creator_id).where(UserCreator.user_id == user.id))
    return Account(user.id, user.name, user.role, frozenset(ids))


def new_session(ledger: Ledger, user_id: int, replaces: str | None = None,
                now: dt.datetime | None = None) -> str:
    """A fresh session id for the user (the one it ``replaces``, if any, ends; expired
    sessions are swept)."""
    sid = secrets.token_urlsafe(32)
    start = now or utcnow()
    with ledger.write() as s:
        s.execute(delete(WebSession).where(WebSession.expires_at <= start))
        if replaces:
            s.execute(delete(WebSession).where(WebSession.id_hash == digest(replaces)))
        s.add(WebSession(id_hash=digest(sid), user_id=user_id, created_at=start,
                         expires_at=start + dt.timedelta(hours=SESSION_HOURS)))
    return sid


def session_account(ledger: Ledger, sid: str, now: dt.datetime | None = None
                    ) -> Account | None:
    """The signed-in account for session id ``sid``, or None (unknown, ended or expired)."""
    if not sid or len(sid) > 200:
        return None
    with ledger.read() as s:
        user = s.scalar(select(User).join(WebSession, WebSession.user_id == User.id)
                        .where(WebSession.id_hash == digest(sid),
                               WebSession.expires_at > (now or utcnow())))
        return None if user is None else _account(s, user)


def end_session(ledger: Ledger, sid: str) -> None:
    with ledger.write() as s:
        s.execute(delete(WebSession).where(WebSession.id_hash == digest(sid)))


def token_account(ledger: Ledger, token: str, now: dt.datetime | None = None
                  ) -> Account | None:
    """The account of an API token that is known, not revoked and not expired (two index
    probes; the same check :func:`kreator.ledger.accounts.check_token` makes)."""
    if not token or len(token) > 200:
        return None
    moment = now or utcnow()
    with ledger.read() as s:
        row = s.execute(select(User, ApiToken.revoked_at, ApiToken.expires_at)
                        .join(ApiToken, ApiToken.user_id == User.id)
                        .where(ApiToken.token_hash == digest(token))).first()
        if row is None or row[1] is not None or (row[2] is not None and row[2] <= moment):
            return None
        return _account(s, row[0])


def server_secret(ledger: Ledger, name: str) -> bytes:
    """The server's secret ``name`` (32 random bytes made on first use, then kept)."""
    with ledger.read() as s:
        value = s.scalar(select(ServerSecret.value).where(ServerSecret.name == name))
    if value is None:
        stmt = db.upsert(ledger.dialect, ServerSecret).values(
            name=name, value=secrets.token_hex(32)).on_conflict_do_nothing(
            index_elements=["name"])
        with ledger.write() as s:
            s.execute(stmt)
            value = s.scalars(select(ServerSecret.value).where(ServerSecret.name == name)).one()
    return bytes.fromhex(value)
