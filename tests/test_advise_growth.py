"""Growth projection: opening dates (with ranges), shrinking creators, history trends."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from kreator.core.errors import ProfileError
from kreator.core.estimate import estimate
from kreator.core.growth import Trend, add_months, project, trend_from_history
from kreator.core.profile import Profile
from kreator.ratecards import load_card
from kreator.ratecards.levers import load_levers

SEED = load_card("seed")
GROWTH = load_levers().growth
START = dt.date(2026, 11, 26)
NEAR = Profile(followers=9_500, views_30d=150_000, age=25, follower_growth_per_month=600)


def opening(proj, sid: str = "creator_fund"):
    return next(o for o in proj.openings if o.stream == sid)


def test_9500_followers_growing_600_a_month_opens_the_fund_in_about_a_month() -> None:
    proj = project(NEAR, SEED, GROWTH, start=START, months=12)
    o = opening(proj)
    # 500 to go at 600 a month: the median path crosses in month 1
    assert o.status == "date" and o.p50 == 1
    assert o.p10 is not None and o.p10 >= 1
    assert o.p90 is not None and 1 <= o.p90 <= 4
    assert o.date == dt.date(2026, 12, 26)
    assert o.share_by_horizon > 0.95


def test_a_shrinking_creator_gets_not_at_the_current_trend() -> None:
    shrinking = NEAR.replace(**{"follower_growth_per_month": -100})
    o = opening(project(shrinking, SEED, GROWTH, start=START))
    assert o.status == "not_at_trend" and o.date is None and o.p50 is None


def test_growth_flag_overrides_the_profile() -> None:
    proj = project(NEAR, SEED, GROWTH, trend=Trend(-100.0), start=START)
    assert opening(proj).status == "not_at_trend"


def test_open_now_and_blocked_streams() -> None:
    big = NEAR.replace(**{"followers": 20_000})
    assert opening(project(big, SEED, GROWTH, start=START)).status == "open"
    young = NEAR.replace(**{"age": 16})
    o = opening(project(young, SEED, GROWTH, start=START))
    assert o.status == "blocked" and [r.id for r in o.blockers] == ["min_age"]


def test_views_rule_also_counts() -> None:
    # enough followers soon, but views must grow from 60k to 100k: later than the followers
    low_views = NEAR.replace(**{"views_30d": 60_000})
    o = opening(project(low_views, SEED, GROWTH, start=START))
    assert o.status in ("date", "not_at_trend")
    if o.status == "date":
        assert o.p50 is not None and o.p50 > 1


def test_month_zero_is_the_estimate_and_followers_follow_the_trend() -> None:
    demo = Profile(followers=4_000, views_30d=60_000, lives_per_month=4, age=25,
                   follower_growth_per_month=350)
    proj = project(demo, SEED, GROWTH, start=START, months=12, draws=10_000, paths=400)
    est = estimate(demo, SEED, draws=10_000, seed=0)
    m0 = proj.months[0]
    assert m0.income == pytest.approx((est.monthly.p10, est.monthly.p50, est.monthly.p90), rel=1e-9)
    assert m0.followers == (4000, 4000, 4000)
    p50s = [m.followers[1] for m in proj.months]
    # followers come from views: 350 a month at today's 60,000 views, more as views grow
    f, e = 4000.0, GROWTH.views_elasticity.typical
    for _ in range(12):
        f += 350 * (f / 4000) ** e
    assert p50s[12] == pytest.approx(f, rel=0.05)
    assert p50s[12] > 4000 + 12 * 350
    for m in proj.months:
        assert m.followers[0] <= m.followers[1] <= m.followers[2]
        assert m.income[0] <= m.income[1] <= m.income[2]
    # views follow followers with the documented elasticity
    assert proj.months[12].views_30d[1] == pytest.approx(
        60_000 * (p50s[12] / 4000) ** GROWTH.views_elasticity.typical, rel=0.02)


def test_projection_is_seeded() -> None:
    a = project(NEAR, SEED, GROWTH, start=START, seed=3).to_dict()
    b = project(NEAR, SEED, GROWTH, start=START, seed=3).to_dict()
    assert a == b


def test_trend_from_history() -> None:
    day0 = dt.date(2026, 1, 1)
    pts = [(day0 + dt.timedelta(days=d), 5000 + 20 * d) for d in range(0, 91, 7)]
    tr = trend_from_history(pts)
    assert tr.per_month == pytest.approx(600)
    assert tr.sd is not None and tr.sd < 1e-6
    noisy = [(d, v + (50 if i % 2 else -50)) for i, (d, v) in enumerate(pts)]
    assert trend_from_history(noisy).sd > 0
    with pytest.raises(ProfileError):
        trend_from_history(pts[:1])


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 26), 14) == dt.date(2028, 1, 26)


def test_cli_project(cli, tmp_path) -> None:
    flags = ["--followers", "9500", "--views-30d", "150000", "--age", "25", "--as-of", "2026-11-26",
             "--card", "seed"]
    r = cli("project", *flags, "--growth", "600")
    assert r.code == 0, r.err
    assert "Creator Fund: about 1 month" in r.out
    r = cli("project", *flags, "--growth", "-100")
    assert r.code == 0, r.err
    assert "Creator Fund: not at the current trend" in r.out
    d = json.loads(cli("project", *flags, "--growth", "600", "--json").out)
    o = next(x for x in d["projection"]["openings"] if x["stream"] == "creator_fund")
    assert o["status"] == "date" and o["months"]["p50"] == 1 and o["date"] == "2026-12-26"
    assert len(d["projection"]["months"]) == 13
    sv = cli("project", *flags, "--growth", "600", "--lang", "sv")
    assert "Skaparfonden: om cirka 1 månad" in sv.out


def test_cli_project_from_history(cli, tmp_path) -> None:
    hist = tmp_path / "followers.csv"
    hist.write_text("date,followers\n2026-09-01,8300\n2026-10-01,8900\n2026-11-01,9500\n", "utf-8")
    r = cli("project", "--followers", "9500", "--views-30d", "150000", "--history", str(hist),
            "--as-of", "2026-11-26", "--json")
    assert r.code == 0, r.err
    trend = json.loads(r.out)["projection"]["trend"]
    assert trend["followers_per_month"] == pytest.approx(600 * 30 / 30.5, rel=0.02)
    bad = tmp_path / "bad.csv"
    bad.write_text("2026-09-01,8300\nyesterday,9000\n", "utf-8")
    r = cli("project", "--followers", "9500", "--views-30d", "150000", "--history", str(bad))
    assert r.code == 2 and "row 2" in r.err and "Traceback" not in r.err


def test_cli_project_chart(cli, tmp_path) -> None:
    out = tmp_path / "growth.png"
    r = cli("project", "--demo", "--chart", str(out), "--as-of", "2026-11-26")
    assert r.code == 0, r.err
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert np.frombuffer(out.read_bytes()[16:24], dtype=">u4").tolist() == [800, 500]
