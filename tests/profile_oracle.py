"""The reference for :mod:`kreator.core.profile`: the pydantic model Kreator used up to
8fe6e4d, kept word for word below this docstring (issue 13 moved the core off pydantic for
start-up time). ``tests/test_core_profile_reading.py`` checks that the plain-Python profile
reads every input exactly as this model did: the same values, or the same error.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kreator.core.codes import normalise_country, normalise_niche
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


class Profile(BaseModel):
    """A creator's numbers. Field names are the CLI flags with underscores."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    followers: int = Field(ge=0, le=MAX_FOLLOWERS, description="Followers now.")
    views_30d: int = Field(ge=0, le=MAX_VIEWS, description="Video views in the last 30 days.")
    videos_30d: int | None = Field(None, ge=0, le=10_000, description="Videos posted in 30 days.")
    likes_30d: int | None = Field(None, ge=0, le=MAX_VIEWS)
    comments_30d: int | None = Field(None, ge=0, le=MAX_VIEWS)
    shares_30d: int | None = Field(None, ge=0, le=MAX_VIEWS)
    niche: str = Field("other", description="Content niche, e.g. beauty, tech, fitness.")
    audience: dict[str, float] | None = Field(
        None, description="Audience share by country (ISO code -> share 0-1); rest is 'other'.")
    quality: float | None = Field(None, ge=1, le=5, description="Content quality 1-5.")
    completion_rate: float | None = Field(None, ge=0, le=1, description="Share of views watched to the end.")
    avg_watch_seconds: float | None = Field(None, ge=0, le=36_000)
    avg_video_seconds: float | None = Field(None, gt=0, le=36_000)
    age: int | None = Field(None, ge=13, le=120, description="Creator's age in years.")
    country: str | None = Field(None, description="Country of residence (ISO code).")
    lives_per_month: float | None = Field(None, ge=0, le=300)
    live_avg_minutes: float | None = Field(None, gt=0, le=1_440)
    live_avg_viewers: float | None = Field(None, ge=0, le=10_000_000)
    live_subscribers: int | None = Field(None, ge=0, le=MAX_FOLLOWERS)
    sponsored_posts_per_month: float | None = Field(None, ge=0, le=300)
    affiliate_sales_per_month: float | None = Field(None, ge=0, le=10_000_000)
    affiliate_avg_commission: float | None = Field(None, ge=0, le=100_000)
    shop_gmv_per_month: float | None = Field(None, ge=0, le=MAX_MONEY)
    shop_commission_rate: float | None = Field(None, ge=0, le=1)
    follower_growth_per_month: float | None = Field(None, ge=-MAX_FOLLOWERS, le=MAX_FOLLOWERS)
    display_name: str | None = Field(None, max_length=200)

    @field_validator("niche")
    @classmethod
    def _niche(cls, value: str) -> str:
        return normalise_niche(value)

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        return None if value is None else normalise_country(value)

    @field_validator("audience")
    @classmethod
    def _audience(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is None:
            return None
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

    @property
    def engagements_30d(self) -> int | None:
        parts = (self.likes_30d, self.comments_30d, self.shares_30d)
        if all(p is None for p in parts):
            return None
        return sum(p or 0 for p in parts)

    @property
    def tier(self) -> str:
        return tier_of(self.followers)


def tier_of(followers: int) -> str:
    """The tier band name for a follower count."""
    name = TIERS[0][0]
    for band, lower in TIERS:
        if followers >= lower:
            name = band
    return name


def parse_profile(data: dict[str, Any] | Profile, *, where: str | None = None) -> Profile:
    """Validate raw input into a Profile; any problem becomes one ProfileError naming the field."""
    if isinstance(data, Profile):
        return data
    try:
        return Profile.model_validate(data)
    except ProfileError as exc:
        exc.where = where
        raise ProfileError(exc.message, field=exc.field, fix=exc.fix, where=where, key=exc.key,
                           params=exc.params) from None
    except ValidationError as exc:
        raise _from_pydantic(exc, where) from None


def _from_pydantic(exc: ValidationError, where: str | None) -> ProfileError:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "profile"
    ctx = err.get("ctx") or {}
    inner = ctx.get("error")
    if isinstance(inner, ProfileError):
        return ProfileError(inner.message, field=inner.field or field, fix=inner.fix, where=where,
                            key=inner.key, params=inner.params)
    kind = err["type"]
    got = err.get("input")
    if len(err["loc"]) == 2 and err["loc"][0] == "audience":
        return _share_error(str(err["loc"][1]), got, where)
    if kind == "extra_forbidden":
        from kreator.core.codes import suggest

        hint = suggest(field, tuple(Profile.model_fields))
        return ProfileError(f"unknown field.{hint}", field=field,
                            fix="remove it or use a known profile field.", where=where,
                            key="unknown_field", params={"close": _closest(field)})
    if kind == "missing":
        flag = field.replace("_", "-")
        return ProfileError("is required.", field=field, fix=f"give --{flag}.", where=where,
                            key="required", params={"flag": flag})
    msg = str(err["msg"]).removeprefix("Value error, ")
    fix, lo, hi = _fix_for(field, kind)
    limit = next((ctx[k] for k in ("ge", "gt", "le", "lt") if k in ctx), "")
    return ProfileError(f"{msg} (got {got!r}).", field=field, fix=fix, where=where,
                        key=f"value_{kind}", params={"got": repr(got), "limit": limit,
                                                     "lo": lo, "hi": hi})


def _share_error(code: str, got: object, where: str | None) -> ProfileError:
    """One country's audience share that is not a finite number."""
    if isinstance(got, int | float) and not isinstance(got, bool):
        return ProfileError(f"share for {code} must be between 0 and 1 (got {got}).",
                            field="audience", fix="write shares as 0.7 or 70%.", where=where,
                            key="audience_share", params={"code": code, "share": got})
    return ProfileError(f"share '{got}' for {code} is not a number.", field="audience",
                        fix="write it like US=0.7 or US=70%.", where=where,
                        key="audience_share_nan", params={"value": got, "code": code})


def _closest(field: str) -> str:
    import difflib

    close = difflib.get_close_matches(field, sorted(Profile.model_fields), n=1, cutoff=0.5)
    return close[0] if close else ""


def field_bounds(field: str) -> tuple[float | None, float | None]:
    """The lowest and highest value of a profile field (None: unbounded, or no such field)."""
    info = Profile.model_fields.get(field)
    lo = hi = None
    for meta in info.metadata if info else []:
        lo = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else lo
        lo = getattr(meta, "gt", None) if getattr(meta, "gt", None) is not None else lo
        hi = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else hi
    return lo, hi


def _fix_for(field: str, kind: str) -> tuple[str, str, str]:
    lo, hi = field_bounds(field)
    if lo is not None and hi is not None:
        return f"give a number from {lo:,} to {hi:,}.", f"{lo:,}", f"{hi:,}"
    if "int" in kind or "float" in kind:
        return "give a plain number such as 1200.", "", ""
    return "check the value.", "", ""
