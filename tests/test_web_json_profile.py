"""A profile in a JSON request reads as it did when the core Profile was a pydantic model:
strictly typed (no "4000" or true for numbers), with the same field, message and fix."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from tests import profile_oracle as oracle

from kreator.core.errors import ProfileError
from kreator.core.profile import PROFILE_FIELDS
from kreator.web.schemas import INT_FIELDS, EstimateRequest, json_profile, prefixed

JSON_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**12), st.floats(allow_nan=False),
    st.sampled_from(["4000", "beauty", "US", "", "x", "4e3", "0.5"]),
)
AUDIENCE = st.dictionaries(st.sampled_from(["US", "gb", "XX"]), JSON_VALUES, max_size=2)


def old_json_profile(value: dict[str, Any]) -> Any:
    """kreator.web.schemas.json_profile as it was at 8fe6e4d, on the pydantic model."""
    data = {k: int(v) if k in INT_FIELDS and isinstance(v, float) and v.is_integer() else v
            for k, v in value.items()}
    try:
        return oracle.Profile.model_validate(data, strict=True)
    except ProfileError as exc:
        raise prefixed(exc, "profile") from None
    except ValidationError as exc:
        try:
            oracle.parse_profile(data)
        except ProfileError as core:
            raise prefixed(core, "profile") from None
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise ProfileError(f"{err['msg']} (got {err.get('input')!r}).", field=f"profile.{field}",
                           fix="send numbers as JSON numbers, not strings or true/false.") from None


def outcome(read: Any, data: dict[str, Any]) -> tuple[Any, ...]:
    try:
        profile = read(data)
    except ProfileError as err:
        return ("error", err.field, err.message, err.fix)
    return ("ok", {k: getattr(profile, k) for k in PROFILE_FIELDS})


@settings(max_examples=800)
@given(st.dictionaries(st.sampled_from([*PROFILE_FIELDS, "folowers"]), JSON_VALUES, max_size=4),
       AUDIENCE)
def test_json_profiles_read_as_before(data, audience) -> None:
    data = {"followers": 4000, "views_30d": 50_000, "audience": audience, **data}
    assert outcome(json_profile, data) == outcome(old_json_profile, data)


def test_a_request_carries_the_core_profile_and_documents_its_fields() -> None:
    req = EstimateRequest.model_validate({"profile": {"followers": 4000.0, "views_30d": 9}})
    assert req.profile.followers == 4000 and type(req.profile.followers) is int
    schema = EstimateRequest.model_json_schema()
    profile = schema["properties"]["profile"]
    assert profile["required"] == ["followers", "views_30d"]
    assert profile["properties"]["quality"]["anyOf"][0] == {"maximum": 5, "minimum": 1,
                                                             "type": "number"}
    assert profile["additionalProperties"] is False
