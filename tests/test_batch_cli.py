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


def _csv(tmp_path: Path, name: str, body: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(body)
    return path


def test_rejects_file_never_overwrites_the_input(cli, tmp_path: Path) -> None:
    """--rejects INPUT replaced the creators with the (empty) rejects table, exit 0."""
    body = b"id,followers,views_30d\n1,100,1000\n"
    src = _csv(tmp_path, "creators.csv", body)
    r = cli("batch", str(src), "-o", str(tmp_path / "s.csv"), "--rejects", str(src))
    assert r.code == 2 and f"{src}: --rejects: the rejects file would overwrite the input" in r.err
    assert src.read_bytes() == body
    # the default rejects name can be the input too: x.csv -> x.rejects.csv
    named = _csv(tmp_path, "x.rejects.csv", body)
    r = cli("batch", str(named), "-o", str(tmp_path / "x.csv"))
    assert r.code == 2 and "would overwrite the input" in r.err and named.read_bytes() == body


@pytest.mark.parametrize(("command", "output", "words"), [
    ("batch", "nope/s.csv", "--output: the folder {tmp}/nope does not exist"),
    ("batch", ".", "--output: is a folder, not a file"),
    ("synth", "nope/s.csv", "the folder {tmp}/nope does not exist"),
    ("synth", ".", "is a folder, not a file"),
])
def test_outputs_that_cannot_be_files(cli, tmp_path: Path, monkeypatch, command: str,
                                      output: str, words: str) -> None:
    """A missing folder or a folder crashed in pyarrow (FileNotFoundError, IsADirectoryError);
    an empty name in pathlib (ValueError: has an empty name)."""
    monkeypatch.chdir(tmp_path)
    src = _csv(tmp_path, "c.csv", b"id,followers,views_30d\n1,100,1000\n")
    args = [str(src)] if command == "batch" else ["--n", "5"]
    fmt = "--output-format" if command == "batch" else "--format"
    r = cli(command, *args, "-o", output, fmt, "csv")
    assert r.code == 2 and words.format(tmp=tmp_path) in r.err, r.err
    assert not list(tmp_path.glob("**/*.part"))


def test_synth_negative_seed_is_a_usage_error(cli, tmp_path: Path) -> None:
    r = cli("synth", "--n", "5", "-o", str(tmp_path / "s.csv"), "--seed", "-1")
    assert r.code == 2 and "Invalid value for '--seed'" in r.err


@pytest.mark.parametrize(("header", "words"), [
    (b"id,followers,followers,views_30d", "followers: column 'followers' appears 2 times"),
    (b"id,Followers,followers,views_30d", "followers: columns 'Followers', 'followers' all give"),
    (b"id,id,followers,views_30d", "id: column 'id' appears 2 times"),
])
def test_a_column_the_header_repeats(cli, tmp_path: Path, header: bytes, words: str) -> None:
    """Which of two same-named columns was scored was silently Arrow's choice."""
    src = _csv(tmp_path, "c.csv", header + b"\n1,100,200,1000\n")
    r = cli("batch", str(src), "-o", str(tmp_path / "s.csv"))
    assert r.code == 2 and f"{src}: {words}" in r.err, r.err


def test_a_bad_last_line_is_rejected_not_lost(cli, tmp_path: Path) -> None:
    """A malformed line after the last good row was dropped: 0 rows in, 0 rejected."""
    src = _csv(tmp_path, "c.csv", b'followers,views_30d\n"1\n')
    r = cli("batch", str(src), "-o", str(tmp_path / "s.csv"), "--json")
    assert r.code == 0, r.err
    summary = json.loads(r.out)
    assert (summary["rows_in"], summary["rejected"]) == (1, 1)
    assert '"""1"' in (tmp_path / "s.rejects.csv").read_text("utf-8")


def test_a_line_that_is_not_utf8_prints_no_traceback(tmp_path: Path) -> None:
    """Arrow printed "Exception ignored ... Traceback ... UnicodeDecodeError" before the error
    (through sys.unraisablehook, which only a real process shows)."""
    import subprocess
    import sys

    src = _csv(tmp_path, "c.csv", b"id,followers,views_30d\n1,100,1000\n3,\xff,\xfe,1000\n")
    r = subprocess.run([sys.executable, "-m", "kreator", "batch", str(src), "-o",
                        str(tmp_path / "s.csv")], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and r.stderr.startswith(f"Error: {src}: "), r.stderr
    assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr


def test_a_json_line_nested_too_deeply_is_rejected(tmp_path: Path) -> None:
    """Arrow's JSON reader crashed the process (segmentation fault) on a line nested 100,000
    deep; now that line is a reject naming the line (run in its own process: a crash here
    would take the test run with it)."""
    import subprocess
    import sys

    src = _csv(tmp_path, "c.jsonl", b'{"followers": 100, "views_30d": 1000}\n{"a": '
               + b"[" * 100_000 + b"]" * 100_000 + b"}\n")
    out = tmp_path / "s.csv"
    r = subprocess.run([sys.executable, "-m", "kreator", "batch", str(src), "-o", str(out),
                        "--json"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert (json.loads(r.stdout)["scored"], json.loads(r.stdout)["rejected"]) == (1, 1)
    assert "2,\"(line)\",\"is not valid JSON (nested too deeply)" in (
        tmp_path / "s.rejects.csv").read_text("utf-8")
