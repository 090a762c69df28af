"""Bytes to text, and localised strings to numbers and money.

Exports arrive in UTF-8 (with or without BOM), UTF-16 (Excel "Unicode text") or a legacy
8-bit code page; numbers arrive quoted, with thousands separators (``,`` ``.`` space, no-break
space U+00A0, narrow no-break space U+202F, apostrophe) and a decimal point or comma. Money is
parsed to :class:`~decimal.Decimal` only, never float.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from kreator.core.errors import Phrase

NO_DATA = frozenset({"undefined"})
"""Cell values that mean "no data yet" (TikTok Studio writes ``undefined``), not zero."""

BLANK = frozenset({"", "-", "--", "n/a", "na", "none", "null"})
"""Cell values that mean "empty"."""

GROUP_SPACES = ("\u00a0", "\u202f", "\u2009", "\u2007", " ", "'", "\u2019", "\u066c")
_CONTROLS = re.compile("[\x01-\x08\x0b\x0e-\x1f]")
_NUMERIC = re.compile(r"\d[\d.,]*|[.,]\d+")
_MONEY_NUMBER = re.compile(r"\d[\d.,\u00a0\u202f\u2009\u2007 '\u2019]*")
_CURRENCY_CODE = re.compile(r"\b([A-Z]{3})\b")
SYMBOLS = {"US$": "USD", "R$": "BRL", "Rp": "IDR", "RM": "MYR", "€": "EUR", "£": "GBP",
           "¥": "JPY", "₫": "VND", "₱": "PHP", "฿": "THB", "₩": "KRW", "₹": "INR", "$": "USD"}
THREE_DECIMAL_CURRENCIES = frozenset({"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"})


class TextError(ValueError):
    """A file that is not text (binary data), with the byte offset where that shows."""


def decode(data: bytes) -> str:
    """Decode with BOM sniffing: UTF-8, UTF-16/32 (BOM or NUL pattern), else cp1252/Latin-1."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                     (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
                     (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return _checked(data[len(bom):].decode(enc, errors="strict"))
    head = data[:4096]
    if len(head) >= 4 and head.count(b"\x00") * 3 > len(head):
        enc = "utf-16-le" if head[1::2].count(b"\x00") > head[0::2].count(b"\x00") else "utf-16-be"
        try:
            return _checked(data.decode(enc))
        except UnicodeDecodeError:
            raise TextError(Phrase("it looks like UTF-16 text without a byte-order mark, but "
                                   "does not decode as UTF-16", "text_utf16")) from None
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        return _checked(data.decode("cp1252"))
    except UnicodeDecodeError:
        return _checked(data.decode("latin-1"))


def _checked(text: str) -> str:
    """Refuse binary data: NUL or many control characters in the first 64 KiB."""
    head = text[:65536]
    nul = head.find("\x00")
    if nul >= 0:
        raise TextError(Phrase(f"it holds binary data (a NUL character at position {nul:,})",
                               "text_nul", {"position": nul}))
    controls = len(_CONTROLS.findall(head))
    if head and controls > max(8, len(head) // 100):
        raise TextError(Phrase(f"it holds binary data ({controls:,} control characters)",
                               "text_controls", {"count": controls}))
    return text


def strip_groups(text: str) -> str:
    out = text
    for ch in GROUP_SPACES:
        out = out.replace(ch, "")
    return out


def decimal_evidence(text: str) -> str | None:
    """Which character this value shows is the decimal separator, if it shows one."""
    s = strip_groups(text.strip().lstrip("-+\u2212"))
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        return "." if s.rfind(".") > s.rfind(",") else ","
    if dots + commas == 0:
        return None
    sep = "." if dots else ","
    if dots + commas > 1:
        return "," if sep == "." else "."
    whole, _, frac = s.partition(sep)
    if len(frac) != 3 or whole in ("", "0"):
        return sep
    return None


def detect_decimal(values: Iterable[str], default: str) -> str:
    """The decimal separator a column (or file) uses, by majority of the values that show one."""
    votes = Counter(e for e in (decimal_evidence(v) for v in values) if e is not None)
    if not votes:
        return default
    (best, n), *rest = votes.most_common()
    return default if rest and rest[0][1] == n else best


def parse_decimal(text: str, decimal: str | None = None, *, money_3dp: bool = False) -> Decimal:
    """A localised number string to Decimal. ``decimal`` is the known separator, or None to
    decide from the value alone (one separator followed by exactly three digits groups)."""
    s = text.strip().replace("\u2212", "-")
    neg = s.startswith("(") and s.endswith(")")
    s = s.strip("()").strip()
    if s.startswith(("-", "+")):
        neg = neg or s.startswith("-")
        s = s[1:].strip()
    s = strip_groups(s)
    if not s or not _NUMERIC.fullmatch(s):
        raise ValueError(Phrase("is not a number", "reason.not_number"))
    shown = decimal_evidence(s)
    if decimal is not None and shown is not None and shown != decimal:
        raise ValueError(Phrase(f"uses '{shown}' as decimal separator; the rest of the file uses "
                                f"'{decimal}'", "reason.decimal_mismatch",
                                {"shown": shown, "decimal": decimal}))
    sep = decimal or shown or ("." if money_3dp else None)
    if sep is None:
        s = s.replace(",", "").replace(".", "")
    else:
        group = "," if sep == "." else "."
        if s.count(sep) > 1:
            raise ValueError(Phrase("has more than one decimal separator", "reason.two_separators"))
        s = s.replace(group, "").replace(sep, ".")
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise ValueError(Phrase("is not a number", "reason.not_number")) from None
    return -value if neg else value


def is_blank(text: str) -> bool:
    return text.strip().casefold() in BLANK


def is_no_data(text: str) -> bool:
    return text.strip().casefold() in NO_DATA


def parse_share(text: str, decimal: str | None = None) -> float:
    """``0.712``, ``71.2%`` or ``71,2 %`` -> 0.712; a bare number above 1 is a percentage."""
    s = text.strip()
    pct = s.endswith("%")
    value = float(parse_decimal(s.rstrip("%").strip(), decimal))
    if pct or value > 1:
        value /= 100
    if not 0 <= value <= 1:
        raise ValueError(Phrase("is not a share between 0 and 1 (or 0% and 100%)", "reason.not_share"))
    return value


def parse_money(text: str, currency: str | None = None,
                decimal: str | None = None) -> tuple[Decimal, str | None]:
    """``"$3.90"``, ``"Rp9.900"``, ``"1 234,56 kr"``, ``"USD 12"`` -> (Decimal, currency or None).

    An explicit ``currency`` wins over a symbol in the text; ``$`` alone reads as USD.
    """
    s = text.strip()
    match = _MONEY_NUMBER.search(s)
    if match is None:
        raise ValueError(Phrase("is not an amount of money", "reason.not_money"))
    before, after = s[:match.start()], s[match.end():]
    found = currency.upper() if currency else _currency_in(before + " " + after)
    value = parse_decimal(match.group(0).strip(), decimal,
                          money_3dp=found in THREE_DECIMAL_CURRENCIES)
    if re.search("[-\u2212]", before) or (before.strip().startswith("(") and ")" in after):
        value = -value
    return value, found


def _currency_in(text: str) -> str | None:
    code = _CURRENCY_CODE.search(text)
    if code:
        return code.group(1)
    for symbol, iso in SYMBOLS.items():
        if symbol in text:
            return iso
    return None
