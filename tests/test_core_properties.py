"""Model invariants under random valid profiles (hypothesis)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kreator.core.columns import profiles_to_columns
from kreator.core.estimate import estimate, score
from kreator.core.profile import Profile
from kreator.ratecards import load_card

CARDS = [load_card("seed"), load_card("current")]
NICHES = ["beauty", "tech", "other", "gaming", "finance", "pets"]
COUNTRIES = ["US", "GB", "DE", "BR", "IN", "SE", "IT"]

profiles = st.fixed_dictionaries(
    {
        "followers": st.integers(0, 5_000_000),
        "views_30d": st.integers(0, 50_000_000),
        "videos_30d": st.integers(1, 200),
        "niche": st.sampled_from(NICHES),
        "country": st.sampled_from(COUNTRIES),
        "quality": st.floats(1, 5),
        "age": st.integers(13, 80),
        "lives_per_month": st.floats(0, 60),
        "sponsored_posts_per_month": st.floats(0, 20),
        "affiliate_sales_per_month": st.floats(0, 1_000),
        "shop_gmv_per_month": st.floats(0, 100_000),
        "live_subscribers": st.integers(0, 5_000),
    },
    optional={"audience": st.dictionaries(st.sampled_from(COUNTRIES), st.floats(0, 0.3),
                                          max_size=3),
              "er": st.floats(0, 0.4)},
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def make(d: dict[str, Any]) -> Profile:
    d = dict(d)
    er = d.pop("er", None)
    if er is not None:
        d["likes_30d"] = int(d["views_30d"] * er)
    return Profile(**d)


def p50s(p: Profile, card_i: int) -> dict[str, float]:
    est = estimate(p, CARDS[card_i], draws=2_000, seed=3)
    out = {s.id: s.monthly.p50 for s in est.streams}
    out["total"] = est.monthly.p50
    return out


def assert_not_lower(before: dict[str, float], after: dict[str, float]) -> None:
    for k, v in before.items():
        assert after[k] >= v - 1e-9 * max(1.0, v), (k, v, after[k])


@FAST
@given(profiles, st.integers(0, 1), st.integers(2, 10))
def test_more_views_at_the_same_engagement_never_lowers_a_p50(d, card_i, k) -> None:
    p = make(d)
    more = p.replace(**{"views_30d": p.views_30d * k, "likes_30d":
                                None if p.likes_30d is None else p.likes_30d * k})
    # likes scaled with views keep the engagement rate exactly (docs/model.md: engagement is a
    # rate, so "more views" means more views at the same engagement rate)
    assert_not_lower(p50s(p, card_i), p50s(more, card_i))


@FAST
@given(profiles, st.integers(0, 1), st.integers(1, 2_000_000))
def test_more_followers_never_lowers_a_p50(d, card_i, extra) -> None:
    p = make(d)
    assert_not_lower(p50s(p, card_i),
                     p50s(p.replace(**{"followers": p.followers + extra}), card_i))


@FAST
@given(profiles, st.integers(0, 1), st.integers(1, 1_000_000))
def test_more_engagement_never_lowers_a_p50(d, card_i, extra) -> None:
    p = make(d)
    more = p.replace(**{"likes_30d": (p.likes_30d or 0) + extra})
    base = p.replace(**{"likes_30d": p.likes_30d or 0})
    assert_not_lower(p50s(base, card_i), p50s(more, card_i))


@FAST
@given(profiles, st.integers(0, 1), st.sampled_from(
    ["lives_per_month", "sponsored_posts_per_month", "affiliate_sales_per_month",
     "shop_gmv_per_month", "live_subscribers"]), st.integers(1, 50))
def test_more_activity_never_lowers_a_p50(d, card_i, field, extra) -> None:
    p = make(d)
    more = p.replace(**{field: getattr(p, field) + extra})
    assert_not_lower(p50s(p, card_i), p50s(more, card_i))


@FAST
@given(profiles, st.integers(0, 1), st.integers(0, 2**31))
def test_percentiles_ordered_finite_non_negative(d, card_i, seed) -> None:
    est = estimate(make(d), CARDS[card_i], draws=1_000, seed=seed)
    ranges = [s.monthly for s in est.streams] + [est.monthly, est.yearly]
    for r in ranges:
        vals = [r.p10, r.p50, r.p90, r.mean]
        assert all(math.isfinite(v) and v >= 0 for v in vals)
        assert r.p10 <= r.p50 <= r.p90
    for s in est.streams:
        assert all(math.isfinite(x) for x in (s.per_unit.low, s.per_unit.high, s.per_unit.typical))


@FAST
@given(profiles, st.integers(0, 1), st.integers(0, 2**31))
def test_same_seed_same_numbers(d, card_i, seed) -> None:
    p = make(d)
    a = estimate(p, CARDS[card_i], draws=1_000, seed=seed).to_dict()
    b = estimate(p, CARDS[card_i], draws=1_000, seed=seed).to_dict()
    assert a == b


@settings(max_examples=15, deadline=None)
@given(st.lists(profiles, min_size=2, max_size=12), st.integers(0, 1), st.integers(1, 5))
def test_chunking_does_not_change_any_number(ds, card_i, chunk) -> None:
    ps = [make(d) for d in ds]
    card = CARDS[card_i]
    whole = score(profiles_to_columns(ps), card, draws=500, seed=7)
    assert whole.total is not None
    for start in range(0, len(ps), chunk):
        part = score(profiles_to_columns(ps[start:start + chunk]), card, draws=500, seed=7)
        assert part.total is not None
        sl = slice(start, start + chunk)
        np.testing.assert_array_equal(part.total.p50, whole.total.p50[sl])
        np.testing.assert_array_equal(part.total.p90, whole.total.p90[sl])
        for sid, q in part.streams.items():
            np.testing.assert_array_equal(q.p50, whole.streams[sid].p50[sl])


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3), st.integers(2, 3_000), st.integers(0, 2**31))
def test_percentiles_match_numpy_exactly(rows, draws, seed) -> None:
    from kreator.core.simulate import percentiles

    acc = np.random.default_rng(seed).lognormal(size=(rows, draws)) * 100
    ours = percentiles(acc, (0.1, 0.5, 0.9))
    np.testing.assert_array_equal(ours, np.percentile(acc, [10, 50, 90], axis=1))
