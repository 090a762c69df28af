"""Speed of the advisor, growth projection and tornado, against floors measured in the same run.

The floor is one ``estimate`` of the same creator with the same draws: advice re-runs the model
for every lever (7 levers, 2 profiles each, plus the openings' growth paths), so its cost is
reported as a multiple of one estimate (goal: at most 60x, i.e. well under a second).

    python benchmarks/advise.py [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable


def median_time(fn: Callable[[], object], runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    runs = ap.parse_args().runs

    from kreator.core.advise import advise
    from kreator.core.demo import DEMO
    from kreator.core.estimate import estimate
    from kreator.core.growth import project
    from kreator.core.sensitivity import tornado
    from kreator.ratecards import load_card
    from kreator.ratecards.levers import load_levers

    card, levers, start = load_card("seed"), load_levers(), dt.date(2026, 11, 26)
    floor = median_time(lambda: estimate(DEMO, card, draws=10_000), runs)
    rows = [
        ("advise (7 levers)", median_time(lambda: advise(DEMO, card, levers, start=start), runs), 60),
        ("project (12 months, 400 paths)",
         median_time(lambda: project(DEMO, card, levers.growth, start=start), runs), 60),
        ("tornado (13 inputs, one batch)", median_time(lambda: tornado(DEMO, card), runs), 30),
    ]
    print(f"floor: one estimate, 10,000 draws: {floor * 1000:.1f} ms")
    ok = True
    for name, secs, goal in rows:
        ratio = secs / floor
        ok &= ratio <= goal
        print(f"{name:34s} {secs * 1000:8.1f} ms  {ratio:6.1f}x floor  (goal <= {goal}x)"
              f"  {'ok' if ratio <= goal else 'SLOW'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
