"""Actual income against a saved estimate: per stream and month, below / within / above p10-p90.

The months compared run from the first to the last month with any income (within
``since``/``until``), gaps included as zero. A stream the estimate has but the ledger never
recorded in those months is reported as ``no_data`` rather than as zero income (the creator may
simply not track it); a stream with income in some months counts its other months as zero.
Income in another currency than the estimate's is converted with Kreator's exchange-rate table
(``kreator/ratecards/fx.toml``); every rate used is listed in the result.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from kreator.core.errors import CurrencyError
from kreator.ledger.models import EstimateSnapshot
from kreator.ledger.money import digits
from kreator.ledger.repo import EventFilter, Ledger
from kreator.ledger.reports import sums

TOTAL = "total"


@dataclass(frozen=True)
class Cell:
    month: str
    stream: str
    actual: Decimal
    p10: Decimal
    p50: Decimal
    p90: Decimal
    verdict: str  # below | within | above

    def to_dict(self) -> dict[str, str]:
        return {"month": self.month, "stream": self.stream, "actual": str(self.actual),
                "p10": str(self.p10), "p50": str(self.p50), "p90": str(self.p90),
                "verdict": self.verdict}


@dataclass
class Actuals:
    """Monthly sums per stream in one currency, with the conversions that were needed."""

    currency: str
    months: list[str]
    by_month: dict[str, dict[str, Decimal]]
    fx: list[dict[str, str]] = field(default_factory=list)

    def streams(self) -> set[str]:
        return {s for row in self.by_month.values() for s in row}

    def get(self, month: str, stream: str) -> Decimal:
        return self.by_month.get(month, {}).get(stream, Decimal(0))


@dataclass
class Comparison:
    creator: str
    estimate_id: int
    estimate_as_of: str
    card_id: str
    currency: str
    months: list[str]
    cells: list[Cell]
    no_data: list[str]
    not_estimated: dict[str, str]
    fx: list[dict[str, str]]

    def to_dict(self) -> dict[str, Any]:
        counts = {v: sum(1 for c in self.cells if c.verdict == v and c.stream != TOTAL)
                  for v in ("below", "within", "above")}
        return {"creator": self.creator,
                "estimate": {"id": self.estimate_id, "as_of": self.estimate_as_of,
                             "card": self.card_id},
                "currency": self.currency, "months": self.months,
                "cells": [c.to_dict() for c in self.cells], "counts": counts,
                "no_data": self.no_data, "not_estimated": self.not_estimated, "fx": self.fx}


def months_between(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def fx_factor(src: str, dst: str) -> tuple[Decimal, dict[str, str]]:
    """Units of ``dst`` per unit of ``src`` from the rate table (both quoted per USD)."""
    from kreator.ratecards import fx_table

    rates = fx_table()["rates"]
    for cur in (src, dst):
        if cur not in rates:
            raise CurrencyError(f"no exchange rate for {cur} to compare income with the "
                                "estimate.", field="currency",
                                fix=f"record income in {dst}, or use one of "
                                f"{', '.join(sorted(rates))}.", key="compare_no_rate",
                                params={"currency": cur, "target": dst,
                                        "choices": ", ".join(sorted(rates))})
    factor = Decimal(str(rates[dst]["per_usd"])) / Decimal(str(rates[src]["per_usd"]))
    quoted = [rates[c] for c in (src, dst) if c != "USD"]  # USD itself needs no source
    note = {"from": src, "to": dst, "rate": f"{factor:.6g}",
            "source": "; ".join(str(r["source"]) for r in quoted),
            "date": "; ".join(str(r["source_date"]) for r in quoted)}
    return factor, note


def actuals(ledger: Ledger, creator: str | None, currency: str, *,
            since: dt.date | None = None, until: dt.date | None = None) -> Actuals:
    """Each month's income per stream (and in total), in ``currency``, exact to its minor unit."""
    _, name = ledger.creator_id(creator)
    exp = Decimal(1).scaleb(-digits(currency))
    by_month: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    fx: dict[str, dict[str, str]] = {}
    for month, stream, cur, minor, _n in sums(ledger, EventFilter(name, since, until)):
        amount = Decimal(minor).scaleb(-digits(cur))
        if cur != currency:
            factor, fx[cur] = fx_factor(cur, currency)
            amount = (amount * factor).quantize(exp, rounding=ROUND_HALF_EVEN)
        by_month[month][stream] += amount
        by_month[month][TOTAL] += amount
    months = months_between(min(by_month), max(by_month)) if by_month else []
    return Actuals(currency, months, {m: dict(v) for m, v in by_month.items()}, list(fx.values()))


def _dec(value: Any, exp: Decimal) -> Decimal:
    return Decimal(str(value)).quantize(exp, rounding=ROUND_HALF_EVEN)


def verdict(actual: Decimal, p10: Decimal, p90: Decimal) -> str:
    return "below" if actual < p10 else "above" if actual > p90 else "within"


def ranges(snapshot: EstimateSnapshot) -> dict[str, dict[str, Any]]:
    """The saved estimate's monthly range per stream, and the total's under ``"total"``."""
    est = snapshot.estimate
    out = {s["id"]: s["monthly"] for s in est["streams"]}
    out[TOTAL] = est["total"]["monthly"]
    return out


def compare(ledger: Ledger, creator: str | None, *, estimate_id: int | None = None,
            since: dt.date | None = None, until: dt.date | None = None) -> Comparison:
    """Each month's actual income per stream against the saved estimate's p10-p90."""
    snap = ledger.estimate_snapshot(creator, estimate_id)
    _, name = ledger.creator_id(creator)
    act = actuals(ledger, name, snap.currency, since=since, until=until)
    exp = Decimal(1).scaleb(-digits(snap.currency))
    rng = ranges(snap)
    seen = act.streams()
    tracked = [s for s in rng if s in seen]
    cells = []
    for month in act.months:
        for stream in tracked:
            r = rng[stream]
            p10, p50, p90 = (_dec(r[k], exp) for k in ("p10", "p50", "p90"))
            actual = act.get(month, stream)
            cells.append(Cell(month, stream, actual, p10, p50, p90, verdict(actual, p10, p90)))
    no_data = [s for s in rng if s not in seen and s != TOTAL]
    not_estimated = {s: "the estimate's rate card has no such stream"
                     for s in sorted(seen - set(rng))}
    return Comparison(name, snap.id, snap.as_of.isoformat(), snap.card_id, snap.currency,
                      act.months, cells, no_data, not_estimated, act.fx)
