"""``kreator estimate`` and ``kreator cards`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FLAGS = ["--followers", "4000", "--views-30d", "40000"]


def test_demo_prints_a_readable_table(cli) -> None:
    r = cli("estimate", "--demo")
    assert r.code == 0, r.err
    for label in ("Creator Fund", "Sponsorships", "LIVE gifts", "Affiliate marketing",
                  "TikTok Shop", "Total per month", "Total per year"):
        assert label in r.out
    assert "10,000 followers (you have 4,000: 6,000 to go)" in r.out


def test_json_contract(cli) -> None:
    default = json.loads(cli("estimate", *FLAGS, "--json").out)
    assert default["card"]["id"] == "current-2025"  # the card that validates best
    r = cli("estimate", *FLAGS, "--card", "seed", "--json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    assert d["card"] == {"id": "seed", "name": d["card"]["name"], "as_of": "2024"}
    assert d["currency"] == "USD"
    assert d["profile"]["tier"] == "nano" and d["profile"]["engagement_rate"] == pytest.approx(6.0)
    ids = [s["id"] for s in d["streams"]]
    assert ids == ["creator_fund", "sponsorship", "live_gifts", "affiliate", "tiktok_shop"]
    cf = d["streams"][0]
    assert cf["eligible"] is False
    assert {u["rule"]: u["gap"] for u in cf["unmet"]} == {"min_followers": 6000.0,
                                                           "min_views_30d": 60000.0}
    for s in d["streams"]:
        assert set(s) >= {"id", "eligible", "unmet", "monthly", "per_unit", "explain"}
        assert set(s["monthly"]) == {"p10", "p50", "p90", "mean"}
        assert set(s["per_unit"]) >= {"unit", "low", "high", "typical"}
        assert all(set(f) >= {"name", "value", "source"} for f in s["explain"])
    assert set(d["total"]) == {"monthly", "yearly"}
    assert d["total"]["yearly"]["p50"] == pytest.approx(12 * d["total"]["monthly"]["p50"], rel=1e-6)
    assert "videos_30d" in d["defaults_used"]


def test_explain_shows_the_breakdown_with_card_keys(cli) -> None:
    r = cli("estimate", "--demo", "--explain")
    assert r.code == 0
    assert "How Sponsorships was computed" in r.out
    assert "streams.sponsorship.rate" in r.out and "factors.engagement" in r.out


def test_swedish_and_currency(cli) -> None:
    r = cli("estimate", "--demo", "--lang", "sv", "--currency", "SEK")
    assert r.code == 0, r.err
    assert "Skaparfonden" in r.out and "Sponsring" in r.out and "Gåvor i direktsändning" in r.out
    assert "kr" in r.out and "Totalt per månad" in r.out
    d = json.loads(cli("estimate", "--demo", "--json", "--currency", "SEK").out)
    usd = json.loads(cli("estimate", "--demo", "--json").out)
    assert d["currency"] == "SEK" and d["fx"]["source"]
    sek_per_usd = 11.1880 / 1.0411  # the ECB's reference rates of 2025-02-28 (fx.toml)
    assert d["total"]["monthly"]["p50"] == pytest.approx(usd["total"]["monthly"]["p50"]
                                                         * sek_per_usd, rel=1e-3)


def test_fx_rate_overrides_the_table(cli) -> None:
    d = json.loads(cli("estimate", "--demo", "--json", "--currency", "EUR", "--fx-rate", "2").out)
    usd = json.loads(cli("estimate", "--demo", "--json").out)
    assert d["total"]["monthly"]["p50"] == pytest.approx(2 * usd["total"]["monthly"]["p50"])


def test_same_seed_same_output(cli) -> None:
    a = cli("estimate", "--demo", "--json", "--seed", "5", "--draws", "3000").out
    b = cli("estimate", "--demo", "--json", "--seed", "5", "--draws", "3000").out
    c = cli("estimate", "--demo", "--json", "--seed", "6", "--draws", "3000").out
    assert a == b and a != c


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--followers", "-5", "--views-30d", "10"], "followers"),
        (["--followers", "5", "--views-30d", "nan"], "--views-30d"),
        (["--followers", "5", "--views-30d", "10", "--quality", "nan"],
         "quality: Input should be a finite number"),
        (["--followers", "99999999999999", "--views-30d", "10"], "followers"),
        ([*FLAGS, "--audience", "US=0.9,GB=0.3"], "more than 100%"),
        ([*FLAGS, "--audience", "US=lots"], "not a number"),
        ([*FLAGS, "--niche", "fitnes"], "Did you mean 'fitness'"),
        ([*FLAGS, "--country", "USA2"], "unknown country code"),
        ([*FLAGS, "--card", "sead"], "Did you mean 'seed'"),
        ([*FLAGS, "--currency", "XYZ"], "no exchange rate"),
        ([*FLAGS, "--lang", "de"], "unknown language"),
        ([*FLAGS, "--draws", "5"], "draws"),
        ([], "no creator given"),
        (["--followers", "ten"], "Invalid value for '--followers'"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(cli, args, words) -> None:
    r = cli("estimate", *args)
    assert r.code == 2
    assert words in r.err
    assert "Traceback" not in r.err + r.out


@pytest.mark.parametrize("suffix", [".toml", ".json", ".yaml"])
def test_profile_files(cli, tmp_path: Path, suffix: str) -> None:
    body = {
        ".toml": 'followers = 4000\nviews_30d = 40000\nniche = "tech"\naudience = "US=0.6"\n',
        ".json": '{"followers": 4000, "views-30d": 40000, "niche": "tech", "audience": {"US": 0.6}}',
        ".yaml": "followers: 4000\nviews_30d: 40000\nniche: tech\naudience: {US: 0.6}\n",
    }[suffix]
    f = tmp_path / f"me{suffix}"
    f.write_text(body, "utf-8")
    r = cli("estimate", "--profile", str(f), "--json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    assert d["profile"]["niche"] == "tech" and d["profile"]["audience"] == {"US": 0.6}
    # flags override the file
    d2 = json.loads(cli("estimate", "--profile", str(f), "--followers", "12000", "--json").out)
    assert d2["profile"]["followers"] == 12000


@pytest.mark.parametrize(
    ("name", "body", "words"),
    [
        ("bad.toml", "followers = \n", "not valid TOML"),
        ("bad.json", '{"followers": 1,', "not valid JSON"),
        ("bad.yaml", "followers: [1\n", "not valid YAML"),
        ("bad2.toml", "followers = 4000\nviews_30d = -3\n", "views_30d"),
        ("bad3.toml", "followers = 4000\nviews_30d = 3\nsubscribers = 2\n", "subscribers"),
    ],
)
def test_broken_profile_files_name_the_file(cli, tmp_path: Path, name, body, words) -> None:
    f = tmp_path / name
    f.write_text(body, "utf-8")
    r = cli("estimate", "--profile", str(f))
    assert r.code == 2 and words in r.err and str(f) in r.err and "Traceback" not in r.err


def test_missing_profile_file(cli, tmp_path: Path) -> None:
    r = cli("estimate", "--profile", str(tmp_path / "nope.toml"))
    assert r.code == 2 and "cannot read it" in r.err


def test_broken_card_file(cli, tmp_path: Path) -> None:
    f = tmp_path / "card.toml"
    f.write_text('[card]\nid = "x"\n', "utf-8")
    r = cli("estimate", *FLAGS, "--card", str(f))
    assert r.code == 2 and str(f) in r.err and "card.name" in r.err


def test_cards_list_and_show(cli) -> None:
    r = cli("cards", "list")
    assert r.code == 0 and "seed" in r.out and "current-2025 (current, default)" in r.out
    d = json.loads(cli("cards", "show", "seed", "--json").out)
    keys = {f["key"]: f for f in d["figures"]}
    assert keys["streams.creator_fund.rate"]["value"] == "0.02-0.05 USD per 1,000 views"
    assert keys["streams.creator_fund.rate"]["source"] == "seed article"
    assert all(f["source"] and f["source_date"] for f in d["figures"])
    shown = cli("cards", "show", "current")
    assert shown.code == 0 and "napolify.com" in shown.out


def test_help_teaches(cli) -> None:
    r = cli("estimate", "--help")
    assert r.code == 0
    for flag in ("--followers", "--views-30d", "--audience", "--profile", "--demo", "--card",
                 "--draws", "--seed", "--explain", "--json", "--lang", "--currency"):
        assert flag in r.out
    assert "kreator estimate --demo" in r.out


def _console(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kreator", *args], capture_output=True, text=True,
                          timeout=120)


def test_console_entry_loads_each_command_and_lists_all() -> None:
    from kreator.cli import COMMANDS

    helped = _console("--help")
    assert helped.returncode == 0
    for name in COMMANDS:
        assert name in helped.stdout
    ran = _console("estimate", "--demo", "--json")
    assert ran.returncode == 0 and json.loads(ran.stdout)["card"]["id"] == "current-2025"
    typo = _console("estimat", "--demo")
    assert typo.returncode == 2 and "No such command" in typo.stderr
    bad = _console("estimate", "--followers", "-1", "--views-30d", "5")
    assert bad.returncode == 2 and "followers" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--niche", "beuaty"], "Fel: niche: okänd nisch 'beuaty'. Menade du 'beauty'? Åtgärd:"),
        (["--followers", "-4"], "Fel: followers: Värdet måste vara minst 0 (fick -4). Åtgärd: ange"),
        (["--audience", "US=0.9,GB=0.3"], "mer än 100 %"),
        (["--currency", "SEKK"], "ingen växelkurs för 'SEKK'. Menade du 'SEK'?"),
    ],
)
def test_errors_in_swedish(cli, args, words) -> None:
    base = dict(zip(FLAGS[::2], FLAGS[1::2], strict=True))
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    r = cli("estimate", *[x for kv in base.items() for x in kv], "--lang", "sv")
    assert r.code == 2 and words in r.err, r.err


def test_cli_estimate_imports_no_pydantic_and_no_package_metadata() -> None:
    """The estimate path stays light (issue 13): the core profile is plain Python, so neither
    pydantic (~50 ms with pydantic_core) nor importlib.metadata (~7 ms) is loaded, and --json
    needs no Babel (number formatting), database, YAML or table library either."""
    code = (
        "import sys, io, contextlib\n"
        "from kreator.cli import main\n"
        "sys.argv = ['kreator', 'estimate', '--demo', '--json']\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
        "    main()\n"
        "heavy = ('pydantic', 'pydantic_core', 'importlib.metadata', 'babel', 'rich',\n"
        "         'sqlalchemy', 'yaml', 'pandas', 'pyarrow', 'scipy')\n"
        "print([m for m in heavy if m in sys.modules], '\"total\"' in out.getvalue())\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[] True"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        # money beyond what can be shown (Babel failed with decimal.InvalidOperation)
        (["--currency", "SEK", "--fx-rate", "1e308"], "fx_rate: --fx-rate must be from"),
        (["--currency", "SEK", "--fx-rate", "1e-300"], "fx_rate: --fx-rate must be from"),
        # numpy refuses negative seeds (ValueError)
        (["--demo", "--seed", "-1"], "Invalid value for '--seed'"),
        # a country given twice was silently overwritten (US=0.7 lost)
        (["--audience", "US=70%,US=20%"], "audience: US is given twice"),
        (["--audience", "us=0.5,US=0.2"], "audience: US is given twice"),
        # a share that is not finite: the fix read "give a number from  to ."
        (["--audience", "US=nan"], "audience: share for US must be between 0 and 1"),
        (["--audience", "US=1e309"], "audience: share for US must be between 0 and 1"),
        # an empty path is the current folder to pathlib: --from "" imported whatever was there
        (["--from", ""], "Invalid value for '--from': the path is empty"),
        (["--profile", ""], "Invalid value for '--profile': the path is empty"),
        (["--card", ""], "card: unknown card ''"),
    ],
)
def test_hostile_input_is_a_clear_error(cli, args, words) -> None:
    r = cli("estimate", *(FLAGS if "--demo" not in args else []), *args)
    assert r.code == 2, r.out
    assert words in r.err
    assert "Traceback" not in r.err + r.out and "Internal error" not in r.err


@pytest.mark.parametrize(
    ("name", "body", "words"),
    [
        ("nan.toml", "followers = 4000\nviews_30d = 40000\naudience = {US = nan}\n",
         "audience: share for US must be between 0 and 1 (got nan). Fix: write shares as"),
        ("text.json", '{"followers": 4000, "views_30d": 40000, "audience": {"US": "most"}}',
         "audience: share 'most' for US is not a number. Fix: write it like US=0.7"),
    ],
)
def test_audience_shares_in_profile_files_name_the_country(cli, tmp_path: Path, name, body,
                                                          words) -> None:
    f = tmp_path / name
    f.write_text(body, "utf-8")
    r = cli("estimate", "--profile", str(f))
    assert r.code == 2 and f"{f}: {words}" in r.err, r.err


@pytest.mark.parametrize(("name", "kind"), [("deep.json", "JSON"), ("deep.toml", "TOML"),
                                            ("deep.yaml", "YAML")])
def test_profile_nested_too_deeply(cli, tmp_path: Path, name: str, kind: str) -> None:
    """A JSON file nested 100,000 deep was called "not valid TOML: maximum recursion depth"."""
    f = tmp_path / name
    nest = "[" * 100_000 + "]" * 100_000
    f.write_text({"JSON": nest, "TOML": f"a = {nest}", "YAML": f"a: {nest}"}[kind], "utf-8")
    r = cli("estimate", "--profile", str(f))
    assert r.code == 2 and f"{f}: is not valid {kind}: it nests lists or tables too deeply" in r.err


@pytest.mark.parametrize("option", ["--card", "--levers"])
def test_card_and_levers_nested_too_deeply(cli, tmp_path: Path, option: str) -> None:
    """RecursionError escaped the TOML reader of cards and levers files: "Internal error"."""
    f = tmp_path / "deep.toml"
    f.write_text("a = " + "[" * 100_000 + "]" * 100_000, "utf-8")
    r = cli("advise" if option == "--levers" else "estimate", "--demo", option, str(f))
    assert r.code == 2 and f"{f}: is not valid TOML (it nests lists or tables too deeply)" in r.err


def test_every_exchange_rate_is_a_dated_central_bank_rate() -> None:
    """fx.toml: the issue's currencies, each crossed from the ECB's euro reference rates of one
    day, with a public source URL (never a path of ours) and the date."""
    from kreator.ratecards import fx_rate, fx_table

    rates = fx_table()["rates"]
    needed = {"SEK", "NOK", "DKK", "EUR", "GBP", "CAD", "AUD", "JPY", "INR", "BRL", "MXN", "IDR",
              "PHP"}
    assert needed <= set(rates)
    for cur, row in rates.items():
        if cur == "USD":
            continue
        assert row["source"].startswith("https://www.ecb.europa.eu/"), cur
        assert row["source_date"] == "2025-02-28" and "../" not in row["source"]
        fx = fx_rate(cur)
        assert fx is not None and fx.rate == row["per_usd"] and fx.date == "2025-02-28"
    eur = fx_rate("EUR")
    assert eur is not None and eur.rate == pytest.approx(1 / 1.0411, rel=1e-5)


@pytest.mark.parametrize("command", [["batch"], ["synth"], ["import"], ["mediakit"],
                                     ["ledger", "export"], ["ledger", "backup"]])
def test_every_command_that_writes_a_file_takes_o_and_output(cli, command: list[str]) -> None:
    """One flag means one thing: -o/--output names the file a command writes."""
    r = cli(*command, "--help")
    assert r.code == 0
    text = " ".join(r.out.split())
    assert "-o" in text and "--output" in text, command


def test_ledger_export_takes_the_file_once(cli, tmp_path) -> None:
    db = str(tmp_path / "l.sqlite")
    assert cli("ledger", "export", "-o", str(tmp_path / "a.csv"), "--db", db).code == 0
    assert (tmp_path / "a.csv").exists()
    assert cli("ledger", "export", str(tmp_path / "b.csv"), "--db", db).code == 0
    both = cli("ledger", "export", str(tmp_path / "c.csv"), "-o", str(tmp_path / "d.csv"),
               "--db", db)
    assert both.code == 2 and not (tmp_path / "c.csv").exists()
    assert cli("ledger", "export", "--db", db).code == 2


def test_could_earn_says_what_it_assumes_and_where_no_source_exists(cli) -> None:
    r = cli("estimate", "--followers", "4000", "--views-30d", "40000")
    assert r.code == 0
    assert "Could earn (likely, p10-p90)" in r.out
    assert "LIVE streams a month: 13" in r.out  # the card's sourced typical activity
    note = next(line for line in r.out.splitlines() if line.startswith('No "could earn"'))
    assert "Sponsorships" in note and "LIVE subscriptions" in note and "LIVE gifts" not in note


def test_own_activity_leaves_no_could_earn_for_that_stream(cli) -> None:
    r = cli("estimate", "--followers", "4000", "--views-30d", "40000",
            "--sponsored-posts-per-month", "1", "--lang", "sv")
    assert r.code == 0
    note = next(line for line in r.out.splitlines() if line.startswith('Inget "kan ge"'))
    assert "Sponsring" not in note and "Prenumerationer i direktsändning" in note
