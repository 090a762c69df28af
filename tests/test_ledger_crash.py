"""Crash safety and concurrency of imports, on real databases.

An import runs in a forked child process that kills itself with SIGKILL at a fixed point
(``KREATOR_CRASH_AT``, see kreator.ledger.crashpoints) in every phase of an import: before the
first batch, inside a batch, at its commit, between batches, before the run is marked done; again
and again on the same ledger (random kills under load live in benchmarks/crash.py).
After every kill: the SQLite file passes PRAGMA integrity_check,
the events present are exactly the first whole batches, each run's counters match the events it
wrote, and the next start marks the stuck run ``aborted``. Finally one whole run converges to
exactly the state of an uninterrupted import into a fresh ledger.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from kreator.ledger import crashpoints, open_ledger
from kreator.ledger.importing import import_files
from test_ledger_support import BACKENDS, FakeFile, fresh_db, shop_events

N, BATCH = 1500, 50


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_db(request.param, tmp_path)


def _fork_import(url: str, n: int = N, batch: int = BATCH, crash_at: str | None = None) -> int:
    """Start an import of the standard file in a child process (armed to SIGKILL itself at
    ``crash_at``); its pid."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        if crash_at:
            os.environ[crashpoints.ENV] = crash_at
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


POINTS = ("start:0", "batch:1", "commit:1", "between:1", "batch:15", "commit:15", "between:15",
          "batch:30", "commit:30", "between:30", "finish:0")
"""One kill in every phase (see kreator.ledger.crashpoints), at the first, a middle and the last
of the 30 batches."""


def test_sigkill_at_every_phase_then_converge(url: str, tmp_path: Path) -> None:
    reference = f"sqlite:///{tmp_path / 'reference.sqlite'}"
    assert _wait(_fork_import(reference)) == 0
    keys = [e.natural_key for e in shop_events(N)]
    aborted = 0
    for point in POINTS:
        pid = _fork_import(url, crash_at=point)
        assert _wait(pid) == -signal.SIGKILL, f"{point} was not reached"
        running = _check_after_kill(url, keys)
        assert running, point  # the killed run is left 'running' ...
        with open_ledger(url) as ledger:  # ... until the next start marks it aborted
            statuses = {r["id"]: r["status"] for r in ledger.runs(limit=1000)}
        assert all(statuses[rid] == "aborted" for rid in running)
        aborted += len(running)
    assert aborted == len(POINTS)
    assert _wait(_fork_import(url)) == 0
    assert _state(url) == _state(reference)
    with open_ledger(url) as ledger:
        last = ledger.runs(limit=1)[0]
        assert ledger.count() == N
    assert last["status"] == "done"
    assert last["events_new"] + last["events_unchanged"] == N


def test_kill_points_commit_whole_batches(url: str) -> None:
    """Where each kill leaves the ledger, run after run: batch:3 and commit:3 keep batches 1-2,
    between:3 keeps batches 1-3."""
    for point, batches in (("batch:3", 2), ("commit:3", 2), ("between:3", 3)):
        assert _wait(_fork_import(url, crash_at=point)) == -signal.SIGKILL
        with open_ledger(url, recover=False) as ledger:
            assert ledger.count() == batches * BATCH, point
            with ledger.engine.connect() as conn:
                done = conn.execute(text("SELECT batches_done FROM import_run "
                                         "ORDER BY id DESC LIMIT 1")).scalar()
        assert done == batches, point


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
