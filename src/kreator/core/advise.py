"""The advisor: the seed's five tips as levers, each worth a computed gain, ranked.

A :class:`Lever` is a documented change to a profile (its figures and sources live in
``ratecards/levers.toml``; the loader hands them here as plain objects). :func:`advise`
applies each lever to the creator's resolved profile, runs both profiles through the one
model with the same seed, and reports the draw-by-draw gain in monthly income
(:func:`kreator.core.sensitivity.compare`). Levers that cannot apply (already done, the card
has no such stream, the creator is not eligible for it) are skipped with the reason. Applied
levers are ranked by the median gain (ties by id), so the ranking is stable for a seed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from kreator.core.card import Card, Figure
from kreator.core.estimate import DEFAULT_DRAWS, Estimate, Unmet, estimate
from kreator.core.factors import engagement_score
from kreator.core.growth import GrowthAssumptions, Opening, income_at, opening_months
from kreator.core.pricing import PricingAssumptions
from kreator.core.profile import PROFILE_FIELDS, Profile, field_bounds, parse_profile
from kreator.core.sensitivity import INT_FIELDS, Comparison, Spread, compare, resolve, spread_of

TIPS = ("niche", "engagement", "sponsorship", "monetization", "consistency")
"""The seed's five tips, in its order."""
OPS = ("multiply", "add", "at_least", "add_per_1k_views", "elasticity", "posting")
SCALING = ("multiply", "elasticity", "posting")
TESTS = (">=", ">", "<=", "<")
ENGAGEMENT = ("likes_30d", "comments_30d", "shares_30d")
DERIVED = ("engagement_rate", "engagement_score", "views_per_video")


@dataclass(frozen=True)
class Change:
    """One step of a lever: ``field`` changed by ``op`` with ``value`` (a sourced figure)."""

    field: str
    op: str
    figure: Figure
    of: str | None = None
    points: tuple[tuple[float, float], ...] = ()
    """``posting``: views per post (x) by posts a week, rising in posts."""

    @property
    def value(self) -> float:
        return self.figure.typical


@dataclass(frozen=True)
class SkipRule:
    """Skip the lever when ``field`` ``op`` ``value`` holds; ``reason`` is a message key."""

    field: str
    op: str
    figure: Figure
    reason: str


@dataclass(frozen=True)
class Lever:
    id: str
    tip: str
    title: str
    effort: str
    hours: Figure
    streams: tuple[str, ...]
    changes: tuple[Change, ...]
    skip_if: tuple[SkipRule, ...] = ()


@dataclass(frozen=True)
class LeverSet:
    """Everything in ``levers.toml``: the levers and the growth, pricing and benchmark figures."""

    id: str
    as_of: str
    source: str
    levers: tuple[Lever, ...]
    growth: GrowthAssumptions
    pricing: PricingAssumptions
    benchmarks: dict[str, Figure] = field(default_factory=dict)
    path: str = "<memory>"


@dataclass(frozen=True)
class Skip:
    """Why a lever does not apply: a message key, its values, and the unmet rules if any."""

    reason: str
    values: dict[str, Any] = field(default_factory=dict)
    unmet: list[Unmet] = field(default_factory=list)


@dataclass(frozen=True)
class Advice:
    lever: Lever
    rank: int | None
    comparison: Comparison | None
    skip: Skip | None
    changed: dict[str, tuple[float | None, float | None]]
    opens: dict[str, tuple[Opening, Opening]] = field(default_factory=dict)
    """Streams not open yet: when they open (months) before and after the lever."""
    later: Spread | None = None
    """The gain in monthly income :data:`HORIZON` months ahead, each profile at its own
    growth: what a lever that grows the audience earns over time."""

    def sooner(self) -> dict[str, tuple[float | None, float | None]]:
        """Streams whose median opening month moves with the lever: (before, after)."""
        return {sid: (b.p50, a.p50) for sid, (b, a) in self.opens.items()
                if (b.p50, b.status) != (a.p50, a.status)}

    @property
    def gain(self) -> Spread:
        return self.comparison.gain if self.comparison else Spread(0.0, 0.0, 0.0, 0.0)

    @property
    def unlocks(self) -> list[str]:
        return self.comparison.unlocks if self.comparison else []

    def to_dict(self, k: float = 1.0) -> dict[str, Any]:
        c = self.comparison
        return {
            "id": self.lever.id, "tip": self.lever.tip, "title": self.lever.title,
            "rank": self.rank, "gain": self.gain.to_dict(k), "unlocks": self.unlocks,
            "gain_later": None if self.later is None else {"months": HORIZON,
                                                           **self.later.to_dict(k)},
            "skipped": None if self.skip is None else self.skip.reason,
            "skip_detail": None if self.skip is None else _jsonable(self.skip.values),
            "effort": {"level": self.lever.effort, "hours_per_month": self.lever.hours.typical},
            "changes": {f: {"before": b, "after": a} for f, (b, a) in self.changed.items()},
            "total_before": None if c is None else c.before.monthly.scaled(k).to_dict(),
            "total_after": None if c is None else c.after.monthly.scaled(k).to_dict(),
            "opens_sooner": {sid: {"before_months": b, "after_months": a}
                             for sid, (b, a) in self.sooner().items()},
            "streams": {} if c is None else {s.id: round(c.stream_change(s.id) * k, 4)
                                            for s in c.after.streams if c.stream_change(s.id)},
            "assumptions": [{"field": ch.field, "op": ch.op, "value": ch.value,
                             "unit": ch.figure.unit, "source": ch.figure.source,
                             "source_date": ch.figure.source_date, "note": ch.figure.note}
                            for ch in self.lever.changes],
        }


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in values.items()}


def observed(profile: Profile, card: Card) -> dict[str, float]:
    """Numeric profile values plus the derived ones a skip rule may read."""
    est = estimate(profile, card, draws=100)
    out = {k: float(v) for k, v in profile.to_dict().items()
           if isinstance(v, int | float) and not isinstance(v, bool)}
    out["engagement_rate"] = float(est.profile["engagement_rate"])
    out["views_per_video"] = float(est.profile["views_per_video"])
    er = np.array([out["engagement_rate"]])
    out["engagement_score"] = float(engagement_score(er, card.factors["engagement"])[0])
    return out


def apply_lever(profile: Profile, lever: Lever) -> Profile:
    """The resolved profile after the lever's changes, in order."""
    before = profile.to_dict(exclude_none=True)
    data = dict(before)
    for ch in lever.changes:
        for f in ENGAGEMENT if ch.field == "engagement" else (ch.field,):
            if data.get(f) is None and ch.op in SCALING:
                continue  # scaling an unknown leaves it unknown (e.g. growth the model derives)
            data[f] = _capped(f, _op(ch, float(data.get(f) or 0.0), before, data))
    for f in set(data) & set(INT_FIELDS):
        data[f] = round(data[f])
    return parse_profile(data)


def _capped(field: str, value: float) -> float:
    """A changed value within what the field takes: a lever cannot lift a creator already at
    the most the model knows (300 sponsored posts a month) to an invalid profile."""
    lo, hi = field_bounds(field)
    return min(max(value, -math.inf if lo is None else lo), math.inf if hi is None else hi)


def _op(ch: Change, x: float, before: Mapping[str, Any], now: Mapping[str, Any]) -> float:
    v = ch.value
    if ch.op == "multiply":
        return x * v
    if ch.op == "add":
        return x + v
    if ch.op == "at_least":
        return max(x, v)
    if ch.op == "add_per_1k_views":
        return x + v * float(before.get("views_30d") or 0) / 1000.0
    assert ch.op in ("elasticity", "posting") and ch.of is not None
    b, a = float(before.get(ch.of) or 0), float(now.get(ch.of) or 0)
    if b <= 0:
        return x
    if ch.op == "posting":
        return x * (a / b) * per_post(ch.points, a) / per_post(ch.points, b)
    return float(x * (a / b) ** v)


def per_post(points: tuple[tuple[float, float], ...], videos_30d: float) -> float:
    """Views per post at ``videos_30d`` videos in 30 days (posts a week x 30/7), relative,
    log-linear between the points and flat beyond them."""
    week = max(videos_30d * 7.0 / 30.0, 1e-9)
    xs = [math.log(p[0]) for p in points]
    return float(np.interp(math.log(week), xs, [p[1] for p in points]))


def _skip_rule(lever: Lever, values: Mapping[str, float]) -> Skip | None:
    for rule in lever.skip_if:
        x = values.get(rule.field)
        t = rule.figure.typical
        if x is None:
            continue
        hit = {">=": x >= t, ">": x > t, "<=": x <= t, "<": x < t}[rule.op]
        if hit:
            return Skip(rule.reason, {"field": rule.field, "value": x, "limit": t})
    return None


def _not_on_card(lever: Lever, card: Card) -> Skip | None:
    missing = [s for s in lever.streams if s not in card.streams]
    return Skip("not_on_card", {"streams": missing, "card": card.id}) if missing else None


def _not_eligible(lever: Lever, c: Comparison) -> Skip | None:
    blocked = [c.after.stream(s) for s in lever.streams if not c.after.stream(s).eligible]
    if lever.streams and len(blocked) == len(lever.streams):
        return Skip("not_eligible", {"streams": [s.id for s in blocked]}, blocked[0].unmet)
    return None


@dataclass(frozen=True)
class AdviceReport:
    """The ranked advice, the estimate it starts from, and when each locked stream opens."""

    items: list[Advice]
    before: Estimate
    openings: list[Opening]

    def to_dict(self, k: float = 1.0) -> dict[str, Any]:
        return {"advice": [a.to_dict(k) for a in self.items],
                "before": {"monthly": self.before.monthly.scaled(k).to_dict(),
                           "unused": {st.id: st.potential.to_dict(k) for st in self.before.streams
                                      if st.potential is not None}},
                "opens": [o.to_dict() for o in self.openings if o.status != "open"]}


def advise_one(lever: Lever, base: Profile, card: Card, values: Mapping[str, float], *,
               draws: int, seed: int) -> Advice:
    skip = _not_on_card(lever, card) or _skip_rule(lever, values)
    if skip is not None:
        return Advice(lever, None, None, skip, {})
    after = apply_lever(base, lever)
    changed = {f: (getattr(base, f), getattr(after, f)) for f in PROFILE_FIELDS
               if getattr(base, f) != getattr(after, f)}
    if not changed:
        return Advice(lever, None, None, Skip("no_change"), {})
    c = compare(base, after, card, draws=draws, seed=seed)
    return Advice(lever, None, c, _not_eligible(lever, c), changed)


def advise(profile: Profile, card: Card, levers: LeverSet, *, draws: int = DEFAULT_DRAWS,
           seed: int = 0, start: dt.date | None = None) -> AdviceReport:
    """Every lever for this creator: applied ones ranked by the median gain in monthly income
    :data:`HORIZON` months ahead (each profile at its own growth, so levers that grow the
    audience are credited), ties by today's median gain; then the skipped.

    ``start`` (today) dates the openings; without it they are in months only."""
    base = resolve(profile, card)
    values = observed(base, card)
    out = [advise_one(lv, base, card, values, draws=draws, seed=seed) for lv in levers.levers]
    applied = sorted((a for a in out if a.skip is None), key=lambda a: (-a.gain.p50, a.lever.id))
    skipped = [a for a in out if a.skip is not None]
    opens = opening_months(base, card, levers.growth, start=start, seed=seed)
    locked = {o.stream: o for o in opens if o.status != "open"}
    later_draws = max(1_000, min(draws, 4_000))
    before_later = income_at(base, card, levers.growth, month=HORIZON, paths=LATER_PATHS,
                             draws=later_draws, seed=seed)
    ranked = []
    for a in applied:
        assert a.comparison is not None
        after_p = a.comparison.after_profile
        after = {o.stream: o for o in opening_months(after_p, card, levers.growth, start=start,
                                                     seed=seed)}
        pairs = {sid: (o, after[sid]) for sid, o in locked.items() if sid in after}
        later = spread_of(income_at(after_p, card, levers.growth, month=HORIZON,
                                    paths=LATER_PATHS, draws=later_draws, seed=seed)
                          - before_later)
        ranked.append(Advice(a.lever, None, a.comparison, None, a.changed, pairs, later))
    ranked.sort(key=lambda a: (-(a.later.p50 if a.later else 0.0), -a.gain.p50, a.lever.id))
    ranked = [replace(a, rank=i + 1) for i, a in enumerate(ranked)]
    return AdviceReport(ranked + skipped, estimate(profile, card, draws=draws, seed=seed), opens)


HORIZON = 12
"""Months ahead at which a lever's gain is also measured, and by which levers are ranked."""
LATER_PATHS = 200
