"""The creator profile: everything the stream models need, validated.

Counts cover the last 30 days unless the name says "per month". Money inputs are in the
rate card's currency (USD for the built-in cards). Optional inputs left as ``None`` are
filled from the card's documented defaults by :func:`kreator.core.resolve.resolve`, and the
estimate lists every default it used.

A plain frozen dataclass, checked field by field with :mod:`kreator.core.coerce`: the core
imports no framework (the web layer builds its JSON schema from :data:`PROFILE_FIELDS`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

from kreator.core.codes import normalise_country, normalise_niche
from kreator.core.coerce import Invalid, as_float, as_int, as_str, within
from kreator.core.errors import ProfileError

MAX_FOLLOWERS = 2_000_000_000
MAX_VIEWS = 100_000_000_000
MAX_MONEY = 10_000_000_000.0

TIERS: tuple[tuple[str, int], ...] = (
    ("starter", 0), ("nano", 1_000), ("micro", 10_000), ("mid", 50_000),
    ("macro", 500_000), ("mega", 1_000_000),
)
"""Tier bands by followers (lower bounds). Nano 1k-10k, micro 10k-50k, mid 50k-500k,
macro 500k-1M, mega 1M+ (Influencer Marketing Hub split, via sprockettes.org 2023)."""

SMALL_TIER = (1_000, 10_000)
"""The seed article's "small creator": 1,000 to 10,000 followers."""


def _meta(*, ge: float | None = None, gt: float | None = None, le: float | None = None,
          max_length: int | None = None, description: str = "") -> dict[str, Any]:
    return {"ge": ge, "gt": gt, "le": le, "max_length": max_length, "description": description}


def _f(default: Any = None, *, required: bool = False, **meta: Any) -> Any:
    """A field with its bounds and description (read back by :data:`PROFILE_FIELDS`)."""
    if required:
        return field(metadata=_meta(**meta))
    return field(default=default, metadata=_meta(**meta))


@dataclass(frozen=True, kw_only=True)
class Profile:
    """A creator's numbers. Field names are the CLI flags with underscores.

    ``Profile(followers=4000, views_30d=60000)`` checks and normalises every field (a
    :class:`ProfileError` names the one that is wrong); :func:`parse_profile` reads a dict
    and also reports missing and unknown fields."""

    followers: int = _f(ge=0, le=MAX_FOLLOWERS, description="Followers now.", required=True)
    views_30d: int = _f(ge=0, le=MAX_VIEWS, description="Video views in the last 30 days.",
                        required=True)
    videos_30d: int | None = _f(ge=0, le=10_000, description="Videos posted in 30 days.")
    likes_30d: int | None = _f(ge=0, le=MAX_VIEWS)
    comments_30d: int | None = _f(ge=0, le=MAX_VIEWS)
    shares_30d: int | None = _f(ge=0, le=MAX_VIEWS)
    niche: str = _f("other", description="Content niche, e.g. beauty, tech, fitness.")
    audience: dict[str, float] | None = field(default=None, metadata=_meta(
        description="Audience share by country (ISO code -> share 0-1); rest is 'other'."))
    quality: float | None = _f(ge=1, le=5, description="Content quality 1-5.")
    completion_rate: float | None = _f(ge=0, le=1, description="Share of views watched to the end.")
    avg_watch_seconds: float | None = _f(ge=0, le=36_000)
    avg_video_seconds: float | None = _f(gt=0, le=36_000)
    age: int | None = _f(ge=13, le=120, description="Creator's age in years.")
    country: str | None = _f(description="Country of residence (ISO code).")
    lives_per_month: float | None = _f(ge=0, le=300)
    live_avg_minutes: float | None = _f(gt=0, le=1_440)
    live_avg_viewers: float | None = _f(ge=0, le=10_000_000)
    live_subscribers: int | None = _f(ge=0, le=MAX_FOLLOWERS)
    sponsored_posts_per_month: float | None = _f(ge=0, le=300)
    affiliate_sales_per_month: float | None = _f(ge=0, le=10_000_000)
    affiliate_avg_commission: float | None = _f(ge=0, le=100_000)
    shop_gmv_per_month: float | None = _f(ge=0, le=MAX_MONEY)
    shop_commission_rate: float | None = _f(ge=0, le=1)
    follower_growth_per_month: float | None = _f(ge=-MAX_FOLLOWERS, le=MAX_FOLLOWERS)
    display_name: str | None = _f(max_length=200)

    def __post_init__(self) -> None:
        self.__dict__.update(check_fields(self.__dict__))  # frozen: set once, here

    @property
    def engagements_30d(self) -> int | None:
        parts = (self.likes_30d, self.comments_30d, self.shares_30d)
        if all(p is None for p in parts):
            return None
        return sum(p or 0 for p in parts)

    @property
    def tier(self) -> str:
        return tier_of(self.followers)

    def to_dict(self, *, exclude_none: bool = False) -> dict[str, Any]:
        """Every field in declaration order (a copy: changing it leaves the profile as is)."""
        out = {name: getattr(self, name) for name in PROFILE_FIELDS}
        if out["audience"] is not None:
            out["audience"] = dict(out["audience"])
        return {k: v for k, v in out.items() if v is not None} if exclude_none else out

    def replace(self, **changes: Any) -> Profile:
        """The same profile with some fields changed, checked again."""
        return parse_profile({**self.to_dict(), **changes})


@dataclass(frozen=True)
class FieldSpec:
    """One profile field: its type, whether it may be left out, and its bounds."""

    name: str
    kind: str
    """"int", "float", "str" or "audience" (country code -> share)."""
    required: bool
    nullable: bool
    default: Any
    ge: float | None
    gt: float | None
    le: float | None
    max_length: int | None
    description: str

    @property
    def whole(self) -> bool:
        return self.kind == "int"

    @property
    def bounds(self) -> tuple[float | None, float | None, float | None]:
        """``(ge, gt, le)`` in the field's own type (so a message shows 5 or 5.0 as before)."""
        kind = int if self.whole else float
        ge, gt, le = (None if b is None else kind(b) for b in (self.ge, self.gt, self.le))
        return ge, gt, le


def _spec(f: Any) -> FieldSpec:
    annotation = str(f.type)
    kind = "audience" if annotation.startswith("dict") else annotation.split(" ")[0]
    required = f.default is MISSING
    return FieldSpec(f.name, kind, required, "None" in annotation,
                     None if required else f.default, **f.metadata)


PROFILE_FIELDS: dict[str, FieldSpec] = {f.name: _spec(f) for f in fields(Profile)}
"""Every profile field by name, in declaration order."""
_BOUNDS = {name: spec.bounds for name, spec in PROFILE_FIELDS.items()}


class _Deferred(Exception):
    """A field's value that does not read: reported unless a later field fails harder."""

    def __init__(self, error: ProfileError) -> None:
        self.error = error


def check_fields(data: Mapping[str, Any], where: str | None = None) -> dict[str, Any]:
    """Every field read from ``data`` (defaults for the missing optional ones), or the first
    problem as a ProfileError (see :func:`read_fields`)."""
    values = read_fields(data, where)
    if isinstance(values, ProfileError):
        raise values
    return values


def read_fields(data: Mapping[str, Any], where: str | None = None, *,
                strict: bool = False) -> dict[str, Any] | ProfileError:
    """Every field read from ``data``, or the first value that does not read: fields in
    order, then unknown fields. A niche, country or audience that reads but is not known
    raises at once instead. ``strict`` (for JSON) takes numbers only as numbers and text only
    as text."""
    out: dict[str, Any] = {}
    first: ProfileError | None = None
    for name, spec in PROFILE_FIELDS.items():
        if name not in data:
            if spec.required:
                first = first or _required(name, where)
            out[name] = spec.default
            continue
        try:
            out[name] = _read(spec, data[name], where, strict)
        except _Deferred as exc:
            first = first or exc.error
    if first is not None:
        return first
    extra = next((str(k) for k in data if k not in PROFILE_FIELDS), None)
    return out if extra is None else _unknown(extra, where)


def _read(spec: FieldSpec, value: Any, where: str | None, strict: bool) -> Any:
    if value is None and spec.nullable:
        return None
    if strict:
        _typed(spec, value)
    try:
        if spec.kind == "audience":
            return _audience(value, where)
        if spec.kind == "str":
            text = as_str(value, spec.max_length)
            return _vocabulary(spec.name, text, where)
        number: float = as_int(value) if spec.whole else as_float(value)
        within(number, *_BOUNDS[spec.name])
        return number
    except Invalid as exc:
        raise _Deferred(_invalid(spec.name, exc, value, where)) from None


_STRICT = {"int": "Input should be a valid integer", "float": "Input should be a valid number",
           "str": "Input should be a valid string", "audience": "Input should be a valid dictionary"}


def _typed(spec: FieldSpec, value: Any) -> None:
    """In strict reading, a value must already have its field's type (a share: a number)."""
    _expect(spec.kind, value, spec.name)
    if spec.kind == "audience":
        for code, share in value.items():
            _expect("float", share, f"audience.{code}")


def _expect(kind: str, value: Any, field: str) -> None:
    if kind in ("str", "audience"):
        ok = isinstance(value, str if kind == "str" else dict)
    else:
        ok = isinstance(value, int if kind == "int" else int | float) and not isinstance(value, bool)
    if not ok:
        raise _Deferred(ProfileError(f"{_STRICT[kind]} (got {value!r}).", field=field,
                                     fix="send numbers as JSON numbers, not strings or "
                                     "true/false."))


def _vocabulary(name: str, text: str, where: str | None) -> str:
    try:
        if name == "niche":
            return normalise_niche(text)
        return normalise_country(text) if name == "country" else text
    except ProfileError as exc:
        raise _at(exc, where) from None


def _audience(value: Any, where: str | None) -> dict[str, float]:
    if not isinstance(value, Mapping):
        raise Invalid("dict_type")
    shares: dict[str, float] = {}
    for code, share in value.items():
        try:
            key = as_str(code)
        except Invalid as exc:
            err = _invalid(f"audience.{code}.[key]", exc, code, where)
            raise _Deferred(err) from None
        try:
            shares[key] = as_float(share)
        except Invalid:
            raise _Deferred(_share_error(key, share, where)) from None
    try:
        return audience_shares(shares)
    except ProfileError as exc:
        raise _at(exc, where) from None


def audience_shares(value: Mapping[str, float]) -> dict[str, float]:
    """Shares by upper-case country code (the same country twice adds up), each 0-1, at
    most 1 in all."""
    out: dict[str, float] = {}
    for code, share in value.items():
        key = normalise_country(code, field="audience")
        if not (isinstance(share, int | float) and math.isfinite(share) and 0 <= share <= 1):
            raise ProfileError(f"share for {key} must be between 0 and 1 (got {share}).",
                               key="audience_share", params={"code": key, "share": share},
                               field="audience", fix="write shares as 0.7 or 70%.")
        out[key] = out.get(key, 0.0) + float(share)
    total = sum(out.values())
    if total > 1.0 + 1e-6:
        raise ProfileError(f"country shares add up to {total:.0%}, more than 100%.",
                           key="audience_total", params={"total": f"{total:.0%}"},
                           field="audience", fix="make the shares add up to at most 1 (100%).")
    return out


def tier_of(followers: int) -> str:
    """The tier band name for a follower count."""
    name = TIERS[0][0]
    for band, lower in TIERS:
        if followers >= lower:
            name = band
    return name


def parse_profile(data: Mapping[str, Any] | Profile, *, where: str | None = None) -> Profile:
    """Validate raw input into a Profile; any problem becomes one ProfileError naming the field."""
    if isinstance(data, Profile):
        return data
    if not isinstance(data, Mapping):
        raise _invalid("profile", Invalid("dict_type"), data, where)
    profile = object.__new__(Profile)
    profile.__dict__.update(check_fields(data, where))  # checked: no second pass in __init__
    return profile


def _invalid(field: str, exc: Invalid, got: Any, where: str | None) -> ProfileError:
    fix, lo, hi = _fix_for(field, exc.kind)
    bound = exc.kind in ("greater_than_equal", "greater_than", "less_than_equal")
    return ProfileError(f"{exc} (got {got!r}).", field=field, fix=fix, where=where,
                        key=f"value_{exc.kind}", params={"got": repr(got),
                                                         "limit": exc.limit if bound else "",
                                                         "lo": lo, "hi": hi})


def _at(exc: ProfileError, where: str | None) -> ProfileError:
    """The same error, saying where the profile came from."""
    return ProfileError(exc.message, field=exc.field, fix=exc.fix, where=where, key=exc.key,
                        params=exc.params)


def _required(field: str, where: str | None) -> ProfileError:
    flag = field.replace("_", "-")
    return ProfileError("is required.", field=field, fix=f"give --{flag}.", where=where,
                        key="required", params={"flag": flag})


def _unknown(field: str, where: str | None) -> ProfileError:
    from kreator.core.codes import closest, suggest

    return ProfileError(f"unknown field.{suggest(field, tuple(PROFILE_FIELDS))}", field=field,
                        fix="remove it or use a known profile field.", where=where,
                        key="unknown_field", params={"close": closest(field, tuple(PROFILE_FIELDS))})


def _share_error(code: str, got: object, where: str | None) -> ProfileError:
    """One country's audience share that is not a finite number."""
    if isinstance(got, int | float) and not isinstance(got, bool):
        return ProfileError(f"share for {code} must be between 0 and 1 (got {got}).",
                            field="audience", fix="write shares as 0.7 or 70%.", where=where,
                            key="audience_share", params={"code": code, "share": got})
    return ProfileError(f"share '{got}' for {code} is not a number.", field="audience",
                        fix="write it like US=0.7 or US=70%.", where=where,
                        key="audience_share_nan", params={"value": got, "code": code})


def field_bounds(field: str) -> tuple[float | None, float | None]:
    """The lowest and highest value of a profile field (None: unbounded, or no such field)."""
    spec = PROFILE_FIELDS.get(field)
    if spec is None:
        return None, None
    return (spec.gt if spec.gt is not None else spec.ge), spec.le


def _fix_for(field: str, kind: str) -> tuple[str, str, str]:
    lo, hi = field_bounds(field)
    if lo is not None and hi is not None:
        return f"give a number from {lo:,} to {hi:,}.", f"{lo:,}", f"{hi:,}"
    if "int" in kind or "float" in kind:
        return "give a plain number such as 1200.", "", ""
    return "check the value.", "", ""
