"""Ledger imports killed with SIGKILL at random moments: nothing half-written, nothing lost.

Writes a TikTok Shop orders file and a personal export (the shapes of the fixtures under
tests/data/, rows made up) holding together at least ``--events`` income events, imports them
once into a fresh reference ledger (timing the run, T), then again and again into the ledger under
test with ``kreator ledger import`` in a child process killed with SIGKILL after a random delay in
[0, 1.1 T]; T follows the machine: it becomes the time of the latest import that ran to its end
(a convergence, or a run that finished before its kill). After every kill:

* the database passes its integrity check (SQLite ``PRAGMA integrity_check``; on PostgreSQL,
  every event belongs to an import run, no (creator, stream, key) twice, each run's counters equal
  the events it wrote);
* the events present are exactly the first whole batches of the file (a prefix of the reference
  order whose length is a multiple of the batch size, or all of them);

until ``--kills`` imports were killed (a run that ends before its kill is counted apart and does
not count), and every ``--converge-every`` runs (and at the end) one import runs to completion and must give
exactly the reference ledger's events with no duplicate; then the ledger is emptied and the kills
go on. A run (killed or not) that leaves every event in the ledger is checked the same way
(exactly the reference's events, ``full_ledger_checks``) and the ledger emptied, so the next
kills land on a partly filled ledger again rather than on a re-import of a full one.

Prints the figures (and ``--json``): kills, runs that finished before their kill, the ledger
after each kill (no event, some whole batches, every event: a kill after the last commit, or a
re-import), failures by kind (integrity, partial batch, duplicate, convergence), exact ledgers
found (convergences and full-ledger checks), time. Ctrl+C or SIGTERM stops it early: one last
convergence, then the figures so far.

    python benchmarks/crash.py --kills 200 --db /tmp/crash.sqlite
    python benchmarks/crash.py --kills 50 --db postgresql+psycopg://USER:PW@127.0.0.1:55432/DB
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from scratch_db import empty, url_of

ROOT = Path(__file__).resolve().parents[1]
SHOP = ROOT / "tests" / "data" / "ledger" / "tiktok_shop" / \
    "affiliate_orders_export.seller_center_style.csv"
PERSONAL = ROOT / "tests" / "data" / "importers" / "personal_export" / "user_data_tiktok.json"
BATCH = 5000  # the ledger's default batch size


def write_files(folder: Path, events: int, seed: int) -> list[Path]:
    """An orders CSV (90 %) and a personal export (10 %, LIVE sessions) in the fixtures' shapes."""
    rng = random.Random(seed)
    lives = max(1, events // 10)
    orders = events - lives
    with SHOP.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, template = rows[0], rows[1]  # a completed, paid order
    col = {name: i for i, name in enumerate(header)}
    shop = folder / "affiliate_orders.csv"
    with shop.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i in range(orders):
            row = list(template)
            day = 1 + i % 28
            month = 1 + (i // 28) % 12
            stamp = f"{day:02d}/{month:02d}/2025 {i % 24:02d}:{i % 60:02d}:00"
            price = rng.randint(300, 5000) / 100
            row[col["Order ID"]] = str(577100000000000000 + i)
            row[col["Price"]] = row[col["Payment Amount"]] = f"{price:.2f}"
            row[col["Quantity"]] = "1"
            for name in ("Est. Commission Base", "Actual Commission Base"):
                row[col[name]] = f"{price:.2f}"
            pay = f"{price * 0.15:.2f}"
            row[col["Standard commission rate"]] = "15%"
            for name in ("Est. standard commission payment", "Actual Commission Payment"):
                row[col[name]] = pay
            for name in ("Time Created", "Payment time", "Order Delivery Time",
                         "Time Commission Paid"):
                row[col[name]] = stamp
            w.writerow(row)
    data = json.loads(PERSONAL.read_text("utf-8"))
    live = data["TikTok Live"]["Go Live History"]["GoLiveList"][0]
    data["TikTok Live"]["Go Live History"]["GoLiveList"] = [
        {**live, "RoomId": str(7373100000000000000 + i),
         "LiveStartTime": f"2025-{1 + i % 12:02d}-{1 + (i // 12) % 28:02d} "
                          f"{i % 24:02d}:{(i // 24) % 60:02d}:{i % 60:02d}",
         "LiveEndTime": f"2025-{1 + i % 12:02d}-{1 + (i // 12) % 28:02d} "
                        f"{i % 24:02d}:{(i // 24) % 60:02d}:{i % 60:02d}",
         "LiveDuration": 0, "TotalEarning": rng.randint(10, 5000)} for i in range(lives)]
    personal = folder / "user_data_tiktok.json"
    personal.write_text(json.dumps(data), "utf-8")
    return [shop, personal]


def _import(db: str, files: list[Path]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "kreator", "ledger", "import", *map(str, files),
                             "--creator", "crash", "--db", db, "--json"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def events_in_order(db: str) -> list[tuple[str, str]]:
    with create_engine(url_of(db)).connect() as conn:
        return [(r[0], r[1]) for r in conn.execute(text(
            "SELECT stream, natural_key FROM income_event ORDER BY id"))]


def state(db: str) -> list[tuple[str, ...]]:
    with create_engine(url_of(db)).connect() as conn:
        rows = conn.execute(text("SELECT stream, natural_key, date, amount_minor, currency "
                                 "FROM income_event ORDER BY stream, natural_key"))
        return [tuple(str(v) for v in r) for r in rows]


def check(db: str, order: list[tuple[str, str]]) -> int:
    """Integrity and whole batches; the events present, or AssertionError naming what broke."""
    url = url_of(db)
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if not os.path.exists(path):
            return 0
        conn = sqlite3.connect(path)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
        assert ok == "ok", f"integrity: integrity_check says {ok}"
    engine = create_engine(url)
    with engine.connect() as conn:
        if "income_event" not in conn.dialect.get_table_names(conn):
            return 0
        q = lambda sql: conn.execute(text(sql)).scalar()  # noqa: E731
        assert q("SELECT count(*) FROM income_event e LEFT JOIN import_run r "
                 "ON r.id = e.import_run_id WHERE r.id IS NULL") == 0, "integrity: an event without its run"
        assert q("SELECT count(*) FROM (SELECT creator_id, stream, natural_key FROM income_event "
                 "GROUP BY 1, 2, 3 HAVING count(*) > 1) d") == 0, "duplicate: an event twice"
        bad = q("SELECT count(*) FROM import_run r WHERE events_new <> (SELECT count(*) FROM "
                "income_event e WHERE e.import_run_id = r.id) AND r.events_updated = 0")
        assert bad == 0, "integrity: a run's counters differ from the events it wrote"
        present = {(r[0], r[1]) for r in conn.execute(text(
            "SELECT stream, natural_key FROM income_event"))}
    engine.dispose()
    m = len(present)
    assert m % BATCH == 0 or m == len(order), f"partial batch: {m} events, not whole batches of {BATCH}"
    assert present == set(order[:m]), "partial batch: the events present are not the first whole batches"
    return m


KINDS = ("integrity", "partial batch", "duplicate", "convergence")


def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kreator-crash-") as tmp:
        files = write_files(Path(tmp), args.events, args.seed)
        reference = str(Path(tmp) / "reference.sqlite")
        started = time.perf_counter()
        proc = _import(reference, files)
        _, err = proc.communicate()
        full = time.perf_counter() - started
        assert proc.returncode == 0, err.decode()
        order, expected = events_in_order(reference), state(reference)
        assert len(order) >= args.events * 0.99, len(order)
        empty(args.db)
        figures: dict[str, Any] = {
            "db": args.db.split("@")[-1], "events": len(order), "full_import_s": round(full, 2),
            "kills_asked": args.kills, "runs": 0, "kills": 0, "finished_before_kill": 0,
            "killed_with_no_event": 0, "killed_with_some_batches": 0, "killed_with_all_events": 0,
            "converged": 0, "convergence_runs": 0, "full_ledger_checks": 0, **{_key(k): 0 for k in KINDS},
            "failures": []}
        try:
            _kills(args, rng, files, full, order, expected, figures)
        except KeyboardInterrupt:  # stopped early: the figures so far, and one last convergence
            figures["stopped_early"] = True
            figures["converged"] += _converge(args.db, files, expected, figures)
    figures["total_s"] = round(time.perf_counter() - began, 1)
    return figures


def _kills(args: argparse.Namespace, rng: random.Random, files: list[Path], full: float,
           order: list[tuple[str, str]], expected: list[tuple[str, ...]],
           figures: dict[str, Any]) -> None:
    k = 0
    while figures["kills"] < args.kills:  # runs that end before their kill do not count
        k += 1
        figures["runs"] = k
        proc = _import(args.db, files)
        started = time.perf_counter()
        try:
            proc.wait(timeout=rng.uniform(0.0, full * 1.1))
            full = time.perf_counter() - started  # it ran to its end: the machine's T now
        except subprocess.TimeoutExpired:
            pass
        finally:  # also when stopped early: no import left running
            finished = proc.poll() is not None
            proc.kill()
            proc.communicate()
        figures["finished_before_kill" if finished else "kills"] += 1
        present = -1
        try:
            present = check(args.db, order)
        except AssertionError as exc:
            _fail(figures, f"kill {k}: {exc}")
        else:
            where = ("no_event" if present == 0 else "all_events" if present == len(order)
                     else "some_batches")
            figures[f"killed_with_{where}"] += 0 if finished else 1
        if k % args.converge_every == 0 or figures["kills"] >= args.kills:
            started = time.perf_counter()
            figures["converged"] += _converge(args.db, files, expected, figures)
            full = time.perf_counter() - started
            empty(args.db)
        elif present == len(order):  # every event is in: it must be exact; start empty again
            figures["full_ledger_checks"] += 1
            figures["converged"] += _exact(args.db, expected, figures)
            empty(args.db)
        figures["full_import_s_last"] = round(full, 2)
        if not args.json:
            print(f"{k} runs, {figures['kills']}/{args.kills} killed, "
                  f"{len(figures['failures'])} failures, {figures['converged']} converged",
                  flush=True)


def _fail(figures: dict[str, Any], message: str) -> None:
    figures["failures"].append(message)
    kind = message.split(": ", 2)[1] if message.startswith("kill ") else message.split(": ")[0]
    figures[_key(kind if kind in KINDS else "convergence")] += 1


def _key(kind: str) -> str:
    return kind.replace(" ", "_") + "_failures"


def _converge(db: str, files: list[Path], expected: list[tuple[str, ...]],
              figures: dict[str, Any]) -> int:
    figures["convergence_runs"] += 1
    proc = _import(db, files)
    _, err = proc.communicate()
    if proc.returncode != 0:
        _fail(figures, f"the converging import failed: {err.decode()[-300:]}")
        return 0
    return _exact(db, expected, figures)


def _exact(db: str, expected: list[tuple[str, ...]], figures: dict[str, Any]) -> int:
    """1 if the ledger holds exactly the reference's events, else a failure and 0."""
    got = state(db)
    if len(got) != len({r[:2] for r in got}):
        _fail(figures, "duplicate: the converged ledger holds an event twice")
        return 0
    if got != expected:
        _fail(figures, "the converged ledger differs from the reference")
        return 0
    return 1


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--kills", type=int, default=200,
                   help="imports to kill; a run that ends before its kill is counted apart and "
                   "another run is made")
    p.add_argument("--db", required=True, help="a SQLite file or a postgresql+psycopg:// URL "
                   "(emptied first: give a database for this only)")
    p.add_argument("--events", type=int, default=100_000)
    p.add_argument("--converge-every", type=int, default=25)
    p.add_argument("--seed", type=int, default=20261205)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # kill PID: stop early, print figures
    figures = run(args)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print()
        for key, value in figures.items():
            if key != "failures":
                print(f"{key:>26}: {value}")
        print(f"{'failures':>26}: {len(figures['failures'])}")
        for line in figures["failures"][:20]:
            print("   ", line)
    sys.exit(1 if figures["failures"] else 0)


if __name__ == "__main__":
    main()
