"""Rate cards: built-in ones are fully sourced; broken ones fail naming file, key and expectation."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from kreator.core.card import build_card
from kreator.core.errors import CardError
from kreator.ratecards import card_ids, load_card


def raw_seed() -> dict:
    text = resources.files("kreator.ratecards").joinpath("seed.toml").read_text("utf-8")
    return tomllib.loads(text)


@pytest.mark.parametrize("cid", ["seed", "current", "current-2025"])
def test_every_figure_has_a_source_and_a_date(cid: str) -> None:
    card = load_card(cid)
    items = card.figures()
    assert len(items) > 20
    for key, item in items:
        assert item.source.strip(), key
        assert item.source_date.strip(), key


def test_current_is_the_newest_base_card() -> None:
    assert load_card("current").id == "current-2025"
    assert set(load_card("current").streams) >= {"creator_rewards", "live_subscriptions",
                                                 "sponsorship", "live_gifts", "tiktok_shop"}
    assert "current" in card_ids() and "seed" in card_ids()


def test_current_card_carries_the_creator_rewards_rules() -> None:
    crp = load_card("current").streams["creator_rewards"]
    rules = {r.id: r for r in crp.rules}
    assert rules["min_followers"].min == 10_000 and rules["min_views_30d"].min == 100_000
    assert rules["min_age"].min == 18 and rules["min_video_seconds"].min == 60
    assert "US" in rules["country"].one_of and "MX" in rules["country"].one_of
    assert crp.extras["qualified_share"].value == 0.6


def _broken(mutate) -> CardError:
    data = copy.deepcopy(raw_seed())
    mutate(data)
    with pytest.raises(CardError) as info:
        build_card(data, path="my.toml")
    return info.value


def test_missing_source_names_the_key() -> None:
    err = _broken(lambda d: d["streams"]["sponsorship"]["rate"].pop("source"))
    assert err.where == "my.toml" and err.field == "streams.sponsorship.rate.source"
    assert "non-empty text" in err.message


def test_low_above_high() -> None:
    def mutate(d):
        d["streams"]["live_gifts"]["rate"]["low"] = 500

    err = _broken(mutate)
    assert err.field == "streams.live_gifts.rate.low" and "low <= high" in err.message


def test_weights_must_add_up_to_one() -> None:
    def mutate(d):
        d["streams"]["affiliate"]["weights"]["niche"] = 0.9

    err = _broken(mutate)
    assert err.field == "streams.affiliate.weights" and "adding up to 1" in err.message


def test_unknown_stream_gets_a_suggestion() -> None:
    def mutate(d):
        d["streams"]["sponsorhip"] = d["streams"].pop("sponsorship")

    err = _broken(mutate)
    assert "Did you mean 'sponsorship'" in err.message


def test_text_where_a_number_belongs() -> None:
    def mutate(d):
        d["streams"]["creator_fund"]["rate"]["high"] = "0.05"

    err = _broken(mutate)
    assert err.field == "streams.creator_fund.rate.high" and "finite number" in err.message


def test_invalid_toml_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "card.toml"
    bad.write_text('[card]\nid = "x"\nname = \n', "utf-8")
    with pytest.raises(CardError) as info:
        load_card(bad)
    assert info.value.where == str(bad) and "line 3" in info.value.message


def test_users_own_card_loads(tmp_path: Path) -> None:
    src = resources.files("kreator.ratecards").joinpath("seed.toml").read_text("utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text(src.replace('id = "seed"', 'id = "mine"').replace("high = 500\n", "high = 900\n"),
                    "utf-8")
    card = load_card(mine)
    assert card.id == "mine" and card.streams["sponsorship"].rate.high == 900


def test_unknown_card_id_suggests() -> None:
    with pytest.raises(CardError) as info:
        load_card("curent")
    assert "Did you mean 'current'" in info.value.message


def _set_default(name: str, value: float):
    def mutate(d):
        d["defaults"][name]["value"] = value
    return mutate


def _set_point(d) -> None:
    d["factors"]["engagement"]["points"][0] = [float("nan"), 0.0]


def _swap_tier(d) -> None:
    d["card"]["tier"]["min_followers"], d["card"]["tier"]["max_followers"] = 10_000, 1_000


@pytest.mark.parametrize(("mutate", "field", "words"), [
    # the estimate used -12 videos (or 1e300) as the creator's own number, silently
    (_set_default("videos_30d", -12), "defaults.videos_30d.value",
     "expected a number from 0 to 10000 (got -12"),
    (_set_default("age", 1e300), "defaults.age.value", "expected a number from 13 to 120"),
    # nan passed the rising-points check (every comparison with nan is false)
    (_set_point, "factors.engagement.points[0]", "expected a pair [engagement %, score 0-1]"),
    (_swap_tier, "card.tier.min_followers", "expected a number from 0 to 1000 (got 10000"),
])
def test_values_no_creator_has_are_refused(mutate, field: str, words: str) -> None:
    err = _broken(mutate)
    assert err.where == "my.toml" and err.field == field and words in err.message, err.message


def test_card_by_an_empty_name_is_unknown(cli) -> None:
    """--card "" read the current folder as a card file ("Is a directory", where '.')."""
    r = cli("cards", "show", "")
    assert r.code == 2 and "card: unknown card ''" in r.err
