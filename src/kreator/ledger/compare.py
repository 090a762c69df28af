"""Actual income against saved estimates: per stream and month, below / within / above p10-p90.

Each month is compared with the estimate in force when it began: the latest one saved on or
before its first day (months before the first estimate use the first), so a creator who
re-estimates as they grow is judged month by month against what Kreator said beforehand.
``estimate_id`` picks one estimate for every month instead. The months compared run from the
first to the last month with any income (within ``since``/``until``), gaps included as zero.
A stream the estimates have but the ledger never recorded in those months is reported as
``no_data`` rather than as zero income (the creator may simply not track it); a stream with
income in some months counts its other months as zero. Amounts are in the newest estimate's
currency; other currencies (income or older estimates) are converted with Kreator's
exchange-rate table (``kreator/ratecards/fx.toml``), and every rate used is listed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
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
    estimate_id: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"month": self.month, "stream": self.stream, "actual": str(self.actual),
                "p10": str(self.p10), "p50": str(self.p50), "p90": str(self.p90),
                "verdict": self.verdict, "estimate": self.estimate_id}


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
    estimates: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        counts = {v: sum(1 for c in self.cells if c.verdict == v and c.stream != TOTAL)
                  for v in ("below", "within", "above")}
        return {"creator": self.creator,
                "estimate": {"id": self.estimate_id, "as_of": self.estimate_as_of,
                             "card": self.card_id},
                "estimates": self.estimates,
                "currency": self.currency, "months": self.months,
                "cells": [c.to_dict() for c in self.cells], "counts": counts,
                "no_data": self.no_data, "not_estimated": self.not_estimated, "fx": self.fx}


def months_between(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out = []
    while (y, m) <= end:
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


def ranges(snapshot: EstimateSnapshot, factor: Decimal = Decimal(1)) -> dict[str, dict[str, Any]]:
    """The saved estimate's monthly range per stream, and the total's under ``"total"``, times
    ``factor`` (a conversion to another currency)."""
    est = snapshot.estimate
    out = {s["id"]: s["monthly"] for s in est["streams"]}
    out[TOTAL] = est["total"]["monthly"]
    if factor == 1:
        return out
    return {sid: {k: Decimal(str(v)) * factor for k, v in r.items()} for sid, r in out.items()}


@dataclass
class Basis:
    """Which saved estimate each month is compared with, its ranges in one currency."""

    currency: str
    by_month: dict[str, EstimateSnapshot]
    ranges: dict[int, dict[str, dict[str, Any]]]
    fx: list[dict[str, str]]

    @property
    def latest(self) -> EstimateSnapshot:
        return max(self.by_month.values(), key=lambda s: (s.as_of, s.id))

    def used(self) -> list[dict[str, Any]]:
        """Each estimate used, with its months, in date order."""
        out: dict[int, dict[str, Any]] = {}
        for month, snap in sorted(self.by_month.items()):
            entry = out.setdefault(snap.id, {"id": snap.id, "as_of": snap.as_of.isoformat(),
                                             "card": snap.card_id, "months": []})
            entry["months"].append(month)
        return list(out.values())


def in_force(snapshots: list[EstimateSnapshot], months: list[str]) -> dict[str, EstimateSnapshot]:
    """For each month, the latest estimate saved on or before its first day (else the first)."""
    ordered = sorted(snapshots, key=lambda s: (s.as_of, s.id))
    out = {}
    for month in months:
        start = dt.date(int(month[:4]), int(month[5:7]), 1)
        made = [s for s in ordered if s.as_of <= start]
        out[month] = made[-1] if made else ordered[0]
    return out


def basis(ledger: Ledger, creator: str | None, estimate_id: int | None,
          act: Callable[[str], Actuals]) -> tuple[Basis, Actuals]:
    """The estimates in force over the months with income (``act(currency)``), in the currency
    of the newest estimate saved (others' ranges converted with the rate table)."""
    if estimate_id is not None:
        snaps = [ledger.estimate_snapshot(creator, estimate_id)]
    else:
        snaps = ledger.estimate_snapshots(creator)
    currency = snaps[-1].currency
    income = act(currency)
    by_month = in_force(snaps, income.months)
    fx: dict[str, dict[str, str]] = {f["from"]: f for f in income.fx}
    rng: dict[int, dict[str, dict[str, Any]]] = {}
    for snap in sorted({s.id: s for s in by_month.values()}.values(), key=lambda s: (s.as_of, s.id)):
        factor = Decimal(1)
        if snap.currency != currency:
            factor, fx[snap.currency] = fx_factor(snap.currency, currency)
        rng[snap.id] = ranges(snap, factor)
    return Basis(currency, by_month, rng, list(fx.values())), income


def compare(ledger: Ledger, creator: str | None, *, estimate_id: int | None = None,
            since: dt.date | None = None, until: dt.date | None = None) -> Comparison:
    """Each month's actual income per stream against the p10-p90 of the estimate in force."""
    _, name = ledger.creator_id(creator)
    base, act = basis(ledger, name, estimate_id,
                      lambda cur: actuals(ledger, name, cur, since=since, until=until))
    exp = Decimal(1).scaleb(-digits(base.currency))
    estimated = list(dict.fromkeys(sid for r in base.ranges.values() for sid in r))
    seen = act.streams()
    cells = []
    for month in act.months:
        snap = base.by_month[month]
        for stream, r in base.ranges[snap.id].items():
            if stream not in seen:
                continue
            p10, p50, p90 = (_dec(r[k], exp) for k in ("p10", "p50", "p90"))
            actual = act.get(month, stream)
            cells.append(Cell(month, stream, actual, p10, p50, p90, verdict(actual, p10, p90),
                              snap.id))
    no_data = [s for s in estimated if s not in seen and s != TOTAL]
    not_estimated = {s: "the estimate's rate card has no such stream"
                     for s in sorted(seen - set(estimated))}
    shown = base.latest if base.by_month else ledger.estimate_snapshot(name, estimate_id)
    return Comparison(name, shown.id, shown.as_of.isoformat(), shown.card_id, base.currency,
                      act.months, cells, no_data, not_estimated, base.fx, base.used())
