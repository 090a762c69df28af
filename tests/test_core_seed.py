"""The seed article's figures, reproduced by the model on the default card."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import yaml

import kreator
from kreator.core.estimate import score
from kreator.ratecards import load_card

DATA = Path(__file__).parent / "data"
SEED_RANGES = {"creator_fund": (0.02, 0.05), "sponsorship": (50, 500), "live_gifts": (20, 200),
               "affiliate": (1, 50)}


def test_fifty_thousand_view_video_earns_one_to_two_fifty() -> None:
    card = load_card("seed")
    rate = card.streams["creator_fund"].rate
    assert 50 * rate.low == pytest.approx(1.00)
    assert 50 * rate.high == pytest.approx(2.50)
    # the model's per-unit range for any creator is the same, and the typical sits inside it
    est = kreator.estimate({"followers": 12_000, "views_30d": 150_000}, card="seed")
    pu = est.stream("creator_fund").per_unit
    assert 50 * pu.low == pytest.approx(1.00) and 50 * pu.high == pytest.approx(2.50)
    assert 1.00 <= 50 * pu.typical <= 2.50


def test_creator_fund_gaps_for_4000_followers_and_40000_views() -> None:
    est = kreator.estimate({"followers": 4_000, "views_30d": 40_000}, card="seed")
    cf = est.stream("creator_fund")
    assert not cf.eligible
    assert cf.monthly.p10 == cf.monthly.p50 == cf.monthly.p90 == cf.monthly.mean == 0
    gaps = {u.rule: u.gap for u in cf.unmet}
    assert gaps == {"min_followers": 6_000, "min_views_30d": 60_000}
    assert {u.rule: u.required for u in cf.unmet} == {"min_followers": 10_000,
                                                      "min_views_30d": 100_000}


SIZES = (1_000.0, 2_500.0, 5_000.0, 10_000.0)
"""Followers across the seed's band; each creator's videos reach 30% of them (the card's view
rate), so the smallest sits at the band's bottom and the largest at its top."""


def _factor_grid() -> dict[str, object]:
    """Every combination of the four factors and of sizes across the seed's band."""
    ers = [0.0, 0.5, 1.0, 3.0, 6.0, 10.0, 15.0, 40.0]
    niches = ["pets", "comedy", "other", "gaming", "beauty", "tech", "finance"]
    audiences = [{"IN": 1.0}, {"BR": 1.0}, {}, {"DE": 1.0}, {"US": 1.0}, {"GB": 0.5, "CA": 0.5}]
    qualities = [1.0, 2.0, 3.0, 4.0, 5.0]
    combos = list(itertools.product(ers, niches, audiences, qualities, SIZES))
    n = len(combos)
    followers = np.array([c[4] for c in combos])
    views = 0.3 * followers * 10.0  # ten videos, each reaching 30% of the followers
    return {
        "followers": followers, "views_30d": views,
        "videos_30d": np.full(n, 10.0),
        "likes_30d": np.array([c[0] / 100 for c in combos]) * views,
        "comments_30d": np.zeros(n), "shares_30d": np.zeros(n),
        "quality": np.array([c[3] for c in combos]),
        "niche": np.array([c[1] for c in combos], dtype=object),
        "country": np.full(n, None, dtype=object), "audience": [c[2] for c in combos],
        "lives_per_month": np.ones(n), "sponsored_posts_per_month": np.ones(n),
        "affiliate_sales_per_month": np.ones(n),
    }


@pytest.mark.parametrize("stream", sorted(SEED_RANGES))
def test_typical_rates_stay_inside_seed_ranges_and_reach_both_ends(stream: str) -> None:
    lo, hi = SEED_RANGES[stream]
    scored = score(_factor_grid(), load_card("seed"), monte_carlo=False)
    rate = next(r for r in scored.results if r.id == stream).rate
    assert rate.min() >= lo - 1e-9 and rate.max() <= hi + 1e-9
    assert rate.min() <= lo * 1.10, "the weakest, smallest creator should sit near the low end"
    assert rate.max() >= hi * 0.90, "the strongest, largest creator should sit near the high end"


def test_seed_card_holds_the_seed_figures_exactly() -> None:
    seed = yaml.safe_load((DATA / "ratecard_seed.yaml").read_text("utf-8"))
    card = load_card("seed")
    pairs = {
        "creator_fund": seed["creator_fund"]["rpm"],
        "sponsorship": seed["sponsorship"]["per_sponsored_post"],
        "live_gifts": seed["live_gifts"]["per_live_stream"],
        "affiliate": seed["affiliate"]["commission_per_sale"],
    }
    for sid, fig in pairs.items():
        rate = card.streams[sid].rate
        assert (rate.low, rate.high) == (fig["low"], fig["high"])
        assert rate.from_seed and rate.source == "seed article"
    rules = {r.id: r.min for r in card.streams["creator_fund"].rules if r.from_seed}
    assert rules == {"min_followers": seed["creator_fund"]["eligibility_min_followers"]["value"],
                     "min_views_30d": seed["creator_fund"]["eligibility_min_views_30d"]["value"]}
    niche = card.factors["niche"].rows
    assert all(niche[n] == 1.0 for n in seed["high_paying_niches"]["values"])
    region = card.factors["region"].rows
    assert all(region[{"UK": "GB"}.get(c, c)] == 1.0 for c in seed["high_cpm_regions"]["values"])


def test_rules_not_from_the_seed_are_marked_and_sourced() -> None:
    card = load_card("seed")
    live = {r.id: r for r in card.streams["live_gifts"].rules}
    assert live["min_followers"].min == 1000 and live["min_age"].min == 18
    assert not live["min_followers"].from_seed and live["min_followers"].source.startswith("http")
