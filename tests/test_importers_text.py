"""Localised numbers and money: what exports write, read back exactly (money as Decimal)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kreator.importers.formats.text import (
    TextError,
    decode,
    detect_decimal,
    parse_decimal,
    parse_money,
    parse_share,
)


@pytest.mark.parametrize(("text", "decimal", "expected"), [
    ("1961", None, "1961"), ("1,961", None, "1961"), ("1.961", ",", "1961"),
    ("1\u00a0961", None, "1961"), ("1\u202f961,5", ",", "1961.5"), ("0,712", None, "0.712"),
    ("14.2", None, "14.2"), ("1,234,567.89", None, "1234567.89"), ("1.234.567,89", None,
                                                                   "1234567.89"),
    ("-2", None, "-2"), ("\u22122", None, "-2"), ("(5)", None, "-5"), ("1'234", None, "1234"),
])
def test_parse_decimal(text: str, decimal: str | None, expected: str) -> None:
    assert parse_decimal(text, decimal) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3.4.5", "12abc", "--", "1.2.3,4,5"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_a_value_contradicting_the_column_convention_is_refused() -> None:
    with pytest.raises(ValueError, match="decimal separator"):
        parse_decimal("0,5", ".")


def test_decimal_separator_is_detected_by_majority() -> None:
    assert detect_decimal(["0,712", "0,064", "12"], ".") == ","
    assert detect_decimal(["1,234", "1,961"], ".") == "."  # no evidence: the default
    assert detect_decimal(["14.2", "1,234.5"], ",") == "."


@pytest.mark.parametrize(("text", "currency", "expected", "cur"), [
    ("$3.90", None, "3.90", "USD"), ("Rp9.900", "IDR", "9900", "IDR"),
    ("1 234,56 €", None, "1234.56", "EUR"), ("USD 12", None, "12", "USD"),
    ("-$5.00", None, "-5.00", "USD"), ("KWD 1.250", None, "1.250", "KWD"),
    ("R$ 12,99", None, "12.99", "BRL"), ("12.99", "usd", "12.99", "USD"),
])
def test_parse_money(text: str, currency: str | None, expected: str, cur: str) -> None:
    value, found = parse_money(text, currency)
    assert isinstance(value, Decimal)
    assert (value, found) == (Decimal(expected), cur)


@pytest.mark.parametrize(("text", "expected"), [("0.712", 0.712), ("71.2%", 0.712),
                                                 ("71,2 %", 0.712), ("15", 0.15)])
def test_parse_share(text: str, expected: float) -> None:
    assert parse_share(text) == pytest.approx(expected)


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
       st.sampled_from(["en_US", "de_DE", "sv_SE", "fr_FR", "es_ES", "id_ID", "vi_VN", "ja_JP"]))
def test_any_locale_formatted_amount_reads_back(amount: Decimal, locale: str) -> None:
    from babel.numbers import format_decimal, get_decimal_symbol

    text = format_decimal(amount, format="#,##0.00", locale=locale)
    decimal = get_decimal_symbol(locale)
    assert parse_decimal(text, decimal if decimal in ".," else None) == amount


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200),
       st.sampled_from(["utf-8-sig", "utf-16", "utf-8", "latin-1"]))
def test_decode_round_trips_printable_text(text: str, encoding: str) -> None:
    printable = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")
    try:
        data = printable.encode(encoding)
    except UnicodeEncodeError:
        return
    decoded = decode(data)
    if encoding == "latin-1":  # 8-bit text that happens to be valid UTF-8 reads as UTF-8
        assert decoded in {printable, data.decode("utf-8", "replace")}
    else:
        assert decoded == printable


def test_decode_refuses_binary() -> None:
    with pytest.raises(TextError):
        decode(b"\x00\x01\x02garbage\x00")
