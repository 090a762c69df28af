"""`kreator batch` and `kreator synth` through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

DATA = Path(__file__).parent / "data" / "batch"


def test_synth_then_batch_end_to_end(cli, tmp_path: Path) -> None:
    pop, out = tmp_path / "creators.parquet", tmp_path / "scores.parquet"
    r = cli("synth", "--n", "2000", "-o", str(pop), "--seed", "3")
    assert r.code == 0, r.err
    assert "2,000" in r.out
    r = cli("batch", str(pop), "-o", str(out))
    assert r.code == 0, r.err
    assert "2,000 rows in = 2,000 scored + 0 rejected" in r.out
    table = pq.read_table(out)
    assert table.num_rows == 2000
    assert table.schema.metadata[b"kreator.total_method"] == b"closed-form"
    assert {"id", "tier", "total_p50", "creator_fund_eligible", "live_gifts_unmet"} <= set(
        table.column_names)


def test_json_summary_and_rejects(cli, tmp_path: Path) -> None:
    out = tmp_path / "s.jsonl"
    r = cli("batch", str(DATA / "bad_rows.csv"), "-o", str(out), "--map",
            "followers=follower_count", "--json", "--card", "current")
    assert r.code == 0, r.err
    summary = json.loads(r.out)
    assert summary["rows_in"] == summary["scored"] + summary["rejected"] == 11
    assert summary["rejected"] == 9
    assert Path(summary["rejects_file"]).read_text().count("\n") == 10
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["id"] for x in rows] == ["a1", "a11"]
    assert "creator_rewards_p50" in rows[0]


def test_mc_flag_is_seeded(cli, tmp_path: Path) -> None:
    pop = tmp_path / "c.csv"
    cli("synth", "--n", "50", "-o", str(pop))
    outs = []
    for name, seed in (("a", "1"), ("b", "1"), ("c", "2")):
        o = tmp_path / f"{name}.parquet"
        assert cli("batch", str(pop), "-o", str(o), "--mc", "2000", "--seed", seed, "-q").code == 0
        outs.append(pq.read_table(o))
    assert outs[0].equals(outs[1]) and not outs[0].equals(outs[2])
    assert b"monte-carlo" in outs[0].schema.metadata[b"kreator.total_method"]


@pytest.mark.parametrize(("args", "needle"), [
    (["--map", "followers=nope"], "column 'nope' (mapped to followers) is not in the file"),
    (["--map", "folowers=x"], "unknown field 'folowers'. Did you mean 'followers'?"),
    (["--engine", "spark"], "unknown engine 'spark'"),
    (["--mc", "5"], "--mc must be from 100"),
    (["--format", "xls"], "unknown format 'xls'"),
    (["--batch-size", "0"], "batch size must be at least 1"),
])
def test_usage_errors_are_one_line_exit_2(cli, tmp_path: Path, args: list[str], needle: str) -> None:
    out = tmp_path / "o.parquet"
    r = cli("batch", str(DATA / "bad_rows.csv"), "-o", str(out), *args)
    assert r.code == 2
    assert needle in r.err
    assert r.err.startswith("Error:") and r.err.count("\n") == 1
    assert not out.exists()


def test_help_teaches(cli) -> None:
    r = cli("batch", "--help")
    assert r.code == 0 and "kreator batch creators.parquet -o scores.parquet" in r.out
    assert "--engine" in r.out and "--map" in r.out
    assert "kreator synth --n 10000000" in cli("synth", "--help").out
