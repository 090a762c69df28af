"""Numbers as people type them into the form, in English or Swedish, never guessed.

Spaces (and no-break or thin spaces, and ``_``) group digits in both languages. Where a comma
and a point both appear, the last one is the decimal mark and the other groups thousands in
threes. With only one kind of mark:

- several of them group thousands (``1,234,567``, ``1.234.567``);
- one followed by anything but exactly three digits is the decimal mark (``2,5``, ``4.5``):
  it cannot be a thousands separator;
- one followed by exactly three digits is where languages disagree: ``4,000`` is four thousand
  in English but 4.000 in Swedish, ``4.000`` is four in English but four thousand in much of
  Europe. English accepts the comma (its own thousands separator); every other such case is
  asked about (:class:`AmbiguousNumber`), never guessed.

So a string accepted in both languages means the same number in both: switching the language
never changes a number, it can only turn one into a question (``tests/test_web_numbers.py``).
"""

from __future__ import annotations

import re

SPACES = dict.fromkeys(map(ord, " \u00a0\u202f\u2009_"), None)


class AmbiguousNumber(ValueError):
    """The text reads as two different numbers; ``readings`` holds both."""

    def __init__(self, text: str, readings: tuple[float, float]) -> None:
        super().__init__(text)
        self.text, self.readings = text, readings


def parse_number(text: str, lang: str) -> float:
    """The number ``text`` means in ``lang`` (en or sv); ValueError when it is no number,
    :class:`AmbiguousNumber` when it could be two."""
    s = text.translate(SPACES)
    sign = -1.0 if s.startswith("-") else 1.0
    s = s[1:] if s[:1] in "+-" else s
    if not s or not re.fullmatch(r"[\d.,]+", s) or (not s[0].isdigit() and s[0] not in ".,"):
        raise ValueError(text)
    commas, points = s.count(","), s.count(".")
    if commas and points:
        return sign * _both(s, text)
    if not commas and not points:
        return sign * float(s)
    mark = "," if commas else "."
    if s.count(mark) > 1:
        return sign * _grouped(s, mark, text)
    whole, frac = s.split(mark)
    if not whole + frac:
        raise ValueError(text)
    if len(frac) != 3 or not whole:
        return sign * float(f"{whole or '0'}.{frac}")
    if mark == "," and lang == "en":
        return sign * float(whole + frac)
    raise AmbiguousNumber(text, (sign * float(whole + frac), sign * float(f"{whole}.{frac}")))


def _both(s: str, text: str) -> float:
    decimal = "," if s.rfind(",") > s.rfind(".") else "."
    group = "." if decimal == "," else ","
    whole, _, frac = s.rpartition(decimal)
    if s.count(decimal) != 1 or not _is_grouped(whole, group) or not frac:
        raise ValueError(text)
    return float(whole.replace(group, "") + "." + frac)


def _is_grouped(s: str, mark: str) -> bool:
    """Digits in thousands groups: 1-3 digits, then groups of exactly three after ``mark``."""
    return re.fullmatch(rf"\d{{1,3}}(?:{re.escape(mark)}\d{{3}})+", s) is not None


def _grouped(s: str, mark: str, text: str) -> float:
    if not _is_grouped(s, mark):
        raise ValueError(text)
    return float(s.replace(mark, ""))


def format_number(value: float, lang: str, decimals: int = 2) -> str:
    """``value`` as a person of ``lang`` would type it (thousands grouped, the language's
    decimal mark): what :func:`parse_number` reads back exactly."""
    text = f"{value:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    if lang == "sv":
        return text.replace(",", " ").replace(".", ",")
    return text
