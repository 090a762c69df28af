"""A commission follows the product category, not the ad market: the affiliate and Shop streams
read their own niche table (docs/model.md, "Each factor moves only what it really moves")."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources

import numpy as np
import pytest

from kreator.core.card import build_card
from kreator.core.errors import CardError
from kreator.core.estimate import estimate, estimate_many
from kreator.core.profile import Profile
from kreator.ratecards import load_card

CARD = load_card("current-2025")


def _per_unit(niche: str, stream: str) -> float:
    p = Profile(followers=20_000, views_30d=200_000, likes_30d=12_000, niche=niche,
                audience={"US": 1.0}, affiliate_sales_per_month=10, shop_gmv_per_month=1_000)
    s = next(x for x in estimate(p, card=CARD).streams if x.id == stream)
    assert s.per_unit is not None
    return float(s.per_unit.typical)


def _raw(name: str) -> dict:
    return tomllib.loads(resources.files("kreator.ratecards").joinpath(name).read_text("utf-8"))


def test_electronics_pay_the_lowest_commission_rate_and_beauty_more_than_tech() -> None:
    rates = {n: _per_unit(n, "tiktok_shop") for n in ("beauty", "tech", "fashion", "finance")}
    assert rates["tech"] < rates["fashion"] < rates["beauty"]
    assert rates["tech"] == pytest.approx(0.0707, rel=0.02)  # electronics' 7.1% for a US audience
    assert rates["beauty"] == pytest.approx(0.1645, rel=0.02)


def test_sponsorship_still_reads_the_ad_market_table() -> None:
    """Tech is a high-paying niche for brand deals (CPM), whatever it pays in commission."""
    assert _per_unit("tech", "sponsorship") > _per_unit("beauty", "sponsorship")


def test_a_commission_per_sale_is_order_value_times_rate() -> None:
    """Electronics: low rate on a high order value ($75 x 7.1%) beats books' $35 x 6%."""
    assert _per_unit("tech", "affiliate") == pytest.approx(5.30, rel=0.02)
    assert _per_unit("education", "affiliate") < _per_unit("beauty", "affiliate")


def test_batch_columns_and_single_estimates_agree_on_the_stream_tables() -> None:
    people = [Profile(followers=5_000 + 900 * i, views_30d=60_000, niche=n,
                      affiliate_sales_per_month=4, shop_gmv_per_month=300)
              for i, n in enumerate(["tech", "beauty", "gaming", "travel", "education"] * 14)]
    many = estimate_many(people, card=CARD)
    for p, got in zip(people, many, strict=True):
        one = {s.id: s.monthly.p50 for s in estimate(p, card=CARD).streams}
        assert {s.id: s.monthly.p50 for s in got.streams} == pytest.approx(one, rel=1e-9)


def test_explain_names_the_stream_table_as_the_source(cli) -> None:
    r = cli("estimate", "--demo", "--explain")
    assert r.code == 0
    assert "streams.tiktok_shop.niche" in r.out and "streams.affiliate.niche" in r.out


def test_a_score_outside_zero_to_one_names_the_key() -> None:
    data = copy.deepcopy(_raw("current-2025.toml"))
    data["streams"]["tiktok_shop"]["niche"]["rows"]["tech"] = 1.7
    with pytest.raises(CardError) as info:
        build_card(data, path="my.toml")
    assert info.value.field is not None and "streams.tiktok_shop.niche" in info.value.field


def test_a_card_without_stream_tables_reads_the_card_table() -> None:
    data = copy.deepcopy(_raw("current-2025.toml"))
    del data["streams"]["tiktok_shop"]["niche"]
    plain = build_card(data, path="plain.toml")
    p = Profile(followers=20_000, views_30d=200_000, niche="tech", shop_gmv_per_month=1_000)
    got = next(s for s in estimate(p, card=plain).streams if s.id == "tiktok_shop")
    assert got.per_unit is not None
    # tech scores 0.707 on the ad-market table: well above electronics' 0.063
    assert float(got.per_unit.typical) > _per_unit("tech", "tiktok_shop")
    assert np.isfinite(got.monthly.p50)


@pytest.mark.parametrize("card_id", ["seed", "current-2025"])
def test_the_creator_fund_pays_from_its_markets_pool(card_id: str) -> None:
    """Europe's fund pool was ~0.3x the US one per user: its five markets sit at the range's low
    end for the fund, while sponsorship still reads the ad-market region table."""
    card = load_card(card_id)

    def streams(country: str) -> dict[str, float]:
        p = Profile(followers=70_000, views_30d=330_000, niche="other", country=country, age=30,
                    audience={country: 1.0}, sponsored_posts_per_month=1)
        return {s.id: s.monthly.p50 for s in estimate(p, card=card).streams}

    us, es, it = streams("US"), streams("ES"), streams("IT")
    fund = card.streams["creator_fund"]
    assert fund.own["region"].rows["ES"] == 0.0 and fund.own["region"].rows["US"] == 1.0
    if card_id == "seed":  # the US creator is paid by the (larger) US pool
        assert us["creator_fund"] > 1.4 * es["creator_fund"]
    else:  # today the fund pays only Italy and Spain, both from the European pool
        assert us["creator_fund"] == 0.0 and es["creator_fund"] == pytest.approx(it["creator_fund"])
    assert es["sponsorship"] == pytest.approx(it["sponsorship"])
    assert card.factors["region"].rows["ES"] > 0.8  # the ad-market table is unchanged
