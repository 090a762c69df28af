"""Sponsorship pricing: the rate sheet, and where an offer sits in the price distribution."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kreator.core.demo import DEMO
from kreator.core.errors import OfferError
from kreator.core.estimate import estimate
from kreator.core.pricing import check_offer, post_price, rate_sheet
from kreator.ratecards import fx_rate, load_card
from kreator.ratecards.levers import load_levers

SEED = load_card("seed")
PRICING = load_levers().pricing


def per_post_p50(card=SEED) -> float:
    """The estimate's own p50 per sponsored post (one post a month: the stream's monthly p50)."""
    one = DEMO.replace(**{"sponsored_posts_per_month": 1})
    est = estimate(one, card)
    s = est.stream("sponsorship")
    assert s.monthly.p50 == pytest.approx(s.per_unit.typical)
    return s.per_unit.typical


@pytest.mark.parametrize("card", ["seed", "current"])
def test_offer_at_the_estimates_p50_is_at_the_50th_percentile(card: str) -> None:
    c = load_card(card)
    check = check_offer(per_post_p50(c), DEMO, c, PRICING)
    assert check.percentile == pytest.approx(50, abs=0.5)
    assert check.verdict == "fair"


def test_offer_percentile_matches_the_lognormal_definition() -> None:
    price = post_price(DEMO, SEED)
    est = estimate(DEMO, SEED).stream("sponsorship")
    # the estimate's p10 and p90 per post are the 10th and 90th percentiles
    k10 = est.monthly.p10 / est.monthly.p50
    assert check_offer(price.typical * k10, DEMO, SEED, PRICING).percentile == pytest.approx(10, abs=0.01)
    k90 = est.monthly.p90 / est.monthly.p50
    assert check_offer(price.typical * k90, DEMO, SEED, PRICING).percentile == pytest.approx(90, abs=0.01)


def test_verdicts_and_counters() -> None:
    p = post_price(DEMO, SEED)
    low = check_offer(p.typical * 0.3, DEMO, SEED, PRICING)
    assert low.verdict == "below" and low.counter == pytest.approx(p.typical)
    high = check_offer(p.typical * 4, DEMO, SEED, PRICING)
    assert high.verdict == "above" and high.counter is None
    fair = check_offer(p.typical, DEMO, SEED, PRICING)
    assert fair.counter == pytest.approx(p.quantile(75))


def test_add_ons_scale_the_expected_price() -> None:
    p = post_price(DEMO, SEED)
    usage = math.sqrt(1.5 * 2.0)  # the middle (geometric) of +50% to +100%
    c = check_offer(p.typical * usage, DEMO, SEED, PRICING, usage_rights=True)
    assert c.percentile == pytest.approx(50, abs=0.01)
    bundle = math.sqrt(2.0 * 2.7)
    c = check_offer(p.typical * bundle, DEMO, SEED, PRICING, deliverable="bundle_three")
    assert c.percentile == pytest.approx(50, abs=0.01)


@pytest.mark.parametrize("amount", [-5.0, 0.0, float("nan"), float("inf")])
def test_bad_amounts_are_refused(amount: float) -> None:
    with pytest.raises(OfferError) as e:
        check_offer(amount, DEMO, SEED, PRICING)
    assert e.value.field == "amount"


@settings(max_examples=40, deadline=None)
@given(a=st.floats(1, 5000), b=st.floats(1, 5000))
def test_percentile_rises_with_the_amount(a: float, b: float) -> None:
    pa = check_offer(a, DEMO, SEED, PRICING).percentile
    pb = check_offer(b, DEMO, SEED, PRICING).percentile
    assert (pa <= pb) if a <= b else (pa >= pb)
    assert 0 <= pa <= 100


def test_rate_sheet_lines_are_ordered_and_sourced() -> None:
    sheet = rate_sheet(DEMO, SEED, PRICING)
    items = [ln.item for ln in sheet.lines]
    assert items == ["video", "bundle_three", "usage_rights", "exclusivity"]
    for ln in sheet.lines:
        assert 0 < ln.floor <= ln.low <= ln.suggested <= ln.high
    video, bundle = sheet.lines[0], sheet.lines[1]
    assert video.suggested == pytest.approx(per_post_p50())
    assert bundle.suggested == pytest.approx(video.suggested * math.sqrt(2.0 * 2.7))
    assert sheet.lines[2].suggested == pytest.approx(video.suggested * (math.sqrt(3.0) - 1))


def test_cli_offer_at_p50_in_usd_and_sek(cli) -> None:
    p50 = per_post_p50()
    d = json.loads(cli("offer", "--demo", "--amount", f"{p50:.2f}", "--currency", "USD",
                       "--card", "seed", "--json").out)["offer"]
    assert d["percentile"] == pytest.approx(50, abs=0.5) and d["verdict"] == "fair"
    sek = fx_rate("SEK")
    assert sek is not None
    r = cli("offer", "--demo", "--amount", f"{p50 * sek.rate:.2f}", "--currency", "SEK",
            "--card", "seed", "--json")
    assert json.loads(r.out)["offer"]["percentile"] == pytest.approx(50, abs=0.5)
    r = cli("offer", "--demo", "--amount", "120", "--currency", "USD", "--card", "seed")
    sigma = load_card("seed").streams["sponsorship"].spread.value
    pct = 100 * 0.5 * (1 + math.erf(math.log(120 / p50) / sigma / math.sqrt(2)))
    assert r.code == 0 and "Below the fair range" in r.out and f"percentile {pct:.0f}" in r.out


@pytest.mark.parametrize("amount,word", [("-5", "more than zero"), ("0", "more than zero"),
                                         ("abc", "must be a number"), ("12O", "must be a number"),
                                         ("nan", "must be a number"), ("inf", "must be a number")])
def test_cli_refuses_bad_amounts_with_a_clear_message(cli, amount: str, word: str) -> None:
    r = cli("offer", "--demo", "--amount", amount)
    assert r.code == 2
    assert r.err.startswith("Error: amount: ") and word in r.err and "Fix:" in r.err
    assert "Traceback" not in r.err and r.out == ""


def test_cli_accepts_a_decimal_comma(cli) -> None:
    r = cli("offer", "--demo", "--amount", "120,50", "--json")
    assert r.code == 0 and json.loads(r.out)["offer"]["amount"] == 120.5


def test_cli_ratesheet(cli) -> None:
    r = cli("ratesheet", "--demo")
    assert r.code == 0, r.err
    assert "One video" in r.out and "Bundle of three videos" in r.out and "exclusivity" in r.out
    d = json.loads(cli("ratesheet", "--demo", "--json", "--currency", "SEK").out)
    assert d["currency"] == "SEK" and d["rates"][0]["item"] == "video"
    sv = cli("ratesheet", "--demo", "--lang", "sv")
    assert "Paket med tre videor" in sv.out
