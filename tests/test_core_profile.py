"""Profile validation: every bad value ends in one ProfileError naming the field and the fix."""

from __future__ import annotations

import math

import pytest

from kreator.core.errors import ProfileError
from kreator.core.profile import parse_profile, tier_of

OK = {"followers": 4000, "views_30d": 40000}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"followers": -1}, "followers", "greater than or equal"),
        ({"views_30d": 10**15}, "views_30d", "less than or equal"),
        ({"quality": math.nan}, "quality", "finite"),
        ({"quality": math.inf}, "quality", "finite"),
        ({"quality": 7}, "quality", "less than or equal"),
        ({"age": 9}, "age", "greater than or equal"),
        ({"audience": {"US": 0.8, "GB": 0.5}}, "audience", "more than 100%"),
        ({"audience": {"US": -0.2}}, "audience", "between 0 and 1"),
        ({"niche": "beuaty"}, "niche", "Did you mean 'beauty'"),
        ({"country": "SWE"}, "country", "unknown country code"),
        ({"audience": {"XX": 0.5}}, "audience", "unknown country code"),
        ({"folowers": 3}, "folowers", "Did you mean 'followers'"),
        ({"followers": "many"}, "followers", "valid integer"),
    ],
)
def test_bad_values_name_the_field_and_the_fix(change, field, words) -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile({**OK, **change})
    err = info.value
    assert err.field == field
    assert words in err.message
    assert err.fix


def test_missing_required_field() -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile({"followers": 10})
    assert info.value.field == "views_30d" and "--views-30d" in (info.value.fix or "")


def test_uk_means_gb_and_codes_are_normalised() -> None:
    p = parse_profile({**OK, "country": "uk", "audience": {"uk": 0.5, "us": 0.25},
                       "niche": "Technology"})
    assert p.country == "GB" and p.audience == {"GB": 0.5, "US": 0.25} and p.niche == "tech"


@pytest.mark.parametrize(("followers", "tier"), [(0, "starter"), (999, "starter"), (1000, "nano"),
                                                 (9999, "nano"), (10000, "micro"),
                                                 (49999, "micro"), (50000, "mid"),
                                                 (500000, "macro"), (1000000, "mega")])
def test_tiers(followers: int, tier: str) -> None:
    assert tier_of(followers) == tier
