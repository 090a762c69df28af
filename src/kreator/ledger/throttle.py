"""Failed sign-ins, throttled per account and per address, kept in the database so every
server process sees the same counts.

A key (``user:NAME`` or ``addr:1.2.3.4``) with ``limit`` failures inside the last ``window``
is refused until the oldest of them leaves the window: a real user waits at most ``window``,
never locked out for good. The clock is a parameter, so tests need not sleep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from kreator.ledger.account_models import LoginFailure
from kreator.ledger.models import utcnow
from kreator.ledger.repo import Ledger

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class Throttle:
    """``limit`` failures per key within ``window``; ``clock`` gives naive UTC now."""

    limit: int = 10
    window: dt.timedelta = dt.timedelta(minutes=15)
    clock: Clock = utcnow

    def retry_after(self, ledger: Ledger, keys: Iterable[str]) -> int:
        """Seconds to wait before another try with these keys (0: go ahead)."""
        now = self.clock()
        start = now - self.window
        wait = 0
        with ledger.read() as s:
            for key in keys:
                rows = s.execute(select(func.count(), func.min(LoginFailure.at))
                                 .where(LoginFailure.key == key, LoginFailure.at > start)).one()
                count, oldest = rows
                if count >= self.limit and oldest is not None:
                    wait = max(wait, int((oldest + self.window - now).total_seconds()) + 1)
        return wait

    def failed(self, ledger: Ledger, keys: Iterable[str]) -> None:
        """Count one failure for each key (and forget those older than the window)."""
        now = self.clock()
        with ledger.write() as s:
            s.execute(delete(LoginFailure).where(LoginFailure.at <= now - self.window))
            s.add_all(LoginFailure(key=key[:200], at=now) for key in keys)

    def succeeded(self, ledger: Ledger, account_key: str) -> None:
        """A right password clears the account's count (not the address's)."""
        with ledger.write() as s:
            s.execute(delete(LoginFailure).where(LoginFailure.key == account_key))


def keys_for(name: str, address: str) -> tuple[str, str]:
    return f"user:{name.strip().lower()}", f"addr:{address}"
