"""The Monte Carlo total: the fast paths give the same numbers as the plain formula."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kreator.core.estimate import estimate, estimate_many
from kreator.core.profile import Profile
from kreator.core.simulate import SHOCK_CACHE_DRAWS, normals, percentiles, simulated, total
from kreator.ratecards import load_card


def plain(medians: list[np.ndarray], sigmas: list[np.ndarray], seed: int, draws: int) -> np.ndarray:
    """sum_k m_k exp(s_k Z_k) over the shared draws, written the obvious way."""
    z = normals(seed, draws, len(medians))
    acc = np.zeros((len(medians[0]), draws))
    for k, (m, s) in enumerate(zip(medians, sigmas, strict=True)):
        acc += m[:, None] * np.exp(s[:, None] * z[None, :, k])
    return acc


columns = st.integers(1, 9).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.sampled_from([0.0, 0.5, 3.0, 120.0, 4_000.0]), min_size=n, max_size=n),
             min_size=1, max_size=5),
    st.lists(st.booleans(), min_size=5, max_size=5)))


@settings(max_examples=60, deadline=None)
@given(columns, st.sampled_from([100, 2_500, SHOCK_CACHE_DRAWS + 1]), st.integers(0, 99))
def test_simulated_months_equal_the_plain_formula_bit_for_bit(cols, draws, seed) -> None:
    """Shared shocks (one spread for every row), per-row spreads, blocks of rows, streams at
    zero: every path gives exactly the plain formula's months."""
    meds, mixed = cols
    medians = [np.array(m) for m in meds]
    n = len(medians[0])
    sigmas = [np.linspace(0.3, 0.9, n) if mixed[k] and n > 1 else np.full(n, 0.6 + 0.1 * k)
              for k in range(len(medians))]
    ours = simulated(medians, sigmas, seed, draws)
    np.testing.assert_array_equal(ours, plain(medians, sigmas, seed, draws))
    q = total(medians, sigmas, seed, draws)
    np.testing.assert_array_equal(np.vstack([q.p10, q.p50, q.p90]),
                                  np.percentile(ours, [10, 50, 90], axis=1))


def test_many_creators_in_one_call_get_what_each_gets_alone() -> None:
    card = load_card("current")
    people = [Profile(followers=f, views_30d=v, lives_per_month=lv, affiliate_sales_per_month=8,
                      affiliate_avg_commission=c, shop_gmv_per_month=900.0, niche=n)
              for f, v, lv, c, n in [(900, 9_000, 0, None, "beauty"),
                                     (4_012, 61_000, 4, 6.5, "gaming"),
                                     (12_000, 450_000, 8, None, "finance"),
                                     (250_000, 9_000_000, 2, 12.0, "other")]]
    together = estimate_many(people, card, draws=3_000, seed=11)
    assert len(together) == len(people)
    for p, est in zip(people, together, strict=True):
        # known commissions narrow some creators' spreads: the batch mixes both simulation paths
        assert est.to_dict() == estimate(p, card, draws=3_000, seed=11).to_dict()
    assert len({e.monthly.p50 for e in together}) == len(people)


KNOWN = ["affiliate_avg_commission", "shop_commission_rate", "live_avg_minutes",
         "live_avg_viewers", "completion_rate", "quality", "age", "country"]
creators = st.fixed_dictionaries(
    {"followers": st.integers(0, 2_000_000), "views_30d": st.integers(0, 20_000_000),
     "lives_per_month": st.integers(0, 20), "affiliate_sales_per_month": st.integers(0, 50),
     "shop_gmv_per_month": st.floats(0, 20_000)},
    optional={"affiliate_avg_commission": st.floats(0.5, 40), "shop_commission_rate": st.floats(0.01, 0.3),
              "live_avg_minutes": st.floats(10, 240), "live_avg_viewers": st.floats(1, 2_000),
              "completion_rate": st.floats(0, 1), "quality": st.floats(1, 5),
              "age": st.integers(13, 70), "country": st.sampled_from(["US", "SE", "IT"])})


@settings(max_examples=25, deadline=None)
@given(st.lists(creators, min_size=2, max_size=6), st.sampled_from(["seed", "current"]))
def test_a_creators_estimate_is_the_same_in_any_batch(ds, card_id) -> None:
    """Numbers, eligibility and breakdown: what one creator is told does not depend on who
    else was estimated in the same call (the web app batches concurrent requests)."""
    card = load_card(card_id)
    people = [Profile(**d) for d in ds]
    for p, est in zip(people, estimate_many(people, card, draws=500, seed=2), strict=True):
        assert est.to_dict() == estimate(p, card, draws=500, seed=2).to_dict()


def test_estimate_many_checks_draws_like_estimate() -> None:
    from kreator.core.errors import ProfileError

    with pytest.raises(ProfileError, match="draws must be from 100"):
        estimate_many([Profile(followers=1, views_30d=1)], load_card("seed"), draws=50)


def test_percentiles_of_one_draw_and_two() -> None:
    for acc in (np.array([[5.0]]), np.array([[1.0, 3.0]])):
        np.testing.assert_array_equal(percentiles(acc, (0.1, 0.5, 0.9)),
                                      np.percentile(acc, [10, 50, 90], axis=1))
