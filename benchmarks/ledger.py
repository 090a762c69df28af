"""Ledger speed: inserting N income events and the monthly-by-stream report, against plain sqlite3.

Both sides run in the same process on the same machine, on a SQLite file in a temporary folder
with the same durability (WAL, synchronous=FULL, one commit per batch) and the same table shape
(integer minor units, a unique key on creator/stream/natural key, an index on creator/date).
The floor is plain ``sqlite3.executemany`` with no validation, no idempotence and no run record;
the ledger's import does all three (every event checked, ON CONFLICT DO NOTHING ... RETURNING,
run counters and heartbeat per batch). The ratios are what that costs.

    python benchmarks/ledger.py [--events 1000000] [--batch 10000] [--pg URL] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from kreator.core.events import IncomeEvent
from kreator.ledger import open_ledger
from kreator.ledger.importing import import_files
from kreator.ledger.reports import monthly

STREAMS = ("live_gifts", "tiktok_shop", "sponsorship", "creator_rewards", "affiliate")
SCHEMA = """
CREATE TABLE income_event (
  id INTEGER PRIMARY KEY, creator_id INTEGER NOT NULL, date DATE NOT NULL,
  stream VARCHAR(32) NOT NULL, amount_minor BIGINT NOT NULL, currency VARCHAR(3) NOT NULL,
  source VARCHAR(64) NOT NULL, natural_key VARCHAR(200) NOT NULL, note TEXT NOT NULL,
  UNIQUE (creator_id, stream, natural_key));
CREATE INDEX ix_event_creator_date ON income_event (creator_id, date);
"""
PLAIN_REPORT = """
SELECT substr(date, 1, 7) AS month, stream, currency, sum(amount_minor), count(*)
FROM income_event WHERE creator_id = 1 GROUP BY month, stream, currency
"""


@dataclass
class Events:
    path: str
    events: list[IncomeEvent]
    sha256: str = "0" * 64
    importer: str = "benchmark"
    rows_in: int = 0
    rows_ok: int = 0
    rows_rejected: int = 0


def make_events(n: int) -> list[IncomeEvent]:
    start = dt.date(2020, 1, 1)
    return [IncomeEvent(start + dt.timedelta(days=i % 2000), STREAMS[i % 5],
                        Decimal(i % 100_000).scaleb(-2), "USD", "benchmark", f"k{i}")
            for i in range(n)]


def best(fn: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def plain_insert(path: Path, events: list[IncomeEvent], batch: int) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.executescript(SCHEMA)
    t0 = time.perf_counter()
    for s in range(0, len(events), batch):
        rows = [(1, e.date.isoformat(), e.stream, int(e.amount.scaleb(2)), e.currency, e.source,
                 e.natural_key, e.note) for e in events[s:s + batch]]
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO income_event (creator_id, date, stream, amount_minor, "
                         "currency, source, natural_key, note) VALUES (?,?,?,?,?,?,?,?)", rows)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def run(n: int, batch: int, pg: str | None) -> dict[str, Any]:
    t0 = time.perf_counter()
    events = make_events(n)
    made = time.perf_counter() - t0
    out: dict[str, Any] = {"events": n, "batch": batch, "make_events_s": round(made, 2)}
    with tempfile.TemporaryDirectory() as tmp:
        plain_path = Path(tmp) / "plain.sqlite"
        out["plain_insert_s"] = plain_insert(plain_path, events, batch)
        conn = sqlite3.connect(plain_path)
        out["plain_report_s"] = best(lambda: conn.execute(PLAIN_REPORT).fetchall())
        plain_rows = len(conn.execute(PLAIN_REPORT).fetchall())
        conn.close()
        with open_ledger(str(Path(tmp) / "ledger.sqlite")) as ledger:
            out.update(_ledger_side(ledger, events, batch, "sqlite"))
        assert out["sqlite_report_cells"] == plain_rows
    if pg:
        with open_ledger(pg) as ledger:
            out.update(_ledger_side(ledger, events, batch, "postgresql"))
    for side in ("sqlite", "postgresql"):
        if f"{side}_insert_s" in out:
            out[f"{side}_insert_ratio"] = out[f"{side}_insert_s"] / out["plain_insert_s"]
            out[f"{side}_report_ratio"] = out[f"{side}_report_s"] / out["plain_report_s"]
    return out


def _ledger_side(ledger: Any, events: list[IncomeEvent], batch: int,
                 side: str) -> dict[str, Any]:
    name = f"bench-{os.getpid()}-{time.time_ns()}"  # a fresh creator: a reused server stays valid
    t0 = time.perf_counter()
    summary = import_files(ledger, name, [Events("bench", events)], batch_size=batch)
    insert_s = time.perf_counter() - t0
    assert summary.new == len(events)
    t0 = time.perf_counter()
    again = import_files(ledger, name, [Events("bench", events)], batch_size=batch)
    reimport_s = time.perf_counter() - t0
    assert again.new == 0 and again.unchanged == len(events)
    report_s = best(lambda: monthly(ledger, name))
    cells = sum(len(row) for c in monthly(ledger, name).currencies for row in c.cells.values())
    return {f"{side}_insert_s": insert_s, f"{side}_reimport_s": reimport_s,
            f"{side}_report_s": report_s, f"{side}_report_cells": cells,
            f"{side}_events_per_s": len(events) / insert_s}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=10_000)
    ap.add_argument("--pg", default=None, help="Also run the ledger on this PostgreSQL URL "
                    "(an empty database).")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out = run(args.events, args.batch, args.pg)
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"{out['events']:,} events, batches of {out['batch']:,} "
          f"(building the events: {out['make_events_s']} s)")
    print(f"plain sqlite3 insert        {out['plain_insert_s']:8.2f} s   (floor)")
    print(f"plain sqlite3 report        {out['plain_report_s']:8.3f} s   (floor)")
    for side in ("sqlite", "postgresql"):
        if f"{side}_insert_s" not in out:
            continue
        print(f"ledger on {side:<10} insert {out[f'{side}_insert_s']:8.2f} s   "
              f"x{out[f'{side}_insert_ratio']:.1f} the floor, "
              f"{out[f'{side}_events_per_s']:,.0f} events/s")
        print(f"ledger on {side:<10} re-import {out[f'{side}_reimport_s']:5.2f} s   "
              "(all unchanged)")
        print(f"ledger on {side:<10} report {out[f'{side}_report_s']:8.3f} s   "
              f"x{out[f'{side}_report_ratio']:.1f} the floor")


if __name__ == "__main__":
    main()
