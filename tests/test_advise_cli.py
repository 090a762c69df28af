"""``kreator advise``, ``whatif`` and ``sensitivity`` as a user runs them; the docs' examples."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from kreator.core.advise import TIPS

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ("advise", "whatif", "sensitivity", "project", "offer", "ratesheet", "mediakit")


def test_advise_json_contract(cli) -> None:
    r = cli("advise", "--demo", "--json", "--draws", "4000")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    items = d["advice"]
    assert {a["tip"] for a in items} == set(TIPS)
    for a in items:
        assert {"id", "tip", "gain", "unlocks", "skipped"} <= set(a)
        assert set(a["gain"]) >= {"p10", "p50", "p90"}
        assert isinstance(a["unlocks"], list)
        assert a["skipped"] is None or isinstance(a["skipped"], str)
    applied = [a for a in items if a["skipped"] is None]
    # ranked by the gain a year ahead (each profile at its own growth), then today's gain
    later = [a["gain_later"]["p50"] for a in applied]
    assert applied[0]["rank"] == 1 and later == sorted(later, reverse=True)
    assert all(a["gain_later"]["months"] == 12 for a in applied)
    assert all(a["assumptions"] and all(x["source"] for x in a["assumptions"]) for a in items)
    assert d["currency"] == "USD" and d["before"]["monthly"]["p50"] > 0
    assert any(o["stream"] == "creator_fund" for o in d["opens"])


def test_advise_gains_scale_with_the_currency(cli) -> None:
    usd = json.loads(cli("advise", "--demo", "--json", "--draws", "2000").out)
    sek = json.loads(cli("advise", "--demo", "--json", "--draws", "2000", "--currency", "SEK",
                         "--fx-rate", "10").out)
    assert sek["advice"][0]["gain"]["p50"] == pytest.approx(usd["advice"][0]["gain"]["p50"] * 10,
                                                           rel=1e-3)


def test_advise_text_in_english_and_swedish(cli) -> None:
    r = cli("advise", "--demo", "--card", "seed", "--as-of", "2026-11-26")
    assert r.code == 0, r.err
    assert "Top actions:" in r.out and "1. Go LIVE twice a week: about +$" in r.out
    assert "you already make 8 affiliate sales a month" in r.out
    assert re.search(r"Creator Fund: about \d+ months", r.out)
    sv = cli("advise", "--demo", "--card", "seed", "--lang", "sv", "--currency", "SEK",
             "--as-of", "2026-11-26")
    assert sv.code == 0, sv.err
    assert "Viktigaste åtgärderna:" in sv.out and "Gå LIVE två gånger i veckan" in sv.out
    assert "kr" in sv.out and "Skaparfonden" in sv.out


def test_advise_on_the_current_card(cli) -> None:
    r = cli("advise", "--demo", "--card", "current", "--json", "--draws", "2000")
    assert r.code == 0, r.err
    assert {a["tip"] for a in json.loads(r.out)["advice"]} == set(TIPS)


def test_whatif(cli) -> None:
    r = cli("whatif", "--demo", "--card", "seed", "--set", "followers=12000",
            "--set", "views_30d=120000")
    assert r.code == 0, r.err
    assert "Creator Fund" in r.out and "Opens: Creator Fund" in r.out
    d = json.loads(cli("whatif", "--demo", "--set", "lives_per_month=8", "--json").out)
    assert d["gain"]["p10"] > 0 and d["unlocks"] == []
    before = {s["id"]: s for s in d["before"]["streams"]}
    after = {s["id"]: s for s in d["after"]["streams"]}
    assert after["live_gifts"]["monthly"]["p50"] == pytest.approx(
        2 * before["live_gifts"]["monthly"]["p50"], rel=1e-6)
    assert after["sponsorship"] == before["sponsorship"]


@pytest.mark.parametrize("args,needle", [
    ((), "--set"),
    (("--set", "followers"), "not field=value"),
    (("--set", "folowers=3"), "did you mean"),
    (("--set", "followers=lots"), "followers"),
])
def test_whatif_bad_settings(cli, args, needle: str) -> None:
    r = cli("whatif", "--demo", *args)
    assert r.code == 2 and needle.lower() in r.err.lower() and "Traceback" not in r.err


def test_sensitivity(cli, tmp_path) -> None:
    r = cli("sensitivity", "--demo", "--draws", "2000")
    assert r.code == 0, r.err
    assert "What moves your income most" in r.out and "lives per month" in r.out
    d = json.loads(cli("sensitivity", "--demo", "--json", "--draws", "2000").out)["sensitivity"]
    swings = [x["swing"] for x in d["inputs"]]
    assert swings == sorted(swings, reverse=True)
    png = tmp_path / "t.png"
    assert cli("sensitivity", "--demo", "--chart", str(png), "--draws", "2000").code == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    r = cli("sensitivity", "--demo", "--chart", str(tmp_path / "t.gif"))
    assert r.code == 2 and ".svg or .png" in r.err


@pytest.mark.parametrize("cmd", COMMANDS)
def test_every_command_takes_the_shared_options(cli, cmd: str) -> None:
    r = cli(cmd, "--help")
    assert r.code == 0
    for flag in ("--json", "--lang", "--card", "--seed", "--demo", "--profile", "--followers"):
        assert flag in r.out, (cmd, flag)
    assert "Examples" in r.out


@pytest.mark.parametrize("cmd", ["advise", "sensitivity", "ratesheet"])
def test_bad_card_and_language(cli, cmd: str) -> None:
    r = cli(cmd, "--demo", "--card", "nope")
    assert r.code == 2 and "unknown card" in r.err
    r = cli(cmd, "--demo", "--lang", "de")
    assert r.code == 2 and "--lang en" in r.err


def test_no_creator_given(cli) -> None:
    r = cli("advise")
    assert r.code == 2 and "no creator given" in r.err


def doc_examples() -> list[str]:
    text = (ROOT / "docs" / "advice.md").read_text("utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    lines = [ln.split("  #")[0].strip() for b in blocks for ln in b.splitlines()]
    return [ln for ln in lines if ln.startswith(tuple(f"kreator {c}" for c in COMMANDS))]


def test_docs_have_examples_for_every_command() -> None:
    found = {ln.split()[1] for ln in doc_examples()}
    assert found == set(COMMANDS)


@pytest.mark.parametrize("line", doc_examples())
def test_doc_example_runs(cli, line: str, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = [a for a in shlex.split(line)[1:]]
    if args[0] == "mediakit" and "--no-pdf" not in args:
        args.append("--no-pdf")
    r = cli(*args)
    assert r.code == 0, f"{line}\n{r.err}"
    assert r.out.strip()


def _history(tmp_path: Path, rows: str) -> str:
    f = tmp_path / "history.csv"
    f.write_text("date,followers\n" + rows, "utf-8")
    return str(f)


@pytest.mark.parametrize(("args", "words"), [
    # dates near year 1 or 9999 overflowed the projected months (ValueError: year 10001)
    (["advise", "--as-of", "9999-12-31"], "as_of: 9999-12-31 is not between 2000-01-01 and"),
    (["project", "--as-of", "0001-01-01"], "as_of: 0001-01-01 is not between 2000-01-01 and"),
    (["mediakit", "--as-of", "2026-02-30", "--no-pdf"], "as_of: '2026-02-30' is not a date"),
    # a trend no creator has: nan/inf drew NaN charts, 1e308 crashed the number formatting
    (["project", "--growth", "1e308"], "growth: the follower trend must be from"),
    (["project", "--growth", "nan"], "growth: the follower trend must be from"),
    (["project", "--growth", "-inf"], "growth: the follower trend must be from"),
    # project took any number of draws (0 and -5 silently became 400 simulated months)
    (["project", "--draws", "0"], "draws: draws must be from 100 to 10,000,000 (got 0)"),
    # an offer too large to format (decimal.InvalidOperation in Babel)
    (["offer", "--amount", "1e300"], "amount: the amount must be at most 10,000,000,000"),
    (["offer", "--amount", "120", "--currency", "SEK", "--fx-rate", "1e-300"],
     "fx_rate: --fx-rate must be from"),
    # the second --set silently won
    (["whatif", "--set", "followers=5", "--set", "followers=6"], "set: followers is set twice"),
    (["whatif", "--set", "audience=US=0.5,US=0.6"], "audience: US is given twice"),
    (["advise", "--levers", ""], "Invalid value for '--levers': the path is empty"),
    (["sensitivity", "--seed", "-3"], "Invalid value for '--seed'"),
])
def test_hostile_options_are_clear_errors(cli, args, words: str) -> None:
    r = cli(args[0], "--demo", *args[1:])
    assert r.code == 2, r.out
    assert words in r.err
    assert "Internal error" not in r.err and "Traceback" not in r.err


@pytest.mark.parametrize(("rows", "row"), [
    ("2026-01-01,1e300\n2026-02-01,1e308\n", 2),  # crashed formatting the projection
    ("2026-01-01,nan\n2026-02-01,inf\n", 2),  # projected NaN followers
    ("2026-01-01,100\n2026-02-01,-5\n", 3),  # a negative follower count
])
def test_history_rows_no_creator_has_name_the_row(cli, tmp_path, rows: str, row: int) -> None:
    path = _history(tmp_path, rows)
    r = cli("project", "--demo", "--history", path)
    assert r.code == 2, r.out
    assert (f"{path}: history: row {row}: expected YYYY-MM-DD,followers with 0 to 2,000,000,000 "
            "followers") in r.err


def test_mediakit_out_must_not_be_the_pdf(cli, tmp_path) -> None:
    """--out kit.pdf wrote the HTML there, then printed the PDF over it: the kit was lost."""
    out = tmp_path / "kit.pdf"
    r = cli("mediakit", "--demo", "--out", str(out), "--no-pdf")
    assert r.code == 2 and "out: is where the HTML goes" in r.err and "--out kit.html" in r.err
    assert not out.exists()


def test_mediakit_out_must_not_be_a_folder(cli, tmp_path) -> None:
    r = cli("mediakit", "--demo", "--out", str(tmp_path), "--no-pdf")
    assert r.code == 2 and f"{tmp_path}: out: is a folder, not a file" in r.err


def test_project_draws_beyond_memory_are_refused() -> None:
    """--draws 10000000 --months 60 asked for ~16 GB at once: "Internal error: MemoryError"
    (run in a process capped at 4 GB, so that without the check it fails instead of swapping)."""
    import resource
    import subprocess
    import sys

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    r = subprocess.run([sys.executable, "-m", "kreator", "project", "--demo", "--draws",
                        "10000000", "--months", "60"], capture_output=True, text=True,
                       timeout=300, preexec_fn=cap)
    assert r.returncode == 2, r.stderr
    assert ("draws: 10,000,000 draws for each of 61 months are more than 130,000,000 simulated "
            "months. Fix: use fewer --draws") in r.stderr
