"""Observations from a ledger database (SQLite or PostgreSQL): every creator's actual income by
month and stream, paired with the estimate (profile) in force when the month began.

The same pairing as ``kreator ledger compare`` (:mod:`kreator.ledger.compare`): a month is
judged against the latest estimate saved on or before its first day (else the first); the months
run from the first to the last with any income, gaps included as zero; a stream never recorded
for a creator is left out (no data, not zero). Two queries, both ordered by creator and read in
batches (``yield_per``), are merged creator by creator and handed on in parts of whole creators
(:func:`iter_ledger`), so memory holds one part of rows at a time: the fit scores a part and
keeps a few numbers a row (kreator.cardfit.baseline.Scored)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from itertools import groupby
from typing import Any

from kreator.cardfit.observations import CHUNK, Observations, add_row

BATCH = 5_000


def read_ledger(url: str | None, streams: set[str], out: Observations | None = None
                ) -> Observations:
    """Every creator's months in the ledger at ``url`` as observations in US dollars, at once
    (small ledgers; a fit reads them with :func:`iter_ledger`)."""
    out = out if out is not None else Observations()
    for part in iter_ledger(url, streams):
        out.extend(part)
    return out


def read_open_ledger(ledger: Any, streams: set[str], out: Observations | None = None
                     ) -> Observations:
    """The same from a ledger already open (``kreator serve`` keeps one per app)."""
    out = out if out is not None else Observations()
    for part in iter_open_ledger(ledger, streams):
        out.extend(part)
    return out


def iter_ledger(url: str | None, streams: set[str], chunk: int = CHUNK
                ) -> Iterator[Observations]:
    """The ledger at ``url`` in parts of about ``chunk`` rows (whole creators), closed after."""
    from kreator.ledger.repo import open_ledger

    ledger = open_ledger(url)
    try:
        yield from iter_open_ledger(ledger, streams, chunk)
    finally:
        ledger.close()


def iter_open_ledger(ledger: Any, streams: set[str], chunk: int = CHUNK
                     ) -> Iterator[Observations]:
    """An open ledger's observations in parts: a part is handed on once it holds ``chunk``
    rows, after its last creator's months (the last part may be empty and carry only the
    count of creators without a saved estimate)."""
    out = Observations()
    with ledger.read() as s:
        snaps = _Cursor(groupby(_snapshots(s), key=lambda r: r[0]))
        for cid, rows in groupby(_sums(s, ledger), key=lambda r: r[0]):
            prof = snaps.get(cid)
            if prof:
                _creator(out, cid, list(rows), prof, streams)
            else:
                out.skipped += 1
            if len(out) >= chunk:
                yield out
                out = Observations()
    yield out


def ledger_size(ledger: Any) -> tuple[int, int, int]:
    """(income entries, creators with income, of them with a saved estimate): what a fit from
    this ledger will read, counted in the database."""
    from sqlalchemy import func, select

    from kreator.ledger.models import EstimateSnapshot as Snap
    from kreator.ledger.models import Event

    with ledger.read() as s:
        events, creators = s.execute(select(func.count(), func.count(
            Event.creator_id.distinct()))).one()
        paired = s.scalar(select(func.count(Event.creator_id.distinct())).where(
            Event.creator_id.in_(select(Snap.creator_id))))
    return int(events), int(creators), int(paired or 0)


class _Cursor:
    """The ordered snapshot groups, read forward as creators come (both streams by creator)."""

    def __init__(self, groups: Iterator[tuple[int, Iterator[Any]]]) -> None:
        self.groups = groups
        self.key = -1
        self.rows: list[tuple[dt.date, int, dict[str, Any]]] = []

    def get(self, cid: int) -> list[tuple[dt.date, int, dict[str, Any]]]:
        while self.key < cid:
            try:
                key, rows = next(self.groups)
            except StopIteration:
                self.key = 1 << 62
                return []
            self.key, self.rows = key, [r[1:] for r in rows]
        return self.rows if self.key == cid else []


def _sums(s: Any, ledger: Any) -> Iterator[tuple[int, str, str, str, int]]:
    from sqlalchemy import func, select

    from kreator.ledger.models import Event
    from kreator.ledger.reports import month_of

    month = month_of(ledger).label("month")
    stmt = (select(Event.creator_id, month, Event.stream, Event.currency,
                   func.sum(Event.amount_minor))
            .group_by(Event.creator_id, month, Event.stream, Event.currency)
            .order_by(Event.creator_id, month))
    for cid, m, st, cur, total in s.execute(stmt.execution_options(yield_per=BATCH)):
        yield int(cid), str(m), str(st), str(cur), int(total)


def _snapshots(s: Any) -> Iterator[tuple[int, dt.date, int, dict[str, Any]]]:
    from sqlalchemy import select

    from kreator.ledger.models import EstimateSnapshot as Snap

    stmt = (select(Snap.creator_id, Snap.as_of, Snap.id, Snap.estimate)
            .order_by(Snap.creator_id, Snap.as_of, Snap.id))
    for cid, as_of, sid, est in s.execute(stmt.execution_options(yield_per=BATCH)):
        yield int(cid), as_of, int(sid), dict(est.get("profile") or {})


def _creator(out: Observations, cid: int, rows: list[tuple[int, str, str, str, int]],
             snaps: list[tuple[dt.date, int, dict[str, Any]]], streams: set[str]) -> None:
    from kreator.ledger.compare import months_between
    from kreator.ledger.money import digits

    usd: dict[tuple[str, str], float] = {}
    for _, month, stream, cur, minor in rows:
        amount = float(Decimal(minor).scaleb(-digits(cur))) / _per_usd(cur)
        usd[(month, stream)] = usd.get((month, stream), 0.0) + amount
    months = months_between(min(m for m, _ in usd), max(m for m, _ in usd))
    seen = sorted({st for _, st in usd} & streams)
    for month in months:
        start = dt.date(int(month[:4]), int(month[5:7]), 1)
        made = [p for as_of, _, p in snaps if as_of <= start]
        profile = made[-1] if made else snaps[0][2]
        for stream in seen:
            row = {**profile, "creator": f"ledger:{cid}", "stream": stream,
                   "amount": usd.get((month, stream), 0.0), "currency": "USD", "period_days": 30}
            add_row(out, row, streams, f"ledger creator {cid}, {month}, {stream}")


def _per_usd(currency: str) -> float:
    from kreator.ratecards import fx_rate

    rate = fx_rate(currency)
    return 1.0 if rate is None else rate.rate
