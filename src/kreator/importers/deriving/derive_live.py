"""Derived LIVE values: sessions (personal export) in the window give ``lives_per_month``
(count x 30 / window days) and ``live_avg_minutes`` (mean ``LiveDuration``); without sessions the
Studio LIVE tables give both from their daily totals. ``live_avg_viewers`` only comes from
Studio's "average concurrent viewers" (weighted by LIVE time): the export's ``TotalView`` counts
views, not concurrent viewers. Diamonds in the window are shown with their value at the card's
rate.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from statistics import fmean

from kreator.importers.deriving.derived import MONTH, Derived, join, merge_days
from kreator.importers.deriving.merge import unique_lives
from kreator.importers.model import Facts, LiveDay, Metric, Window

CENT = Decimal("0.01")


def _per_month(count: float, window: Window) -> float:
    return round(count * MONTH / window.days, 2)


def lives(facts: Facts, window: Window, out: Derived, usd_per_diamond: Decimal | None,
          currency: str) -> None:

    sessions = [s for s in unique_lives(facts.lives) if s.start.date() in window]
    days = [d for d in merge_days(facts.live_days) if d.day in window]
    if sessions or "lives" in facts.complete:
        provs = [s.prov for s in sessions] or sorted(facts.lists.get("lives", set()))
        out.metrics["lives_per_month"] = Metric(
            _per_month(len(sessions), window), join(provs),
            f"{len(sessions)} LIVE sessions {window.start}..{window.end}")
        minutes = [float(s.minutes) for s in sessions if s.minutes]
        if minutes:
            out.metrics["live_avg_minutes"] = Metric(
                round(fmean(minutes), 1), join(s.cols.get("minutes", s.prov) for s in sessions),
                f"mean LiveDuration of {len(minutes)} sessions (read as minutes)")
        diamonds = sum(s.diamonds or 0 for s in sessions)
        diamond_prov = join(s.cols.get("diamonds", s.prov) for s in sessions)
    else:
        _from_days(days, window, out)
        diamonds = sum(d.diamonds or 0 for d in days)
        diamond_prov = join(d.cols.get("diamonds", "") for d in days)
    _viewers(days, out)
    if diamonds and diamond_prov:
        out.info["live_diamonds_30d"] = Metric(round(diamonds * MONTH / window.days),
                                               diamond_prov, "diamonds received, per 30 days")
        if usd_per_diamond is not None:
            value = (Decimal(diamonds) * usd_per_diamond * MONTH / window.days)
            out.info["live_gifts_30d"] = Metric(
                f"{value.quantize(CENT, ROUND_HALF_UP)} {currency}", diamond_prov,
                f"diamonds x {usd_per_diamond} {currency} (card figure "
                "streams.live_gifts.usd_per_diamond), per 30 days")


def _from_days(days: list[LiveDay], window: Window, out: Derived) -> None:

    counted = [d for d in days if d.lives is not None]
    if not counted:
        return
    total = sum(d.lives or 0 for d in counted)
    out.metrics["lives_per_month"] = Metric(
        _per_month(total, window), join(d.cols.get("lives", d.prov) for d in counted),
        f"{total} LIVEs on {len(counted)} days in the Studio LIVE table")
    secs = sum(d.seconds or 0 for d in counted)
    if total and secs:
        out.metrics["live_avg_minutes"] = Metric(
            round(secs / 60 / total, 1), join(d.cols.get("seconds", d.prov) for d in counted),
            "LIVE duration (read as seconds) / LIVEs")


def _viewers(days: list[LiveDay], out: Derived) -> None:

    rows = [d for d in days if d.avg_viewers is not None]
    if not rows:
        return
    weights = [d.seconds or 1.0 for d in rows]
    total = sum((d.avg_viewers or 0.0) * w for d, w in zip(rows, weights, strict=True))
    value = total / sum(weights)
    out.metrics["live_avg_viewers"] = Metric(
        round(value, 1), join(d.cols.get("avg_viewers", d.prov) for d in rows),
        f"average concurrent viewers over {len(rows)} LIVE days, weighted by LIVE time")
