"""What every stream model shares: rate placement, tier scaling, eligibility, the result type.

A stream's monthly median is ``volume x typical rate``: the volume comes from the profile
(views, posts, LIVEs, sales, GMV, subscribers), the typical rate from the card's range and
the creator's factor position (:mod:`kreator.core.factors`), scaled beyond the card's tier by
the card's tier rule. Around that median the monthly amount is log-normal with the stream's
``spread`` (log-sd), so p10/p50/p90 are exact; an ineligible stream is zero.
"""

from __future__ import annotations

import math
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
    sigma_up: Floats | None = None
    """The log-sd above the median (None: the same as ``sigma``)."""

    @property
    def median(self) -> Floats:
        out: Floats = np.where(self.eligible, self.volume * self.rate, 0.0)
        return out


def log_reach(spec: StreamSpec, inputs: Inputs) -> Floats:
    """ln of the stream's measure of a creator's reach, in views (see
    :class:`~kreator.core.card.Size`): the views a post can expect, or for a LIVE audience the
    geometric mean of those and the followers' share."""
    log_expected = inputs.cols["log_expected_views"]
    if spec.size is None or spec.size.kind == "views" or "log_follower_views" not in inputs.cols:
        return log_expected
    out: Floats = 0.5 * (inputs.cols["log_follower_views"] + log_expected)
    return out


def size_score(r: Floats, lo: float, hi: float) -> Floats:
    """ln(reach / lo) / ln(hi / lo): 0 at ``lo``, 1 at ``hi``, continuing on both sides (a
    reach under one view counts as one view)."""
    return log_size_score(np.log(np.maximum(r, 1.0)), lo, hi)


def log_size_score(log_r: Floats, lo: float, hi: float) -> Floats:
    """:func:`size_score` from ln(reach), at least ln(1)."""
    out: Floats = (log_r - math.log(lo)) / math.log(hi / lo)
    return out


def band(card: Card) -> tuple[float, float]:
    """The reach of the card's smallest and largest creator: view_rate x the tier's bounds."""
    vr = card.view_rate.value if card.view_rate is not None and card.view_rate.value else 1.0
    return vr * max(card.tier_min, 1), vr * max(card.tier_max, card.tier_min + 1, 2)


def place_rate(spec: StreamSpec, inputs: Inputs, card: Card, size: Floats | None = None,
               engagement: Floats | None = None) -> tuple[Floats, Floats, Floats, list[Term]]:
    """Position from the four factors and the creator's size; the typical rate there.

    ``size`` and ``engagement`` may carry scores measured otherwise (NaN where not: the
    reach and the engagement per view a post can expect are used).
    Returns the factor position (0-1), the full position (size included: below 0 or above 1
    outside the card's tier), the typical rate and the breakdown."""
    scores = stream_scores(spec, inputs)
    if engagement is not None:
        scores = {**scores, "engagement": np.where(np.isnan(engagement), scores["engagement"],
                                                   engagement)}
    factor_pos = position(scores, spec.weights)
    low, high = spec.rate.low, spec.rate.high
    assert low is not None and high is not None
    terms = [Term(f"factor.{f}", scores[f], f"{spec.weights.key} x "
                  + (spec.own[f].key if f in spec.own else f"factors.{f}"),
                  f"score 0-1, weight {spec.weights.rows[f]:g}") for f in FACTORS]
    w_size = spec.size_weight
    pos = factor_pos
    if w_size > 0:
        log_r = log_reach(spec, inputs)
        from_reach = log_size_score(log_r, *band(card))
        size = from_reach if size is None else np.where(np.isnan(size), from_reach, size)
        shown = inputs.cols["expected_views"] if log_r is inputs.cols["log_expected_views"] \
            else np.exp(log_r)
        terms.append(Term("reach", shown, "reach.view_rate",
                          f"views: {spec.size.kind if spec.size else 'views'}"))
        terms.append(Term("size", size, f"streams.{spec.id}.size",
                          f"score: 0 at {card.tier_min:,} followers, 1 at {card.tier_max:,}; "
                          f"weight {w_size:g}"))
        pos = factor_pos + w_size * size
    terms.append(Term("position", pos, spec.weights.key, "0 = card low, 1 = card high"))
    return factor_pos, pos, interpolate(low, high, pos), terms


def stream_scores(spec: StreamSpec, inputs: Inputs) -> dict[str, Floats]:
    """The factor scores this stream reads: a stream priced by reach reads engagement per view
    a post can expect (so reach and engagement are measured on the same views), every other
    stream the engagement rate by views. A stream with its own niche or region table reads it."""
    scores = inputs.scores
    if spec.own:
        scores = {**scores, **{f: scores[f"{f}.{spec.id}"] for f in spec.own}}
    if spec.size_weight > 0:
        return {**scores, "engagement": scores["engagement_expected"]}
    return scores


def size_shift(spec: StreamSpec, pos: Floats, factor_pos: Floats) -> Floats:
    """How far outside the card's tier moves the per-unit range: 1 inside it."""
    assert spec.rate.low is not None and spec.rate.high is not None
    w = spec.size_weight
    if w <= 0:
        return np.ones_like(pos)
    size = (pos - factor_pos) / w
    out: Floats = np.exp(w * (size - np.clip(size, 0.0, 1.0))
                         * math.log(spec.rate.high / spec.rate.low))
    return out


def tier_scale(spec: StreamSpec, inputs: Inputs, card: Card, pos: Floats,
               typical: Floats) -> tuple[Floats, Term | None]:
    """Scale per-unit figures by the card's tier rule (see docs/model.md)."""
    rule = spec.tier_rule
    c = inputs.cols
    if rule.kind == "reach_power":
        reach_ = np.maximum(c["followers"], np.sqrt(c["followers"] * c["views_per_video"]))
        base = np.maximum(1.0, reach_ / card.tier_max)
        scale = np.ones_like(base)  # 1 ** exponent is exactly 1: raise only those beyond the tier
        np.power(base, rule.exponent, out=scale, where=base != 1.0)
        return scale, Term("tier_scale", scale, f"streams.{spec.id}.tier_rule",
                           f"(reach / {card.tier_max:,})^{rule.exponent:g} beyond the tier; reach = "
                           "max(followers, sqrt(followers x views per video))")
    if rule.kind == "cpm_on_views" and rule.cpm is not None:
        assert rule.cpm.low is not None and rule.cpm.high is not None
        share = 1.0 - spec.size_weight  # the CPM is placed by the four factors alone
        cpm = interpolate(rule.cpm.low, rule.cpm.high, pos / share if share > 0 else pos)
        by_views = cpm * c["expected_views"] / 1000.0
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(typical > 0, np.maximum(1.0, by_views / typical), 1.0)
        return scale, Term("tier_scale", scale, f"streams.{spec.id}.tier_rule.cpm",
                           "max(1, CPM x views a post can expect / typical)")
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
             volume_term: Term, size: Floats | None = None,
             engagement: Floats | None = None) -> StreamResult:
    """The common path: place the rate (factors and size), scale by the tier rule, check
    eligibility."""
    factor_pos, pos, typical, terms = place_rate(spec, inputs, card, size, engagement)
    scale, term = tier_scale(spec, inputs, card, factor_pos, typical)
    assert spec.rate.low is not None and spec.rate.high is not None
    shift = size_shift(spec, pos, factor_pos) * scale
    low = spec.rate.low * shift
    high = spec.rate.high * shift
    eligible, checks = check_rules(spec, inputs)
    assert spec.spread.value is not None
    sigma = np.full(inputs.n, spec.spread.value)
    terms = [volume_term, *terms]
    terms.append(Term("rate", typical, f"streams.{spec.id}.rate", spec.rate.unit))
    if term is not None:
        terms.append(term)
    return StreamResult(spec.id, unit, volume, typical * scale, low, high, sigma, eligible,
                        checks, terms, sigma_up=np.full(inputs.n, spec.spread_upper))


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
    if result.sigma_up is not None:
        result.sigma_up = np.where(have, result.sigma_up * shrink, result.sigma_up)
    result.terms.append(Term(f"known.{name}", np.where(have, known, np.nan), f"profile.{name}",
                             "your own figure, used instead of the card's"))
