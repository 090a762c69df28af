"""benchmarks/soak.py's server and database: ``kreator serve`` in a child process with its
worker processes (RSS, restarts, a kill), and the database it writes to (emptied first, read
back after)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from typing import Any

import psutil
from sqlalchemy import create_engine, text

from scratch_db import url_of

# ------------------------------------------------------------------ the server

class Server:
    """``kreator serve`` in a child process, and its worker processes."""

    def __init__(self, db: str, workers: int, threads: int | None = None) -> None:
        self.workers = workers
        more = [] if threads is None else ["--threads", str(threads)]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kreator", "serve", "--port", "0", "--json",
             "--workers", str(workers), "--db", db, *more],
            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        assert self.proc.stdout is not None
        lines: list[str] = []
        while not lines or lines[-1].rstrip() != "}":
            lines.append(self.proc.stdout.readline())
            if not lines[-1]:
                raise SystemExit("kreator serve exited before listening")
        self.port = int(json.loads("".join(lines))["port"])
        self._wait(lambda: len(self.pids()) == workers, "the workers to start")
        self.started = self.pids()

    def pids(self) -> set[int]:
        """The processes answering requests: the server itself with one worker, else uvicorn's
        worker children (not multiprocessing's resource tracker)."""
        if self.workers == 1:
            return {self.proc.pid}
        try:
            children = psutil.Process(self.proc.pid).children()
        except psutil.NoSuchProcess:
            return set()
        out = set()
        for c in children:
            with contextlib.suppress(psutil.Error):
                if "resource_tracker" not in " ".join(c.cmdline()):
                    out.add(c.pid)
        return out

    def rss(self) -> dict[int, float]:
        out = {}
        for pid in sorted(self.pids()):
            with contextlib.suppress(psutil.Error):
                out[pid] = psutil.Process(pid).memory_info().rss / 2**20
        return out

    def cpu(self) -> dict[int, float]:
        """CPU seconds each worker has used (how the work was spread)."""
        out = {}
        for pid in sorted(self.pids()):
            with contextlib.suppress(psutil.Error):
                t = psutil.Process(pid).cpu_times()
                out[pid] = t.user + t.system
        return out

    def kill_one(self) -> int | None:
        if self.workers < 2:
            return None  # one worker is the server itself: nothing would restart it
        victim = max(sorted(self.pids()), key=self.connections)  # the busiest: it has most to lose
        os.kill(victim, signal.SIGKILL)
        return victim

    def connections(self, pid: int) -> int:
        """Established client connections the worker holds."""
        try:
            conns = psutil.Process(pid).net_connections(kind="tcp")
        except psutil.Error:
            return 0
        return sum(1 for c in conns if c.status == psutil.CONN_ESTABLISHED and c.laddr
                   and c.laddr.port == self.port)

    def ready(self) -> None:
        """Wait until the port answers (each worker imports the app before accepting)."""
        import socket

        def up() -> bool:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return True
            except OSError:
                return False

        self._wait(up, "the port to answer")

    def replaced(self, killed: int | None) -> bool:
        """After a kill: as many workers as asked, the killed one not among them."""
        if killed is None:
            return True
        with contextlib.suppress(SystemExit):
            self._wait(lambda: len(self.pids()) == self.workers and killed not in self.pids(),
                       "the killed worker to be replaced")
            return True
        return False

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def _wait(self, check: Any, what: str, limit: float = 120) -> None:
        deadline = time.monotonic() + limit
        while not check():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise SystemExit(f"gave up waiting for {what}")
            time.sleep(0.1)


# ------------------------------------------------------------------ the database

def stored_keys(db: str) -> set[str]:
    engine = create_engine(url_of(db))
    try:
        with engine.connect() as conn:
            return {r[0] for r in conn.execute(text(
                "SELECT natural_key FROM income_event WHERE natural_key LIKE 'soak-%'"))}
    finally:
        engine.dispose()
