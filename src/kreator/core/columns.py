"""Profiles as columns, card defaults filled in, derived values computed.

A single creator is a batch of one: the CLI, the web app and the batch scorer all go
through :func:`prepare`, which returns NumPy columns the stream models read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from kreator.core.card import Card, Table
from kreator.core.factors import (
    Floats,
    engagement_score,
    niche_score,
    quality_score,
    region_score,
)
from kreator.core.profile import Profile

NUMERIC = (
    "followers", "views_30d", "videos_30d", "likes_30d", "comments_30d", "shares_30d",
    "quality", "completion_rate", "avg_watch_seconds", "avg_video_seconds", "age",
    "lives_per_month", "live_avg_minutes", "live_avg_viewers", "live_subscribers",
    "sponsored_posts_per_month", "affiliate_sales_per_month", "affiliate_avg_commission",
    "shop_gmv_per_month", "shop_commission_rate", "follower_growth_per_month",
)
"""Numeric profile fields carried as float64 columns (NaN = not given)."""
ROW = {f: i for i, f in enumerate(NUMERIC)}

PER_VIEW_DEFAULTS = {"likes_30d": "likes_per_view", "comments_30d": "comments_per_view",
                     "shares_30d": "shares_per_view"}
KNOWN_ONLY = ("completion_rate", "avg_watch_seconds", "live_avg_minutes", "live_avg_viewers",
              "affiliate_avg_commission", "shop_commission_rate")
"""Fields with no default: NaN means unknown, and the models use the card instead."""


@dataclass
class Inputs:
    """Columns for n creators after defaults and derivations."""

    n: int
    cols: dict[str, Floats]
    niche: npt.NDArray[np.object_]
    country: npt.NDArray[np.object_]
    scores: dict[str, Floats]
    defaults_used: dict[str, npt.NDArray[np.bool_]]


def profiles_to_columns(profiles: Sequence[Profile]) -> dict[str, Any]:
    """Turn profiles into raw columns (NaN for None) plus niche/country/audience lists."""
    values = [[np.nan if (v := getattr(p, f)) is None else float(v) for f in NUMERIC]
              for p in profiles]
    block = np.array(values, dtype=np.float64).reshape(len(profiles), len(NUMERIC)).T
    cols: dict[str, Any] = dict(zip(NUMERIC, block, strict=True))
    cols["niche"] = np.array([p.niche for p in profiles], dtype=object)
    cols["country"] = np.array([p.country for p in profiles], dtype=object)
    cols["audience"] = [p.audience for p in profiles]
    return cols


def prepare(raw: Mapping[str, Any], card: Card) -> Inputs:
    """Fill defaults from the card, derive rates and factor scores.

    ``raw`` may carry ``region_score`` and ``niche_score`` columns computed by an adapter (once
    per distinct audience or niche, with :mod:`kreator.core.factors`) in place of the
    per-row ``audience`` and ``niche`` lookups."""
    n = len(raw["followers"])
    block = np.array([raw[f] if f in raw else np.full(n, np.nan) for f in NUMERIC],
                     dtype=np.float64).reshape(len(NUMERIC), n)  # one copy of every column
    cols = dict(zip(NUMERIC, block, strict=True))
    _derive_quality(cols)
    used = _fill_defaults(cols, block, card)
    _derive_rates(cols, card)
    niche = (np.asarray(raw["niche"], dtype=object) if "niche" in raw
             else np.full(n, "other", dtype=object))
    country = (np.asarray(raw["country"], dtype=object) if "country" in raw
               else np.full(n, None, dtype=object))
    scores = _scores(raw, cols, niche, country, card)
    return Inputs(n, cols, niche, country, scores, used)


def _fill_defaults(cols: dict[str, Floats], block: Floats,
                   card: Card) -> dict[str, npt.NDArray[np.bool_]]:
    """Fill unknown values (NaN) from the card's defaults; returns which rows each filled."""
    unknown: npt.NDArray[np.bool_] = np.isnan(block)
    some: list[bool] = np.any(unknown, axis=1).tolist()
    every: list[bool] = np.all(unknown, axis=1).tolist()
    used: dict[str, npt.NDArray[np.bool_]] = {}
    for name, fig in card.defaults.items():
        target = _default_target(name)
        i = ROW.get(target or "")
        if target is None or i is None or not some[i]:
            continue
        value = fig.typical
        fill = cols["views_30d"] * value if target in PER_VIEW_DEFAULTS else np.full(len(block[i]), value)
        cols[target] = fill if every[i] else np.where(unknown[i], fill, cols[target])
        used[target] = unknown[i]
    return used


@cache
def _default_target(name: str) -> str | None:
    for target, key in PER_VIEW_DEFAULTS.items():
        if key == name:
            return target
    return name if name in NUMERIC and name not in KNOWN_ONLY else None


def _derive_quality(cols: dict[str, Floats]) -> None:
    """Quality from watch data when not given: completion 5% -> 1, 60% or more -> 5.

    Written into the quality column in place (so the defaults see what is still unknown)."""
    quality = cols["quality"]
    unknown = np.isnan(quality)
    if not unknown.any():
        return
    completion = cols["completion_rate"]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = cols["avg_watch_seconds"] / cols["avg_video_seconds"]
    completion = np.where(np.isnan(completion), np.clip(ratio, 0, 1), completion)
    derived = 1.0 + 4.0 * np.clip((completion - 0.05) / 0.55, 0.0, 1.0)
    np.copyto(quality, derived, where=unknown)


def _derive_rates(cols: dict[str, Floats], card: Card) -> None:
    """Engagement rates, views per video and the views a post can expect.

    ``expected_views`` = views per video ^ a x (view_rate x followers) ^ (1 - a), with ``a``
    the card's ``reach.views_weight``: mostly the creator's own recent views per video, pulled
    towards the share of followers a typical video reaches (a quiet month does not erase an
    audience, a viral one does not make one). ``engagement_rate_expected`` is engagements per
    video over those views, the rate the engagement score reads, so that more views with the
    same likes never lower a price by more than the views raise it (docs/model.md, "More is
    never less")."""
    eng = cols["likes_30d"] + cols["comments_30d"] + cols["shares_30d"]
    views = cols["views_30d"]
    videos = cols["videos_30d"]
    with np.errstate(divide="ignore", invalid="ignore"):  # log(0) views is -inf: floored
        cols["engagement_rate_views"] = np.where(views > 0, 100.0 * eng / views, 0.0)
        per_video = np.where(videos > 0, eng / videos, eng)  # no videos: the views are one
        cols["engagements_per_video"] = per_video
        cols["engagement_rate_followers"] = np.where(
            (cols["followers"] > 0) & (videos > 0), 100.0 * per_video / cols["followers"], 0.0)
        vpv = np.where(videos > 0, views / videos, views)
        cols["views_per_video"] = vpv
        expected, log_expected = vpv, np.log(np.maximum(vpv, 1.0))
        if card.view_rate is not None and card.views_weight is not None:
            a = card.views_weight
            log_followers = np.log(np.maximum(float(card.view_rate.value or 0)
                                              * cols["followers"], 1.0))
            cols["log_follower_views"] = log_followers
            log_expected = np.maximum(a * np.log(vpv) + (1.0 - a) * log_followers, 0.0)
            expected = np.exp(log_expected)  # at least one view: the size score's floor too
        else:
            expected = np.maximum(expected, 1.0)
        cols["expected_views"] = expected
        cols["log_expected_views"] = log_expected
        cols["engagement_rate_expected"] = 100.0 * per_video / expected


def _scores(raw: Mapping[str, Any], cols: dict[str, Floats], niche: npt.NDArray[np.object_],
            country: npt.NDArray[np.object_], card: Card) -> dict[str, Floats]:
    if "region_score" in raw:
        region = np.asarray(raw["region_score"], dtype=np.float64)
    else:
        audience = raw.get("audience") or [None] * len(niche)
        region = region_score(audience, list(country), card.factors["region"])
    if "niche_score" in raw:  # precomputed per distinct niche by a batch adapter
        niche_scores = np.asarray(raw["niche_score"], dtype=np.float64)
    else:
        niche_scores = niche_score(niche, card.factors["niche"])
    own = {f"{f}.{sid}": _own_scores(raw, f, sid, table, niche, country)
           for sid, spec in card.streams.items() for f, table in spec.own.items()}
    return {
        **own,
        "engagement": engagement_score(cols["engagement_rate_views"], card.factors["engagement"]),
        "engagement_expected": engagement_score(cols["engagement_rate_expected"],
                                                card.factors["engagement"]),
        "niche": niche_scores,
        "region": region,
        "quality": quality_score(cols["quality"]),
    }


def _own_scores(raw: Mapping[str, Any], factor: str, sid: str, table: Table,
                niche: npt.NDArray[np.object_], country: npt.NDArray[np.object_]) -> Floats:
    """A stream's own niche or region scores: precomputed by an adapter, else looked up."""
    key = f"{factor}_score.{sid}"
    if key in raw:
        return np.asarray(raw[key], dtype=np.float64)
    if factor == "niche":
        return niche_score(niche, table)
    audience = raw.get("audience") or [None] * len(niche)
    return region_score(audience, list(country), table)
