"""Income by month and stream: summed in SQL as integer minor units, per currency, exactly.

Amounts in different currencies are never added together: the report has one table per
currency. The chart (matplotlib, Agg backend, imported only when a chart is asked for) stacks
the streams per month for one currency.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, select

from kreator.core.errors import LedgerError, Phrase
from kreator.ledger.models import Event
from kreator.ledger.money import from_minor
from kreator.ledger.repo import EventFilter, Ledger


def month_of(ledger: Ledger) -> ColumnElement[str]:
    """``YYYY-MM`` of an event's date, in the database's own dialect."""
    if ledger.dialect == "postgresql":
        return func.to_char(Event.date, "YYYY-MM")
    return func.substr(Event.date, 1, 7)  # SQLite keeps dates as YYYY-MM-DD text


@dataclass
class CurrencyReport:
    """One currency's months x streams, with exact Decimal totals."""

    currency: str
    cells: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # month -> stream -> sum
    counts: dict[str, int] = field(default_factory=dict)  # month -> events

    @property
    def months(self) -> list[str]:
        return sorted(self.cells)

    @property
    def streams(self) -> list[str]:
        return sorted({s for row in self.cells.values() for s in row})

    def month_total(self, month: str) -> Decimal:
        return sum(self.cells[month].values(), Decimal(0))

    def stream_total(self, stream: str) -> Decimal:
        return sum((row.get(stream, Decimal(0)) for row in self.cells.values()), Decimal(0))

    @property
    def total(self) -> Decimal:
        return sum((self.month_total(m) for m in self.cells), Decimal(0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "months": [{"month": m, "events": self.counts[m],
                        "streams": {s: str(v) for s, v in sorted(self.cells[m].items())},
                        "total": str(self.month_total(m))} for m in self.months],
            "by_stream": {s: str(self.stream_total(s)) for s in self.streams},
            "total": str(self.total),
        }


@dataclass
class MonthlyReport:
    creator: str
    since: dt.date | None
    until: dt.date | None
    currencies: list[CurrencyReport]

    def to_dict(self) -> dict[str, Any]:
        return {"creator": self.creator,
                "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None,
                "currencies": [c.to_dict() for c in self.currencies]}

    def currency(self, code: str) -> CurrencyReport:
        for c in self.currencies:
            if c.currency == code.upper():
                return c
        choices = (", ".join(c.currency for c in self.currencies)
                   or Phrase("the currencies you have income in", "your_currencies"))
        raise LedgerError(f"no income in {code.upper()} in this report.", field="currency",
                          fix=f"use one of {choices}.", key="report_no_currency",
                          params={"currency": code.upper(), "choices": choices})


def sums(ledger: Ledger, flt: EventFilter) -> list[tuple[str, str, str, int, int]]:
    """(month, stream, currency, sum of minor units, events), grouped in the database."""
    month = month_of(ledger).label("month")
    stmt = select(month, Event.stream, Event.currency, func.sum(Event.amount_minor),
                  func.count())
    stmt = ledger._filtered(stmt, flt).group_by(month, Event.stream, Event.currency)
    with ledger.read() as s:
        return [(str(m), str(st), str(cur), int(total), int(n))
                for m, st, cur, total, n in s.execute(stmt)]


def monthly(ledger: Ledger, creator: str | None, *, since: dt.date | None = None,
            until: dt.date | None = None) -> MonthlyReport:
    """Income by month and stream for one creator, one table per currency."""
    _, name = ledger.creator_id(creator)
    by_cur: dict[str, CurrencyReport] = {}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for month, stream, cur, minor, n in sums(ledger, EventFilter(name, since, until)):
        rep = by_cur.setdefault(cur, CurrencyReport(cur))
        rep.cells.setdefault(month, {})[stream] = from_minor(minor, cur)
        counts[cur][month] += n
    for cur, rep in by_cur.items():
        rep.counts = dict(counts[cur])
    ordered = sorted(by_cur.values(), key=lambda r: (-len(r.cells), r.currency))
    return MonthlyReport(name, since, until, ordered)


def chart(report: MonthlyReport, path: Path, *, currency: str | None = None,
          title: str = "", labels: dict[str, str] | None = None) -> Path:
    """A stacked bar chart (PNG or SVG by the file's suffix) of one currency's months."""
    if path.suffix.lower() not in (".png", ".svg"):
        raise LedgerError(f"cannot draw a chart as '{path.suffix}'.", field="chart",
                          fix="name the file .png or .svg.", key="chart_format",
                          params={"value": path.suffix})
    if not report.currencies:
        raise LedgerError("no income to chart.", field="chart", fix="add or import income first.",
                          key="chart_empty")
    rep = report.currency(currency) if currency else report.currencies[0]
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(max(6.0, 0.6 * len(rep.months) + 3), 4.0), dpi=100)
    bottom = [0.0] * len(rep.months)
    for stream in rep.streams:
        # Decimal -> float only here, for pixels; sums and labels stay exact.
        heights = [float(rep.cells[m].get(stream, Decimal(0))) for m in rep.months]
        ax.bar(rep.months, heights, bottom=bottom, label=(labels or {}).get(stream, stream))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_ylabel(rep.currency)
    ax.set_title(title or f"{report.creator}: income by month ({rep.currency})")
    ax.legend(fontsize="small")
    ax.tick_params(axis="x", rotation=45)
    fig.tight_layout()
    try:
        fig.savefig(path)
    except OSError as exc:
        raise LedgerError(f"cannot write {path}: {exc.strerror}.", field="chart",
                          fix="choose a folder you can write to.", key="chart_unwritable",
                          params={"path": str(path), "reason": exc.strerror}) from None
    finally:
        plt.close(fig)
    return path
