"""The form's number parser (kreator.web.numbers): every accepted string means one number."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kreator.web.numbers import AmbiguousNumber, format_number, parse_number

LANGS = ("en", "sv")
typed = st.text(alphabet="0123456789., \u00a0", min_size=1, max_size=12)


@settings(max_examples=3_000, deadline=None)
@given(typed)
def test_a_string_accepted_in_both_languages_means_the_same_number(text: str) -> None:
    """Switching the page's language never changes a number: it can only raise a question."""
    values = []
    for lang in LANGS:
        try:
            values.append(parse_number(text, lang))
        except ValueError:
            continue
    assert len(set(values)) <= 1, (text, values)


@settings(max_examples=2_000, deadline=None)
@given(st.sampled_from(LANGS), st.one_of(st.integers(0, 10**9).map(float),
                                         st.decimals(0, 10**6, places=2).map(float)))
def test_what_we_show_reads_back_as_the_same_number(lang: str, value: float) -> None:
    shown = format_number(value, lang)
    try:
        assert parse_number(shown, lang) == pytest.approx(value, abs=1e-9)
    except AmbiguousNumber:  # e.g. Swedish "4,125": shown with three decimals is a question
        assert lang == "sv" and "," in shown


@settings(max_examples=1_000, deadline=None)
@given(st.integers(1, 999), st.integers(0, 999), st.sampled_from(LANGS))
def test_one_mark_and_three_digits_is_a_question_unless_english_thousands(
        whole: int, frac: int, lang: str) -> None:
    for mark in (",", "."):
        text = f"{whole}{mark}{frac:03d}"
        if mark == "," and lang == "en":
            assert parse_number(text, lang) == whole * 1000 + frac
            continue
        with pytest.raises(AmbiguousNumber) as e:
            parse_number(text, lang)
        assert set(e.value.readings) == {float(f"{whole}{frac:03d}"), float(f"{whole}.{frac:03d}")}


@pytest.mark.parametrize(("text", "lang", "value"), [
    ("4 000", "sv", 4000), ("4\u00a0000", "sv", 4000), ("4,000", "en", 4000), ("2,5", "en", 2.5),
    ("2,5", "sv", 2.5), ("0.5", "sv", 0.5), ("1,234,567.5", "en", 1234567.5),
    ("1.234.567,5", "sv", 1234567.5), ("1 234 567", "en", 1234567), ("-3", "en", -3)])
def test_plain_cases(text: str, lang: str, value: float) -> None:
    assert parse_number(text, lang) == value


@pytest.mark.parametrize("text", ["", ",", ".", "abc", "1e5", "1,23,4", "1,234.5.6", "4..5", "--3"])
def test_no_number(text: str) -> None:
    for lang in LANGS:
        with pytest.raises(ValueError):
            parse_number(text, lang)
