"""``kreator import`` and ``kreator estimate --from`` as a user runs them."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from kreator.profile_io import load_profile_file

DATA = Path(__file__).parent / "data" / "importers"
STUDIO = DATA / "tiktok_studio"
ZIPS = sorted(str(p) for p in STUDIO.glob("*.zip"))
EXPORT = str(DATA / "personal_export" / "user_data_tiktok.json")


def test_import_shows_each_value_with_its_source(cli) -> None:
    res = cli("import", *ZIPS, EXPORT)
    assert res.code == 0, res.err
    assert "Imported 8 files" in res.out
    assert "Overview_2026-04-21_1779285792_sample_creator_4k.zip/Overview.csv" in res.out
    line = next(ln for ln in res.out.splitlines() if ln.startswith("followers "))
    assert "4,012" in line and "FollowerHistory.csv:Followers" in line
    assert "Profile for 2026-04-19 to 2026-05-18 (30 days" in res.out
    assert "3 LIVE gifts (20.28 USD)" in res.out


def test_import_json_is_the_batch(cli) -> None:
    res = cli("import", *ZIPS, EXPORT, "--json")
    data = json.loads(res.out)
    assert data["profile"]["followers"] == 4012
    assert data["window"] == {"start": "2026-04-19", "end": "2026-05-18", "days": 30,
                              "basis": "the latest data"}
    assert data["rows"]["in"] == data["rows"]["ok"] + data["rows"]["rejected"]
    assert {f["importer"] for f in data["files"]} >= {"studio.overview", "tiktok.personal_export"}
    assert all(len(f["sha256"]) == 64 for f in data["files"])
    assert data["sources"]["views_30d"]["from"].endswith("Overview.csv:Video Views")


def test_import_writes_a_profile_that_estimate_reads(cli, tmp_path: Path) -> None:
    out = tmp_path / "me.toml"
    res = cli("import", *ZIPS, EXPORT, "--output", str(out))
    assert res.code == 0 and f"Wrote {out}" in res.out
    written = tomllib.loads(out.read_text())
    assert written["followers"] == 4012 and written["audience"]["US"] == 0.712
    assert "niche" not in written  # only imported values, no defaults
    assert load_profile_file(out).views_30d == written["views_30d"]
    est = cli("estimate", "--profile", str(out), "--json")
    assert json.loads(est.out)["profile"]["followers"] == 4012


def test_estimate_from_imports_and_estimates(cli) -> None:
    res = cli("estimate", "--from", str(STUDIO), "--json")
    assert res.code == 0, res.err
    profile = json.loads(res.out)["profile"]
    assert profile["followers"] == 4012 and profile["views_30d"] > 0


def test_estimate_from_with_flags_on_top(cli) -> None:
    res = cli("estimate", "--from", str(STUDIO), "--niche", "food", "--json")
    assert json.loads(res.out)["profile"]["niche"] == "food"


def test_a_bad_file_fails_the_whole_run_and_writes_nothing(cli, tmp_path: Path) -> None:
    bad = tmp_path / "Overview.csv"
    bad.write_text('"Date","Views"\n"May 1","3"\n')
    out = tmp_path / "me.toml"
    res = cli("import", *ZIPS, str(bad), "--output", str(out))
    assert res.code == 2
    assert res.err.startswith("Error: Overview.csv, row 1:") and "Columns found" in res.err
    assert "Traceback" not in res.err and not out.exists()


def test_rejected_rows_are_listed_and_counted(cli, tmp_path: Path) -> None:
    path = tmp_path / "Overview.csv"
    path.write_text('"Date","Video Views","Profile Views","Likes","Comments","Shares"\n'
                    '"May 1","10","1","1","1","1"\n"May 2","ten","1","1","1","1"\n')
    res = cli("import", str(path), "--as-of", "2026-05-02")
    assert res.code == 0
    assert "2 rows read = 1 used + 1 rejected" in res.out
    assert "Overview.csv, row 3, column 'Video Views': is not a number (got 'ten')." in res.out
    assert "Missing for an estimate: followers" in res.out
    strict = cli("import", str(path), "--as-of", "2026-05-02", "--strict")
    assert strict.code == 2 and "row 3: Video Views" in strict.err


def test_estimate_from_refuses_rejected_rows(cli, tmp_path: Path) -> None:
    path = tmp_path / "Overview.csv"
    path.write_text('"Date","Video Views","Profile Views","Likes","Comments","Shares"\n'
                    '"May 2","ten","1","1","1","1"\n')
    res = cli("estimate", "--from", str(path), "--followers", "10")
    assert res.code == 2 and "Overview.csv, row 2" in res.err


def test_bad_as_of(cli) -> None:
    res = cli("import", EXPORT, "--as-of", "yesterday")
    assert res.code == 2 and "as_of" in res.err and "YYYY-MM-DD" in res.err


def test_events_listing_and_swedish(cli) -> None:
    res = cli("import", EXPORT, "--events", "--lang", "sv")
    assert res.code == 0
    assert "tiktok-live:7373100001408663727" in res.out
    assert "Importerade 1 filer" in res.out


def test_catalogs_have_the_same_import_keys() -> None:
    from kreator.i18n import catalog

    en = {k for k in catalog("en") if k.startswith("import.")}
    sv = {k for k in catalog("sv") if k.startswith("import.")}
    assert en == sv and len(en) > 10


def test_as_of_outside_the_days_an_import_takes(cli) -> None:
    """An --as-of near year 1 or 9999 overflowed the window (OverflowError)."""
    for day in ("9999-12-31", "0001-01-01", "1999-12-31"):
        res = cli("import", *ZIPS, "--as-of", day)
        assert res.code == 2, res.out
        assert f"as_of: {day} is not between 2000-01-01 and 2999-12-31" in res.err


def test_rows_dated_outside_the_years_are_rejected(cli, tmp_path: Path) -> None:
    """A row dated 0001-01-02 made the window start before year 1 (OverflowError; HTTP 500
    on the upload page)."""
    path = tmp_path / "FollowerHistory.csv"
    path.write_text('"Date","Followers","Difference in followers from previous day"\n'
                    '"0001-01-01","3982","-2"\n"0001-01-02","3980","1"\n', "utf-8")
    res = cli("import", str(path))
    assert res.code == 0, res.err
    assert "2 rows read = 0 used + 2 rejected" in res.out
    assert ("FollowerHistory.csv, row 3, column 'Date': is not between 2000-01-01 and "
            "2999-12-31 (got '0001-01-02').") in res.out
    strict = cli("estimate", "--from", str(path), "--views-30d", "5")
    assert strict.code == 2 and "FollowerHistory.csv, row 2: Date: is not between" in strict.err


def test_paths_that_are_empty_or_not_files(cli, tmp_path: Path, monkeypatch) -> None:
    """import "" read the current folder; --output "" crashed (ValueError: empty name); an
    --output folder left FOLDER.tmp behind."""
    monkeypatch.chdir(tmp_path)
    res = cli("import", "")
    assert res.code == 2 and "Invalid value for 'PATH...': the path is empty" in res.err
    res = cli("import", EXPORT, "--output", "")
    assert res.code == 2 and "Invalid value for '--output' / '-o': the path is empty" in res.err
    folder = tmp_path / "out"
    folder.mkdir()
    res = cli("import", *ZIPS, EXPORT, "--output", str(folder))
    assert res.code == 2 and f"{folder}: output: is a folder, not a file" in res.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_json_nested_too_deeply(cli, tmp_path: Path) -> None:
    """RecursionError escaped identifying the file: "Internal error" (HTTP 500 on upload)."""
    path = tmp_path / "user_data_tiktok.json"
    path.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    res = cli("import", str(path))
    assert res.code == 2, res.out
    assert "user_data_tiktok.json: nests lists or objects more deeply than Kreator reads" in res.err
