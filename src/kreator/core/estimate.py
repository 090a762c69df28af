"""The Estimate: every stream's monthly range, eligibility and breakdown, and the total.

:func:`estimate` handles one creator; :func:`score` handles a batch of columns with the
same code (a single creator is a batch of one). ``Estimate.to_dict()`` is the stable JSON
contract of ``kreator estimate --json`` (see DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from kreator.core.card import Card
from kreator.core.columns import Inputs, prepare, profiles_to_columns
from kreator.core.factors import Floats
from kreator.core.potential import PotentialColumns, medians_with_potential, potentials
from kreator.core.profile import SMALL_TIER, Profile, parse_profile, tier_of
from kreator.core.simulate import Quantiles, lognormal, total
from kreator.core.streams import VOLUME_FIELDS, run_all
from kreator.core.streams.base import StreamResult, Term

DEFAULT_DRAWS = 10_000


@dataclass(frozen=True)
class Range:
    """p10, p50, p90 and mean of a money amount."""

    p10: float
    p50: float
    p90: float
    mean: float

    def scaled(self, k: float) -> Range:
        return Range(self.p10 * k, self.p50 * k, self.p90 * k, self.mean * k)

    def to_dict(self) -> dict[str, float]:
        return {"p10": round(self.p10, 4), "p50": round(self.p50, 4), "p90": round(self.p90, 4),
                "mean": round(self.mean, 4)}


@dataclass(frozen=True)
class Unmet:
    """An eligibility rule the creator does not meet yet."""

    rule: str
    required: float | list[str]
    actual: float | str | None
    gap: float | None
    source: str


@dataclass(frozen=True)
class Factor:
    """One line of a stream's breakdown."""

    name: str
    value: float | None
    source: str
    unit: str = ""


@dataclass(frozen=True)
class PerUnit:
    """The card's per-unit range for this creator and the typical value placed inside it."""

    unit: str
    low: float
    high: float
    typical: float
    money: bool = True


@dataclass(frozen=True)
class Assumed:
    """A typical activity a potential assumes, with where the figure came from."""

    field: str
    value: float
    source: str


@dataclass(frozen=True)
class StreamPotential:
    """What the stream would pay at typical activity for a creator of this size."""

    monthly: Range
    assumes: list[Assumed]

    def to_dict(self, money: float = 1.0) -> dict[str, Any]:
        return {"monthly": self.monthly.scaled(money).to_dict(),
                "assumes": [{"field": a.field, "value": round(a.value, 4), "source": a.source}
                            for a in self.assumes]}


@dataclass(frozen=True)
class StreamEstimate:
    id: str
    eligible: bool
    unmet: list[Unmet]
    monthly: Range
    per_unit: PerUnit
    explain: list[Factor]
    potential: StreamPotential | None = None

    def _per_unit(self, money: float) -> dict[str, Any]:
        k = money if self.per_unit.money else 1.0
        u = self.per_unit
        return {"unit": u.unit, "low": round(u.low * k, 6), "high": round(u.high * k, 6),
                "typical": round(u.typical * k, 6), "money": u.money}

    def to_dict(self, money: float = 1.0) -> dict[str, Any]:
        return {
            "id": self.id, "eligible": self.eligible,
            "unmet": [{"rule": u.rule, "required": u.required, "actual": u.actual, "gap": u.gap,
                       "source": u.source} for u in self.unmet],
            "monthly": self.monthly.scaled(money).to_dict(),
            "per_unit": self._per_unit(money),
            "explain": [{"name": f.name, "value": None if f.value is None else round(f.value, 6),
                         "source": f.source, "unit": f.unit} for f in self.explain],
            "potential": None if self.potential is None else self.potential.to_dict(money),
        }


@dataclass(frozen=True)
class FxRate:
    """A conversion from the card's currency, with where the rate came from."""

    currency: str
    rate: float
    source: str
    date: str


@dataclass(frozen=True)
class Estimate:
    card_id: str
    card_name: str
    card_as_of: str
    card_currency: str
    profile: dict[str, Any]
    streams: list[StreamEstimate]
    monthly: Range
    defaults_used: list[str]
    warnings: list[str]
    draws: int
    seed: int
    fx: FxRate | None = None
    monthly_potential: Range | None = None
    """The total with every stream's potential in place of zero or unknown activity."""

    @property
    def currency(self) -> str:
        return self.fx.currency if self.fx else self.card_currency

    @property
    def yearly(self) -> Range:
        """Twelve months at the same level (the uncertainty is about the level, not the month)."""
        return self.monthly.scaled(12.0)

    def stream(self, sid: str) -> StreamEstimate:
        for s in self.streams:
            if s.id == sid:
                return s
        raise KeyError(sid)

    def in_currency(self, fx: FxRate) -> Estimate:
        return replace(self, fx=fx)

    def to_dict(self) -> dict[str, Any]:
        k = self.fx.rate if self.fx else 1.0
        out: dict[str, Any] = {
            "card": {"id": self.card_id, "name": self.card_name, "as_of": self.card_as_of},
            "currency": self.currency,
            "profile": self.profile,
            "streams": [s.to_dict(k) for s in self.streams],
            "total": {"monthly": self.monthly.scaled(k).to_dict(),
                      "yearly": self.yearly.scaled(k).to_dict()},
            "total_potential": {"monthly": (self.monthly_potential or self.monthly).scaled(k)
                                .to_dict()},
            "defaults_used": self.defaults_used,
            "warnings": self.warnings,
            "simulation": {"draws": self.draws, "seed": self.seed},
        }
        if self.fx:
            out["fx"] = {"from": self.card_currency, "to": self.fx.currency, "rate": self.fx.rate,
                         "source": self.fx.source, "date": self.fx.date}
        return out


@dataclass
class Scored:
    """Batch output: per-stream quantiles and eligibility, the total, and the raw results."""

    inputs: Inputs
    results: list[StreamResult]
    streams: dict[str, Quantiles] = field(default_factory=dict)
    total: Quantiles | None = None
    potential: dict[str, PotentialColumns] = field(default_factory=dict)
    total_potential: Quantiles | None = None


def score(raw: Mapping[str, Any], card: Card, *, draws: int = DEFAULT_DRAWS, seed: int = 0,
          monte_carlo: bool = True, calibration: Mapping[str, float] | None = None,
          potential: bool = False) -> Scored:
    """Score columns of creators: the one model behind every surface.

    ``calibration`` maps stream ids to a multiplier on that stream's typical rate (a creator's
    own history, see the ledger's ``calibrate``); it shows in the stream's breakdown.
    ``potential``: also what each stream could pay at typical activity (:mod:`.potential`)."""
    inputs = prepare(raw, card)
    results = run_all(inputs, card)
    for r in results:
        k = (calibration or {}).get(r.id)
        if k is not None and k != 1.0:
            r.rate = r.rate * float(k)
            r.terms.append(Term("calibration", np.full(inputs.n, float(k)), "ledger calibrate",
                                "x your own history"))
    out = Scored(inputs, results)
    medians = [r.median for r in results]
    for r, m in zip(results, medians, strict=True):
        out.streams[r.id] = lognormal(m, r.sigma, r.sigma_up)
    if monte_carlo:
        out.total = total(medians, [r.sigma for r in results], seed, draws,
                          means=[out.streams[r.id].mean for r in results],
                          uppers=[upper(r) for r in results])
    if potential:
        out.potential = potentials(results, inputs, card)
        if monte_carlo and out.total is not None:
            out.total_potential = _total_potential(out, medians, seed, draws)
    return out


def _total_potential(out: Scored, medians: list[Floats], seed: int, draws: int) -> Quantiles:
    """The total with the potentials in place, simulated only for the creators it changes."""
    assert out.total is not None
    if not out.potential:
        return out.total
    rows = np.flatnonzero(np.logical_or.reduce([p.applies for p in out.potential.values()]))
    with_pot = medians_with_potential(out.results, out.potential, medians)
    sub = total([m[rows] for m in with_pot], [r.sigma[rows] for r in out.results], seed, draws,
                uppers=[upper(r)[rows] for r in out.results])
    q = Quantiles(out.total.p10.copy(), out.total.p50.copy(), out.total.p90.copy(),
                  out.total.mean.copy())
    for name in ("p10", "p50", "p90", "mean"):
        getattr(q, name)[rows] = getattr(sub, name)
    return q


def upper(r: StreamResult) -> Floats:
    """The stream's spread above its median (its spread when the card gives no other)."""
    return r.sigma if r.sigma_up is None else r.sigma_up


def estimate(profile: Profile | Mapping[str, Any], card: Card, *, draws: int = DEFAULT_DRAWS,
             seed: int = 0, calibration: Mapping[str, float] | None = None) -> Estimate:
    """Estimate one creator's monthly income on ``card``."""
    return estimate_many([profile], card, draws=draws, seed=seed, calibration=calibration)[0]


def estimate_many(profiles: Sequence[Profile | Mapping[str, Any]], card: Card, *,
                  draws: int = DEFAULT_DRAWS, seed: int = 0,
                  calibration: Mapping[str, float] | None = None) -> list[Estimate]:
    """:func:`estimate` for several creators at once, scored as one batch: each result is the
    same as estimating that creator alone (the model is the same on any chunking), for much
    less work per creator than one call each."""
    ps = [parse_profile(dict(p) if not isinstance(p, Profile) else p) for p in profiles]
    if draws < 100 or draws > 10_000_000:
        from kreator.core.errors import ProfileError

        raise ProfileError(f"draws must be from 100 to 10,000,000 (got {draws}).", field="draws",
                           fix="use --draws 10000.", key="draws_range", params={"value": draws})
    scored = score(profiles_to_columns(ps), card, draws=draws, seed=seed, calibration=calibration,
                   potential=True)
    assert scored.total is not None and scored.total_potential is not None
    used = fields_used(card)
    return [Estimate(
        card_id=card.id, card_name=card.name, card_as_of=card.as_of, card_currency=card.currency,
        profile=_profile_dict(p, scored.inputs, i),
        streams=[_stream_estimate(r, scored.streams[r.id], i, _potential(scored, r, i))
                 for r in scored.results],
        monthly=_range(scored.total, i), monthly_potential=_range(scored.total_potential, i),
        defaults_used=sorted(k for k, m in scored.inputs.defaults_used.items() if m[i] and k in used),
        warnings=_warnings(p, scored.inputs, card, i), draws=draws, seed=seed,
    ) for i, p in enumerate(ps)]


ALWAYS_USED = {"videos_30d", "likes_30d", "comments_30d", "shares_30d", "quality"}


def fields_used(card: Card) -> set[str]:
    """Profile fields the card's streams and rules read (defaults of others are not reported)."""
    used = set(ALWAYS_USED)
    for sid, spec in card.streams.items():
        used.add(VOLUME_FIELDS.get(sid, ""))
        used.update(r.field for r in spec.rules)
    return used


def _range(q: Quantiles, i: int) -> Range:
    return Range(float(q.p10[i]), float(q.p50[i]), float(q.p90[i]), float(q.mean[i]))


def _number(value: Any) -> float | None:
    """A float, or None for NaN (plain float math: much cheaper than np.isnan on a scalar)."""
    v = float(value)
    return None if v != v else v


def _potential(scored: Scored, r: StreamResult, i: int) -> StreamPotential | None:
    pc = scored.potential.get(r.id)
    if pc is None or not pc.applies[i]:
        return None
    q = lognormal(pc.median[i:i + 1], r.sigma[i:i + 1], upper(r)[i:i + 1])
    fig = pc.potential.figure
    how = (f"{fig.value:g} {fig.unit} x views_30d / 1000" if pc.potential.per_1k_views
           else f"{fig.value:g} {fig.unit}")
    return StreamPotential(_range(q, 0), [Assumed(pc.potential.field, float(pc.volume[i]),
                                                  f"{how}: {fig.source} ({fig.source_date})")])


def _stream_estimate(r: StreamResult, q: Quantiles, i: int,
                     potential: StreamPotential | None = None) -> StreamEstimate:
    unmet = []
    for chk in r.checks:
        if chk.met[i]:
            continue
        rule = chk.rule
        if rule.field == "country":
            actual = chk.actual[i]
            unmet.append(Unmet(rule.id, list(rule.one_of), None if actual is None else str(actual),
                               None, rule.source))
        else:
            unmet.append(Unmet(rule.id, float(rule.min or 0), float(chk.actual[i]),
                               float(chk.gap[i]), rule.source))
    # a term that does not apply to this creator (NaN: e.g. a known rate another creator in the
    # batch gave) is left out, so a creator's breakdown is the same in any batch
    explain = [Factor(t.name, v, t.source, t.unit) for t in r.terms
               if (v := _number(t.value[i])) is not None]
    explain.append(Factor("spread", float(r.sigma[i]), f"streams.{r.id}.spread",
                          "log-sd of the monthly amount"))
    up = float(upper(r)[i])
    if up != float(r.sigma[i]):
        explain.append(Factor("spread_upper", up, f"streams.{r.id}.spread.upper",
                              "log-sd above the median (a heavier right tail)"))
    return StreamEstimate(r.id, bool(r.eligible[i]), unmet, _range(q, i),
                          PerUnit(r.unit, float(r.low[i]), float(r.high[i]), float(r.rate[i]),
                                  r.unit_is_money),
                          explain, potential)


def _profile_dict(p: Profile, inputs: Inputs, i: int) -> dict[str, Any]:
    c = inputs.cols
    out: dict[str, Any] = p.to_dict(exclude_none=True)
    for f in ("videos_30d", "likes_30d", "comments_30d", "shares_30d", "quality", "age",
              "lives_per_month", "sponsored_posts_per_month", "affiliate_sales_per_month",
              "shop_gmv_per_month", "live_subscribers", "avg_video_seconds",
              "follower_growth_per_month"):
        value = float(c[f][i])
        if value != value:  # unknown and no default on the card (e.g. follower growth)
            continue
        out[f] = int(value) if value.is_integer() else round(value, 4)
    out["engagement_rate"] = round(float(c["engagement_rate_views"][i]), 4)
    out["engagement_rate_basis"] = "views"
    out["engagement_rate_by_followers"] = round(float(c["engagement_rate_followers"][i]), 4)
    out["views_per_video"] = round(float(c["views_per_video"][i]), 2)
    out["tier"] = tier_of(p.followers)
    out["small_creator"] = SMALL_TIER[0] <= p.followers <= SMALL_TIER[1]
    return out


def _warnings(p: Profile, inputs: Inputs, card: Card, i: int) -> list[str]:
    out = []
    if not card.tier_min <= p.followers <= card.tier_max:
        out.append(f"outside_card_tier: {p.followers:,} followers is outside the "
                   f"{card.tier_min:,}-{card.tier_max:,} range card '{card.id}' was written for; "
                   "per-unit figures are scaled by the card's tier rules.")
    if float(inputs.cols["engagement_rate_views"][i]) > 100:
        out.append("engagement_over_100: likes, comments and shares add up to more than the views.")
    return out
