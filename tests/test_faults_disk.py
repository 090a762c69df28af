"""Full disks and interrupted writes: every file appears whole under its final name or not at all.

A small tmpfs is mounted by the test (needs root) and filled to the last byte; then ledger imports,
``ledger backup``, ``ledger export``, ``batch`` and ``mediakit`` must fail with one clear line naming
the path (no traceback), leave no file (and no temporary file) behind, keep a previous file under
that name intact, and leave the ledger unchanged. ``kreator batch`` interrupted by SIGINT or SIGKILL
leaves the previous output and rejects files as they were.
"""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

SHOP = Path(__file__).parent / "data" / "ledger" / "tiktok_shop" / \
    "affiliate_orders_export.seller_center_style.csv"
PREVIOUS = "previous output, complete\n"


@pytest.fixture
def full(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs (filled later with :func:`fill`); skipped where it cannot be mounted."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill needs root")
    where = tmp_path / "full"
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"mount -t tmpfs not permitted here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path) -> None:
    """Write a filler file until the file system reports ENOSPC."""
    with (folder / "filler").open("wb", buffering=0) as fh:
        for size in (65536, 1):  # then the last partial block
            try:
                while True:
                    fh.write(b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def dump(db: Path) -> list[tuple[object, ...]]:
    """Every event and import run, and the integrity check (which must pass)."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return (conn.execute("SELECT * FROM income_event ORDER BY id").fetchall()
                + conn.execute("SELECT * FROM import_run ORDER BY id").fetchall())
    finally:
        conn.close()


def _fails_naming(r, path: Path) -> None:  # type: ignore[no-untyped-def]
    assert r.code == 2, (r.out, r.err)
    assert str(path) in r.err, r.err
    assert "space" in r.err.lower() or "full" in r.err.lower(), r.err
    assert "Traceback" not in r.err


def _ledger(cli, db: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("ledger", "add", "--stream", "creator_rewards", "--amount", "41.20", "--currency",
            "USD", "--date", "2026-04-30", "--db", str(db))
    assert r.code == 0, r.err


def test_batch_on_a_full_disk_keeps_the_previous_output(cli, full: Path, tmp_path: Path) -> None:
    pop = tmp_path / "pop.csv"
    assert cli("synth", "--n", "3000", "-o", str(pop)).code == 0
    out = full / "scores.csv"
    out.write_text(PREVIOUS)
    fill(full)
    r = cli("batch", str(pop), "-o", str(out), "-q")
    _fails_naming(r, full)
    assert out.read_text() == PREVIOUS
    assert names(full) == {"filler", "scores.csv"}


def test_export_backup_and_mediakit_on_a_full_disk(cli, full: Path, tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite"
    _ledger(cli, db)
    before = dump(db)
    fill(full)
    for args, target in (
            (("ledger", "export", str(full / "income.csv"), "--db", str(db)), "income.csv"),
            (("ledger", "export", str(full / "income.xlsx"), "--db", str(db)), "income.xlsx"),
            (("ledger", "backup", str(full / "copy.sqlite"), "--db", str(db)), "copy.sqlite"),
            (("mediakit", "--demo", "--out", str(full / "kit.html"), "--no-pdf"), "kit.html")):
        r = cli(*args)
        _fails_naming(r, full / target)
        assert names(full) == {"filler"}, args
    assert dump(db) == before


def test_ledger_import_on_a_full_disk_changes_nothing(cli, full: Path) -> None:
    db = full / "ledger.sqlite"
    _ledger(cli, db)
    before = dump(db)
    fill(full)
    r = cli("ledger", "import", str(SHOP), "--db", str(db))
    _fails_naming(r, db)
    (full / "filler").unlink()
    assert dump(db) == before
    r = cli("ledger", "import", str(SHOP), "--db", str(db))  # with room again, it goes in
    assert r.code == 0, r.err
    assert len(dump(db)) > len(before)


def _kreator(*args: str) -> subprocess.Popen[str]:
    """``kreator`` in a child process that takes SIGINT as a terminal's Ctrl+C does, also when
    the suite itself runs with SIGINT ignored (a shell's background job, ``nohup ... &``: the
    child would inherit SIG_IGN, and Python then installs no KeyboardInterrupt handler)."""
    return subprocess.Popen([sys.executable, "-m", "kreator", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _part_growing(folder: Path, proc: subprocess.Popen[str]) -> bool:
    """Wait until the output's temporary file holds data (the run is mid-way); False if the run
    ended first."""
    while proc.poll() is None:
        parts = [p for p in folder.iterdir() if p.name.startswith(".scores.csv.")]
        if parts and parts[0].stat().st_size > 0:
            return True
        time.sleep(0.005)
    return False


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_batch_keeps_the_previous_files(cli, tmp_path: Path, sig: int) -> None:
    pop = tmp_path / "pop.csv"
    assert cli("synth", "--n", "100000", "-o", str(pop)).code == 0
    work = tmp_path / "out"
    work.mkdir()
    out, rejects = work / "scores.csv", work / "scores.rejects.csv"
    out.write_text(PREVIOUS)
    rejects.write_text("previous rejects\n")
    proc = _kreator("batch", str(pop), "-o", str(out), "--batch-size", "500", "-q")
    assert _part_growing(work, proc), "the run ended before it could be interrupted"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert "Traceback" not in err
    assert out.read_text() == PREVIOUS
    assert rejects.read_text() == "previous rejects\n"
    if sig == signal.SIGINT:  # Python ran its clean-up: no temporary file is left either
        assert names(work) == {"scores.csv", "scores.rejects.csv"}
    r = cli("batch", str(pop), "-o", str(out), "-q")  # the next run replaces both, whole
    assert r.code == 0, r.err
    assert out.read_text().count("\n") == 100_001
