"""Income events in and out of the database: validation, row values, and the public view."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kreator.core.errors import LedgerError
from kreator.core.events import STREAMS, IncomeEvent
from kreator.ledger.money import check_currency, check_unit, from_minor, parse_amount, to_minor

#: Columns compared to tell an unchanged re-imported event from an updated one. Provenance
#: (``source``, ``details`` such as the file name and hash) does not make an earning different:
#: the same order in an overlapping export, or in the API and the CSV, is unchanged.
COMPARED = ("date", "amount_minor", "currency", "note", "original_amount", "original_currency",
            "fx_rate", "fx_source", "fx_date")
#: Columns an update writes.
UPDATED = (*COMPARED, "source", "details")
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)  # months are YYYY-MM text: a fifth year digit breaks their order


def parse_day(text: str | None, name: str, *, end: bool = False) -> dt.date | None:
    """YYYY-MM-DD, or YYYY-MM meaning the month's first (or with ``end``, last) day."""
    if not text:
        return None
    try:
        if len(text) == 7:
            first = dt.date.fromisoformat(text + "-01")
            if not end:
                return first
            if first.month == 12:
                return first.replace(day=31)
            return first.replace(month=first.month + 1) - dt.timedelta(days=1)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise LedgerError(f"'{text}' is not a date.", field=name,
                          fix="write YYYY-MM-DD (or YYYY-MM for a whole month).",
                          key="date_or_month", params={"value": text}) from None


def check_stream(stream: str) -> str:
    sid = (stream or "").strip().lower().replace("-", "_")
    if sid not in STREAMS:
        raise LedgerError(f"unknown stream '{stream}'.", field="stream",
                          fix=f"use one of {', '.join(STREAMS)}.", key="unknown_stream",
                          params={"value": stream, "choices": ", ".join(STREAMS)})
    return sid


def _text(value: str | None, name: str, limit: int, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise LedgerError(f"{name} is empty.", field=name, fix=f"give every event a {name}.",
                          key="text_empty", params={"name": name})
    if len(text) > limit:
        raise LedgerError(f"{name} is longer than {limit} characters.", field=name,
                          fix=f"shorten the {name}.", key="text_too_long",
                          params={"name": name, "limit": limit})
    return text


def event_values(ev: IncomeEvent) -> dict[str, Any]:
    """The database values for ``ev`` (without creator and run), or a LedgerError naming the field.

    A converted event (one with ``fx_rate``) is rounded to its currency's minor unit; any other
    amount must already fit it exactly."""
    if not isinstance(ev.date, dt.date) or isinstance(ev.date, dt.datetime):
        raise LedgerError(f"'{ev.date}' is not a date.", field="date", fix="use YYYY-MM-DD.",
                          key="event_date", params={"value": str(ev.date)})
    if ev.date < FIRST_DAY:
        raise LedgerError(f"{ev.date} is before {FIRST_DAY}.", field="date",
                          fix="check the year.", key="date_too_early",
                          params={"value": str(ev.date), "first": str(FIRST_DAY)})
    if ev.date > LAST_DAY:
        raise LedgerError(f"{ev.date} is after {LAST_DAY}.", field="date",
                          fix="check the year.", key="date_too_late",
                          params={"value": str(ev.date), "last": str(LAST_DAY)})
    currency = check_currency(ev.currency)
    converted = ev.fx_rate is not None
    values: dict[str, Any] = {
        "date": ev.date, "stream": check_stream(ev.stream),
        "amount_minor": to_minor(ev.amount, currency, rounded=converted),
        "currency": currency,
        "source": _text(ev.source, "source", 64, required=True),
        "natural_key": _text(ev.natural_key, "natural_key", 200, required=True),
        "note": _text(ev.note, "note", 2000),
        "original_amount": None if ev.original_amount is None
        else parse_amount(ev.original_amount, field="original_amount"),
        "original_currency": None if ev.original_currency is None
        else check_unit(ev.original_currency),
        "fx_rate": None if ev.fx_rate is None else _rate(ev.fx_rate),
        "fx_source": _text(ev.fx_source, "fx_source", 255) or None,
        "fx_date": _text(ev.fx_date, "fx_date", 32) or None,
        "details": {str(k): str(v) for k, v in (ev.details or {}).items()},
    }
    if converted and (values["original_amount"] is None or values["original_currency"] is None):
        raise LedgerError("a converted amount must keep its original amount and currency.",
                          field="original_amount",
                          fix="give the original amount and currency with the rate.",
                          key="converted_needs_original")
    return values


def _rate(value: Decimal) -> Decimal:
    rate = parse_amount(value, field="fx_rate")
    if rate <= 0:
        raise LedgerError(f"the exchange rate must be more than zero (got {rate}).",
                          field="fx_rate", fix="give units of the currency per unit of the "
                          "original currency, e.g. 11.02.", key="fx_rate_not_positive",
                          params={"value": str(rate)})
    return rate


def new_key() -> str:
    """A natural key for a manual entry that names none (each such entry is its own event)."""
    return "manual-" + uuid.uuid4().hex


def manual_event(day: dt.date | None, stream: str, amount: str | None, currency: str, *,
                 note: str = "", key: str | None = None, source: str = "manual",
                 original_amount: str | None = None, original_currency: str | None = None,
                 fx_rate: str | None = None, fx_source: str | None = None,
                 fx_date: str | None = None) -> IncomeEvent:
    """An event typed in by hand (amounts as text). Without ``amount``, the original amount times
    the rate (rounded to the currency by the ledger). Without ``key``, a new unique one."""
    rate = parse_amount(fx_rate, field="fx_rate") if fx_rate else None
    orig = parse_amount(original_amount, field="original_amount") if original_amount else None
    if amount is not None:
        value = parse_amount(amount)
    elif orig is not None and rate is not None:
        value = orig * rate
    else:
        raise LedgerError("no amount given.", field="amount",
                          fix="give --amount, or --original-amount with --fx-rate.",
                          key="no_amount")
    return IncomeEvent(day or dt.date.today(), stream, value, currency, source,
                       key or new_key(), note, orig, original_currency, rate,
                       fx_source, fx_date)


def same(stored: dict[str, Any], incoming: dict[str, Any]) -> bool:
    """True when a stored event already holds exactly the incoming values."""
    return all(_norm(stored.get(k)) == _norm(incoming.get(k)) for k in COMPARED)


def _norm(value: Any) -> Any:
    return None if value == "" else value


@dataclass(frozen=True)
class EventView:
    """An event as read back from the ledger (exact Decimal amount)."""

    id: int
    creator: str
    date: dt.date
    stream: str
    amount: Decimal
    currency: str
    source: str
    natural_key: str
    note: str = ""
    original_amount: Decimal | None = None
    original_currency: str | None = None
    fx_rate: Decimal | None = None
    fx_source: str | None = None
    fx_date: str | None = None
    import_run_id: int | None = None
    details: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: Any, creator: str) -> EventView:
        return cls(row.id, creator, row.date, row.stream, from_minor(row.amount_minor, row.currency),
                   row.currency, row.source, row.natural_key, row.note or "", row.original_amount,
                   row.original_currency, row.fx_rate, row.fx_source, row.fx_date,
                   row.import_run_id, dict(row.details or {}))

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: amounts are exact decimal strings."""
        return {
            "id": self.id, "creator": self.creator, "date": self.date.isoformat(),
            "stream": self.stream, "amount": str(self.amount), "currency": self.currency,
            "source": self.source, "natural_key": self.natural_key, "note": self.note,
            "original_amount": None if self.original_amount is None else str(self.original_amount),
            "original_currency": self.original_currency,
            "fx_rate": None if self.fx_rate is None else str(self.fx_rate),
            "fx_source": self.fx_source, "fx_date": self.fx_date,
            "import_run_id": self.import_run_id, "details": self.details,
        }
