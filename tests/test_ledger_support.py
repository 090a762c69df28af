"""Helpers for the ledger tests: real databases (a SQLite file; PostgreSQL when reachable).

``KREATOR_TEST_PG_URL`` (set by .ci/setup-postgres.sh) names a PostgreSQL database whose role
may create databases; each test gets a fresh database of its own, dropped afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from kreator.core.events import IncomeEvent

PG_URL = os.environ.get("KREATOR_TEST_PG_URL", "")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL, reason="KREATOR_TEST_PG_URL is not set (source .ci/setup-postgres.sh)"))]
DATA = Path(__file__).parent / "data" / "ledger"


def test_backends_listed() -> None:
    assert BACKENDS[0] == "sqlite"


def fresh_db(backend: str, tmp_path: Path) -> Iterator[str]:
    """A URL of a new, empty database on ``backend``; removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.sqlite'}"
        return
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(PG_URL)
    name = "kreator_t_" + uuid.uuid4().hex[:12]
    dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop(dsn, name)


def _drop(dsn: str, name: str) -> None:
    """DROP DATABASE ... WITH (FORCE), which ends our own sessions but may not end an autovacuum
    worker that happens to be in the database (InsufficientPrivilege): it is gone in a moment."""
    import psycopg

    for attempt in range(100):  # a bound on waiting, not a timed assertion
        try:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            if attempt == 99:
                raise
            time.sleep(0.1)


@dataclass
class FakeFile:
    """An importer result as ``kreator.importers`` gives it (path, hash, counts, events)."""

    path: str
    events: list[IncomeEvent]
    importer: str = "test.events"
    rows_rejected: int = 0
    sha256: str = ""
    rows_in: int = 0
    rows_ok: int = 0
    rejects: list[object] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rows_in = self.rows_in or len(self.events) + self.rows_rejected
        self.rows_ok = self.rows_in - self.rows_rejected
        if not self.sha256:
            text = "|".join(f"{e.natural_key}:{e.amount}" for e in self.events)
            self.sha256 = hashlib.sha256(text.encode()).hexdigest()


def shop_events(n: int, *, start: int = 0, currency: str = "USD") -> list[IncomeEvent]:
    """``n`` Shop commissions with keys o<start>.. and amounts i/100 spread over 2026."""
    return [IncomeEvent(dt.date(2026, 1 + (i % 12), 1 + (i % 28)), "tiktok_shop",
                        Decimal(i) / 100, currency, "test.shop", f"o{i}",
                        note=f"order {i}", details={"row": str(i + 2)})
            for i in range(start, start + n)]
