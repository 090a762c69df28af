"""Reading one input value as a whole number, a number or text, as the profile takes them.

The rules are the lax ones a JSON or form user expects and the ones Kreator has always
applied: ``"4000"``, ``" 4000 "``, ``"4_000"``, ``4000.0`` and ``"4000.0"`` are 4000;
``True`` is 1; ``"4e3"`` and ``4000.5`` are not whole numbers; NaN and infinities are never
numbers. A value that does not read raises :class:`Invalid` with a ``kind`` (the message
catalog's ``value_<kind>`` key) and the English message. No imports beyond the standard
library: this is on the path of every CLI start (issue 13).
"""

from __future__ import annotations

import math
import re
from typing import Any

_INT_TEXT = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0+)?")
_NON_FINITE = frozenset(f"{sign}{word}" for sign in ("", "+", "-")
                        for word in ("inf", "infinity", "nan"))
_I64 = 2**63

MESSAGES = {
    "int_type": "Input should be a valid integer",
    "int_parsing": "Input should be a valid integer, unable to parse string as an integer",
    "int_from_float": "Input should be a valid integer, got a number with a fractional part",
    "int_parsing_size": "Unable to parse input string as an integer, exceeded maximum size",
    "float_type": "Input should be a valid number",
    "float_parsing": "Input should be a valid number, unable to parse string as a number",
    "finite_number": "Input should be a finite number",
    "string_type": "Input should be a valid string",
    "string_unicode": "Input should be a valid string, unable to parse raw data as a unicode string",
    "string_too_long": "String should have at most {limit} characters",
    "dict_type": "Input should be a valid dictionary",
    "greater_than_equal": "Input should be greater than or equal to {limit}",
    "greater_than": "Input should be greater than {limit}",
    "less_than_equal": "Input should be less than or equal to {limit}",
}


class Invalid(Exception):
    """A value that does not read: ``kind`` names the rule, ``limit`` the bound it broke."""

    def __init__(self, kind: str, limit: Any = "") -> None:
        self.kind, self.limit = kind, limit
        super().__init__(MESSAGES[kind].format(limit=_shown(limit)))


def _shown(limit: Any) -> str:
    """A bound as the message shows it: 5.0 as 5, 0.5 as 0.5."""
    if isinstance(limit, float) and limit.is_integer():
        return str(int(limit))
    return str(limit)


def _text(value: str | bytes, fails: str) -> str:
    if isinstance(value, bytes):
        try:
            return value.decode()
        except UnicodeDecodeError:
            raise Invalid(fails) from None
    return value


def as_int(value: Any) -> int:
    """A whole number: an int, a bool, an integral finite float or decimal, or integer text."""
    if type(value) is int:
        return value
    if isinstance(value, bool | int):
        return int(value)
    if isinstance(value, str | bytes):
        text = _text(value, "int_parsing").strip()
        if not (text.isascii() and _INT_TEXT.fullmatch(text)):
            raise Invalid("int_parsing")
        try:
            return int(text.split(".")[0])
        except ValueError:  # more digits than Python reads (sys.get_int_max_str_digits)
            raise Invalid("int_parsing") from None
    if hasattr(value, "__index__"):
        return int(value.__index__())
    if not hasattr(value, "__float__") or isinstance(value, complex):
        raise Invalid("int_type")
    number = float(value)
    if not math.isfinite(number):
        raise Invalid("finite_number")
    if not number.is_integer():
        raise Invalid("int_from_float")
    if not -_I64 <= number < _I64:
        raise Invalid("int_parsing_size")
    return int(number)


def as_float(value: Any) -> float:
    """A finite number: an int, a bool, a float, a decimal or number text ("1_000", "4e3")."""
    if type(value) is float and math.isfinite(value):
        return value
    if isinstance(value, str | bytes):
        text = _text(value, "float_parsing").strip()
        if text.lower() in _NON_FINITE:
            raise Invalid("finite_number")
        if not text.isascii():
            raise Invalid("float_parsing")
        try:
            number = float(text)
        except ValueError:
            raise Invalid("float_parsing") from None
    elif isinstance(value, complex) or not hasattr(value, "__float__"):
        raise Invalid("float_type")
    else:
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float
            raise Invalid("float_type") from None
    if not math.isfinite(number):
        raise Invalid("finite_number")
    return number


def as_str(value: Any, max_length: int | None = None) -> str:
    """Text (UTF-8 bytes are decoded); numbers are not text."""
    if not isinstance(value, str | bytes):
        raise Invalid("string_type")
    text = _text(value, "string_unicode")
    if max_length is not None and len(text) > max_length:
        raise Invalid("string_too_long", max_length)
    return text


def within(value: float, ge: float | None, gt: float | None, le: float | None) -> None:
    """Check a number against its bounds (the bound is shown in the field's own type)."""
    if ge is not None and not value >= ge:
        raise Invalid("greater_than_equal", ge)
    if gt is not None and not value > gt:
        raise Invalid("greater_than", gt)
    if le is not None and not value <= le:
        raise Invalid("less_than_equal", le)
