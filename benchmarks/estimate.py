"""Speed of the estimator's front door, against floors measured in the same run.

1. Wall and CPU time of ``kreator estimate --demo --json`` (a fresh process) against
   ``python -c "import numpy"`` (goal: at most 2.5x; CPU time, user + system of the child, is
   the steadier figure on a busy machine).
2. One in-process estimate with 10,000 draws (goal: under 5 ms), against a plain NumPy
   kernel over the same 10,000 x streams draws (exp, sum, three percentiles).

    python benchmarks/estimate.py [--runs 15]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def fresh_bytecode() -> None:
    """Compile Kreator's modules, as ``pip install`` does: with an editable install and
    PYTHONDONTWRITEBYTECODE set, every edited module would otherwise be compiled again in
    every timed process (~3 ms for a module such as core/card.py)."""
    import compileall
    from pathlib import Path

    import kreator

    compileall.compile_dir(str(Path(kreator.__file__).parent), quiet=1)


def wall(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system of the child) of a command, in
    seconds (one warm-up run first)."""
    import resource

    subprocess.run(cmd, check=True, capture_output=True)
    times, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times), statistics.median(cpus)


def in_process(runs: int) -> tuple[float, float]:
    import numpy as np

    import kreator
    from kreator.core.demo import DEMO
    from kreator.ratecards import load_card

    card = load_card("default")
    kreator.estimate(DEMO, card=card)
    t = []
    for i in range(runs):
        t0 = time.perf_counter()
        kreator.estimate(DEMO, card=card, draws=10_000, seed=i)
        t.append(time.perf_counter() - t0)
    rng = np.random.default_rng(0)
    m = np.array([300.0, 470.0, 255.0, 45.0, 0.0])
    s = np.array([0.55, 0.75, 0.6, 0.4, 0.7])
    f = []
    for _ in range(runs):
        t0 = time.perf_counter()
        z = rng.standard_normal((10_000, 5))
        tot = (m * np.exp(s * z)).sum(axis=1)
        np.percentile(tot, [10, 50, 90])
        f.append(time.perf_counter() - t0)
    return statistics.median(t), statistics.median(f)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    exe = shutil.which("kreator")
    cli = [exe] if exe else [sys.executable, "-m", "kreator"]
    fresh_bytecode()
    floor, floor_cpu = wall([sys.executable, "-c", "import numpy"], args.runs)
    ours, ours_cpu = wall([*cli, "estimate", "--demo", "--json"], args.runs)
    print(f"python -c 'import numpy'            {floor * 1000:8.1f} ms wall, {floor_cpu * 1000:6.1f} ms "
          "CPU  (floor)")
    print(f"kreator estimate --demo --json      {ours * 1000:8.1f} ms wall, {ours_cpu * 1000:6.1f} ms "
          f"CPU  ratio {ours / floor:.2f}x wall, {ours_cpu / floor_cpu:.2f}x CPU (goal <= 2.5x)")
    est, kern = in_process(max(args.runs, 30))
    print(f"NumPy kernel, 10,000 draws x 5       {kern * 1000:8.2f} ms  (floor)")
    print(f"kreator.estimate, 10,000 draws      {est * 1000:8.2f} ms  ratio {est / kern:.2f}x "
          f"(goal < 5 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
