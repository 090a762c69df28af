"""``kreator serve --workers 2``: two processes on one port; a killed worker is replaced and no
acknowledged write is lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

import httpx
import psutil
from tests.serve_support import answers, start_serve


def _workers(pid: int) -> set[int]:
    """The live uvicorn worker processes (children that are not multiprocessing's resource
    tracker; a killed worker not yet reaped is a zombie, not a worker)."""
    return {c.pid for c in psutil.Process(pid).children() if _is_worker(c)}


def _is_worker(child: psutil.Process) -> bool:
    try:
        return (child.status() != psutil.STATUS_ZOMBIE
                and "resource_tracker" not in " ".join(child.cmdline()))
    except (psutil.ZombieProcess, psutil.NoSuchProcess):
        return False


def _until(check, what: str, limit: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + limit  # a bound on waiting, not a timed assertion
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.1)


def test_two_workers_survive_a_killed_one(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite"
    proc, info = start_serve("--workers", "2", "--db", str(db))
    try:
        url = info["url"].rstrip("/")
        _until(lambda: len(_workers(proc.pid)) == 2 and answers(url), "two workers answering")
        acknowledged = []
        first = _workers(proc.pid)
        for i in range(40):
            if i == 20:
                os.kill(min(first), signal.SIGKILL)
            try:
                r = httpx.post(url + "/api/v1/ledger/events", timeout=30, json={
                    "stream": "sponsorship", "amount": f"{i}.50", "currency": "USD",
                    "date": "2026-04-30", "key": f"k{i}"})
            except httpx.TransportError:  # the killed worker's connection: not acknowledged
                continue
            assert r.status_code in (200, 201), r.text
            acknowledged.append(f"k{i}")
        _until(lambda: len(_workers(proc.pid)) == 2 and min(first) not in _workers(proc.pid),
               "the killed worker replaced")
        assert answers(url)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    conn = sqlite3.connect(db)
    keys = {r[0] for r in conn.execute("SELECT natural_key FROM income_event")}
    conn.close()
    assert len(acknowledged) >= 39
    assert set(acknowledged) <= keys
