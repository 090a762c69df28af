"""--engine dask on a real (small, in-process) LocalCluster: identical to the local engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kreator.batch import synth as synth_mod
from kreator.batch.engine_dask import frame, parts
from kreator.batch.io import detect
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
        ddf = frame(path, detect(path, None), plan.cmap.columns, 1000).repartition(
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
            "--json")
    assert r.code == 0, r.err
    assert '"engine": "dask"' in r.out
    local = tmp_path / "local.parquet"
    run(files["csv"], local, SEED)
    assert pq.read_table(out).equals(pq.read_table(local))
