"""``kreator cards fit`` speed and memory, against a plain pandas groupby in the same run.

240,000 observations by default (10,000 creators x 24 months of sponsorship payouts simulated
from the current card with its rate doubled, see kreator.cardfit.synth):

1. from a CSV file: read, score on the base card, fit, held-out coverage (``cards fit``'s
   work without writing), rows per second and peak memory (the fresh process's own
   high-water RSS, VmHWM);
2. from a PostgreSQL ledger (``--pg-url``, default $KREATOR_TEST_PG_URL; skipped without one):
   the same rows as income events with one saved estimate per creator, read with
   ``--db`` (two streamed queries) and fitted;
3. memory against rows: the same fit on the first half of the CSV's rows (rows are read and
   scored in parts of 16,384, so the peak grows only by the numbers the fit itself works on,
   bytes per extra row), and on all rows read at once before scoring, as the fit did before it
   read in parts;
4. the floor, in the same run: pandas reads the same CSV (or the same events with
   ``read_sql``) and groups by creator and stream (mean and count of the amounts).

    python benchmarks/fit.py [--creators 10000] [--months 24] [--pg-url URL]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PEAK = """
def peak_mb():
    # this process's own high-water RSS: ru_maxrss would start at the parent's RSS (Linux
    # keeps it across exec), and the parent holds every row
    try:
        with open("/proc/self/status") as fh:
            return next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

FIT = PEAK + """
import json, sys, time
from pathlib import Path
from kreator.ratecards import load_card
from kreator.cardfit.baseline import collect
from kreator.cardfit.fit import fit_card
card = load_card("current")
t = time.perf_counter()
if sys.argv[1] == "file":
    from kreator.cardfit.observations import iter_files
    parts = iter_files([Path(sys.argv[2])], set(card.streams))
elif sys.argv[1] == "file-at-once":  # every row and profile held before scoring (the old way)
    from kreator.cardfit.observations import read_files
    parts = [read_files([Path(sys.argv[2])], set(card.streams))]
else:
    from kreator.cardfit.ledger import iter_ledger
    parts = iter_ledger(sys.argv[2], set(card.streams))
scored = collect(parts, card)
read = time.perf_counter() - t
result = fit_card(scored, card)
dt = time.perf_counter() - t
sp = next(s for s in result.streams if s.stream == "sponsorship").fit
print(json.dumps({"rows": len(scored), "seconds": dt, "read_seconds": read,
                  "rss_mb": peak_mb(), "multiplier": sp.multiplier, "interval": sp.multiplier_90}))
"""

PANDAS = PEAK + """
import json, sys, time
import pandas as pd
t = time.perf_counter()
if sys.argv[1] == "file":
    df = pd.read_csv(sys.argv[2])
else:
    import sqlalchemy as sa
    df = pd.read_sql("select creator_id as creator, stream, amount_minor / 100.0 as amount "
                     "from income_event", sa.create_engine(sys.argv[2]))
out = df.groupby(["creator", "stream"])["amount"].agg(["mean", "count"])
dt = time.perf_counter() - t
print(json.dumps({"rows": len(df), "groups": len(out), "seconds": dt,
                  "rss_mb": peak_mb()}))
"""


def rows(creators: int, months: int) -> list[dict[str, object]]:
    from kreator.cardfit.synth import observations
    from kreator.ratecards import load_card

    card = load_card("current")
    card = type(card)(**{**card.__dict__, "streams": {"sponsorship":
                                                       card.streams["sponsorship"]}})
    return list(observations(card, creators, months, seed=1, multiplier={"sponsorship": 2.0}))


def run(code: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True,
                         text=True).stdout
    return dict(json.loads(out))


def load_pg(url: str, data: list[dict[str, object]]) -> None:
    """The rows as income events and one estimate per creator, in an emptied ledger."""
    import datetime as dt

    from sqlalchemy import delete, insert

    from kreator.ledger import open_ledger
    from kreator.ledger.models import Creator, EstimateSnapshot, Event

    with open_ledger(url) as ledger, ledger.write() as s:
        for table in (Event, EstimateSnapshot, Creator):
            s.execute(delete(table))
        names = sorted({str(r["creator"]) for r in data})
        s.execute(insert(Creator), [{"id": i + 1, "name": n} for i, n in enumerate(names)])
        ids = {n: i + 1 for i, n in enumerate(names)}
        first = {str(r["creator"]): r for r in data if r["month"] == 0}
        s.execute(insert(EstimateSnapshot), [
            {"creator_id": ids[n], "as_of": dt.date(2024, 1, 1), "card_id": "current-2025",
             "currency": "USD", "calibration": {}, "label": "",
             "estimate": {"profile": {k: v for k, v in r.items() if k not in
                                      ("creator", "stream", "month", "amount", "currency",
                                       "period_days")}}} for n, r in first.items()])
        events = [{"creator_id": ids[str(r["creator"])], "stream": r["stream"],
                   "date": dt.date(2024 + int(r["month"]) // 12, int(r["month"]) % 12 + 1, 15),
                   "amount_minor": round(float(r["amount"]) * 100), "currency": "USD",  # type: ignore[arg-type]
                   "source": "bench", "natural_key": f"{r['creator']}-{r['month']}", "note": "",
                   "details": {}} for r in data if float(r["amount"]) > 0]  # type: ignore[arg-type]
        for i in range(0, len(events), 20_000):
            s.execute(insert(Event), events[i:i + 20_000])


def write_csv(path: Path, data: list[dict[str, object]]) -> None:
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(data[0]))
        w.writeheader()
        w.writerows(data)


def growth(small: dict[str, float], big: dict[str, float]) -> None:
    """Memory against rows: the peak for half of the rows against all of them."""
    extra = big["rss_mb"] - small["rss_mb"]
    per_row = extra * 2 ** 20 / (big["rows"] - small["rows"])
    print(f"{'':<11} peak {small['rss_mb']:.0f} MB for {small['rows']:,.0f} rows, "
          f"{big['rss_mb']:.0f} MB for {big['rows']:,.0f}: {per_row:,.0f} bytes per extra row")


def show(name: str, fit: dict[str, float], floor: dict[str, float]) -> None:
    r_fit, r_pd = fit["rows"] / fit["seconds"], floor["rows"] / floor["seconds"]
    print(f"{name:<11} fit {r_fit:>10,.0f} rows/s  peak {fit['rss_mb']:>6.0f} MB   "
          f"pandas groupby {r_pd:>10,.0f} rows/s  peak {floor['rss_mb']:>6.0f} MB   "
          f"fit/pandas speed {r_fit / r_pd:.3f}  memory x{fit['rss_mb'] / floor['rss_mb']:.2f}")
    print(f"{'':<11} sponsorship fitted x{fit['multiplier']:.3f} "
          f"(90% {fit['interval'][0]:.3f}-{fit['interval'][1]:.3f}; true x2), "
          f"read {fit['read_seconds']:.1f} s of {fit['seconds']:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--creators", type=int, default=10_000)
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--pg-url", default=os.environ.get("KREATOR_TEST_PG_URL"))
    args = ap.parse_args()
    data = rows(args.creators, args.months)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "obs.csv"
        write_csv(path, data)
        print(f"{len(data):,} observations of {args.creators:,} creators x {args.months} months")
        whole = run(FIT, "file", str(path))
        show("file (CSV)", whole, run(PANDAS, "file", str(path)))
        half = Path(tmp) / "half.csv"
        write_csv(half, data[:len(data) // 2])
        growth(run(FIT, "file", str(half)), whole)
        at_once = run(FIT, "file-at-once", str(path))
        print(f"{'':<11} the same rows held at once before scoring: peak "
              f"{at_once['rss_mb']:.0f} MB, x{at_once['rss_mb'] / whole['rss_mb']:.2f} the "
              "fit's")
    if not args.pg_url:
        print("PostgreSQL: skipped (give --pg-url or set KREATOR_TEST_PG_URL)")
        return
    load_pg(args.pg_url, data)
    show("PostgreSQL", run(FIT, "db", args.pg_url), run(PANDAS, "db", args.pg_url))


if __name__ == "__main__":
    main()
