"""What the derivations share: the Derived result (profile values and extra information,
each with its source and method) and the small helpers every derivation uses. Kept apart so
:mod:`.derive`, :mod:`.derive_live` and :mod:`.derive_shop` import it and not each other."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from kreator.importers.model import LiveDay, Metric

MONTH = 30


@dataclass
class Derived:
    metrics: dict[str, Metric] = field(default_factory=dict)
    info: dict[str, Metric] = field(default_factory=dict)


def join(provs: Any) -> str:
    return " + ".join(sorted({p for p in provs if p}))


def scaled(days: int) -> str:
    return "" if days == MONTH else f", x {MONTH}/{days}"


def merge_days(days: list[LiveDay]) -> list[LiveDay]:
    """One LiveDay per date from the four Studio LIVE tables (best rank per field)."""
    by_day: dict[Any, LiveDay] = {}
    for d in sorted(days, key=lambda x: x.rank):
        cur = by_day.get(d.day)
        if cur is None:
            by_day[d.day] = d
            continue
        gaps = {f: getattr(d, f) for f in ("lives", "seconds", "avg_viewers", "diamonds",
                                           "gifters")
                if getattr(cur, f) is None and getattr(d, f) is not None}
        by_day[d.day] = dataclasses.replace(cur, cols={**d.cols, **cur.cols}, **gaps)
    return [by_day[k] for k in sorted(by_day)]
