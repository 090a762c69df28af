"""--engine dask on a real (small, in-process) LocalCluster: identical to the local engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kreator.batch import blocks
from kreator.batch import synth as synth_mod
from kreator.batch.engine_dask import frame, parts
from kreator.batch.run import plan_for, run
from kreator.batch.table import score_part
from kreator.ratecards import load_card

SEED = load_card("seed")
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword")  # inside dask's parquet reader


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as c:
        yield c.scheduler_address


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("dask")
    out = {}
    for ext in ("parquet", "csv", "jsonl"):
        out[ext] = d / f"pop.{ext}"
        synth_mod.write(out[ext], 4000, SEED, seed=12)
    bad = d / "bad.parquet"
    t = pq.read_table(out["parquet"])
    followers = t.column("followers").to_pylist()
    followers[5], followers[3333] = -4, None
    pq.write_table(t.set_column(1, "followers", pa.array(followers, pa.int64())), bad,
                   row_group_size=1000)
    out["bad"] = bad
    return out


@pytest.mark.parametrize("ext", ["parquet", "csv", "jsonl"])
def test_dask_equals_local(cluster: str, files: dict[str, Path], tmp_path: Path, ext: str) -> None:
    local, remote = tmp_path / "local.parquet", tmp_path / "dask.parquet"
    a = run(files[ext], local, SEED, batch_size=1500)
    b = run(files[ext], remote, SEED, batch_size=1500, engine="dask", scheduler=cluster)
    assert (a.rows_in, a.scored) == (b.rows_in, b.scored) == (4000, 4000)
    assert pq.read_table(local).equals(pq.read_table(remote))


@pytest.mark.parametrize("partitions", [1, 3, 7])
def test_any_partitioning_gives_the_same_table(cluster: str, files: dict[str, Path],
                                               partitions: int) -> None:
    """Repartitioned Dask input, closed form and Monte Carlo: same rows, same numbers."""
    path = files["bad"]
    for mc in (None, 300):
        plan = plan_for(path, "parquet", SEED, mc=mc, seed=4)
        ddf = frame(path, plan.cmap.columns).repartition(
            npartitions=partitions)
        got = list(parts(path, "parquet", plan, 1000, cluster, ddf=ddf))
        assert len(got) == partitions
        assert sum(n for _, _, n in got) == 4000
        scored = pa.concat_tables([s for s, _, _ in got])
        rejects = pa.concat_tables([r for _, r, _ in got])
        assert rejects.column("row").to_pylist() == [6, 3334]
        whole, whole_rejects = score_part(pq.read_table(path), plan, 0)
        assert scored.equals(whole)
        assert rejects.equals(whole_rejects)


def test_rejects_accounting_on_dask(cluster: str, files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "o.parquet"
    s = run(files["bad"], out, SEED, engine="dask", scheduler=cluster, batch_size=500)
    assert s.rows_in == s.scored + s.rejected == 4000 and s.rejected == 2
    assert "followers" in (tmp_path / "o.rejects.csv").read_text()


def test_cli_engine_dask_with_scheduler(cli, cluster: str, files: dict[str, Path],
                                        tmp_path: Path) -> None:
    out = tmp_path / "cli.parquet"
    r = cli("batch", str(files["csv"]), "-o", str(out), "--engine", "dask", "--scheduler", cluster,
            "--card", "seed", "--json")
    assert r.code == 0, r.err
    assert '"engine": "dask"' in r.out
    local = tmp_path / "local.parquet"
    run(files["csv"], local, SEED)
    assert pq.read_table(out).equals(pq.read_table(local))


def _damaged(src: Path, dst: Path, fmt: str) -> list[int]:
    """A copy with broken lines spread through it (in the first and last blocks too); returns
    their line numbers."""
    lines = src.read_bytes().splitlines(keepends=True)
    broken = b"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25\n" if fmt == "csv" \
        else b"{not json\n"
    for at in (len(lines) - 1, 2_500, 1_234, 2):
        lines.insert(at, broken)
    lines.insert(3_000, b"\n")  # an empty line: skipped by both engines, still counted as a line
    dst.write_bytes(b"".join(lines))
    return [i + 1 for i, line in enumerate(lines) if line == broken]


@pytest.mark.parametrize("ext", ["csv", "jsonl"])
def test_malformed_lines_are_rejects_on_dask_as_locally(cluster: str, files: dict[str, Path],
                                                        tmp_path: Path, ext: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines the reader cannot split become rejects with their line numbers, on either engine,
    and rows keep their numbers across blocks (200-row batches: 12,800-byte blocks)."""
    from kreator.batch import engine_dask

    monkeypatch.setattr(engine_dask, "MIN_BLOCK", 0)
    assert len(blocks.split(files[ext], ext, engine_dask._blocksize(200))) > 20
    damaged = tmp_path / f"damaged.{ext}"
    broken = _damaged(files[ext], damaged, ext)
    a = run(damaged, tmp_path / "local.parquet", SEED, batch_size=200)
    b = run(damaged, tmp_path / "dask.parquet", SEED, batch_size=200, engine="dask",
            scheduler=cluster)
    assert (a.rows_in, a.scored, a.rejected) == (b.rows_in, b.scored, b.rejected) == (4004, 4000, 4)
    # same values (Table.equals would also compare each row group's dictionary of tier names)
    assert pq.read_table(tmp_path / "local.parquet").to_pylist() == \
        pq.read_table(tmp_path / "dask.parquet").to_pylist()

    def rejects(name: str) -> list[tuple[str, ...]]:
        rows = (tmp_path / f"{name}.rejects.csv").read_text().splitlines()[1:]
        return sorted(tuple(r.split(",", 3)[:3]) for r in rows)

    got = rejects("dask")
    assert got == rejects("local")
    assert sorted(int(line) for _, line, _ in got) == broken
