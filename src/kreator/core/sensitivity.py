"""What-if comparisons and the tornado: how a change to the inputs moves the estimate.

Everything here runs the one model (:func:`kreator.core.estimate.score`) and reads the total's
Monte Carlo draws with the same seed, so two profiles are compared *draw by draw* (common
random numbers): ``gain = total(after) - total(before)`` per simulated month, and its
percentiles carry no sampling noise from two independent simulations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kreator.core.card import Card
from kreator.core.columns import profiles_to_columns
from kreator.core.errors import ProfileError
from kreator.core.estimate import DEFAULT_DRAWS, Estimate, estimate, score, upper
from kreator.core.factors import Floats
from kreator.core.profile import PROFILE_FIELDS, Profile, parse_profile
from kreator.core.simulate import simulated
from kreator.core.streams.base import StreamResult

RESOLVABLE = ("videos_30d", "likes_30d", "comments_30d", "shares_30d", "quality", "age",
              "lives_per_month", "sponsored_posts_per_month", "affiliate_sales_per_month",
              "shop_gmv_per_month", "live_subscribers", "avg_video_seconds",
              "follower_growth_per_month")
"""Fields the card fills with a default when not given (read back from the estimate)."""
INT_FIELDS = tuple(n for n, f in PROFILE_FIELDS.items() if f.whole)


@dataclass(frozen=True)
class Spread:
    """p10, p50, p90 and mean of a change in monthly income."""

    p10: float
    p50: float
    p90: float
    mean: float

    def to_dict(self, k: float = 1.0) -> dict[str, float]:
        return {"p10": round(self.p10 * k, 4), "p50": round(self.p50 * k, 4),
                "p90": round(self.p90 * k, 4), "mean": round(self.mean * k, 4)}


@dataclass(frozen=True)
class Comparison:
    """Two estimates of the same creator and the draw-by-draw gain between them."""

    before: Estimate
    after: Estimate
    gain: Spread
    before_profile: Profile
    after_profile: Profile

    def stream_change(self, sid: str) -> float:
        """Change in the stream's median month (exact: streams are log-normal)."""
        return self.after.stream(sid).monthly.p50 - self.before.stream(sid).monthly.p50

    @property
    def unlocks(self) -> list[str]:
        """Streams eligible after the change but not before."""
        return [s.id for s in self.after.streams if s.eligible and not self.before.stream(s.id).eligible]


def total_draws(results: Sequence[StreamResult], seed: int, draws: int) -> Floats:
    """The simulated monthly totals behind :func:`kreator.core.simulate.total`, shape (n, draws).

    The same draws of Z (one column per stream, in card order) for every row, so row i and
    row j compare month by month. ``np.percentile(.., [10, 50, 90], axis=1)`` of this array is
    exactly the estimate's p10/p50/p90 (tested)."""
    return simulated([r.median for r in results], [r.sigma for r in results], seed, draws,
                     [upper(r) for r in results])


def spread_of(values: Floats) -> Spread:
    p10, p50, p90 = np.percentile(values, [10, 50, 90])
    return Spread(float(p10), float(p50), float(p90), float(np.mean(values)))


def resolve(profile: Profile, card: Card) -> Profile:
    """The profile with the card's defaults written in (same estimate, explicit numbers)."""
    shown = estimate(profile, card, draws=100).profile
    update: dict[str, Any] = {}
    for name in RESOLVABLE:
        if getattr(profile, name) is None and name in shown:
            value = shown[name]
            update[name] = round(value) if name in INT_FIELDS else value
    return parse_profile({**profile.to_dict(exclude_none=True), **update})


def batch_draws(profiles: Sequence[Profile], card: Card, *, draws: int, seed: int) -> Floats:
    """Total draws for several profiles at once (one batch through the model)."""
    scored = score(profiles_to_columns(list(profiles)), card, draws=draws, seed=seed,
                   monte_carlo=False)
    return total_draws(scored.results, seed, draws)


def compare(before: Profile, after: Profile, card: Card, *, draws: int = DEFAULT_DRAWS,
            seed: int = 0) -> Comparison:
    """Estimate both profiles and the draw-by-draw gain of ``after`` over ``before``."""
    tot = batch_draws([before, after], card, draws=draws, seed=seed)
    return Comparison(estimate(before, card, draws=draws, seed=seed),
                      estimate(after, card, draws=draws, seed=seed), spread_of(tot[1] - tot[0]),
                      before, after)


def apply_settings(profile: Profile, settings: Mapping[str, Any]) -> Profile:
    """``whatif``: the profile with some fields set; unknown fields and bad values are named."""
    from kreator.core.codes import closest, suggest

    known = tuple(PROFILE_FIELDS)
    for name in settings:
        if name not in known:
            raise ProfileError(f"unknown field '{name}'.{suggest(name, known)}", field="set",
                               fix="use a profile field name, e.g. --set followers=12000.",
                               key="set_unknown_field",
                               params={"value": name, "close": closest(name, known)})
    return parse_profile({**profile.to_dict(exclude_none=True), **settings}, where="--set")


# ---------------------------------------------------------------------------- the tornado
TORNADO_INPUTS: tuple[str, ...] = (
    "followers", "views_30d", "videos_30d", "engagement", "quality", "lives_per_month",
    "live_avg_viewers", "live_subscribers", "sponsored_posts_per_month",
    "affiliate_sales_per_month", "affiliate_avg_commission", "shop_gmv_per_month",
    "shop_commission_rate",
)
"""Inputs the tornado moves; ``engagement`` is likes, comments and shares together (the rate
by views moves), and ``views_30d`` moves them along with views (the rate stays)."""
ENGAGEMENT = ("likes_30d", "comments_30d", "shares_30d")
BOUNDS = {"quality": (1.0, 5.0), "shop_commission_rate": (0.0, 1.0)}


@dataclass(frozen=True)
class Swing:
    """One bar of the tornado: the input moved down and up, and the total's p50 at each end."""

    input: str
    value: float
    low_value: float
    high_value: float
    low_total: float
    high_total: float

    @property
    def width(self) -> float:
        return abs(self.high_total - self.low_total)


@dataclass(frozen=True)
class Tornado:
    base_total: float
    step: float
    swings: list[Swing]
    draws: int
    seed: int

    def to_dict(self, k: float = 1.0) -> dict[str, Any]:
        return {"base": {"p50": round(self.base_total * k, 4)}, "step": self.step,
                "draws": self.draws, "seed": self.seed,
                "inputs": [{"input": s.input, "value": s.value, "low_value": s.low_value,
                            "high_value": s.high_value, "low_total": round(s.low_total * k, 4),
                            "high_total": round(s.high_total * k, 4),
                            "swing": round(s.width * k, 4)} for s in self.swings]}


def _value(p: Profile, name: str) -> float | None:
    if name == "engagement":
        parts = [getattr(p, f) for f in ENGAGEMENT]
        return None if any(v is None for v in parts) else float(sum(parts))
    v = getattr(p, name)
    return None if v is None else float(v)


def _moved(p: Profile, name: str, factor: float) -> Profile:
    data = p.to_dict(exclude_none=True)
    fields = {"engagement": ENGAGEMENT, "views_30d": ("views_30d", *ENGAGEMENT)}.get(name, (name,))
    for f in fields:
        v = float(data[f]) * factor
        lo, hi = BOUNDS.get(f, (0.0, float("inf")))
        v = min(max(v, lo), hi)
        data[f] = round(v) if f in INT_FIELDS else v
    return parse_profile(data)


def tornado(profile: Profile, card: Card, *, step: float = 0.2, draws: int = DEFAULT_DRAWS,
            seed: int = 0) -> Tornado:
    """Move each input down and up by ``step`` (a fraction) and record the total's p50.

    Inputs the creator did not give and the card has no default for are left out; the rest
    are sorted by the width of their swing, widest first."""
    if not 0 < step < 1:
        raise ProfileError(f"step must be between 0 and 1 (got {step}).", field="step",
                           fix="use e.g. --step 0.2 for ±20%.", key="step_range",
                           params={"value": step})
    base = resolve(profile, card)
    names = [n for n in TORNADO_INPUTS if _value(base, n) is not None]
    rows = [base]
    for n in names:
        rows += [_moved(base, n, 1 - step), _moved(base, n, 1 + step)]
    p50 = np.percentile(batch_draws(rows, card, draws=draws, seed=seed), 50, axis=1)
    swings = [Swing(n, _value(base, n) or 0.0, _value(rows[1 + 2 * i], n) or 0.0,
                    _value(rows[2 + 2 * i], n) or 0.0, float(p50[1 + 2 * i]), float(p50[2 + 2 * i]))
              for i, n in enumerate(names)]
    swings.sort(key=lambda s: (-s.width, s.input))
    return Tornado(float(p50[0]), step, swings, draws, seed)
