"""The ledger's storage: migrations, connection settings, creators, manual entries, recovery."""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from kreator.core.errors import CurrencyError, LedgerError
from kreator.core.events import IncomeEvent
from kreator.ledger import EventFilter, open_ledger
from kreator.ledger.db import head_revision, resolve_url
from kreator.ledger.models import ImportRun, utcnow
from test_ledger_support import BACKENDS, fresh_db


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_db(request.param, tmp_path)


def ev(key: str, amount: str = "12.50", currency: str = "USD", stream: str = "creator_rewards",
       day: dt.date = dt.date(2026, 4, 30), **kw: object) -> IncomeEvent:
    return IncomeEvent(day, stream, Decimal(amount), currency, "manual", key, **kw)  # type: ignore[arg-type]


def test_a_new_ledger_is_migrated_to_head(url: str) -> None:
    with open_ledger(url) as ledger, ledger.engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        tables = set(inspect(conn).get_table_names())
    assert version == head_revision()
    assert {"creator", "income_event", "import_run", "import_file", "profile_snapshot",
            "estimate_snapshot", "calibration"} <= tables


def test_sqlite_settings_wal_full_sync_foreign_keys(tmp_path: Path) -> None:
    with open_ledger(str(tmp_path / "l.sqlite")) as ledger, ledger.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with pytest.raises(Exception, match="FOREIGN KEY"):
            conn.execute(text("INSERT INTO income_event (creator_id, date, stream, amount_minor,"
                              " currency, source, natural_key, note, details, created_at, "
                              "updated_at) VALUES (999, '2026-01-01', 'other', 1, 'USD', 'x', "
                              "'k', '', '{}', '2026-01-01', '2026-01-01')"))


def test_db_is_chosen_by_flag_then_env_then_default(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    monkeypatch.setenv("KREATOR_DB", str(tmp_path / "env.sqlite"))
    assert resolve_url(str(tmp_path / "flag.sqlite")).database == str(tmp_path / "flag.sqlite")
    assert resolve_url(None).database == str(tmp_path / "env.sqlite")
    monkeypatch.delenv("KREATOR_DB")
    assert resolve_url(None).database.endswith(os.path.join("kreator", "ledger.sqlite"))
    assert resolve_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    with pytest.raises(LedgerError, match="unsupported database"):
        resolve_url("mysql://u@h/db")


def test_unreachable_server_is_one_clear_error() -> None:
    with pytest.raises(LedgerError, match=r"cannot open the ledger at postgresql\+psycopg://"
                                          r"u:\*\*\*@127.0.0.1:9/nope"):
        open_ledger("postgresql://u:secret@127.0.0.1:9/nope")


def test_add_is_idempotent_by_key_and_creators_are_separate(url: str) -> None:
    with open_ledger(url) as ledger:
        first, created = ledger.add("maja", ev("payout-04"))
        again, created_again = ledger.add("maja", ev("payout-04", "99.00"))
        other, other_created = ledger.add("olle", ev("payout-04"))
        assert (created, created_again, other_created) == (True, False, True)
        assert again.id == first.id and again.amount == Decimal("12.50")
        assert other.id != first.id
        assert ledger.creators() == ["maja", "olle"]
        assert [e.natural_key for e in ledger.events(EventFilter("olle"))] == ["payout-04"]
        with pytest.raises(LedgerError, match="several creators"):
            ledger.creator_id(None)


def test_list_filters(url: str) -> None:
    with open_ledger(url) as ledger:
        ledger.add("maja", ev("a", day=dt.date(2026, 1, 5)))
        ledger.add("maja", ev("b", "100", "SEK", "sponsorship", dt.date(2026, 2, 5)))
        ledger.add("maja", ev("c", day=dt.date(2026, 3, 5)))
        keys = lambda f: [e.natural_key for e in ledger.events(f)]  # noqa: E731
        assert keys(EventFilter("maja", since=dt.date(2026, 2, 1))) == ["b", "c"]
        assert keys(EventFilter("maja", until=dt.date(2026, 2, 28))) == ["a", "b"]
        assert keys(EventFilter("maja", streams=["sponsorship"])) == ["b"]
        assert keys(EventFilter("maja", currency="sek")) == ["b"]
        assert keys(EventFilter("maja", limit=1)) == ["a"]
        with pytest.raises(LedgerError, match="no creator 'bob'"):
            ledger.events(EventFilter("bob"))


@pytest.mark.parametrize(("event", "error", "field"), [
    (ev("k", "12.505"), LedgerError, "amount"),
    (ev("k", "1.5", "JPY"), LedgerError, "amount"),
    (ev("k", currency="USX"), CurrencyError, "currency"),
    (ev("k", stream="tips"), LedgerError, "stream"),
    (ev(" "), LedgerError, "natural_key"),
    (ev("k", day=dt.date(1999, 12, 31)), LedgerError, "date"),
    (ev("k", fx_rate=Decimal("1.1")), LedgerError, "original_amount"),
])
def test_bad_entries_are_refused_naming_the_field(tmp_path: Path, event: IncomeEvent,
                                                  error: type[Exception], field: str) -> None:
    with open_ledger(str(tmp_path / "l.sqlite")) as ledger:
        with pytest.raises(error) as info:
            ledger.add("maja", event)
        assert info.value.field == field  # type: ignore[attr-defined]
        assert ledger.count() == 0


def test_converted_amount_keeps_original_rate_source_and_date(url: str) -> None:
    event = ev("deal-7", "2204.004", "SEK", "sponsorship", original_amount=Decimal("200.00"),
               original_currency="EUR", fx_rate=Decimal("11.02002"), fx_source="bank statement",
               fx_date="2026-05-02")
    with open_ledger(url) as ledger:
        view, _ = ledger.add("maja", event)
        back = ledger.events()[0]
    assert view == back
    assert back.amount == Decimal("2204.00")  # rounded half-even to the krona's 2 decimals
    assert (back.original_amount, back.original_currency) == (Decimal("200.00"), "EUR")
    assert back.fx_rate == Decimal("11.02002")
    assert (back.fx_source, back.fx_date) == ("bank statement", "2026-05-02")


def _stuck_run(url: str, host: str, pid: int, beat_age: dt.timedelta) -> int:
    with open_ledger(url) as ledger:
        cid, _ = ledger.creator_id("maja", create=True)
        with ledger.write() as s:
            run = ImportRun(creator_id=cid, status="running", host=host, pid=pid,
                            heartbeat_at=utcnow() - beat_age)
            s.add(run)
            s.flush()
            return run.id


def test_recover_marks_only_dead_runs_aborted(url: str) -> None:
    host = socket.gethostname()
    dead = _stuck_run(url, host, 2**22 + 12345, dt.timedelta(0))  # above pid_max: never alive
    alive = _stuck_run(url, host, os.getpid(), dt.timedelta(hours=2))
    remote_stale = _stuck_run(url, "elsewhere", 1, dt.timedelta(minutes=11))
    remote_fresh = _stuck_run(url, "elsewhere", 1, dt.timedelta(minutes=1))
    with open_ledger(url) as ledger:
        status = {r["id"]: r["status"] for r in ledger.runs()}
    assert status[dead] == status[remote_stale] == "aborted"
    assert status[alive] == status[remote_fresh] == "running"
