"""Dates as exports write them: with or without a year, in the language of the TikTok UI.

TikTok Studio writes days without a year, in the UI language: ``"May 18"``, ``"28 August"``,
``"21. April"``, ``"21 de abril"``, ``"18 tháng Tám"``, ``"9月16日"``. :func:`parse_day`
returns a :class:`MonthDay` for those; :func:`resolve_years` places them in a year using the
window start from the zip name, the order of the rows, or a reference date (the download
time), correctly across December/January. The month-name table is written out here (checked
against Babel's CLDR names in the tests) so importing this module stays cheap.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import TypeVar

from kreator.core.errors import Phrase, reason
from kreator.importers.limits import FIRST_DAY, LAST_DAY, YEAR_SLACK_DAYS

D = TypeVar("D", dt.date, dt.datetime)

NOT_A_DATE = Phrase("is not a date Kreator can read", "reason.not_date")
NOT_A_DAY = Phrase("is not a valid day of the year", "reason.not_day")
OUT_OF_RANGE = Phrase(f"is not between {FIRST_DAY} and {LAST_DAY}", "reason.date_range",
                      {"first": str(FIRST_DAY), "last": str(LAST_DAY)})

_NAMES: dict[str, str] = {
    # language: 12 wide names, then 12 abbreviations (CLDR, lower-case, no trailing dot)
    "en": ("january february march april may june july august september october november "
           "december jan feb mar apr may jun jul aug sep oct nov dec sept"),
    "sv": ("januari februari mars april maj juni juli augusti september oktober november "
           "december jan feb mar apr maj jun jul aug sep okt nov dec"),
    "de": ("januar februar märz april mai juni juli august september oktober november "
           "dezember jan feb mär apr mai jun jul aug sep okt nov dez jänner sept"),
    "fr": ("janvier février mars avril mai juin juillet août septembre octobre novembre "
           "décembre janv févr mars avr mai juin juil août sept oct nov déc fevrier aout "
           "decembre"),
    "es": ("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
           "diciembre ene feb mar abr may jun jul ago sept oct nov dic setiembre sep set"),
    "pt": ("janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
           "dezembro jan fev mar abr mai jun jul ago set out nov dez"),
    "it": ("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
           "novembre dicembre gen feb mar apr mag giu lug ago set ott nov dic"),
    "nl": ("januari februari maart april mei juni juli augustus september oktober november "
           "december jan feb mrt apr mei jun jul aug sep okt nov dec"),
    "id": ("januari februari maret april mei juni juli agustus september oktober november "
           "desember jan feb mar apr mei jun jul agu sep okt nov des agt"),
}
"""Month names by language. Words after the 24th map by their own spelling (extras)."""

_EXTRAS = {"sept": 9, "jänner": 1, "fevrier": 2, "aout": 8, "decembre": 12, "setiembre": 9,
           "sep": 9, "set": 9, "agt": 8}

VI_MONTH_WORDS = {"một": 1, "giêng": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5,
                  "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10, "mười một": 11,
                  "mười hai": 12, "chạp": 12}
"""Vietnamese month words after "tháng" (``"18 tháng Tám"`` = 18 August)."""


def _build() -> dict[str, int]:
    table: dict[str, int] = {}
    for lang, text in _NAMES.items():
        words = text.split()
        for i, word in enumerate(words):
            month = _EXTRAS[word] if i >= 24 else i % 12 + 1
            if table.setdefault(word, month) != month:
                raise AssertionError(f"month name '{word}' ({lang}) maps to two months")
    return table


MONTHS: dict[str, int] = _build()
LANGUAGES = (*_NAMES, "vi", "ja", "zh", "ko")

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_CJK = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")
_VI = re.compile(r"(?:tháng|thg)\s*([^\d\s]+(?:\s+(?:một|hai))?|\d{1,2})")
_TOKENS = re.compile(r"\d+|[^\W\d_]+")
_FILLER = frozenset({"de", "del", "le", "the", "of", "den", "der"})


@dataclass(frozen=True)
class MonthDay:
    """A day without a year."""

    month: int
    day: int


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def parse_day(text: str) -> dt.date | MonthDay:
    """A day, with or without a year, in any of :data:`LANGUAGES`; ValueError if not one."""
    s = _clean(text)
    full = parse_datetime_or_none(s)
    if full is not None:
        return full.date()
    cjk = _CJK.fullmatch(s)
    if cjk:
        return _finish(cjk.group(1), int(cjk.group(2)), int(cjk.group(3)))
    vi = _VI.search(s)
    if vi:
        rest = (s[:vi.start()] + " " + s[vi.end():]).strip(" ,.")
        token = vi.group(1).strip()
        month = int(token) if token.isdigit() else VI_MONTH_WORDS.get(token)
        if month is None or not rest.isdigit():
            raise ValueError(NOT_A_DATE)
        return _finish(None, month, int(rest))
    tokens = [t for t in _TOKENS.findall(s) if t not in _FILLER]
    nums = [t for t in tokens if t.isdigit()]
    words = [t for t in tokens if not t.isdigit()]
    if len(nums) not in (1, 2) or len(words) != 1 or words[0] not in MONTHS:
        raise ValueError(Phrase("is not a date Kreator can read (expected e.g. 'May 18' or "
                                "'2026-05-18')", "reason.not_date_example"))
    day_txt = next(n for n in nums if len(n) <= 2)
    year = next((n for n in nums if len(n) == 4), None) if len(nums) == 2 else None
    if len(nums) == 2 and year is None:
        raise ValueError(NOT_A_DATE)
    return _finish(year, MONTHS[words[0]], int(day_txt))


def _finish(year: str | None, month: int, day: int) -> dt.date | MonthDay:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValueError(NOT_A_DAY)
    if year is not None:
        return in_range(dt.date(int(year), month, day))
    if day > (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
        raise ValueError(NOT_A_DAY)
    return MonthDay(month, day)


def parse_datetime_or_none(text: str, order: str = "dmy") -> dt.datetime | None:
    """ISO (``2026-05-18 13:31:00``, optional ``UTC``/``T``/``Z``) or ``DD/MM/YYYY HH:MM:SS``
    (``order="mdy"`` for month first); None when the text is neither."""
    s = text.strip().removesuffix("utc").removesuffix("UTC").removesuffix("Z").strip()
    if len(s) == 19 and s[4] == "-" and s[10] == " ":  # the exports' usual form, fast
        try:
            fast = dt.datetime.fromisoformat(s)
        except ValueError:
            fast = None
        if fast is not None:
            return in_range(fast)
    m = _ISO.fullmatch(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _DMY.fullmatch(s)
        if not m:
            return None
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        d, mo = (a, b) if order == "dmy" else (b, a)
    hh, mm, ss = (int(m.group(i) or 0) for i in (4, 5, 6))
    try:
        got = dt.datetime(y, mo, d, hh, mm, ss)
    except ValueError:
        raise ValueError(Phrase("is not a valid date and time", "reason.bad_datetime")) from None
    return in_range(got)


def in_range(day: D) -> D:
    """``day`` itself, or ValueError (:data:`OUT_OF_RANGE`) when it lies outside
    :data:`~kreator.importers.limits.FIRST_DAY` .. ``LAST_DAY``."""
    if not FIRST_DAY <= (day.date() if isinstance(day, dt.datetime) else day) <= LAST_DAY:
        raise ValueError(OUT_OF_RANGE)
    return day


def numeric_order(values: list[str]) -> str:
    """``"dmy"`` or ``"mdy"`` for a column of ``NN/NN/YYYY`` dates: whichever part goes above
    12 in some row is the day; day first when nothing tells (TikTok Shop writes DD/MM/YYYY)."""
    for value in values:
        m = _DMY.match(value.strip())
        if m and int(m.group(1)) > 12:
            return "dmy"
        if m and int(m.group(2)) > 12:
            return "mdy"
    return "dmy"


def year_for(md: MonthDay, reference: dt.date) -> dt.date:
    """The latest date with this month and day that is not after reference + slack."""
    limit = reference + dt.timedelta(days=YEAR_SLACK_DAYS)
    for year in range(limit.year, limit.year - 9, -1):
        try:
            day = dt.date(year, md.month, md.day)
        except ValueError:  # 29 February outside a leap year
            continue
        if day <= limit:
            return day
    raise ValueError(Phrase("is 29 February, but no leap year is near the reference date",
                            "reason.feb29_reference"))


def year_from_start(md: MonthDay, start: dt.date, reference: dt.date) -> dt.date:
    """The first date with this month and day on or after ``start``; a day up to the slack
    before ``start`` when the first one would lie after the reference date."""
    days = []
    for year in range(start.year - 1, start.year + 9):
        try:
            days.append(dt.date(year, md.month, md.day))
        except ValueError:
            continue
    after = [d for d in days if d >= start]
    if not after:
        raise ValueError(Phrase("is 29 February, but no leap year follows the window start",
                                "reason.feb29_start"))
    limit = reference + dt.timedelta(days=YEAR_SLACK_DAYS)
    floor = start - dt.timedelta(days=YEAR_SLACK_DAYS)
    before = [d for d in days if floor <= d < start]
    return before[-1] if after[0] > limit and before else after[0]


def resolve_years(values: list[dt.date | MonthDay], *, reference: dt.date,
                  start: dt.date | None = None,
                  chronological: bool = False) -> list[dt.date | str]:
    """Place every MonthDay in a year; a str in the result is the error for that value.

    With ``start`` (the window start in a Studio zip name) each day is the first on or after
    it. Otherwise, for a chronological column, the last row takes the reference year and
    each earlier row steps back a year whenever its month/day is later than the next row's
    (so "Dec 30, Dec 31, Jan 1" spans two years). Otherwise each day is the latest not after
    the reference date.
    """
    out: list[dt.date | str] = []
    if start is not None or not chronological:
        for v in values:
            out.append(v if isinstance(v, dt.date) else _safe(v, reference, start))
        return out
    nxt: dt.date | None = None
    for v in reversed(values):
        if isinstance(v, dt.date):
            out.append(v)
            nxt = v
            continue
        anchor = reference if nxt is None else nxt - dt.timedelta(days=YEAR_SLACK_DAYS)
        got = _safe(v, anchor, None)
        out.append(got)
        nxt = got if isinstance(got, dt.date) else nxt
    return out[::-1]


def _safe(md: MonthDay, reference: dt.date, start: dt.date | None) -> dt.date | str:
    try:
        return (year_from_start(md, start, reference) if start is not None
                else year_for(md, reference))
    except ValueError as exc:
        return reason(exc)
