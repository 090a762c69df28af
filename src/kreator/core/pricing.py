"""Sponsorship pricing: a rate sheet from the profile and card, and a check of a brand's offer.

The price of one sponsored video is the sponsorship stream's per-post rate for this creator
(the card's range placed by the four factors, scaled beyond the card's tier) with the stream's
spread as its log-sd: the price is log-normal, ``typical x exp(spread x Z)``. So an offer's
percentile is ``Phi(ln(offer / typical) / spread)`` and an offer at the typical price sits at
the 50th percentile. Add-ons (bundle of three, usage rights, exclusivity) multiply the price
by the geometric middle of their sourced ranges (``ratecards/levers.toml`` ``[pricing]``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kreator.core.card import Card, Figure
from kreator.core.columns import profiles_to_columns
from kreator.core.errors import CardError, OfferError
from kreator.core.estimate import score, upper
from kreator.core.profile import Profile

STREAM = "sponsorship"
DELIVERABLES = ("video", "bundle_three")


@dataclass(frozen=True)
class PricingAssumptions:
    bundle_three: Figure
    usage_rights: Figure
    exclusivity: Figure
    fair_band: Figure


@dataclass(frozen=True)
class PostPrice:
    """The per-post price distribution: log-normal around ``typical``."""

    typical: float
    sigma: float
    card_low: float
    card_high: float
    sigma_up: float | None = None
    """The log-sd above the typical price (None: ``sigma``)."""

    def _side(self, above: bool) -> float:
        return self.sigma_up if above and self.sigma_up is not None else self.sigma

    def quantile(self, pct: float) -> float:
        z = _z(pct / 100.0)
        return self.typical * math.exp(self._side(z >= 0) * z)

    def percentile(self, amount: float) -> float:
        s = self._side(amount >= self.typical)
        if s <= 0:
            return 50.0 if amount == self.typical else (0.0 if amount < self.typical else 100.0)
        return 100.0 * _phi(math.log(amount / self.typical) / s)


@dataclass(frozen=True)
class PriceLine:
    """One rate-sheet line: floor (p10), fair range (band) and the suggested price (p50)."""

    item: str
    floor: float
    low: float
    suggested: float
    high: float
    multiplier: tuple[float, float] | None = None


@dataclass(frozen=True)
class RateSheet:
    currency: str
    lines: list[PriceLine]
    price: PostPrice
    band: tuple[float, float]


@dataclass(frozen=True)
class OfferCheck:
    amount: float
    expected: float
    percentile: float
    verdict: str  # "below" | "fair" | "above"
    counter: float | None
    deliverable: str
    band: tuple[float, float]


def post_price(profile: Profile, card: Card) -> PostPrice:
    """The sponsorship stream's per-post price for this creator on ``card``."""
    if STREAM not in card.streams:
        raise CardError("the card has no sponsorship stream.", field="streams.sponsorship",
                        where=card.path, fix="use --card seed or --card current.",
                        key="card_no_sponsorship")
    scored = score(profiles_to_columns([profile]), card, monte_carlo=False)
    r = next(x for x in scored.results if x.id == STREAM)
    return PostPrice(float(r.rate[0]), float(r.sigma[0]), float(r.low[0]), float(r.high[0]),
                     float(upper(r)[0]))


def multiplier(fig: Figure) -> float:
    """The middle of an add-on's range (geometric), or its value."""
    return fig.typical


def _band(a: PricingAssumptions) -> tuple[float, float]:
    lo, hi = a.fair_band.low, a.fair_band.high
    assert lo is not None and hi is not None
    return lo, hi


def rate_sheet(profile: Profile, card: Card, a: PricingAssumptions) -> RateSheet:
    """One video, a bundle of three, and the usage-rights and exclusivity add-ons."""
    price = post_price(profile, card)
    band = _band(a)

    def line(item: str, k: float, rng: tuple[float, float] | None = None) -> PriceLine:
        return PriceLine(item, price.quantile(10) * k, price.quantile(band[0]) * k,
                         price.typical * k, price.quantile(band[1]) * k, rng)

    lines = [line("video", 1.0), line("bundle_three", multiplier(a.bundle_three),
                                      _range(a.bundle_three))]
    for name, fig in (("usage_rights", a.usage_rights), ("exclusivity", a.exclusivity)):
        k = multiplier(fig) - 1.0
        lines.append(line(name, k, _range(fig)))
    return RateSheet(card.currency, lines, price, band)


def _range(fig: Figure) -> tuple[float, float]:
    lo = fig.low if fig.low is not None else fig.typical
    hi = fig.high if fig.high is not None else fig.typical
    return lo, hi


def check_offer(amount: float, profile: Profile, card: Card, a: PricingAssumptions, *,
                deliverable: str = "video", usage_rights: bool = False,
                exclusivity: bool = False) -> OfferCheck:
    """Where an offer (in the card's currency) sits in the price distribution, and a counter."""
    if not isinstance(amount, int | float) or isinstance(amount, bool) or not math.isfinite(amount):
        raise OfferError(f"the amount must be a number (got {amount!r}).", field="amount",
                         fix="give the offer as a plain number, e.g. --amount 120.",
                         key="offer_amount_not_number", params={"value": repr(amount)})
    if amount <= 0:
        raise OfferError(f"the amount must be more than zero (got {amount:g}).", field="amount",
                         fix="give what the brand offers, e.g. --amount 120.",
                         key="offer_amount_not_positive", params={"value": f"{amount:g}"})
    if deliverable not in DELIVERABLES:
        raise OfferError(f"unknown deliverable '{deliverable}'.", field="deliverable",
                         fix=f"use one of {', '.join(DELIVERABLES)}.", key="offer_deliverable",
                         params={"value": deliverable, "choices": ", ".join(DELIVERABLES)})
    price = post_price(profile, card)
    k = multiplier(a.bundle_three) if deliverable == "bundle_three" else 1.0
    k *= multiplier(a.usage_rights) if usage_rights else 1.0
    k *= multiplier(a.exclusivity) if exclusivity else 1.0
    scaled = PostPrice(price.typical * k, price.sigma, price.card_low * k, price.card_high * k,
                       price.sigma_up)
    pct = scaled.percentile(amount)
    band = _band(a)
    verdict = "below" if pct < band[0] else ("above" if pct > band[1] else "fair")
    counter = None
    if verdict == "below":
        counter = scaled.typical
    elif verdict == "fair":
        counter = max(amount, scaled.quantile(band[1]))
    return OfferCheck(amount, scaled.typical, pct, verdict, counter, deliverable, band)


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _z(p: float) -> float:
    """Inverse of the standard normal CDF (bisection; exact enough for prices)."""
    if not 0 < p < 1:
        raise ValueError(p)
    lo, hi = -10.0, 10.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if _phi(mid) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2
