"""Users, roles, API tokens and the audit log, kept in the ledger database.

Library first: ``kreator users|tokens|audit`` and the web server are thin layers over this.
Passwords are hashed with Argon2id (argon2-cffi); a token is shown once and stored as its
SHA-256 (a token is 32 random bytes, so a fast hash is enough and lookups stay O(1)).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from kreator.core.errors import LedgerError
from kreator.ledger.account_models import (
    ROLES,
    ApiToken,
    AuditEntry,
    User,
    UserCreator,
    WebSession,
)
from kreator.ledger.models import Creator, utcnow
from kreator.ledger.repo import Ledger

TOKEN_PREFIX = "krt_"


@dataclass(frozen=True)
class Account:
    """A user as the server sees it: who, which role, which creators (ids)."""

    id: int
    name: str
    role: str
    creators: frozenset[int]

    def sees(self, creator_id: int) -> bool:
        return self.role == "admin" or creator_id in self.creators


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()  # Argon2id with the library's current (RFC 9106) parameters


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise LedgerError("a password must be at least 8 characters.", field="password",
                          fix="choose a longer one.", key="password_short")
    return str(_hasher().hash(password))


def verify_password(stored: str | None, password: str) -> bool:
    """True when ``password`` matches; with no stored hash, a dummy check of the same cost
    runs, so an unknown user and a wrong password take the same time."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    try:
        return bool(hasher.verify(stored or _DUMMY.get(hasher), password)) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


class _Dummy:
    value: str | None = None

    def get(self, hasher: Any) -> str:
        if self.value is None:
            self.value = str(hasher.hash(secrets.token_hex(16)))
        return self.value


_DUMMY = _Dummy()


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def count_users(ledger: Ledger) -> int:
    from sqlalchemy import func

    with ledger.read() as s:
        return int(s.scalar(select(func.count()).select_from(User)) or 0)


def _no_user(name: str) -> LedgerError:
    return LedgerError(f"no user '{name}'.", field="user", fix="see kreator users list.",
                       key="no_such_user", params={"name": name})


def _creator_ids(ledger: Ledger, creators: Iterable[str]) -> list[int]:
    return [ledger.creator_id(c, create=True)[0] for c in creators]


def _check_role(role: str, creators: list[str]) -> None:
    if role not in ROLES:
        raise LedgerError(f"no role '{role}'.", field="role", fix="use admin, manager or creator.",
                          key="bad_role", params={"role": role})
    if role == "creator" and len(creators) != 1:
        raise LedgerError("a creator user has exactly one creator.", field="creator",
                          fix="give --creator ID once.", key="creator_user_one")


def add_user(ledger: Ledger, name: str, role: str, password: str,
             creators: Iterable[str] = ()) -> int:
    names = list(creators)
    _check_role(role, names)
    if not name.strip() or len(name) > 120:
        raise LedgerError("a user name must be 1-120 characters.", field="name",
                          fix="give another name.", key="user_name")
    hashed = hash_password(password)
    ids = _creator_ids(ledger, names)
    try:
        with ledger.write() as s:
            user = User(name=name.strip(), role=role, password_hash=hashed)
            s.add(user)
            s.flush()
            s.add_all(UserCreator(user_id=user.id, creator_id=c) for c in ids)
            return user.id
    except IntegrityError:
        raise LedgerError(f"user '{name}' exists already.", field="name",
                          fix="choose another name, or kreator users passwd.",
                          key="user_exists", params={"name": name}) from None


def _user(s: Any, name: str) -> User:
    user = s.scalar(select(User).where(User.name == name))
    if user is None:
        raise _no_user(name)
    return user  # type: ignore[no-any-return]


def list_users(ledger: Ledger) -> list[dict[str, Any]]:
    with ledger.read() as s:
        users = list(s.scalars(select(User).order_by(User.name)))
        pairs = s.execute(select(UserCreator.user_id, Creator.name)
                          .join(Creator, Creator.id == UserCreator.creator_id)).all()
    by_user: dict[int, list[str]] = {}
    for uid, cname in pairs:
        by_user.setdefault(uid, []).append(cname)
    return [{"name": u.name, "role": u.role, "creators": sorted(by_user.get(u.id, [])),
             "created_at": u.created_at.isoformat(timespec="seconds")} for u in users]


def remove_user(ledger: Ledger, name: str) -> None:
    """Removes the user, their tokens and sessions (ending them at once)."""
    with ledger.write() as s:
        user = _user(s, name)
        for table in (WebSession, ApiToken, UserCreator):
            s.execute(delete(table).where(table.user_id == user.id))
        s.delete(user)


def set_password(ledger: Ledger, name: str, password: str) -> None:
    """New password; every session of the user ends."""
    hashed = hash_password(password)
    with ledger.write() as s:
        user = _user(s, name)
        user.password_hash = hashed
        s.execute(delete(WebSession).where(WebSession.user_id == user.id))


def assign(ledger: Ledger, name: str, creators: Iterable[str]) -> None:
    """The user's creators become exactly ``creators``."""
    names = list(creators)
    with ledger.read() as s:
        role = _user(s, name).role
    _check_role(role, names)
    ids = _creator_ids(ledger, names)
    with ledger.write() as s:
        user = _user(s, name)
        s.execute(delete(UserCreator).where(UserCreator.user_id == user.id))
        s.add_all(UserCreator(user_id=user.id, creator_id=c) for c in ids)


def account(ledger: Ledger, user_id: int) -> Account | None:
    with ledger.read() as s:
        user = s.get(User, user_id)
        if user is None:
            return None
        ids = s.scalars(select(UserCreator.creator_id).where(UserCreator.user_id == user_id))
        return Account(user.id, user.name, user.role, frozenset(ids))


def check_login(ledger: Ledger, name: str, password: str) -> Account | None:
    """The account when name and password match; None otherwise (same cost either way)."""
    with ledger.read() as s:
        user = s.scalar(select(User).where(User.name == name))
        stored = user.password_hash if user else None
        uid = user.id if user else None
    if not verify_password(stored, password) or uid is None:
        return None
    return account(ledger, uid)


def create_token(ledger: Ledger, name: str, days: int | None = None,
                 now: dt.datetime | None = None) -> tuple[int, str]:
    """(id, token): the token is returned once and stored only as its hash."""
    if days is not None and days < 1:
        raise LedgerError("--expires must be at least 1 day.", field="expires",
                          fix="give a number of days, e.g. --expires 90.", key="token_days")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    start = now or utcnow()
    with ledger.write() as s:
        user = _user(s, name)
        row = ApiToken(user_id=user.id, token_hash=digest(token), prefix=token[:10],
                       created_at=start,
                       expires_at=None if days is None else start + dt.timedelta(days=days))
        s.add(row)
        s.flush()
        return row.id, token


def list_tokens(ledger: Ledger, user: str | None = None) -> list[dict[str, Any]]:
    query = select(ApiToken, User.name).join(User, User.id == ApiToken.user_id)
    if user is not None:
        query = query.where(User.name == user)
    with ledger.read() as s:
        if user is not None:
            _user(s, user)
        rows = s.execute(query.order_by(ApiToken.id)).all()

    def when(value: dt.datetime | None) -> str | None:
        return None if value is None else value.isoformat(timespec="seconds")

    return [{"id": t.id, "user": uname, "prefix": t.prefix, "created_at": when(t.created_at),
             "expires_at": when(t.expires_at), "revoked_at": when(t.revoked_at)}
            for t, uname in rows]


def revoke_token(ledger: Ledger, token_or_id: str) -> int:
    """Revokes one token, given as itself or its id; returns the id."""
    column = ApiToken.id if token_or_id.isdigit() else ApiToken.token_hash
    key: Any = int(token_or_id) if token_or_id.isdigit() else digest(token_or_id)
    with ledger.write() as s:
        row = s.scalar(select(ApiToken).where(column == key))
        if row is None:
            raise LedgerError("no such token.", field="token", fix="see kreator tokens list.",
                              key="no_such_token")
        row.revoked_at = row.revoked_at or utcnow()
        return row.id


def revoke_all(ledger: Ledger, name: str) -> int:
    with ledger.write() as s:
        user = _user(s, name)
        result = s.execute(update(ApiToken).where(ApiToken.user_id == user.id,
                                                  ApiToken.revoked_at.is_(None))
                           .values(revoked_at=utcnow()))
        return int(getattr(result, "rowcount", 0) or 0)


def check_token(ledger: Ledger, token: str, now: dt.datetime | None = None) -> Account | None:
    """The token's account if it is known, not revoked and not expired."""
    moment = now or utcnow()
    with ledger.read() as s:
        row = s.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
        if row is None or row.revoked_at is not None or (
                row.expires_at is not None and row.expires_at <= moment):
            return None
        uid = row.user_id
    return account(ledger, uid)


def audit(ledger: Ledger, actor: str, action: str, address: str = "",
          **detail: Any) -> None:
    with ledger.write() as s:
        s.add(AuditEntry(actor=actor, action=action, address=address[:64], detail=detail))


def read_audit(ledger: Ledger, since: dt.datetime | None = None) -> list[dict[str, Any]]:
    query = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    with ledger.read() as s:
        return [{"at": e.at.isoformat(timespec="seconds"), "actor": e.actor,
                 "address": e.address, "action": e.action, "detail": e.detail}
                for e in s.scalars(query)]


def sign_in(ledger: Ledger, name: str, password: str, address: str,
            throttle: Any) -> tuple[Account | None, int]:
    """(account or None, seconds to wait). Throttled tries are not checked at all; every try
    is audited (``signin.ok``, ``signin.failed``, ``signin.throttled``)."""
    from kreator.ledger.throttle import keys_for

    keys = keys_for(name, address)
    wait = throttle.retry_after(ledger, keys)
    if wait:
        audit(ledger, name[:120], "signin.throttled", address)
        return None, wait
    who = check_login(ledger, name, password)
    if who is None:
        throttle.failed(ledger, keys)
        audit(ledger, name[:120], "signin.failed", address)
        return None, 0
    throttle.succeeded(ledger, keys[0])
    audit(ledger, who.name, "signin.ok", address)
    return who, 0
