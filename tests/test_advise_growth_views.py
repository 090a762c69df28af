"""Growth from the creator's own numbers (issue 11, item 5): followers come from views, prices
grow with reach, posting more earns what the model says, and locked streams get dates."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kreator.core.advise import advise
from kreator.core.demo import DEMO
from kreator.core.growth import opening_months, project, trend_for
from kreator.core.profile import Profile
from kreator.core.sensitivity import resolve
from kreator.ratecards import DEFAULT_CARD, load_card
from kreator.ratecards.levers import load_levers

LEVERS = load_levers()
GROWTH = LEVERS.growth
START = dt.date(2026, 11, 26)


def test_income_grows_as_the_demo_grows() -> None:
    """Was: followers 4,000 -> 8,266 in 12 months, income $1,236 -> $1,239."""
    proj = project(DEMO, load_card(DEFAULT_CARD), GROWTH, start=START, months=12, paths=200)
    first, last = proj.months[0], proj.months[12]
    assert last.followers[1] > 1.5 * first.followers[1]
    assert last.income[1] > 1.2 * first.income[1], "prices and views grow with reach"


def test_posting_more_earns_something_now_and_more_later() -> None:
    """Was: 'Post two more videos a week' worth $0 although it adds views and growth."""
    for profile in (DEMO, Profile(followers=4_000, views_30d=40_000, sponsored_posts_per_month=1)):
        rep = advise(profile, load_card(DEFAULT_CARD), LEVERS, draws=2_000, start=START)
        post = next(a for a in rep.items if a.lever.id == "post_more")
        assert post.skip is None and post.later is not None
        assert post.later.p50 > 0 and post.later.p50 > post.gain.p50


def test_a_creator_near_the_fund_gets_a_date_from_the_sourced_growth() -> None:
    """Was: 9,500 followers and 90,000 views, no growth given -> 'not at the current trend'."""
    card = load_card("seed")
    base = resolve(Profile(followers=9_500, views_30d=90_000), card)
    trend = trend_for(base, GROWTH)
    assert trend.kind == "default" and trend.source.startswith("https://")
    assert trend.per_month > 0 and trend.per_1k_views == GROWTH.followers_per_1k_views.value
    fund = next(o for o in opening_months(base, card, GROWTH, start=START)
                if o.stream == "creator_fund")
    assert fund.status == "date" and fund.date is not None and fund.p50 is not None


def test_own_growth_beats_the_default_and_is_said() -> None:
    base = resolve(DEMO, load_card(DEFAULT_CARD))
    trend = trend_for(base, GROWTH)
    assert trend.kind == "profile" and trend.per_month == 350
    assert trend.per_1k_views == 350 / 60
    proj = project(DEMO, load_card(DEFAULT_CARD), GROWTH, start=START, months=2, paths=50)
    assert proj.to_dict()["trend"]["kind"] == "profile"


@settings(max_examples=40, deadline=None)
@given(followers=st.integers(500, 50_000), views=st.integers(1_000, 1_000_000),
       k=st.floats(0.5, 40), more=st.floats(1.01, 3.0), seed=st.integers(0, 1_000))
def test_a_higher_follow_rate_never_projects_less(followers: int, views: int, k: float,
                                                  more: float, seed: int) -> None:
    card = load_card(DEFAULT_CARD)
    p = Profile(followers=followers, views_30d=views, age=25, lives_per_month=2)

    def run(rate: float) -> tuple[list[float], list[float], dict[str, float | None]]:
        fig = dataclasses.replace(GROWTH.followers_per_1k_views, value=rate)
        g = dataclasses.replace(GROWTH, followers_per_1k_views=fig)
        proj = project(p, card, g, start=START, months=6, paths=60, draws=600, seed=seed)
        opens = {o.stream: o.p50 for o in proj.openings}
        return ([m.followers[1] for m in proj.months], [m.income[1] for m in proj.months], opens)

    f1, i1, o1 = run(k)
    f2, i2, o2 = run(k * more)
    assert all(b >= a - 1e-6 for a, b in zip(f1, f2, strict=True))
    assert all(b >= a * (1 - 1e-9) - 1e-9 for a, b in zip(i1, i2, strict=True))
    for sid, month in o1.items():
        if month is not None:
            assert o2[sid] is not None and o2[sid] <= month


def test_each_month_reruns_the_one_model_with_engagement_following_views() -> None:
    """With no spread in the trend, month 12 of the projection is the estimate of the grown
    creator: its followers and views, and likes, comments and shares at today's rate per view."""
    from kreator.core.estimate import estimate

    card = load_card(DEFAULT_CARD)
    zero = dataclasses.replace(GROWTH.rate_cv, value=0.0)
    flat = dataclasses.replace(GROWTH, rate_cv=zero, shock_cv=zero,
                               min_rate_sd=dataclasses.replace(GROWTH.min_rate_sd, value=0.0))
    p = Profile(followers=4_000, views_30d=60_000, likes_30d=3_900, comments_30d=300,
                shares_30d=240, lives_per_month=4, age=25, sponsored_posts_per_month=1,
                follower_growth_per_month=350)
    proj = project(p, card, flat, start=START, months=12, paths=10, draws=10_000)
    m12 = proj.months[12]
    assert m12.followers[0] == m12.followers[2] and m12.followers[1] > p.followers
    f, v = m12.followers[1], m12.views_30d[1]
    r = v / p.views_30d
    grown = p.replace(**{"followers": round(f), "views_30d": round(v),
                                 "likes_30d": round(3_900 * r), "comments_30d": round(300 * r),
                                 "shares_30d": round(240 * r)})
    est = estimate(grown, card, draws=10_000, seed=0)
    assert m12.income[1] == pytest.approx(est.monthly.p50, rel=0.01)
    stale = estimate(p.replace(**{"followers": round(f), "views_30d": round(v)}), card,
                     draws=10_000, seed=0)
    # engagement matters on this card, so the test can tell the two apart
    assert est.monthly.p50 > stale.monthly.p50
    assert abs(m12.income[1] - est.monthly.p50) < abs(m12.income[1] - stale.monthly.p50)


@settings(max_examples=200, deadline=None)
@given(followers=st.integers(0, 200_000), views=st.integers(0, 5_000_000),
       g=st.floats(-2_000, 20_000), more=st.floats(1.0, 5.0), seed=st.integers(0, 10_000),
       own_sd=st.one_of(st.none(), st.floats(0, 5_000)))
def test_every_path_gains_at_least_as_many_followers_at_a_higher_trend(
        followers: int, views: int, g: float, more: float, seed: int,
        own_sd: float | None) -> None:
    """Path by path and month by month (not only at the median): a higher trend never ends below
    a lower one. Was: the trend's spread scaled with it, so a path drawn below zero lost more."""
    from kreator.core.growth import Trend, follower_paths

    def run(per_month: float) -> np.ndarray:
        return follower_paths(float(followers), Trend(per_month, own_sd), GROWTH, months=12,
                              paths=50, seed=seed, views0=float(views))

    low, high = run(g), run(g + abs(g) * (more - 1.0) + (more - 1.0))
    assert (high >= low - 1e-6 * np.maximum(1.0, low)).all()
