"""Brute force against one account: 1,000 wrong passwords end in refusals with a wait, and the
real password works once the wait is over (the clock is injected: no sleeping). The counts
live in the database, so a second process (here: a second ledger connection) sees them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kreator.ledger import accounts, open_ledger
from kreator.ledger.throttle import Throttle
from test_ledger_support import BACKENDS, fresh_db

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2030, 1, 1, 12, 0)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_db(request.param, tmp_path)


def test_thousand_wrong_passwords_are_throttled_and_the_real_one_works_after(url: str) -> None:
    clock = Clock()
    throttle = Throttle(limit=10, window=dt.timedelta(minutes=15), clock=clock)
    with open_ledger(url) as ledger, open_ledger(url) as other:
        accounts.add_user(ledger, "ada", "admin", PASSWORD)
        waits = []
        for i in range(1000):
            who, wait = accounts.sign_in(ledger, "ada", f"guess{i}", "198.51.100.9", throttle)
            assert who is None
            waits.append(wait)
        assert waits[:10] == [0] * 10 and all(0 < w <= 15 * 60 + 1 for w in waits[10:])
        # the other connection (another server process) sees the same throttle
        assert accounts.sign_in(other, "ada", PASSWORD, "203.0.113.1", throttle) == (None,
                                                                                     901)
        # a real user is never locked out for good: after the window the password works
        clock.now += dt.timedelta(minutes=15, seconds=1)
        who, wait = accounts.sign_in(other, "ada", PASSWORD, "198.51.100.9", throttle)
        assert who is not None and who.name == "ada" and wait == 0
        actions = [e["action"] for e in accounts.read_audit(ledger)]
        assert actions.count("signin.failed") == 10 and actions.count("signin.throttled") == 991
        assert actions[-1] == "signin.ok"


def test_per_address_throttle_spans_accounts_and_unknown_users_look_the_same(url: str) -> None:
    clock = Clock()
    throttle = Throttle(limit=3, window=dt.timedelta(minutes=1), clock=clock)
    with open_ledger(url) as ledger:
        accounts.add_user(ledger, "ada", "admin", PASSWORD)
        results = [accounts.sign_in(ledger, name, "wrong password", "192.0.2.5", throttle)
                   for name in ("ada", "nobody", "ghost")]
        assert results == [(None, 0)] * 3  # unknown user and wrong password: the same answer
        assert accounts.sign_in(ledger, "ada", PASSWORD, "192.0.2.5", throttle) == (None, 61)
        who, _ = accounts.sign_in(ledger, "ada", PASSWORD, "192.0.2.6", throttle)
        assert who is not None
