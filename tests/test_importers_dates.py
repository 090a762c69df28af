"""Dates without a year, in the UI languages TikTok Studio writes, placed in the right year."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kreator.importers.formats.dates import (
    MONTHS,
    MonthDay,
    numeric_order,
    parse_datetime_or_none,
    parse_day,
    resolve_years,
    year_for,
)
from kreator.importers.limits import YEAR_SLACK_DAYS

CLDR_LANGS = ("en", "sv", "de", "fr", "es", "pt", "it", "nl", "id")


@pytest.mark.parametrize("lang", CLDR_LANGS)
def test_month_table_holds_every_cldr_wide_and_abbreviated_name(lang: str) -> None:
    from babel.dates import get_month_names

    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            names = get_month_names(width, context=context, locale=lang)
            for number, name in names.items():
                key = name.casefold().rstrip(".")
                if key.endswith("月"):  # some CLDR stand-alone forms fall back to numbers
                    continue
                assert MONTHS.get(key) == number, (lang, width, context, name)


@pytest.mark.parametrize(("text", "expected"), [
    ("May 18", MonthDay(5, 18)), ("21 April", MonthDay(4, 21)), ("21. April", MonthDay(4, 21)),
    ("21 de abril", MonthDay(4, 21)), ("21 avril", MonthDay(4, 21)), ("1er août", None),
    ("18 tháng Tám", MonthDay(8, 18)), ("18 tháng 8", MonthDay(8, 18)),
    ("2 tháng Mười Hai", MonthDay(12, 2)), ("9月16日", MonthDay(9, 16)),
    ("12월 3일", MonthDay(12, 3)), ("3 maj", MonthDay(5, 3)), ("3 mars", MonthDay(3, 3)),
    ("28 August", MonthDay(8, 28)), ("2026-05-18", dt.date(2026, 5, 18)),
    ("May 18, 2026", dt.date(2026, 5, 18)), ("2026年5月18日", dt.date(2026, 5, 18)),
    ("February 30", None), ("Smarch 3", None), ("", None), ("18", None),
])
def test_parse_day(text: str, expected: object) -> None:
    if expected is None:
        with pytest.raises(ValueError):
            parse_day(text)
    else:
        assert parse_day(text) == expected


def test_year_for_crosses_new_year() -> None:
    ref = dt.date(2026, 1, 3)
    assert year_for(MonthDay(12, 30), ref) == dt.date(2025, 12, 30)
    assert year_for(MonthDay(1, 2), ref) == dt.date(2026, 1, 2)
    # a day just after the reference (a download's partial day) stays in the same year
    assert year_for(MonthDay(1, 3 + YEAR_SLACK_DAYS), ref) == dt.date(2026, 1, 10)


def test_leap_day_goes_to_the_latest_leap_year() -> None:
    assert year_for(MonthDay(2, 29), dt.date(2026, 5, 1)) == dt.date(2024, 2, 29)


@given(st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2090, 12, 31)),
       st.integers(min_value=-YEAR_SLACK_DAYS, max_value=350))
def test_year_for_recovers_any_date_within_the_year_before_the_reference(
        day: dt.date, back: int) -> None:
    if (day.month, day.day) == (2, 29):
        return
    reference = day + dt.timedelta(days=back)
    assert year_for(MonthDay(day.month, day.day), reference) == day


@given(st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2090, 1, 1)),
       st.integers(min_value=1, max_value=800), st.sampled_from(["en", "de", "vi", "ja", "sv"]))
def test_a_chronological_series_of_any_length_keeps_its_years(
        start: dt.date, length: int, lang: str) -> None:
    days = [start + dt.timedelta(days=i) for i in range(length)]
    texts = [_format(d, lang) for d in days]
    parsed = [parse_day(t) for t in texts]
    placed = resolve_years(parsed, reference=days[-1] + dt.timedelta(days=2), chronological=True)
    assert placed == days


def _format(day: dt.date, lang: str) -> str:
    names = {"en": "January February March April May June July August September October "
                   "November December", "de": "Januar Februar März April Mai Juni Juli August "
                   "September Oktober November Dezember", "sv": "januari februari mars april maj "
                   "juni juli augusti september oktober november december"}
    if lang == "ja":
        return f"{day.month}月{day.day}日"
    if lang == "vi":
        return f"{day.day} tháng {day.month}"
    month = names[lang].split()[day.month - 1]
    return f"{month} {day.day}" if lang == "en" else f"{day.day}. {month}"


def test_window_start_from_the_zip_name_places_a_full_year() -> None:
    start = dt.date(2025, 5, 19)
    days = [start + dt.timedelta(days=i) for i in range(365)]
    parsed = [MonthDay(d.month, d.day) for d in days]
    # unordered rows: the window start alone decides
    placed = resolve_years(parsed[::-1], reference=dt.date(2026, 5, 20), start=start)
    assert placed == days[::-1]


def test_numeric_dates_day_or_month_first() -> None:
    assert numeric_order(["01/05/2026 15:00:00", "16/05/2026 12:49:00"]) == "dmy"
    assert numeric_order(["05/16/2026 12:49:00"]) == "mdy"
    assert parse_datetime_or_none("16/05/2026 12:49:00") == dt.datetime(2026, 5, 16, 12, 49)
    assert parse_datetime_or_none("2026-05-14 18:22:09 UTC") == dt.datetime(2026, 5, 14, 18, 22, 9)
    assert parse_datetime_or_none("soon") is None
    with pytest.raises(ValueError):
        parse_datetime_or_none("2026-02-30 10:00:00")
