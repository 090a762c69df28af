"""Request and response models of the JSON API: the same types as the Python API.

Responses mirror :meth:`kreator.core.estimate.Estimate.to_dict` (the JSON contract in
DESIGN.md) field for field; the OpenAPI spec at ``/openapi.json`` is generated from them.
"""

from __future__ import annotations

from typing import Annotated, Any, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    create_model,
)
from pydantic_core import PydanticCustomError

from kreator.core.errors import ProfileError
from kreator.core.profile import PROFILE_FIELDS, Profile, parse_profile, read_fields


def _choices(kind: str) -> list[str]:
    if kind == "card":
        from kreator.ratecards import card_ids

        return card_ids()
    from kreator.ratecards import fx_table

    return sorted(fx_table()["rates"])


CARD_FIELD = Field("default", max_length=64, strict=True,
                   json_schema_extra=cast(Any, {"enum": _choices("card")}),
                   description="Rate card id (see GET /api/v1/cards). Files are not read over "
                   "HTTP.")
CURRENCY_FIELD = Field("USD", pattern=r"^[A-Za-z]{3}$", strict=True,
                       description="Show amounts in this currency (ISO 4217 code): one of "
                       f"{', '.join(_choices('currency'))}, or any code with `fx_rate`.")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def prefixed(exc: ProfileError, prefix: str) -> ProfileError:
    """The same error with its field named from the request's top (``profile.followers``)."""
    field = f"{prefix}.{exc.field}" if exc.field else prefix
    return ProfileError(exc.message, field=field, fix=exc.fix)


def _profile_model() -> type[BaseModel]:
    """The profile's JSON schema for the OpenAPI description, from the core's field table."""
    types: dict[str, Any] = {"int": int, "float": float, "str": str,
                             "audience": dict[str, float]}
    defs: dict[str, Any] = {}
    for name, spec in PROFILE_FIELDS.items():
        kind = types[spec.kind] | None if spec.nullable else types[spec.kind]
        bounds = {k: getattr(spec, k) for k in ("ge", "gt", "le", "max_length")
                  if getattr(spec, k) is not None}
        defs[name] = (kind, Field(... if spec.required else spec.default,
                                  description=spec.description or None, **bounds))
    return cast(type[BaseModel], create_model(
        "Profile", __doc__="A creator's numbers. Field names are the CLI flags with underscores.",
        __config__=ConfigDict(extra="forbid", allow_inf_nan=False), **defs))


PROFILE_SCHEMA = _profile_model().model_json_schema()
INT_FIELDS = frozenset(n for n, f in PROFILE_FIELDS.items() if f.whole)


def json_profile(value: dict[str, Any]) -> Profile:
    """A profile from JSON, strictly typed (no "4000" strings or true/false for numbers; 4000.0
    is 4000), with the core's own messages naming the field and the fix: when only the types
    are wrong, the message says so; otherwise it is the one the CLI would give."""
    data = {k: int(v) if k in INT_FIELDS and isinstance(v, float) and v.is_integer() else v
            for k, v in value.items()}
    try:
        strict = read_fields(data, strict=True)
        profile = parse_profile(data)
    except ProfileError as exc:
        raise prefixed(exc, "profile") from None
    if isinstance(strict, ProfileError):
        raise prefixed(strict, "profile")
    return profile


def _profile_value(value: Any) -> Profile:
    if isinstance(value, Profile):
        return value
    if not isinstance(value, dict):
        raise PydanticCustomError("model_type",
                                  "Input should be a valid dictionary or instance of Profile")
    return json_profile(value)


JsonProfile = Annotated[Profile, PlainValidator(_profile_value),
                        PlainSerializer(lambda p: p.to_dict()), WithJsonSchema(PROFILE_SCHEMA)]
"""A profile in a request body: the core Profile, read strictly, described by its schema."""


class WithProfile(Strict):
    profile: JsonProfile


class EstimateRequest(WithProfile):
    """A creator and how to estimate them."""
    card: str = CARD_FIELD
    currency: str = CURRENCY_FIELD
    fx_rate: float | None = Field(None, gt=0, le=1_000_000, strict=True,
                                  description="Units of `currency` per card currency "
                                  "(overrides the built-in table).")
    draws: int = Field(10_000, ge=100, le=100_000, strict=True, description="Monte Carlo draws.")
    seed: int = Field(0, ge=0, le=2**32 - 1, strict=True,
                      description="Random seed: same seed, same numbers.")


class EligibilityRequest(WithProfile):
    card: str = CARD_FIELD


class WhatIfRequest(EstimateRequest):
    """The same creator with some profile fields changed."""

    changes: dict[str, Any] = Field(
        description="Profile fields to change, e.g. {\"videos_30d\": 20}.",
        examples=[{"sponsored_posts_per_month": 2}])


class RangeOut(BaseModel):
    p10: float
    p50: float
    p90: float
    mean: float


class UnmetOut(BaseModel):
    rule: str
    required: float | list[str]
    actual: float | str | None
    gap: float | None
    source: str


class PerUnitOut(BaseModel):
    unit: str
    low: float
    high: float
    typical: float
    money: bool


class FactorOut(BaseModel):
    name: str
    value: float | None
    source: str
    unit: str


class AssumedOut(BaseModel):
    field: str
    value: float
    source: str


class PotentialOut(BaseModel):
    """What the stream would pay at typical activity for a creator of this size."""

    monthly: RangeOut
    assumes: list[AssumedOut]


class StreamOut(BaseModel):
    id: str
    eligible: bool
    unmet: list[UnmetOut]
    monthly: RangeOut
    per_unit: PerUnitOut
    explain: list[FactorOut]
    potential: PotentialOut | None = None


class TotalOut(BaseModel):
    monthly: RangeOut
    yearly: RangeOut


class TotalPotentialOut(BaseModel):
    monthly: RangeOut


class CardRef(BaseModel):
    id: str
    name: str
    as_of: str


class FxOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    rate: float
    source: str
    date: str


class SimulationOut(BaseModel):
    draws: int
    seed: int


class EstimateOut(BaseModel):
    """The JSON contract of ``kreator estimate --json``."""

    card: CardRef
    currency: str
    profile: dict[str, Any]
    streams: list[StreamOut]
    total: TotalOut
    total_potential: TotalPotentialOut
    defaults_used: list[str]
    warnings: list[str]
    simulation: SimulationOut
    fx: FxOut | None = None


class EligibilityStream(BaseModel):
    id: str
    eligible: bool
    unmet: list[UnmetOut]


class EligibilityOut(BaseModel):
    card: CardRef
    tier: str
    streams: list[EligibilityStream]


class StreamDelta(BaseModel):
    id: str
    p50: float
    mean: float


class DeltaOut(BaseModel):
    monthly_p50: float
    monthly_mean: float
    streams: list[StreamDelta]


class WhatIfOut(BaseModel):
    base: EstimateOut
    changed: EstimateOut
    delta: DeltaOut


class CardSummary(BaseModel):
    id: str
    aliases: list[str]
    name: str
    as_of: str
    currency: str
    description: str
    streams: list[str]


class CardsOut(BaseModel):
    cards: list[CardSummary]


class FigureOut(BaseModel):
    """One sourced item on a card: a figure (value or low..high), a table, or a rule."""

    key: str
    kind: str = Field(description="figure, table or rule")
    unit: str = ""
    value: float | None = None
    low: float | None = None
    high: float | None = None
    rows: dict[str, float] | None = None
    rule: str | None = None
    source: str
    source_date: str
    note: str
    from_seed: bool = False


class CardOut(BaseModel):
    card: CardSummary
    figures: list[FigureOut]
