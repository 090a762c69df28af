"""Money for the ledger: Decimal in Python, integer minor units plus ISO 4217 code in the database.

A currency's minor units come from Babel's CLDR data (``get_currency_precision``): 2 for USD and
SEK, 0 for JPY and ISK, 3 for KWD and BHD. An amount with more decimals than its currency has is
refused, never silently rounded; only a *converted* amount (one with an exchange rate) is rounded,
half to even, and it keeps the exact original amount and the rate beside it.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache

from kreator.core.errors import CurrencyError, LedgerError

#: Units an original amount may be in besides ISO currencies (LIVE gifts are paid in diamonds).
UNIT_RE = re.compile(r"^[A-Z][A-Z_]{1,15}$")
MAX_MINOR = 10**17  # well inside a signed 64-bit integer, so sums of many events still fit
MAX_EXPONENT = 30
"""An amount or rate is refused beyond 1e30 or below 1e-30 (Decimal arithmetic on 1e999999999
overflows, or underflows to 0), long before the ledger's own limits."""


@lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def check_currency(code: str, *, field: str = "currency") -> str:
    """The upper-cased ISO 4217 code, or a CurrencyError that says how to fix it."""
    cur = (code or "").strip().upper()
    if cur not in _currencies():
        raise CurrencyError(f"'{code}' is not an ISO 4217 currency code.", field=field,
                            fix="use a three-letter code such as USD, EUR, SEK or GBP.",
                            key="currency_code", params={"value": str(code)})
    return cur


@lru_cache(maxsize=512)
def digits(currency: str) -> int:
    """How many decimals the currency's minor unit has (Babel / CLDR)."""
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(check_currency(currency)))


def parse_amount(text: str | Decimal | int, *, field: str = "amount") -> Decimal:
    """A finite Decimal from user text ("12.50", "-3", "1e3"); floats are refused."""
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise LedgerError(f"'{text}' is not a finite amount.", field=field,
                              fix="write e.g. 12.50.", key="amount_not_finite",
                              params={"value": str(text)})
        return _in_range(text, field)
    if isinstance(text, float):
        raise LedgerError("money must not be a float.", field=field,
                          fix="pass a Decimal or a string such as '12.50'.", key="money_float")
    try:
        value = Decimal(str(text).strip().replace("_", ""))
    except InvalidOperation:
        raise LedgerError(f"'{text}' is not an amount.", field=field,
                          fix="write it like 12.50 (a dot for decimals, no thousands separator).",
                          key="amount_invalid", params={"value": str(text)}) from None
    if not value.is_finite():
        raise LedgerError(f"'{text}' is not a finite amount.", field=field, fix="write e.g. 12.50.",
                          key="amount_not_finite", params={"value": str(text)})
    return _in_range(value, field)


def _in_range(value: Decimal, field: str) -> Decimal:
    if value and not -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
        raise LedgerError(f"'{value}' is too large or too small.", field=field,
                          fix="write it like 12.50 (at most 15 digits before the decimal point).",
                          key="amount_range", params={"value": str(value)})
    return value


def to_minor(amount: Decimal, currency: str, *, rounded: bool = False,
             field: str = "amount") -> int:
    """``amount`` in integer minor units of ``currency``.

    Refuses an amount with more decimals than the currency has, unless ``rounded`` (used for
    converted amounts, which keep their exact original beside them)."""
    amount = parse_amount(amount, field=field)
    places = digits(currency)
    scaled = amount.scaleb(places)
    minor = int(scaled)
    if minor != scaled:
        if not rounded:
            raise LedgerError(f"{amount} has more decimals than {currency} allows ({places}).",
                              field=field, fix=f"round it to {places} decimals.",
                              key="amount_decimals", params={
                                  "amount": str(amount), "currency": currency, "places": places})
        minor = int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    if abs(minor) >= MAX_MINOR:
        raise LedgerError(f"{amount} {currency} is too large for the ledger.", field=field,
                          fix="check the amount: at most 15 digits before the decimal point.",
                          key="amount_too_large", params={"amount": str(amount),
                                                          "currency": currency})
    return minor


def from_minor(minor: int, currency: str) -> Decimal:
    """The Decimal for ``minor`` units, with exactly the currency's number of decimals."""
    return Decimal(int(minor)).scaleb(-digits(currency))


def check_unit(code: str, *, field: str = "original_currency") -> str:
    """An original amount's unit: an ISO currency or a unit name such as DIAMOND."""
    cur = (code or "").strip().upper()
    if cur in _currencies() or UNIT_RE.match(cur):
        return cur
    raise CurrencyError(f"'{code}' is neither an ISO 4217 currency nor a unit name.", field=field,
                        fix="use e.g. EUR, or DIAMOND for LIVE diamonds.", key="unit_code",
                        params={"value": str(code)})


def exact_text(value: Decimal) -> str:
    """A canonical exact string for a Decimal (no exponent; trailing zeros kept as given)."""
    return format(value, "f")
