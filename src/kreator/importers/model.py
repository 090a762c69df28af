"""What importers produce: neutral, dated facts with their provenance.

An importer turns one file into :class:`Facts` (daily series, snapshots, posts, LIVE
sessions, Shop orders, audience...). :mod:`kreator.importers.deriving.derive` turns facts, for one
file or merged across files, into profile metrics. Every fact carries ``prov``, the
``"file:column"`` it came from, and ``rank``, its importer's priority (1 = most trusted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kreator.core.errors import Phrase
from kreator.core.events import IncomeEvent


@dataclass(frozen=True)
class Point:
    """One day's value of a daily series (views, likes, followers...)."""

    value: float
    prov: str
    rank: int


@dataclass(frozen=True)
class Snapshot:
    """A value as of one moment (follower count, display name, handle)."""

    value: Any
    prov: str
    rank: int
    day: dt.date | None = None


@dataclass(frozen=True)
class Post:
    """One of the creator's own videos. Counts are lifetime totals when the source has them."""

    at: dt.datetime
    prov: str
    rank: int
    video_id: str | None = None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    seconds: float | None = None
    cols: dict[str, str] = field(default_factory=dict, compare=False)
    """``"file:column"`` per count field (``views``, ``likes``...)."""


@dataclass(frozen=True)
class Live:
    """One LIVE session (personal export ``GoLiveList``); ``key`` is its RoomId."""

    key: str
    start: dt.datetime
    prov: str
    rank: int
    minutes: float | None = None
    views: int | None = None
    diamonds: int | None = None
    gifters: int | None = None
    likes: int | None = None
    cols: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class LiveDay:
    """One day of the Studio LIVE tables (aggregates; no session id)."""

    day: dt.date
    prov: str
    rank: int
    lives: int | None = None
    seconds: float | None = None
    avg_viewers: float | None = None
    diamonds: int | None = None
    gifters: int | None = None
    cols: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Order:
    """One Shop order line (order id + SKU id). Money is Decimal, never float."""

    key: str
    day: dt.date
    base: Decimal
    commission: Decimal
    currency: str
    status: str
    counted: bool
    prov: str
    rank: int
    cols: dict[str, str] = field(default_factory=dict, compare=False)
    """``"file:column"`` of ``base`` and ``commission``."""


@dataclass(frozen=True)
class Fan:
    """One follower from the personal export's follower list."""

    day: dt.date
    name: str
    prov: str
    rank: int


@dataclass(frozen=True)
class Audience:
    """Audience share by country (ISO code -> 0..1)."""

    shares: dict[str, float]
    prov: str
    rank: int


@dataclass
class Facts:
    """Everything one file (or a merge of files) says about the creator."""

    daily: dict[str, dict[dt.date, Point]] = field(default_factory=dict)
    snapshots: dict[str, list[Snapshot]] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)
    lives: list[Live] = field(default_factory=list)
    live_days: list[LiveDay] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    fans: list[Fan] = field(default_factory=list)
    audience: list[Audience] = field(default_factory=list)
    complete: dict[str, dt.date] = field(default_factory=dict)
    """Lists known to be complete from a date on (``posts``, ``lives``, ``fans``):
    ``date.min`` for a full history, or the first date a saved API page reaches."""
    lists: dict[str, set[str]] = field(default_factory=dict)
    """Where each complete list came from (``"file:path"``), for provenance of zero counts."""
    profile: dict[str, Snapshot] = field(default_factory=dict)
    """Values read from a Kreator profile file, by profile field."""
    info: dict[str, Snapshot] = field(default_factory=dict)
    """Values that are not profile fields (gender split, most active hour...)."""
    events: list[IncomeEvent] = field(default_factory=list)

    def add_daily(self, metric: str, day: dt.date, value: float, prov: str, rank: int) -> None:
        self.daily.setdefault(metric, {})[day] = Point(value, prov, rank)

    def add_snapshot(self, name: str, snap: Snapshot) -> None:
        self.snapshots.setdefault(name, []).append(snap)

    def mark_complete(self, kind: str, prov: str, since: dt.date = dt.date.min) -> None:
        prev = self.complete.get(kind)
        self.complete[kind] = since if prev is None else min(prev, since)
        self.lists.setdefault(kind, set()).add(prov)

    def dates(self) -> list[dt.date]:
        """Every date that carries activity data (used to find "the latest data")."""
        out = [d for series in self.daily.values() for d in series]
        out += [p.at.date() for p in self.posts] + [lv.start.date() for lv in self.lives]
        out += [d.day for d in self.live_days] + [o.day for o in self.orders]
        out += [f.day for f in self.fans]
        return out


@dataclass(frozen=True)
class Metric:
    """A derived value with where it came from (``"file:column"``) and how."""

    value: Any
    provenance: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "from": self.provenance, "note": self.note}


def row_label(number: int) -> Phrase:
    """``"row 12"``, translatable."""
    return Phrase(f"row {number}", "row", {"number": number})


@dataclass(frozen=True)
class Reject:
    """A row that could not be used, and why."""

    file: str
    row: str
    column: str
    value: str
    reason: str

    def render(self) -> str:
        return self.phrase()

    def phrase(self) -> Phrase:
        """The line as a :class:`Phrase` (its row and reason translatable too)."""
        shown = self.value if len(self.value) <= 40 else self.value[:37] + "..."
        return Phrase(f"{self.file}, {self.row}, column '{self.column}': {self.reason} "
                      f"(got '{shown}').", "reject", {"file": self.file, "row": self.row,
                                                      "column": self.column,
                                                      "reason": self.reason, "value": shown})

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "row": self.row, "column": self.column, "value": self.value,
                "reason": self.reason}


@dataclass(frozen=True)
class Window:
    """The days the profile describes: ``start`` .. ``end`` inclusive."""

    start: dt.date
    end: dt.date
    basis: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @classmethod
    def ending(cls, end: dt.date, days: int, basis: str) -> Window:
        return cls(end - dt.timedelta(days=days - 1), end, basis)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "days": self.days,
                "basis": self.basis}
