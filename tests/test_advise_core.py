"""The advisor's core: gains are after - before from the one model, draw by draw; all five tips."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kreator.core.advise import TIPS, advise, apply_lever, per_post
from kreator.core.columns import profiles_to_columns
from kreator.core.demo import DEMO
from kreator.core.errors import ProfileError
from kreator.core.estimate import estimate, score
from kreator.core.profile import Profile
from kreator.core.sensitivity import (
    apply_settings,
    compare,
    resolve,
    spread_of,
    tornado,
    total_draws,
)
from kreator.ratecards import load_card
from kreator.ratecards.levers import build_levers, load_levers

SEED = load_card("seed")
CURRENT = load_card("current")
LEVERS = load_levers()
DRAWS = 4000


def lever(lid: str):
    return next(lv for lv in LEVERS.levers if lv.id == lid)


def draws_of(profile: Profile, card, seed: int, draws: int = DRAWS) -> np.ndarray:
    """One profile on its own through the core (not batched with anything else)."""
    scored = score(profiles_to_columns([profile]), card, draws=draws, seed=seed)
    return total_draws(scored.results, seed, draws)[0]


def test_total_draws_are_exactly_the_estimates_draws() -> None:
    for card in (SEED, CURRENT):
        d = draws_of(DEMO, card, 3)
        est = estimate(DEMO, card, draws=DRAWS, seed=3)
        assert np.percentile(d, [10, 50, 90]).tolist() == pytest.approx(
            [est.monthly.p10, est.monthly.p50, est.monthly.p90], rel=1e-12)


@pytest.mark.parametrize("lid", ["go_live", "niche_focus", "pitch_brands", "ask_questions"])
def test_gain_is_estimate_after_minus_estimate_before_draw_by_draw(lid: str) -> None:
    rep = advise(DEMO, SEED, LEVERS, draws=DRAWS, seed=11)
    item = next(a for a in rep.items if a.lever.id == lid)
    assert item.skip is None and item.comparison is not None
    before, after = item.comparison.before_profile, item.comparison.after_profile
    # Two separate runs of the core with the same seed, subtracted month by month.
    diff = draws_of(after, SEED, 11) - draws_of(before, SEED, 11)
    expected = spread_of(diff)
    g = item.gain
    assert [g.p10, g.p50, g.p90, g.mean] == pytest.approx(
        [expected.p10, expected.p50, expected.p90, expected.mean], rel=1e-12)
    # ... and each side is what `estimate` reports for that profile.
    for prof, est in ((before, item.comparison.before), (after, item.comparison.after)):
        again = estimate(prof, SEED, draws=DRAWS, seed=11)
        assert est.monthly == again.monthly
    # per stream, the change is the estimate's own change of the median month
    for s in item.comparison.after.streams:
        b = estimate(before, SEED, draws=DRAWS, seed=11).stream(s.id).monthly.p50
        assert item.comparison.stream_change(s.id) == pytest.approx(s.monthly.p50 - b)


def test_before_is_the_creators_own_estimate() -> None:
    rep = advise(DEMO, SEED, LEVERS, draws=DRAWS, seed=0)
    assert rep.before.monthly == estimate(DEMO, SEED, draws=DRAWS, seed=0).monthly
    resolved = resolve(DEMO, SEED)
    assert estimate(resolved, SEED, draws=DRAWS).monthly == estimate(DEMO, SEED, draws=DRAWS).monthly


@pytest.mark.parametrize("card", [SEED, CURRENT], ids=["seed", "current"])
def test_demo_gets_all_five_tips_each_with_a_gain_or_a_reason(card) -> None:
    rep = advise(DEMO, card, LEVERS, draws=DRAWS, seed=0)
    assert {a.lever.tip for a in rep.items} == set(TIPS)
    for a in rep.items:
        if a.skip is None:
            assert a.rank is not None and a.comparison is not None
            assert a.gain.p10 <= a.gain.p50 <= a.gain.p90
        else:
            assert a.rank is None and a.skip.reason
    ranked = [a for a in rep.items if a.skip is None]
    assert [a.rank for a in ranked] == list(range(1, len(ranked) + 1))
    later = [a.later.p50 for a in ranked if a.later is not None]
    assert len(later) == len(ranked) and later == sorted(later, reverse=True)


def test_ranking_is_stable_for_a_seed() -> None:
    one = [(a.lever.id, a.gain.p50) for a in advise(DEMO, SEED, LEVERS, seed=5, draws=DRAWS).items]
    two = [(a.lever.id, a.gain.p50) for a in advise(DEMO, SEED, LEVERS, seed=5, draws=DRAWS).items]
    assert one == two


def test_demo_skips_what_it_already_does() -> None:
    rep = advise(DEMO, SEED, LEVERS, draws=DRAWS)
    reasons = {a.lever.id: a.skip.reason for a in rep.items if a.skip}
    # the demo creator already has affiliate sales (8) and Shop sales ($250)
    assert reasons == {"affiliate_links": "already_affiliate", "shop_products": "already_shop"}


def test_not_eligible_lever_is_skipped_with_the_unmet_rule() -> None:
    small = DEMO.replace(**{"followers": 600, "lives_per_month": 0})
    rep = advise(small, SEED, LEVERS, draws=DRAWS)
    live = next(a for a in rep.items if a.lever.id == "go_live")
    assert live.skip is not None and live.skip.reason == "not_eligible"
    assert [u.rule for u in live.skip.unmet] == ["min_followers"]
    assert live.skip.unmet[0].gap == 400


def test_engagement_at_the_top_of_the_scale_is_skipped() -> None:
    viral = DEMO.replace(**{"likes_30d": 9000})  # (9000+300+240)/60000 = 15.9% > 12%
    rep = advise(viral, SEED, LEVERS, draws=DRAWS)
    ask = next(a for a in rep.items if a.lever.id == "ask_questions")
    assert ask.skip is not None and ask.skip.reason == "engagement_top"


def test_lever_for_a_stream_the_card_lacks_is_skipped() -> None:
    import tomllib
    from importlib import resources

    data = tomllib.loads(resources.files("kreator.ratecards").joinpath("levers.toml")
                         .read_text("utf-8"))
    data["levers"]["go_live"]["streams"] = ["live_subscriptions"]  # not on the seed card
    rep = advise(DEMO, SEED, build_levers(data), draws=DRAWS)
    live = next(a for a in rep.items if a.lever.id == "go_live")
    assert live.skip is not None and live.skip.reason == "not_on_card"


def test_post_more_pays_through_growth_creator_fund_opens_sooner() -> None:
    rep = advise(DEMO, SEED, LEVERS, draws=DRAWS)
    post = next(a for a in rep.items if a.lever.id == "post_more")
    before, after = post.sooner()["creator_fund"]
    assert before is not None and after is not None and after < before


def test_apply_lever_changes_what_it_documents() -> None:
    base = resolve(DEMO, SEED)
    after = apply_lever(base, lever("post_more"))
    assert after.videos_30d == round(12 + 8.6)
    ratio = (12 + 8.6) / 12
    posting = next(c for c in lever("post_more").changes if c.op == "posting")
    # more videos, each seen a little more (Buffer: views per post rise with frequency)
    gain = ratio * per_post(posting.points, 20.6) / per_post(posting.points, 12)
    assert 1 < per_post(posting.points, 20.6) / per_post(posting.points, 12) < 1.17
    assert after.views_30d == pytest.approx(60_000 * gain, abs=1)
    # the creator's own growth follows the views (followers per 1,000 views stay the same)
    assert after.follower_growth_per_month == pytest.approx(350 * after.views_30d / 60_000,
                                                            rel=1e-3)
    # engagement keeps its rate per view
    assert after.likes_30d / after.views_30d == pytest.approx(3900 / 60000, rel=1e-3)
    live = apply_lever(base, lever("go_live"))
    assert live.lives_per_month == 8


@settings(max_examples=25, deadline=None)
@given(followers=st.integers(1_000, 60_000), views=st.integers(1_000, 2_000_000),
       lives=st.floats(0, 7), seed=st.integers(0, 2**16))
def test_more_lives_never_lose_money_in_any_simulated_month(followers, views, lives, seed) -> None:
    """Common random numbers: adding LIVEs raises every simulated month (p10 of the gain >= 0).

    With two independent simulations the p10 of the difference would be negative."""
    p = Profile(followers=followers, views_30d=views, lives_per_month=lives, age=25)
    c = compare(p, p.replace(**{"lives_per_month": lives + 4}), SEED, draws=1000, seed=seed)
    assert c.gain.p10 >= 0
    assert c.gain.mean == pytest.approx(
        float(np.mean(draws_of(c.after_profile, SEED, seed, 1000)
                      - draws_of(c.before_profile, SEED, seed, 1000))))


def test_whatif_settings_are_validated() -> None:
    after = apply_settings(DEMO, {"followers": "12000", "lives_per_month": "8"})
    assert after.followers == 12000 and after.lives_per_month == 8
    with pytest.raises(ProfileError) as e:
        apply_settings(DEMO, {"folowers": "12000"})
    assert "followers" in str(e.value) and e.value.field == "set"
    with pytest.raises(ProfileError) as e:
        apply_settings(DEMO, {"followers": "lots"})
    assert e.value.field == "followers"


def test_whatif_crossing_thresholds_unlocks_creator_fund() -> None:
    after = apply_settings(DEMO, {"followers": 12000, "views_30d": 120000})
    c = compare(DEMO, after, SEED, draws=DRAWS)
    assert c.unlocks == ["creator_fund"]


def test_tornado_orders_by_swing_and_moves_the_right_way() -> None:
    tor = tornado(DEMO, SEED, draws=DRAWS)
    widths = [s.width for s in tor.swings]
    assert widths == sorted(widths, reverse=True)
    by = {s.input: s for s in tor.swings}
    assert by["lives_per_month"].low_value == pytest.approx(3.2)
    assert by["lives_per_month"].low_total < tor.base_total < by["lives_per_month"].high_total
    # followers pay inside the tier too: a bigger audience raises LIVE gift and sponsorship
    # prices (size), though the Creator Fund stays closed at ±20%
    assert by["followers"].low_total < tor.base_total < by["followers"].high_total
    with pytest.raises(ProfileError):
        tornado(DEMO, SEED, step=1.5)
