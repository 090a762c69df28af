"""Batch scoring speed and memory, against floors measured in the same run on the same file.

On one synthetic Parquet file (10,000,000 creators by default, made by ``kreator synth``):

1. in-memory scorer (``kreator.batch`` on Arrow record batches already in memory), 1 and 2
   cores (2 processes, half the rows each) -- goal: at least 5 million creators/s per core;
2. Parquet to Parquet end to end (``kreator batch``) -- goal: at least 1/3 of the floor
   "pyarrow reads the same columns and writes a table of the output's width";
3. the Dask engine on a 2-worker local cluster;
4. floors: pyarrow reading the same columns; a plain NumPy 20-operation expression over them;
   and, for scale, a naive pandas ``apply`` of the same model row by row (100,000 rows);
5. peak memory (max RSS of a fresh process) of the end-to-end run for two batch sizes:
   it follows the batch size, not the file.

``--accuracy`` instead compares the closed-form total with the Monte Carlo (docs/batch.md).

    python benchmarks/batch.py [--rows 10000000] [--file /tmp/kreator-bench.parquet]
    python benchmarks/batch.py --accuracy
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SCORE_ONE = """
import json, sys, time
from kreator.batch.memory import tune
tune()
import pyarrow.parquet as pq
from kreator.batch.mapping import resolve
from kreator.batch.scorer import Options
from kreator.batch.table import make_plan, score_part
from kreator.ratecards import load_card
path, part, parts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
table = pq.read_table(path)
size = -(-table.num_rows // parts)
table = table.slice(part * size, size)
card = load_card("seed")
plan = make_plan(resolve(table.column_names), Options(card), table.schema)
batches = table.to_batches(max_chunksize=262144)
score_part(batches[0].slice(0, 20000), plan, 0)
sys.stdout.write("ready\\n"); sys.stdout.flush(); sys.stdin.readline()
t0 = time.perf_counter(); c0 = time.process_time()
offset = 0
for b in batches:
    score_part(b, plan, offset); offset += b.num_rows
print(json.dumps({"rows": offset, "wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}))
"""

E2E = """
import json, sys
from pathlib import Path
from kreator.batch.run import run
from kreator.ratecards import load_card
s = run(Path(sys.argv[1]), Path(sys.argv[2]), load_card("seed"), batch_size=int(sys.argv[3]))
hwm = [ln for ln in open("/proc/self/status") if ln.startswith("VmHWM")][0].split()[1]
print(json.dumps({"rows": s.rows_in, "seconds": s.seconds, "maxrss_mb": int(hwm) / 1024}))
"""


def ensure_file(path: Path, rows: int) -> None:
    import pyarrow.parquet as pq

    if path.exists() and pq.ParquetFile(path).metadata.num_rows == rows:
        return
    from kreator.batch.synth import write
    from kreator.ratecards import load_card

    t0 = time.perf_counter()
    write(path, rows, load_card("seed"), seed=0)
    print(f"made {rows:,} synthetic creators in {time.perf_counter() - t0:.1f} s: {path}")


def in_memory(path: Path, processes: int) -> tuple[float, float]:
    """Creators per second of the in-memory scorer over ``processes`` processes at once
    (wall clock), and per CPU-second (what one core does when it gets the CPU: on a shared
    machine the wall clock also counts other programs' time)."""
    procs = [subprocess.Popen([sys.executable, "-c", SCORE_ONE, str(path), str(i), str(processes)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for i in range(processes)]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    results = [json.loads(p.communicate()[0]) for p in procs]
    rows = sum(r["rows"] for r in results)
    return rows / max(r["wall"] for r in results), rows / sum(r["cpu"] for r in results)


def e2e(path: Path, out: Path, batch: int) -> dict[str, Any]:
    r = subprocess.run([sys.executable, "-c", E2E, str(path), str(out), str(batch)], check=True,
                       capture_output=True, text=True)
    result: dict[str, Any] = json.loads(r.stdout)
    return result


def floors(path: Path, out: Path) -> dict[str, float]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kreator.batch.fields import output_schema
    from kreator.batch.mapping import resolve
    from kreator.ratecards import load_card

    columns = resolve(pq.ParquetFile(path).schema_arrow.names).columns
    read_s = float("inf")
    for _ in range(3):  # warm: the best of three reads of the columns the scorer reads
        t0 = time.perf_counter()
        table = pq.read_table(path, columns=columns)
        read_s = min(read_s, time.perf_counter() - t0)
    width = len(output_schema(load_card("seed"), [], {}))
    n = table.num_rows
    x = [table.column(c).to_numpy().astype(np.float64) for c in ("followers", "views_30d",
                                                                  "likes_30d", "quality")]
    a, b, c, d = x
    numpy_s = float("inf")
    for _ in range(3):  # 20 operations: the kind of arithmetic the model does per creator
        t0 = time.perf_counter()
        e = (a * 0.3 + b / 1000.0) * (c / np.maximum(b, 1.0)) - d * 0.25
        e = np.exp(np.clip(e, -5, 5)) * 1.5 + np.sqrt(np.abs(a)) * 0.1
        e = np.where(e > 1.0, e, 0.0) + (d - 1.0) / 4.0 * a
        numpy_s = min(numpy_s, time.perf_counter() - t0)
    cols = {f"c{i}": np.asarray(e) + i for i in range(width)}
    wide = pa.table(cols)
    t0 = time.perf_counter()
    pq.write_table(wide, out, row_group_size=262144)
    write_s = time.perf_counter() - t0
    return {"read": n / read_s, "numpy20": n / numpy_s, "read_write": n / (read_s + write_s)}


def pandas_apply(path: Path, rows: int) -> float:
    import numpy as np
    import pyarrow.parquet as pq

    from kreator.core import approx
    from kreator.core.estimate import score
    from kreator.ratecards import load_card

    card = load_card("seed")
    df = pq.ParquetFile(path).read_row_group(0).slice(0, rows).to_pandas()

    def one(row: Any) -> float:
        cols = {k: np.array([float(row[k])]) for k in ("followers", "views_30d", "videos_30d",
                                                       "likes_30d", "comments_30d", "shares_30d",
                                                       "quality", "age", "lives_per_month")}
        s = score(cols | {"niche": np.array([row["niche"]], dtype=object)}, card, monte_carlo=False)
        return float(approx.total([r.median for r in s.results], [r.sigma for r in s.results]).p50[0])

    t0 = time.perf_counter()
    df.apply(one, axis=1)
    return rows / (time.perf_counter() - t0)


def dask_engine(path: Path, out: Path) -> float:
    from kreator.batch.run import run
    from kreator.ratecards import load_card

    s = run(path, out, load_card("seed"), engine="dask")  # starts a 2-worker local cluster
    return s.rows_per_second


def accuracy(rows: int = 2000, draws: int = 200_000) -> None:
    """The closed-form total against the core's Monte Carlo on a synthetic population."""
    import numpy as np

    from kreator.batch.convert import convert
    from kreator.batch.mapping import resolve
    from kreator.batch.synth import synth
    from kreator.core import approx
    from kreator.core.estimate import score
    from kreator.ratecards import load_card

    for cid in ("seed", "current"):
        card = load_card(cid)
        t = synth(rows, card, seed=21)
        s = score(convert(t, resolve(t.column_names), card, "synth").raw, card, draws=draws,
                  seed=5)
        assert s.total is not None
        q = approx.total([r.median for r in s.results], [r.sigma for r in s.results])
        ok = s.total.p50 > 0
        for name in ("p10", "p50", "p90"):
            err = np.abs(getattr(q, name)[ok] / getattr(s.total, name)[ok] - 1)
            print(f"{cid:8s} {name}: max |error| {err.max():.2%}, mean {err.mean():.2%}, "
                  f"95th percentile {np.percentile(err, 95):.2%}  ({ok.sum():,} earning creators, "
                  f"{draws:,} draws)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--file", type=Path, default=Path(tempfile.gettempdir()) / "kreator-bench.parquet")
    ap.add_argument("--apply-rows", type=int, default=100_000)
    ap.add_argument("--accuracy", action="store_true", help="only the closed form vs Monte Carlo")
    ap.add_argument("--scorer-only", action="store_true", help="only the in-memory scorer")
    args = ap.parse_args()
    if args.accuracy:
        accuracy()
        return 0
    ensure_file(args.file, args.rows)
    if args.scorer_only:
        for k in (1, 2):
            wall, cpu = in_memory(args.file, k)
            print(f"in-memory scorer, {k} process(es): {wall / 1e6:.2f} M/s wall, "
                  f"{cpu / 1e6:.2f} M per CPU-second")
        return 0
    out = args.file.with_name("kreator-bench-out.parquet")
    fl = floors(args.file, out)
    one, two = in_memory(args.file, 1), in_memory(args.file, 2)
    end = e2e(args.file, out, 262144)
    small = e2e(args.file, out, 65536)
    dsk = dask_engine(args.file, out)
    apply = pandas_apply(args.file, min(args.apply_rows, args.rows))
    m = 1e6
    print(f"\n{args.rows:,} creators, {args.file}")
    print(f"floor  pyarrow read, same columns          {fl['read'] / m:8.2f} M rows/s")
    print(f"floor  pyarrow read + write (out width)   {fl['read_write'] / m:8.2f} M rows/s")
    print(f"floor  NumPy 20-operation expression       {fl['numpy20'] / m:8.2f} M rows/s")
    print(f"naive  pandas apply, same model (100k)     {apply / m:8.4f} M rows/s")
    print(f"in-memory scorer, 1 core                   {one[0] / m:8.2f} M/s  ({one[1] / m:.2f} M per "
          f"CPU-second; goal >= 5 per core; {one[0] / fl['numpy20']:.2f}x NumPy-20, "
          f"{one[0] / apply:,.0f}x pandas apply)")
    print(f"in-memory scorer, 2 cores                  {two[0] / m:8.2f} M/s  "
          f"({two[0] / 2 / m:.2f} per core, {two[1] / m:.2f} M per CPU-second)")
    print(f"Parquet -> Parquet end to end              {end['rows'] / end['seconds'] / m:8.2f} M/s  "
          f"({end['rows'] / end['seconds'] / fl['read_write']:.2f}x read+write floor; goal >= 0.33)")
    print(f"Dask engine, 2-worker local cluster        {dsk / m:8.2f} M/s")
    table_mb = args.file.stat().st_size / 2**20
    print(f"peak memory, batch 262,144 / 65,536 rows   {end['maxrss_mb']:8.0f} / {small['maxrss_mb']:.0f} MB "
          f"(file {table_mb:.0f} MB on disk, {args.rows * 200 / 2**20:.0f} MB of scores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
