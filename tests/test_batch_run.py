"""Files in, files out: formats, rejects accounting, malformed files, synthetic populations."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from tests.conftest import UPDATE_GOLDEN

from kreator.batch import synth as synth_mod
from kreator.batch.io import read
from kreator.batch.run import run
from kreator.core.errors import InputFileError
from kreator.ratecards import load_card

DATA = Path(__file__).parent / "data" / "batch"
SEED = load_card("seed")


def _read(path: Path) -> pa.Table:
    if path.suffix == ".parquet":
        return pq.read_table(path)
    if path.suffix == ".csv":
        return pacsv.read_csv(path)
    return pa.Table.from_pylist([json.loads(x) for x in path.read_text().splitlines()])


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("pop")
    return {ext: d / f"pop.{ext}" for ext in ("parquet", "csv", "jsonl")
            if synth_mod.write(d / f"pop.{ext}", 3000, SEED, seed=4)}


@pytest.mark.parametrize("ext", ["parquet", "csv", "jsonl"])
def test_every_format_gives_the_same_scores(population: dict[str, Path], tmp_path: Path,
                                            ext: str) -> None:
    out = tmp_path / "out.parquet"
    summary = run(population[ext], out, SEED, batch_size=1000)
    assert (summary.rows_in, summary.scored, summary.rejected) == (3000, 3000, 0)
    reference = tmp_path / "ref.parquet"
    run(population["parquet"], reference, SEED, batch_size=3000)
    a, b = pq.read_table(out).drop(["id"]), pq.read_table(reference).drop(["id"])
    assert a.equals(b)


@pytest.mark.parametrize("ext", ["csv", "jsonl"])
def test_text_outputs_hold_the_same_numbers(population: dict[str, Path], tmp_path: Path,
                                            ext: str) -> None:
    out = tmp_path / f"out.{ext}"
    run(population["parquet"], out, SEED)
    ref = tmp_path / "ref.parquet"
    run(population["parquet"], ref, SEED)
    got, want = _read(out), pq.read_table(ref)
    assert got.num_rows == want.num_rows
    for name in ("total_p50", "sponsorship_p90", "creator_fund_gap_min_followers"):
        assert got.column(name).to_pylist() == pytest.approx(want.column(name).to_pylist(), rel=1e-15)
    assert got.column("tier").to_pylist() == want.column("tier").to_pylist()


def test_rejects_file_accounts_for_every_row(tmp_path: Path) -> None:
    out = tmp_path / "scores.csv"
    summary = run(DATA / "bad_rows.csv", out, SEED, columns={"followers": "follower_count"},
                  batch_size=4)
    rejects = pacsv.read_csv(tmp_path / "scores.rejects.csv")
    scored = pacsv.read_csv(out)
    assert summary.rows_in == 11 == summary.scored + summary.rejected
    assert (scored.num_rows, rejects.num_rows) == (summary.scored, summary.rejected)
    assert scored.column("id").to_pylist() == ["a1", "a11"]
    golden = DATA / "bad_rows.rejects.golden.csv"
    text = (tmp_path / "scores.rejects.csv").read_text("utf-8")
    if UPDATE_GOLDEN:
        golden.write_text(text, "utf-8")
    assert text == golden.read_text("utf-8")


def test_bad_json_lines_are_rejected_by_line(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"followers": 4000, "views_30d": 40000}\n'
                   '{"followers": 4000, "views_30d": \n'
                   '[1, 2]\n'
                   '{"followers": "many", "views_30d": 5}\n'
                   '\n'
                   '{"followers": 12000, "views_30d": 200000}\n')
    out = tmp_path / "out.parquet"
    summary = run(src, out, SEED)
    assert (summary.rows_in, summary.scored, summary.rejected) == (5, 2, 3)
    rej = pacsv.read_csv(tmp_path / "out.rejects.csv").to_pylist()
    assert [(r["line"], r["field"]) for r in rej if r["line"]] == [(2, "(line)"), (3, "(line)")]
    assert any("'many' is not a number" in r["reason"] for r in rej)


def test_malformed_file_fails_early_and_writes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "broken.parquet"
    src.write_bytes(b"this is not parquet at all")
    out = tmp_path / "out.parquet"
    with pytest.raises(InputFileError, match=r"broken.parquet: is not a readable parquet file"):
        run(src, out, SEED)
    assert not out.exists() and not (tmp_path / "out.rejects.csv").exists()
    with pytest.raises(InputFileError, match="no such file"):
        run(tmp_path / "missing.csv", out, SEED)
    with pytest.raises(InputFileError, match="cannot tell the format"):
        run(DATA / "bad_rows.csv", tmp_path / "out.xlsx", SEED)


def test_failure_mid_file_leaves_no_partial_output(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(b"followers,views_30d\n" + b"100,1000\n" * 2000 + b"5,\xff\xfe\n")
    out = tmp_path / "out.parquet"
    with pytest.raises(InputFileError):
        run(src, out, SEED, batch_size=100)
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_reader_batches_are_bounded(population: dict[str, Path]) -> None:
    for ext, path in population.items():
        sizes = [t.num_rows for t, _ in read(path, ext, ["followers", "views_30d"], 700)]
        assert max(sizes) <= 700 and sum(sizes) == 3000


def test_synth_is_seeded_and_chunk_independent(monkeypatch: pytest.MonkeyPatch) -> None:
    a = synth_mod.synth(2500, SEED, seed=9)
    assert a.equals(synth_mod.synth(2500, SEED, seed=9))
    assert not a.equals(synth_mod.synth(2500, SEED, seed=10))
    monkeypatch.setattr(synth_mod, "CHUNK", 1000)
    assert len(list(synth_mod.batches(2500, SEED, 9))) == 3


def test_synth_population_is_realistic() -> None:
    t = synth_mod.synth(20_000, SEED, seed=1)
    out = run_table(t)
    tiers = out.column("tier").to_pylist()
    assert 0.35 < tiers.count("nano") / len(tiers) < 0.55
    er = (sum(t.column(c).to_numpy().astype(float) for c in ("likes_30d", "comments_30d",
                                                              "shares_30d"))
          / t.column("views_30d").to_numpy().clip(1))
    assert 0.03 < float(pa.array(er).to_numpy().mean()) < 0.12
    assert len(set(t.column("niche").to_pylist())) > 15


def run_table(t: pa.Table) -> pa.Table:
    import kreator.batch

    out: pa.Table = kreator.batch.score(t)
    return out
