"""Crash safety and concurrency of imports, on real databases.

An import runs in a forked child process that is killed with SIGKILL at a random moment, again
and again on the same ledger. After every kill: the SQLite file passes PRAGMA integrity_check,
the events present are exactly the first whole batches, each run's counters match the events it
wrote, and the next start marks the stuck run ``aborted``. Finally one whole run converges to
exactly the state of an uninterrupted import into a fresh ledger.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from kreator.ledger import open_ledger
from kreator.ledger.importing import import_files
from test_ledger_support import BACKENDS, FakeFile, fresh_db, shop_events

N, BATCH = 1500, 50
KILLS = {"sqlite": 24, "postgresql": 8}


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_db(request.param, tmp_path)


def _fork_import(url: str, n: int = N, batch: int = BATCH) -> int:
    """Start an import of the standard file in a child process; its pid."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        with open_ledger(url) as ledger:
            import_files(ledger, "crash", [FakeFile("orders.csv", shop_events(n))],
                         batch_size=batch)
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


def _wait(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _state(url: str) -> list[tuple[object, ...]]:
    """Every event's identity and money (run ids and timestamps left out)."""
    with open_ledger(url, recover=False) as ledger, ledger.engine.connect() as conn:
        rows = conn.execute(text("SELECT stream, natural_key, date, amount_minor, currency, "
                                 "source, note FROM income_event ORDER BY natural_key"))
        return [tuple(str(v) for v in r) for r in rows]


def _check_after_kill(url: str, keys: list[str]) -> list[int]:
    """Whole batches only, counters consistent; returns the runs left 'running'."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if not os.path.exists(path):
            return []  # killed before the ledger was even created
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    with open_ledger(url, recover=False) as ledger, ledger.engine.connect() as conn:
        present = {r[0] for r in conn.execute(text("SELECT natural_key FROM income_event"))}
        m = len(present)
        assert m % BATCH == 0 or m == len(keys), m
        assert present == set(keys[:m])
        runs = conn.execute(text("SELECT id, status, events_new, batches_done FROM import_run"))
        running = []
        for rid, status, new, batches in runs:
            wrote = conn.execute(text("SELECT count(*) FROM income_event WHERE "
                                      "import_run_id = :r"), {"r": rid}).scalar()
            assert wrote == new, (rid, status, wrote, new)
            assert status in ("running", "done", "aborted")
            if status == "running":
                running.append(rid)
                assert new <= batches * BATCH
        return running


def _timed_full_run(url: str) -> float:
    t0 = time.perf_counter()
    assert _wait(_fork_import(url)) == 0
    return time.perf_counter() - t0


def test_sigkill_at_random_points_then_converge(url: str, tmp_path: Path) -> None:
    backend = "sqlite" if url.startswith("sqlite") else "postgresql"
    reference = f"sqlite:///{tmp_path / 'reference.sqlite'}"
    full = _timed_full_run(reference)
    keys = [e.natural_key for e in shop_events(N)]
    rng = random.Random(20260526)
    aborted_seen = 0
    for _ in range(KILLS[backend]):
        pid = _fork_import(url)
        time.sleep(rng.uniform(0.0, full * 1.1))
        os.kill(pid, signal.SIGKILL)
        _wait(pid)  # reaped: the pid is gone, as after a real crash
        running = _check_after_kill(url, keys)
        with open_ledger(url) as ledger:  # the next start
            statuses = {r["id"]: r["status"] for r in ledger.runs(limit=1000)}
        assert all(statuses[rid] == "aborted" for rid in running)
        aborted_seen += len(running)
    assert aborted_seen >= 3, "the kills should land inside imports"
    assert _wait(_fork_import(url)) == 0
    assert _state(url) == _state(reference)
    with open_ledger(url) as ledger:
        last = ledger.runs(limit=1)[0]
    assert last["status"] == "done"
    assert last["events_new"] + last["events_unchanged"] == N


def test_two_imports_of_the_same_file_at_once(url: str) -> None:
    pids = [_fork_import(url, 3000, 200) for _ in range(2)]
    assert [_wait(p) for p in pids] == [0, 0]
    with open_ledger(url) as ledger:
        runs = ledger.runs(limit=10)
        assert ledger.count() == 3000
        with ledger.engine.connect() as conn:
            distinct = conn.execute(text("SELECT count(DISTINCT natural_key) FROM "
                                         "income_event")).scalar()
    assert distinct == 3000
    assert [r["status"] for r in runs] == ["done", "done"]
    assert sum(r["events_new"] for r in runs) == 3000
    assert all(r["events_new"] + r["events_unchanged"] == 3000 for r in runs)
