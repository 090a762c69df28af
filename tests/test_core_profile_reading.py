"""The profile reads input exactly as its pydantic predecessor did (tests/profile_oracle.py).

The core dropped pydantic to start faster (issue 13); users must not notice: "4000", " 4000 ",
4000.0 and True still read as before, and every input the old model refused is refused with
the same field, message key, message and fix.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import profile_oracle as oracle

from kreator.core.errors import ProfileError
from kreator.core.profile import PROFILE_FIELDS, Profile, parse_profile

NUMBER_TEXT = st.text(alphabet="0123456789_.+-eE xinfa", max_size=10)
EDGES: list[Any] = [
    True, False, 0, -1, 4000, 4000.0, 4000.5, -0.0, 1e20, 9.2e18, 9.3e18, 10**30, 10**400,
    math.nan, math.inf, -math.inf, "4000", " 4000 ", "4000.0", "4000.00", "4_000", "1__0", "_1",
    "4e3", "4000.", ".5", "+5", "-5", "0x10", "", "  ", "nan", "inf", "Infinity", "1e500",
    "\u00a07", "\u0663", "9" * 30, b"5", b"\xff", Decimal("5"), Decimal("5.5"),
    Decimal("NaN"), np.int64(5), np.float64(5.5), np.float32(4.0), np.bool_(True), None,
    [1], {"a": 1}, "beauty", " Tech ", "bauty", "us", "UK", "SWE", "x" * 201,
]
VALUES = st.one_of(
    st.sampled_from(EDGES), st.integers(-10**12, 10**12), st.floats(), st.booleans(),
    NUMBER_TEXT, st.text(max_size=6),
)
AUDIENCE = st.one_of(
    st.dictionaries(st.sampled_from(["US", "us", "GB", "uk", "XX", "SE", 5]), VALUES, max_size=3),
    VALUES,
)
FIELD_NAMES = [*PROFILE_FIELDS, "folowers", "views"]


def outcome(read: Any, data: dict[str, Any]) -> tuple[Any, ...]:
    """What reading ``data`` gives: each value with its type, or the error's every part."""
    try:
        values = read(data)
    except ProfileError as err:
        return ("error", err.field, err.key, err.message, err.fix, err.where,
                {k: repr(v) for k, v in err.params.items()})
    return ("ok", [(k, type(v).__name__, repr(v)) for k, v in values.items()])


def new(data: dict[str, Any]) -> dict[str, Any]:
    return parse_profile(data, where="here").to_dict()


def old(data: dict[str, Any]) -> dict[str, Any]:
    return oracle.parse_profile(data, where="here").model_dump()


@settings(max_examples=1500)
@given(st.dictionaries(st.sampled_from(FIELD_NAMES), VALUES, max_size=4), AUDIENCE,
       st.booleans())
def test_every_input_reads_as_the_pydantic_model_read_it(data, audience, with_audience) -> None:
    base: dict[str, Any] = {"followers": 4000, "views_30d": 50_000}
    if with_audience:
        base["audience"] = audience
    data = {**base, **data}
    assert outcome(new, data) == outcome(old, data)


@pytest.mark.parametrize("value", EDGES, ids=repr)
@pytest.mark.parametrize("field", ["followers", "videos_30d", "quality", "avg_video_seconds",
                                   "follower_growth_per_month", "niche", "country",
                                   "display_name", "audience"])
def test_each_edge_value_in_each_kind_of_field(field, value) -> None:
    data = {"followers": 4000, "views_30d": 50_000, field: value}
    assert outcome(new, data) == outcome(old, data)


@pytest.mark.parametrize("data", [
    {}, {"views_30d": 1}, {"zzz": 1}, {"followers": "x", "niche": "bauty"},
    {"followers": "x", "views_30d": 1, "zzz": 1}, {"followers": 1, "views_30d": -1, "zzz": 2},
    {"followers": 1, "views_30d": "x", "audience": {"US": 2}},
    {"followers": 1, "views_30d": 1, "niche": "bauty", "country": "XX"},
    {"followers": 1, "views_30d": 1, "audience": {"US": 0.5, "us": 0.6}},
], ids=repr)
def test_which_problem_is_reported_first(data) -> None:
    assert outcome(new, data) == outcome(old, data)


def test_the_field_table_keeps_the_models_fields_bounds_and_descriptions() -> None:
    for name, info in oracle.Profile.model_fields.items():
        spec = PROFILE_FIELDS[name]
        bounds = {k: getattr(m, k) for m in info.metadata for k in ("ge", "gt", "le", "max_length")
                  if getattr(m, k, None) is not None}
        assert bounds == {k: getattr(spec, k) for k in ("ge", "gt", "le", "max_length")
                          if getattr(spec, k) is not None}, name
        assert (spec.required, spec.description or None) == (info.is_required(),
                                                             info.description), name
        assert spec.whole == (info.annotation in (int, int | None)), name
    assert list(PROFILE_FIELDS) == list(oracle.Profile.model_fields)


def test_a_profile_is_frozen_compares_by_value_and_replace_checks_again() -> None:
    p = Profile(followers="4000", views_30d=50_000.0, niche=" Beauty ", audience={"us": 0.5})
    assert (p.followers, p.views_30d, p.niche, p.audience) == (4000, 50_000, "beauty", {"US": 0.5})
    with pytest.raises(AttributeError):
        p.followers = 5  # type: ignore[misc]
    assert p == parse_profile(p.to_dict()) and p != p.replace(followers=4001)
    with pytest.raises(ProfileError) as info:
        p.replace(quality=9)
    assert info.value.field == "quality"
    p.to_dict()["audience"]["US"] = 0.9
    assert p.audience == {"US": 0.5}
