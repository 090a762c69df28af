"""--engine dask against real processes: `dask scheduler` and two `dask worker` on 127.0.0.1.

A worker killed mid-run: the run completes and equals the local engine row for row. The scheduler
killed mid-run: a clear error (exit 2, no traceback) and nothing under the output name.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

N = 60_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _dask(*args: str) -> subprocess.Popen[bytes]:
    exe = shutil.which("dask", path=str(Path(sys.executable).parent)) or shutil.which("dask")
    if exe is None:
        pytest.skip("the dask command is not installed")
    return subprocess.Popen([exe, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _until(check, what: str, limit: float = 90) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + limit  # a bound on waiting, not a timed assertion
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.05)


def _workers(address: str) -> int:
    from dask.distributed import Client

    with Client(address, timeout="20s") as c:  # type: ignore[no-untyped-call]
        return len(c.scheduler_info()["workers"])  # type: ignore[no-untyped-call]


@pytest.fixture
def cluster() -> Iterator[tuple[str, subprocess.Popen[bytes], list[subprocess.Popen[bytes]]]]:
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _dask("scheduler", "--host", "127.0.0.1", "--port", str(port),
                      "--dashboard-address", ":0", "--no-show")
    workers = [_dask("worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny",
                     "--dashboard-address", ":0") for _ in range(2)]
    procs = [scheduler, *workers]
    try:
        _until(lambda: _workers(address) == 2, "the scheduler and two workers")
        yield address, scheduler, workers
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait()


def _batch(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "kreator", "batch", *args, "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _mid_run(folder: Path, name: str, proc: subprocess.Popen[str]) -> bool:
    """Wait until the output's temporary file holds data; False if the run ended first."""
    while proc.poll() is None:
        parts = [p for p in folder.iterdir() if p.name.startswith(f".{name}.")]
        if parts and parts[0].stat().st_size > 0:
            return True
        time.sleep(0.01)
    return False


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kreator.batch import synth
    from kreator.ratecards import load_card

    path = tmp_path_factory.mktemp("dask-proc") / "pop.csv"
    synth.write(path, N, load_card("seed"), seed=5)
    return path


def test_a_killed_worker_changes_nothing(cluster, population: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    address, _, workers = cluster
    local, remote = tmp_path / "local.csv", tmp_path / "dask.csv"
    done = _batch(str(population), "-o", str(local), "--batch-size", "10000")
    assert done.wait() == 0, done.stderr.read() if done.stderr else ""
    proc = _batch(str(population), "-o", str(remote), "--engine", "dask", "--scheduler",
                  address, "--batch-size", "10000")
    assert _mid_run(tmp_path, "dask.csv", proc), "the run ended before a worker could be killed"
    os.kill(workers[0].pid, signal.SIGKILL)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert remote.read_text().splitlines() == local.read_text().splitlines()


def test_a_killed_scheduler_is_a_clear_error(cluster, population: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    address, scheduler, _ = cluster
    out = tmp_path / "dask.csv"
    proc = _batch(str(population), "-o", str(out), "--engine", "dask", "--scheduler", address,
                  "--batch-size", "10000")
    assert _mid_run(tmp_path, "dask.csv", proc), "the run ended before the scheduler was killed"
    scheduler.kill()
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 2, err
    assert "Traceback" not in err, err[:3000]
    assert "scheduler" in err.lower(), err
    assert not out.exists()
