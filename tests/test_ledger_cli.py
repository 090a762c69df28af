"""``kreator ledger …`` end to end through the real command line, with golden text output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import UPDATE_GOLDEN
from test_ledger_support import DATA

GOLDEN = DATA / "golden"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "ledger.sqlite")


def ok(cli: Any, *args: str) -> str:
    r = cli(*args)
    assert r.code == 0, f"{args}: {r.err}"
    return str(r.out)


def js(cli: Any, *args: str) -> Any:
    return json.loads(ok(cli, *args, "--json"))


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE_GOLDEN or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    assert text == path.read_text("utf-8"), f"{name} differs (KREATOR_UPDATE_GOLDEN=1 to update)"


def seed_history(cli: Any, db: str) -> None:
    rows = [("2026-01-31", "creator_rewards", "41.20", "USD", "January payout"),
            ("2026-02-27", "creator_rewards", "38.05", "USD", "February payout"),
            ("2026-02-14", "sponsorship", "2500", "SEK", "Brand deal: oat drink"),
            ("2026-03-03", "live_gifts", "6.70", "USD", "LIVE"),
            ("2026-03-20", "sponsorship", "120.00", "USD", "Brand deal: socks")]
    for day, stream, amount, cur, note in rows:
        ok(cli, "ledger", "add", "--creator", "maja", "--date", day, "--stream", stream,
           "--amount", amount, "--currency", cur, "--note", note, "--key", f"{day}-{stream}",
           "--db", db)


def test_add_list_and_idempotent_key(cli: Any, db: str) -> None:
    out = js(cli, "ledger", "add", "--stream", "sponsorship", "--amount", "250", "--currency",
             "EUR", "--note", "Brand deal", "--creator", "maja", "--date", "2026-05-02",
             "--key", "INV-42", "--db", db)
    assert out["created"] and out["event"]["amount"] == "250.00"
    again = cli("ledger", "add", "--stream", "sponsorship", "--amount", "250", "--currency",
                "EUR", "--creator", "maja", "--key", "INV-42", "--db", db)
    assert again.code == 0 and "Already in the ledger" in again.out
    listed = js(cli, "ledger", "list", "--db", db)
    assert listed["count"] == 1 and listed["events"][0]["natural_key"] == "INV-42"


def test_converted_manual_entry_computes_the_amount(cli: Any, db: str) -> None:
    out = js(cli, "ledger", "add", "--stream", "sponsorship", "--currency", "SEK",
             "--original-amount", "200", "--original-currency", "EUR", "--fx-rate", "11.0237",
             "--fx-source", "bank statement", "--fx-date", "2026-05-02", "--db", db)
    ev = out["event"]
    assert ev["amount"] == "2204.74"  # 200 x 11.0237 = 2204.74 exactly
    assert (ev["original_amount"], ev["fx_rate"], ev["fx_source"]) == ("200", "11.0237",
                                                                       "bank statement")


@pytest.mark.parametrize(("args", "words"), [
    (["--stream", "tips", "--amount", "1", "--currency", "USD"], "stream: unknown stream 'tips'"),
    (["--stream", "other", "--amount", "1.005", "--currency", "USD"], "more decimals than USD"),
    (["--stream", "other", "--amount", "1,5", "--currency", "USD"], "'1,5' is not an amount"),
    (["--stream", "other", "--amount", "1", "--currency", "US"], "not an ISO 4217"),
    (["--stream", "other", "--currency", "USD"], "no amount given"),
    (["--stream", "other", "--amount", "1", "--currency", "USD", "--date", "30/04/2026"],
     "'30/04/2026' is not a date"),
])
def test_bad_input_is_one_line_and_exit_2(cli: Any, db: str, args: list[str],
                                          words: str) -> None:
    r = cli("ledger", "add", *args, "--db", db)
    assert r.code == 2 and words in r.err and "Fix:" in r.err
    assert "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1


def test_unknown_creator_and_database_scheme(cli: Any, db: str) -> None:
    seed_history(cli, db)
    r = cli("ledger", "report", "--creator", "bob", "--db", db)
    assert r.code == 2 and "no creator 'bob' in the ledger (maja)" in r.err
    r = cli("ledger", "list", "--db", "mysql://x@y/z")
    assert r.code == 2 and "unsupported database" in r.err


def test_kreator_db_environment_variable(cli: Any, db: str) -> None:
    ok(cli, "ledger", "add", "--stream", "other", "--amount", "1", "--currency", "USD",
       "--db", db)
    r = cli("ledger", "list", "--json", env={"KREATOR_DB": db})
    assert r.code == 0 and json.loads(r.out)["count"] == 1


def test_report_text_is_golden_in_english_and_swedish(cli: Any, db: str, tmp_path: Path) -> None:
    seed_history(cli, db)
    golden("report.en.txt", ok(cli, "ledger", "report", "--creator", "maja", "--db", db))
    golden("report.sv.txt", ok(cli, "ledger", "report", "--lang", "sv", "--db", db))
    data = js(cli, "ledger", "report", "--db", db, "--chart", str(tmp_path / "c.png"))
    usd = next(c for c in data["currencies"] if c["currency"] == "USD")
    assert usd["total"] == "205.95"  # 41.20 + 38.05 + 6.70 + 120.00
    assert usd["by_stream"] == {"creator_rewards": "79.25", "live_gifts": "6.70",
                                "sponsorship": "120.00"}
    assert (tmp_path / "c.png").stat().st_size > 1000


def test_estimate_compare_calibrate_and_a_calibrated_estimate(cli: Any, db: str) -> None:
    seed_history(cli, db)
    saved = js(cli, "ledger", "estimate", "--creator", "maja", "--demo", "--as-of",
               "2026-01-01", "--label", "demo creator", "--card", "seed", "--db", db)
    sponsor = next(s for s in saved["estimate"]["streams"] if s["id"] == "sponsorship")
    golden("compare.en.txt", ok(cli, "ledger", "compare", "--creator", "maja", "--db", db))
    cmp = js(cli, "ledger", "compare", "--db", db)
    assert cmp["months"] == ["2026-01", "2026-02", "2026-03"] and cmp["currency"] == "USD"
    assert cmp["not_estimated"] == {"creator_rewards": "the estimate's rate card has no such "
                                                       "stream"}
    assert cmp["fx"][0]["from"] == "SEK"  # the SEK brand deal is converted to compare
    golden("calibrate.en.txt", ok(cli, "ledger", "calibrate", "--dry-run", "--db", db))
    dry = js(cli, "ledger", "calibrate", "--dry-run", "--db", db)
    assert dry["saved"] is False
    cal = js(cli, "ledger", "calibrate", "--db", db)
    assert cal["streams"] == dry["streams"]
    k = float(next(s for s in cal["streams"] if s["stream"] == "sponsorship")["after"])
    assert 0 < k < 1  # sponsorship income (0, 234.96, 120) is below the demo's expected mean
    plain = js(cli, "estimate", "--demo", "--card", "seed")
    calibrated = js(cli, "estimate", "--demo", "--card", "seed", "--creator", "maja", "--db", db)
    p50 = {s["id"]: s["monthly"]["p50"] for s in plain["streams"]}
    p50k = {s["id"]: s["monthly"]["p50"] for s in calibrated["streams"]}
    assert p50k["sponsorship"] == pytest.approx(p50["sponsorship"] * k, rel=1e-3)
    assert p50k["live_gifts"] == pytest.approx(p50["live_gifts"] * float(
        next(s for s in cal["streams"] if s["stream"] == "live_gifts")["after"]), rel=1e-3)
    assert p50k["affiliate"] == p50["affiliate"]  # no data: not calibrated
    assert sponsor["monthly"]["p50"] == pytest.approx(p50["sponsorship"], rel=1e-9)


def test_export_backup_runs_and_creators(cli: Any, db: str, tmp_path: Path) -> None:
    seed_history(cli, db)
    out = js(cli, "ledger", "export", str(tmp_path / "x.xlsx"), "--from", "2026-02", "--db", db)
    assert out == {"path": str(tmp_path / "x.xlsx"), "format": "xlsx", "events": 4}
    b = js(cli, "ledger", "backup", str(tmp_path / "b.sqlite"), "--db", db)
    assert b["tables"]["income_event"] == 5
    assert js(cli, "ledger", "list", "--db", str(tmp_path / "b.sqlite"))["count"] == 5
    assert js(cli, "ledger", "creators", "--db", db) == {"creators": ["maja"]}
    assert js(cli, "ledger", "runs", "--db", db) == {"runs": []}


@pytest.mark.parametrize("command", ["add", "list", "import", "report", "estimate", "compare",
                                     "calibrate", "export", "backup", "runs", "creators"])
def test_help_teaches_with_examples(cli: Any, command: str) -> None:
    out = ok(cli, "ledger", command, "--help")
    assert "Example" in out and "--json" in out and "--db" in out


def _doc_lines() -> list[str]:
    import re

    text = (Path(__file__).parents[1] / "docs" / "ledger.md").read_text("utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    return [ln.split("  #")[0].strip() for b in blocks for ln in b.splitlines()
            if ln.startswith(("kreator ledger", "kreator estimate"))]


@pytest.mark.parametrize("line", _doc_lines())
def test_docs_examples_use_real_commands_and_flags(cli: Any, line: str) -> None:
    import shlex

    words = shlex.split(line)
    command = words[1:3] if words[1] == "ledger" else words[1:2]
    out = ok(cli, *command, "--help")
    for flag in (w for w in words if w.startswith("--")):
        assert flag in out, f"{line}: {flag} is not an option of {' '.join(command)}"


ORIGINAL = ["--stream", "sponsorship", "--currency", "SEK", "--original-currency", "EUR"]


@pytest.mark.parametrize(("args", "words"), [
    # Decimal overflowed (decimal.Overflow), or underflowed to a stored 0.00
    (["--stream", "other", "--amount", "1e999999999", "--currency", "USD"],
     "amount: '1E+999999999' is too large or too small"),
    (["--stream", "other", "--amount", "1e-999999999", "--currency", "USD"],
     "amount: '1E-999999999' is too large or too small"),
    ([*ORIGINAL, "--original-amount", "1e999999", "--fx-rate", "1e999999"],
     "fx_rate: '1E+999999' is too large or too small"),
    # a rate of zero or below made the amount 0 or negative
    ([*ORIGINAL, "--original-amount", "200", "--fx-rate", "0"],
     "fx_rate: the exchange rate must be more than zero (got 0)"),
    ([*ORIGINAL, "--original-amount", "200", "--fx-rate", "-11"],
     "fx_rate: the exchange rate must be more than zero (got -11)"),
])
def test_amounts_out_of_range_are_refused(cli: Any, db: str, args: list[str], words: str) -> None:
    r = cli("ledger", "add", *args, "--db", db)
    assert r.code == 2 and words in r.err and "Fix:" in r.err, r.err
    assert js(cli, "ledger", "list", "--db", db)["count"] == 0


@pytest.mark.parametrize(("url", "words"), [
    ("sqlite://:memory:", "db: 'sqlite://:memory:' is not a database URL"),  # was a ValueError
    ("postgresql+asyncpg://u@h/db", "db: unsupported database 'postgresql+asyncpg'"),
    ("sqlite+pysqlcipher:///x.db", "db: unsupported database 'sqlite+pysqlcipher'"),
])
def test_database_urls_kreator_cannot_use(cli: Any, url: str, words: str) -> None:
    r = cli("ledger", "list", "--db", url)
    assert r.code == 2 and words in r.err and "Fix:" in r.err, r.err


def test_numbers_beyond_64_bits_find_nothing(cli: Any, db: str) -> None:
    """--limit, --run and --estimate beyond a 64-bit integer crashed SQLite (OverflowError)."""
    seed_history(cli, db)
    big = "99999999999999999999"
    assert js(cli, "ledger", "list", "--limit", big, "--db", db)["count"] == 5
    assert js(cli, "ledger", "list", "--run", big, "--db", db)["count"] == 0
    assert js(cli, "ledger", "runs", "--limit", big, "--db", db)["runs"] == []
    ok(cli, "ledger", "estimate", "--creator", "maja", "--demo", "--db", db)
    for command in ("compare", "calibrate"):
        r = cli("ledger", command, "--estimate", big, "--db", db)
        assert r.code == 2 and f"estimate: no estimate {big} saved for creator 'maja'" in r.err
    r = cli("ledger", "list", "--limit", "0", "--db", db)
    assert r.code == 2 and "Invalid value for '--limit'" in r.err


def test_a_missing_estimate_is_named_as_missing(cli: Any, db: str) -> None:
    seed_history(cli, db)
    ok(cli, "ledger", "estimate", "--creator", "maja", "--demo", "--db", db)
    r = cli("ledger", "compare", "--estimate", "999", "--db", db)
    assert r.code == 2 and "no estimate 999 saved for creator 'maja'" in r.err
    assert "leave out --estimate" in r.err


def test_last_month_of_the_last_year(cli: Any, db: str) -> None:
    seed_history(cli, db)
    assert js(cli, "ledger", "list", "--to", "9999-12", "--db", db)["count"] == 5


@pytest.mark.parametrize("kind", ["folder", "missing folder", "pipe", "empty"])
def test_export_and_backup_refuse_what_is_not_a_file(cli: Any, db: str, tmp_path: Path,
                                                     kind: str) -> None:
    """Exporting into a folder or "" crashed (IsADirectoryError); into a missing folder the
    backup crashed (sqlite3.OperationalError); into a pipe (or a device) the rename replaced it."""
    import os

    seed_history(cli, db)
    target = {"folder": tmp_path, "missing folder": tmp_path / "nope" / "out.csv",
              "pipe": tmp_path / "pipe.csv", "empty": Path("")}[kind]
    if kind == "pipe":
        os.mkfifo(target)
    words = {"folder": "output: is a folder, not a file", "empty": "the path is empty",
             "missing folder": f"output: the folder {tmp_path / 'nope'} does not exist",
             "pipe": "output: is not a regular file"}[kind]
    for args in (["export", str(target) if kind != "empty" else "", "--format", "csv"],
                 ["backup", str(target) if kind != "empty" else "", "--overwrite"]):
        r = cli("ledger", *args, "--db", db)
        assert r.code == 2 and words in r.err, r.err
    if kind == "pipe":
        assert target.is_fifo()


def test_import_of_an_empty_path_is_refused(cli: Any, db: str, tmp_path: Path,
                                            monkeypatch: Any) -> None:
    """"" is the current folder to pathlib: ledger import "$UNSET" imported what was there."""
    shop = DATA / "tiktok_shop" / "affiliate_orders_export.seller_center_style.csv"
    (tmp_path / "orders.csv").write_bytes(shop.read_bytes())
    monkeypatch.chdir(tmp_path)
    r = cli("ledger", "import", "", "--db", db)
    assert r.code == 2 and "Invalid value for 'paths': the path is empty" in r.err
    assert js(cli, "ledger", "list", "--db", db)["count"] == 0


def test_import_batch_size_beyond_the_database(cli: Any, db: str) -> None:
    shop = DATA / "tiktok_shop" / "affiliate_orders_export.seller_center_style.csv"
    r = cli("ledger", "import", str(shop), "--batch-size", "99999999999999999999", "--db", db)
    assert r.code == 2 and "batch_size: batch size must be from 1 to 1,000,000" in r.err, r.err


def test_income_dated_after_the_last_year_is_refused(cli: Any, db: str) -> None:
    """An entry dated 9999-12-31 was stored, and every compare and calibrate after it crashed
    counting months past year 9999 (ValueError: month must be in 1..12)."""
    r = cli("ledger", "add", "--stream", "other", "--amount", "5", "--currency", "USD",
            "--date", "9999-12-31", "--db", db)
    assert r.code == 2 and "date: 9999-12-31 is after 2999-12-31. Fix: check the year." in r.err
    for day in ("2000-01-01", "2999-12-31"):
        ok(cli, "ledger", "add", "--stream", "other", "--amount", "5", "--currency", "USD",
           "--date", day, "--db", db)
    ok(cli, "ledger", "estimate", "--demo", "--db", db)
    months = js(cli, "ledger", "compare", "--db", db)["months"]
    assert len(months) == 12_000 and months[-1] == "2999-12"
