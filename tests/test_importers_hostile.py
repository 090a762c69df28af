"""Hostile and broken input: each case ends in one clear message (file, row, column), or in
rows rejected and counted; never a traceback, never a half-written profile."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kreator.core.errors import ImportFileError, KreatorError
from kreator.importers import extract_paths, limits

DATA = Path(__file__).parent / "data" / "importers"
STUDIO = DATA / "tiktok_studio"
OVERVIEW_HEADER = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]
AS_OF = dt.date(2026, 5, 18)


def studio_csv(path: Path, header: list[str], rows: list[list[str]], *, encoding: str = "utf-8-sig",
               delimiter: str = ",") -> Path:
    lines = [delimiter.join(f'"{c}"' for c in r) for r in [header, *rows]]
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


def overview_rows(views: list[str]) -> list[list[str]]:
    days = [AS_OF - dt.timedelta(days=len(views) - 1 - i) for i in range(len(views))]
    return [[f"{d:%B} {d.day}", v, "10", "20", "3", "4"] for d, v in zip(days, views, strict=True)]


def error_of(paths: list[Path], **kw: object) -> ImportFileError:
    with pytest.raises(ImportFileError) as info:
        extract_paths(paths, **kw)  # type: ignore[arg-type]
    return info.value


# --- encodings, delimiters, number formats ------------------------------------------------


def test_utf16_tab_separated_overview_reads_like_utf8(tmp_path: Path) -> None:
    rows = overview_rows(["1961", "2890", "1953"])
    utf8 = studio_csv(tmp_path / "a.csv", OVERVIEW_HEADER, rows)
    utf16 = studio_csv(tmp_path / "b.csv", OVERVIEW_HEADER, rows, encoding="utf-16",
                       delimiter="\t")
    a = extract_paths([utf8], as_of=AS_OF).metrics["views_30d"].value
    b = extract_paths([utf16], as_of=AS_OF).metrics["views_30d"].value
    assert a == b == round((1961 + 2890 + 1953) * 30 / 3)


def test_latin1_semicolons_decimal_commas_and_french_dates(tmp_path: Path) -> None:
    hist = studio_csv(tmp_path / "FollowerHistory.csv", ["Date", "Followers"],
                      [["30 juillet", "3990"], ["31 juillet", "3995"], ["1 août", "4012"]],
                      encoding="latin-1", delimiter=";")
    terr = studio_csv(tmp_path / "FollowerTopTerritories.csv", ["Top territories", "Distribution"],
                      [["FR", "0,712"], ["BE", "0,064"]], encoding="latin-1", delimiter=";")
    batch = extract_paths([hist, terr], as_of=dt.date(2026, 8, 1))
    assert batch.metrics["followers"].value == 4012
    assert batch.metrics["follower_growth_per_month"].value == pytest.approx((4012 - 3990) / 2 * 30)
    assert batch.metrics["audience"].value == {"FR": 0.712, "BE": 0.064}


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", " "])
def test_thousands_separated_by_no_break_spaces(tmp_path: Path, space: str) -> None:
    path = studio_csv(tmp_path / "Overview.csv", OVERVIEW_HEADER,
                      overview_rows([f"1{space}961", f"10{space}332"]))
    assert extract_paths([path], as_of=AS_OF).metrics["views_30d"].value == (1961 + 10332) * 15


def test_semicolon_file_with_grouping_dots_and_decimal_commas(tmp_path: Path) -> None:
    path = studio_csv(tmp_path / "LIVE_viewers.csv",
                      ["Date", "Views", "Avg. concurrent viewers"],
                      [["3. Mai", "1.234", "14,2"], ["10. Mai", "2.001", "9,8"]], delimiter=";")
    batch = extract_paths([path], as_of=AS_OF)
    assert batch.metrics["live_avg_viewers"].value == pytest.approx((14.2 + 9.8) / 2)


# --- missing and renamed columns ------------------------------------------------------------


def test_renamed_column_lists_columns_found_and_expected(tmp_path: Path) -> None:
    header = ["Date", "Views (all)", "Profile Views", "Likes", "Comments", "Shares"]
    path = studio_csv(tmp_path / "Overview.csv", header, overview_rows(["1", "2"]))
    err = error_of([path])
    text = str(err)
    assert "Overview.csv, row 1" in text
    assert "'Video Views'" in text
    assert "Columns found: Date, Views (all), Profile Views" in text
    assert "expected: Date, Video Views, Profile Views, Likes, Comments, Shares" in text


def test_unknown_table_named_on_the_command_line_is_an_error(tmp_path: Path) -> None:
    path = studio_csv(tmp_path / "stats.csv", ["Day", "Plays"], [["May 1", "3"]])
    text = str(error_of([path]))
    assert "stats.csv" in text and "not a file Kreator can import" in text
    assert "Its columns are: Day, Plays" in text


def test_unknown_files_inside_a_folder_are_listed_as_ignored(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    studio_csv(tmp_path / "Overview.csv", OVERVIEW_HEADER, overview_rows(["5", "6"]))
    batch = extract_paths([tmp_path], as_of=AS_OF)
    assert [name for name, _ in batch.ignored] == [f"{tmp_path.name}/notes.txt"]
    assert [f.importer for f in batch.files] == ["studio.overview"]


# --- rows that cannot be used -----------------------------------------------------------------


def test_strings_where_numbers_belong_reject_the_row_and_are_counted(tmp_path: Path) -> None:
    path = studio_csv(tmp_path / "Overview.csv", OVERVIEW_HEADER,
                      overview_rows(["1000", "lots", "3000", "undefined"]))
    batch = extract_paths([path], as_of=AS_OF)
    f = batch.files[0]
    assert (f.rows_in, f.rows_ok, f.rows_rejected) == (4, 3, 1)
    reject = f.rejects[0]
    assert (reject.file, reject.row, reject.column, reject.value) == (
        "Overview.csv", "row 3", "Video Views", "lots")
    assert "is not a number" in reject.render()
    # the rejected day and the 'undefined' day hold no data: 2 days, scaled to 30
    assert batch.metrics["views_30d"].value == (1000 + 3000) * 15


def test_strict_mode_turns_the_first_rejected_row_into_the_error(tmp_path: Path) -> None:
    path = studio_csv(tmp_path / "Overview.csv", OVERVIEW_HEADER, overview_rows(["1", "x"]))
    err = error_of([path], strict=True)
    assert err.where == "Overview.csv, row 3" and err.field == "Video Views"


def test_personal_export_bad_items_are_rejected_by_json_path(tmp_path: Path) -> None:
    doc = {"Profile And Settings": {"Profile Info": {"ProfileMap": {"followerCount": 4012}}},
           "TikTok Live": {"Go Live History": {"GoLiveList": [
               {"LiveStartTime": "yesterday", "RoomId": "1", "TotalEarning": 5},
               {"LiveStartTime": "2026-05-01 10:00:00", "RoomId": "2", "TotalEarning": "many"},
               {"LiveStartTime": "2026-05-02 10:00:00", "RoomId": "3", "TotalEarning": 400,
                "LiveDuration": 30}]}},
           "Post": {"Posts": {"VideoList": None}}, "Income+ Wallet": {}}
    path = tmp_path / "user_data_tiktok.json"
    path.write_text(__import__("json").dumps(doc))
    batch = extract_paths([path])
    f = batch.files[0]
    assert (f.rows_in, f.rows_ok, f.rows_rejected) == (3, 1, 2)
    assert [(r.row, r.column) for r in f.rejects] == [
        ("TikTok Live.Go Live History.GoLiveList[0]", "LiveStartTime"),
        ("TikTok Live.Go Live History.GoLiveList[1]", "TotalEarning")]
    assert [str(e.amount) for e in batch.events] == ["2.00"]
    assert batch.metrics["videos_30d"].value == 0  # Post section present but null


def test_empty_sections_as_null_list_or_object_are_empty(tmp_path: Path) -> None:
    import json

    for empty in (None, [], {}):
        doc = {"Profile And Settings": {"Profile Info": {"ProfileMap": {"followerCount": 10}},
                                        "Follower": {"FansList": empty}},
               "TikTok Live": {"Go Live History": {"GoLiveList": empty}},
               "Post": {"Posts": {"VideoList": empty}}}
        path = tmp_path / "user_data_tiktok.json"
        path.write_text(json.dumps(doc))
        batch = extract_paths([path])
        assert batch.rows_in == 0 and batch.metrics["followers"].value == 10
        assert batch.metrics["lives_per_month"].value == 0


# --- damaged and hostile containers ------------------------------------------------------


def test_truncated_zip_is_refused_with_its_name(tmp_path: Path) -> None:
    whole = (STUDIO / "Overview_2026-04-21_1779285792_sample_creator_4k.zip").read_bytes()
    path = tmp_path / "Overview_2026-04-21_1779285792_sample_creator_4k.zip"
    path.write_bytes(whole[: len(whole) // 2])
    err = error_of([path])
    assert err.where == path.name and "truncated" in err.message


def test_zip_bomb_is_refused_by_its_compression_ratio(tmp_path: Path) -> None:
    path = tmp_path / "Overview_bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Overview.csv", b"0" * (limits.RATIO_FLOOR_BYTES * 2))
    err = error_of([path])
    assert "the limit is 200 to 1" in err.message and "Overview.csv" in err.message
    assert "MAX_" not in err.message  # the limit, not the constant's name


def test_zip_declaring_a_huge_entry_is_refused_before_unpacking(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("Overview.csv", b"Date,Video Views\n")
    data = bytearray(buf.getvalue())
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 3_000_000_000)  # uncompressed size
    path = tmp_path / "lying.zip"
    path.write_bytes(bytes(data))
    err = error_of([path])
    assert "unpacks to 2,861.0 MB; the limit is 256 MB" in err.message


def test_zip_entry_pointing_outside_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Overview.csv", "x")
        zf.writestr("../../etc/cron.d/evil.csv", "x")
    err = error_of([path])
    assert "../../etc/cron.d/evil.csv" in err.message and err.where == "evil.zip"


def test_xml_entity_bomb_inside_xlsx_is_refused(tmp_path: Path) -> None:
    source = zipfile.ZipFile(STUDIO / "xlsx_variant" / "FollowerHistory.xlsx")
    entities = "".join(f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i else "&lol;") * 10}">'
                       for i in range(9))
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + entities
            + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol8;</t></is></c></row>'
            "</sheetData></worksheet>")
    path = tmp_path / "FollowerHistory.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for info in source.infolist():
            body = bomb if info.filename.endswith("sheet1.xml") else source.read(info)
            zf.writestr(info.filename, body)
    err = error_of([path])
    assert "DTD" in err.message and "sheet1.xml" in err.message


def test_binary_garbage_is_one_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "Overview.csv"
    path.write_bytes(bytes(range(256)) * 40)
    err = error_of([path])
    assert err.where == "Overview.csv" and "binary data" in err.message


def test_truncated_json_names_line_and_column(tmp_path: Path) -> None:
    text = (DATA / "personal_export" / "user_data_tiktok.json").read_text()
    path = tmp_path / "user_data_tiktok.json"
    path.write_text(text[: len(text) // 2])
    err = error_of([path])
    assert "is not valid JSON" in err.message and "line" in err.message


def test_two_gigabyte_file_is_refused_before_reading(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "Overview.csv"
    with path.open("wb") as fh:
        fh.truncate(2 * 1024**3)  # sparse: takes no disk space

    def never(self: Path) -> bytes:
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(Path, "read_bytes", never)
    err = error_of([path])
    assert "is 2,048.0 MB; Kreator reads files of at most 256 MB." in err.message


def test_api_error_response_is_not_data(tmp_path: Path) -> None:
    path = tmp_path / "user_info.json"
    path.write_text('{"data": {"user": {}}, "error": {"code": "access_token_invalid", '
                    '"message": "The access token is invalid", "log_id": "x"}}')
    err = error_of([path])
    assert "access_token_invalid" in err.message


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    err = error_of([tmp_path / "nope.zip"])
    assert "does not exist" in err.message


# --- dates ------------------------------------------------------------------------------


def _zip(path: Path, name: str, text: str) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(name, "\ufeff" + text)
    return path


def test_december_to_january_from_the_zip_name(tmp_path: Path) -> None:
    days = [dt.date(2025, 12, 30) + dt.timedelta(days=i) for i in range(5)]
    rows = "\n".join(f'"{d:%B} {d.day}","{4000 + i}"' for i, d in enumerate(days))
    ts = int(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC).timestamp())
    path = _zip(tmp_path / f"Followers_2025-12-30_{ts}_someone.zip", "FollowerHistory.csv",
                '"Date","Followers"\n' + rows)
    batch = extract_paths([path])
    assert batch.window.end == dt.date(2026, 1, 3)
    assert batch.metrics["follower_growth_per_month"].value == pytest.approx(4 / 4 * 30)


def test_december_to_january_in_a_loose_file_follows_row_order(tmp_path: Path) -> None:
    days = [dt.date(2025, 12, 30) + dt.timedelta(days=i) for i in range(5)]
    path = studio_csv(tmp_path / "FollowerHistory.csv", ["Date", "Followers"],
                      [[f"{d.day} {d:%B}", str(4000 + i)] for i, d in enumerate(days)])
    when = dt.datetime(2026, 1, 5, 10).timestamp()
    os.utime(path, (when, when))
    batch = extract_paths([path])
    assert batch.window.end == dt.date(2026, 1, 3)
    assert batch.window.basis == "the latest data"


@pytest.mark.parametrize("dates", [
    ["16 tháng Chín", "17 tháng Chín", "18 tháng 9"],
    ["9月16日", "9月17日", "9月18日"],
    ["16. September", "17. Sept.", "18. Sep"],
    ["16 de septiembre", "17 de sept", "18 sep"],
    ["16 september", "17 sep.", "18 september"],
    ["September 16", "Sept 17", "Sep 18"],
])
def test_ui_languages_for_dates_without_a_year(tmp_path: Path, dates: list[str]) -> None:
    path = studio_csv(tmp_path / "FollowerHistory.csv", ["Date", "Followers"],
                      [[d, str(100 + i)] for i, d in enumerate(dates)])
    batch = extract_paths([path], as_of=dt.date(2026, 9, 18))
    assert batch.rows_rejected == 0
    assert batch.metrics["followers"].note == "as of 2026-09-18"


def test_an_unreadable_date_rejects_its_row(tmp_path: Path) -> None:
    path = studio_csv(tmp_path / "FollowerHistory.csv", ["Date", "Followers"],
                      [["May 17", "10"], ["Smarch 18", "11"], ["May 18", "12"]])
    batch = extract_paths([path], as_of=AS_OF)
    assert [(r.row, r.column, r.value) for r in batch.rejects] == [("row 3", "Date", "Smarch 18")]


def test_every_failure_is_a_kreator_error(tmp_path: Path) -> None:
    # a handful of random byte soups must never escape as anything but KreatorError
    import random

    rng = random.Random(7)
    for i in range(30):
        path = tmp_path / f"Overview_{i}.csv"
        path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))))
        with contextlib.suppress(KreatorError):
            extract_paths([path])


def test_a_zip_of_studio_zips_is_opened_one_level_down(tmp_path: Path) -> None:
    outer = tmp_path / "everything.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        for path in STUDIO.glob("*.zip"):
            zf.write(path, path.name)
    batch = extract_paths([outer])
    assert batch.metrics["followers"].value == 4012
    assert all(f.file.startswith("everything.zip/") for f in batch.files)


def test_zips_nested_deeper_than_the_limit_are_ignored_and_said(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.write(STUDIO / "Overview_2026-04-21_1779285792_sample_creator_4k.zip", "ov.zip")
    outer = tmp_path / "deep.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.writestr("middle.zip", inner.getvalue())
    err = error_of([outer])
    assert "nothing Kreator can import" in err.message and "opens 2 levels" in err.message
    assert "docs/" not in str(err) and "MAX_" not in str(err)


CELLS = st.one_of(st.integers(min_value=-10, max_value=10**7).map(str),
                  st.sampled_from(["undefined", "", "1,234", "1\u202f234", "0,5", "abc", "∞",
                                   "1e5", "-", "12.5", '"', "\x00"]),
                  st.text(max_size=6))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=5, max_size=5), min_size=1, max_size=12))
def test_any_overview_cells_keep_the_row_accounting(rows: list[list[str]]) -> None:
    import tempfile

    body = [[f"May {i + 1}", *cells] for i, cells in enumerate(rows)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Overview.csv"
        lines = [",".join(f'"{c}"' for c in OVERVIEW_HEADER)]
        lines += [",".join('"' + c.replace('"', '""') + '"' for c in r) for r in body]
        path.write_text("\n".join(lines), "utf-8")
        try:
            batch = extract_paths([path], as_of=AS_OF)
        except KreatorError:
            return
    for f in batch.files:
        assert f.rows_in == f.rows_ok + f.rows_rejected
        assert all(r.file == "Overview.csv" and r.row.startswith("row ") for r in f.rejects)
