"""What every stream model shares: rate placement, tier scaling, eligibility, the result type.

A stream's monthly median is ``volume x typical rate``: the volume comes from the profile
(views, posts, LIVEs, sales, GMV, subscribers), the typical rate from the card's range and
the creator's factor position (:mod:`kreator.core.factors`), scaled beyond the card's tier by
the card's tier rule. Around that median the monthly amount is log-normal with the stream's
``spread`` (log-sd), so p10/p50/p90 are exact; an ineligible stream is zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from kreator.core.card import FACTORS, Card, Rule, StreamSpec
from kreator.core.columns import Inputs
from kreator.core.factors import Floats, interpolate, position

Bools = npt.NDArray[np.bool_]


@dataclass
class RuleCheck:
    """One eligibility rule over a column: what was required, what each creator has."""

    rule: Rule
    actual: npt.NDArray[np.object_] | Floats
    met: Bools
    gap: Floats


@dataclass
class Term:
    """One factor of the breakdown: a column of values, its name and where it came from."""

    name: str
    value: Floats
    source: str
    unit: str = ""


@dataclass
class StreamResult:
    """A stream's model output for n creators."""

    id: str
    unit: str
    volume: Floats
    rate: Floats
    low: Floats
    high: Floats
    sigma: Floats
    eligible: Bools
    checks: list[RuleCheck]
    terms: list[Term] = field(default_factory=list)
    unit_is_money: bool = True

    @property
    def median(self) -> Floats:
        out: Floats = np.where(self.eligible, self.volume * self.rate, 0.0)
        return out


def place_rate(spec: StreamSpec, inputs: Inputs) -> tuple[Floats, Floats, list[Term]]:
    """Position inside the card's range from the four factors, and the typical rate there."""
    pos = position(inputs.scores, spec.weights)
    low, high = spec.rate.low, spec.rate.high
    assert low is not None and high is not None
    terms = [Term(f"factor.{f}", inputs.scores[f], f"{spec.weights.key} x factors.{f}",
                  f"score 0-1, weight {spec.weights.rows[f]:g}") for f in FACTORS]
    terms.append(Term("position", pos, spec.weights.key, "0 = card low, 1 = card high"))
    return pos, interpolate(low, high, pos), terms


def tier_scale(spec: StreamSpec, inputs: Inputs, card: Card, pos: Floats,
               typical: Floats) -> tuple[Floats, Term | None]:
    """Scale per-unit figures for creators beyond the card's tier (see docs/model.md)."""
    rule = spec.tier_rule
    c = inputs.cols
    if rule.kind == "reach_power":
        reach = np.maximum(c["followers"], np.sqrt(c["followers"] * c["views_per_video"]))
        base = np.maximum(1.0, reach / card.tier_max)
        scale = np.ones_like(base)  # 1 ** exponent is exactly 1: raise only those beyond the tier
        np.power(base, rule.exponent, out=scale, where=base != 1.0)
        return scale, Term("tier_scale", scale, f"streams.{spec.id}.tier_rule",
                           f"(reach / {card.tier_max:,})^{rule.exponent:g} beyond the tier; reach = "
                           "max(followers, sqrt(followers x views per video))")
    if rule.kind == "cpm_on_views" and rule.cpm is not None:
        assert rule.cpm.low is not None and rule.cpm.high is not None
        cpm = interpolate(rule.cpm.low, rule.cpm.high, pos)
        by_views = cpm * c["views_per_video"] / 1000.0
        beyond = c["followers"] > card.tier_max
        scale = np.where(beyond, np.maximum(1.0, by_views / typical), 1.0)
        return scale, Term("tier_scale", scale, f"streams.{spec.id}.tier_rule.cpm",
                           "max(1, CPM x views per video / typical) beyond the tier")
    return np.ones(inputs.n), None


def check_rules(spec: StreamSpec, inputs: Inputs) -> tuple[Bools, list[RuleCheck]]:
    """Every rule of the stream over every creator; eligible = all rules met."""
    ok: Bools = np.ones(inputs.n, dtype=bool)
    checks = []
    for rule in spec.rules:
        if rule.field == "country":
            actual_c = inputs.country
            met = one_of(actual_c, rule.one_of)
            checks.append(RuleCheck(rule, actual_c, met, np.full(inputs.n, np.nan)))
        else:
            actual = inputs.cols[rule.field]
            required = float(rule.min or 0.0)
            met = actual >= required
            checks.append(RuleCheck(rule, actual, met, np.maximum(0.0, required - actual)))
        ok &= met
    return ok, checks


def one_of(values: npt.NDArray[np.object_], allowed: tuple[str, ...]) -> Bools:
    """Which values are among ``allowed`` (None and non-text values never are).

    A set lookup per value (no text conversion, no sort): about 4x faster than ``np.isin``."""
    members = frozenset(allowed)
    try:
        return np.fromiter(map(members.__contains__, values), dtype=bool, count=len(values))
    except TypeError:  # unhashable values: compare their text
        return np.isin(values.astype(str), np.array(allowed, dtype=str))


def evaluate(spec: StreamSpec, inputs: Inputs, card: Card, volume: Floats, unit: str,
             volume_term: Term) -> StreamResult:
    """The common path: place the rate, scale for tier, check eligibility."""
    pos, typical, terms = place_rate(spec, inputs)
    scale, term = tier_scale(spec, inputs, card, pos, typical)
    assert spec.rate.low is not None and spec.rate.high is not None
    low = spec.rate.low * scale
    high = spec.rate.high * scale
    eligible, checks = check_rules(spec, inputs)
    assert spec.spread.value is not None
    sigma = np.full(inputs.n, spec.spread.value)
    terms = [volume_term, *terms]
    terms.append(Term("rate", typical, f"streams.{spec.id}.rate", spec.rate.unit))
    if term is not None:
        terms.append(term)
    return StreamResult(spec.id, unit, volume, typical * scale, low, high, sigma, eligible,
                        checks, terms)


def override_known(result: StreamResult, known: Floats, spec: StreamSpec, name: str) -> None:
    """Use a rate the creator knows (e.g. their own average commission) in place of the card's.

    A known rate narrows the spread by the card's ``known_spread_factor`` (default 0.5)."""
    have = ~np.isnan(known)
    if not have.any():
        return
    factor = spec.extras.get("known_spread_factor")
    shrink = factor.value if factor is not None and factor.value is not None else 0.5
    result.rate = np.where(have, known, result.rate)
    result.sigma = np.where(have, result.sigma * shrink, result.sigma)
    result.terms.append(Term(f"known.{name}", np.where(have, known, np.nan), f"profile.{name}",
                             "your own figure, used instead of the card's"))
