"""Published tier benchmarks next to the model's median for a typical creator of each band.

Read by benchmarks/validation.py. The benchmark file (tests/data/validation/benchmarks.yaml)
holds ``typical`` (how the typical creator of a band is built, each figure with its source) and
``figures`` (published per-band figures, each with metric, band, low, high, unit, source_url,
source_date and quote). A figure may narrow its followers with ``followers: [low, high]``; the
typical creator then has the geometric mean of that range; ``niche`` sets the creator's niche
(category figures such as commission rates).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

import kreator
from kreator.profile_io import parse_audience
from kreator.ratecards import load_card

METRICS: dict[str, tuple[str, dict[str, float], str]] = {
    "sponsored_post_usd": ("sponsorship", {"sponsored_posts_per_month": 1}, "per post"),
    "live_gifts_per_session_usd": ("live_gifts", {"lives_per_month": 1}, "per LIVE"),
    "live_gifts_per_hour_usd": ("live_gifts", {"lives_per_month": 1, "live_avg_minutes": 60},
                                "per LIVE hour"),
    "affiliate_commission_per_sale_usd": ("affiliate", {"affiliate_sales_per_month": 1},
                                          "per sale"),
    "shop_commission_rate": ("tiktok_shop", {"shop_gmv_per_month": 1000}, "per $ of sales"),
    "creator_rewards_rpm_usd": ("creator_rewards", {}, "per 1,000 views"),
    "creator_rewards_qualified_rpm_usd": ("creator_rewards", {}, "per 1,000 qualified views"),
    "live_gifts_potential_monthly_usd": ("live_gifts", {}, "a month at typical activity"),
}
"""metric -> (stream, activity set so the monthly amount is one unit, unit)."""
POTENTIAL = {"live_gifts_potential_monthly_usd"}
"""Metrics read from the stream's ``potential`` (what it pays at typical activity for the size)."""
DIVISORS: dict[str, Callable[[dict[str, Any], str], float]] = {
    "shop_commission_rate": lambda p, card: 1000.0,
    "creator_rewards_rpm_usd": lambda p, card: float(p["views_30d"]) / 1000,
    "creator_rewards_qualified_rpm_usd":
        lambda p, card: float(p["views_30d"]) / 1000 * qualified_share(card)}
"""metric -> what turns the stream's monthly USD into the metric's unit (default 1)."""
FIGURE_FIELDS = ("id", "metric", "band", "low", "high", "unit", "source_url", "source_date", "quote")
BAND_NAMES = ("starter", "nano", "micro", "mid", "macro+")


def qualified_share(card: str) -> float:
    """The card's share of views that qualify for Creator Rewards (0.6 when the card has none)."""
    spec = load_card(card).streams.get("creator_rewards")
    figure = spec.extras.get("qualified_share") if spec is not None else None
    return float(getattr(figure, "value", 0.6) or 0.6)


class BenchmarkFileError(Exception):
    """A benchmark file that cannot be used; the message names the file, figure and field."""


def figure_problems(fig: Any, bands: dict[str, Any]) -> list[str]:
    """What is missing or wrong in one published figure."""
    if not isinstance(fig, dict):
        return ["is not a mapping"]
    out = [f"{k}: missing" for k in FIGURE_FIELDS if fig.get(k) in (None, "")]
    if fig.get("metric") not in METRICS:
        out.append(f"metric: {fig.get('metric')!r} is not one of {', '.join(METRICS)}")
    if fig.get("band") not in bands:
        out.append(f"band: {fig.get('band')!r} is not one of {', '.join(bands)}")
    if not str(fig.get("source_url", "")).startswith(("http://", "https://")):
        out.append("source_url: not a web address")
    low, high = fig.get("low"), fig.get("high")
    if not (isinstance(low, int | float) and isinstance(high, int | float) and 0 <= low <= high):
        out.append(f"low/high: {low!r}/{high!r} are not numbers with 0 <= low <= high")
    return out


def load_benchmarks(path: Path) -> dict[str, Any]:
    """The benchmark file, checked; raises BenchmarkFileError naming file, figure and field."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BenchmarkFileError(f"{path}: cannot read the benchmark file ({exc}).") from None
    typical = data.get("typical") if isinstance(data, dict) else None
    if not isinstance(typical, dict) or not isinstance(data.get("figures"), list):
        raise BenchmarkFileError(f"{path}: expected the mappings 'typical' and 'figures'.")
    bands = typical.get("followers", {}).get("value", {})
    missing = [b for b in BAND_NAMES if b not in bands]
    if missing:
        raise BenchmarkFileError(f"{path}: typical.followers.value: no band {', '.join(missing)}.")
    for fig in data["figures"]:
        problems = figure_problems(fig, bands)
        if problems:
            name = fig.get("id", "?") if isinstance(fig, dict) else "?"
            raise BenchmarkFileError(f"{path}: figure {name}: {'; '.join(problems)}.")
    return data


def typical_profile(typical: dict[str, Any], band: str,
                    followers: float | None = None) -> dict[str, Any]:
    """A typical creator of ``band``: followers, views a video = view_rate x followers,
    videos_30d, engagement (likes 5/6, comments 1/12, shares 1/12 of it) and fixed inputs."""
    f = followers or float(typical["followers"]["value"][band])
    videos = int(typical["videos_30d"]["value"])
    views = round(videos * float(typical["view_rate"]["value"]) * f)
    eng = float(typical["engagement_rate"]["value"][band]) * views
    profile = {"followers": round(f), "views_30d": views, "videos_30d": videos,
               "likes_30d": round(eng * 5 / 6), "comments_30d": round(eng / 12),
               "shares_30d": round(eng / 12), **typical["fixed"]["value"]}
    if isinstance(profile.get("audience"), str):
        profile["audience"] = parse_audience(profile["audience"])
    return profile


def model_figure(profile: dict[str, Any], metric: str, card: str, seed: int = 1) -> dict[str, Any]:
    """The model's p10/p50/p90 of ``metric`` for ``profile`` (zeros when the stream is absent)."""
    stream, activity, _unit = METRICS[metric]
    p = {**profile, **activity}
    est = kreator.estimate(p, card=card, seed=seed)
    div = DIVISORS.get(metric, lambda _p, _c: 1.0)(p, card)
    try:
        s = est.stream(stream)
    except KeyError:
        return {"p10": 0.0, "p50": 0.0, "p90": 0.0, "eligible": False, "card": est.card_id}
    m = s.monthly
    if metric in POTENTIAL:
        potential = getattr(s, "potential", None)
        if potential is None:
            return {"p10": 0.0, "p50": 0.0, "p90": 0.0, "eligible": False, "card": est.card_id}
        m = potential.monthly
    return {"p10": m.p10 / div, "p50": m.p50 / div, "p90": m.p90 / div, "eligible": s.eligible,
            "card": est.card_id}


def tier_table(path: Path, card: str) -> list[dict[str, Any]]:
    """One row per published figure: the range, the model's median, inside or not (None when
    the typical creator of the band is not eligible for the stream)."""
    if not path.exists():
        return []
    data = load_benchmarks(path)
    rows = []
    for fig in data["figures"]:
        span = fig.get("followers")
        followers = math.sqrt(span[0] * span[1]) if isinstance(span, list) else None
        profile = typical_profile(data["typical"], fig["band"], followers)
        if fig.get("niche"):
            profile["niche"] = fig["niche"]
        model = model_figure(profile, fig["metric"], card)
        rows.append({"id": fig["id"], "band": fig["band"], "metric": fig["metric"],
                     "niche": profile["niche"],
                     "followers": profile["followers"], "views_per_video":
                     round(profile["views_30d"] / profile["videos_30d"]),
                     "low": fig["low"], "high": fig["high"], "unit": fig["unit"], **model,
                     "inside": fig["low"] <= model["p50"] <= fig["high"] if model["eligible"]
                     else None,
                     "source_url": fig["source_url"], "source_date": fig["source_date"]})
    return rows


def _money(x: float) -> str:
    return f"{x:,.3f}" if abs(x) < 1 else f"{x:,.2f}" if abs(x) < 100 else f"{x:,.0f}"


def print_tiers(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    print(f"\npublished tier benchmarks vs the model's median for a typical creator "
          f"(card {rows[0]['card']}; typical profiles: tests/data/validation/benchmarks.yaml):")
    for r in rows:
        verdict = "n/a    " if r["inside"] is None else "inside " if r["inside"] else "OUTSIDE"
        note = "" if r["eligible"] else "  (the typical creator is not eligible)"
        note += "" if r["niche"] == "other" else f"  (niche {r['niche']})"
        print(f"  {verdict} {r['band']:7} {r['metric']:34} {r['followers']:>9,} fol "
              f"{r['views_per_video']:>8,} v/video  published {_money(r['low'])}-{_money(r['high'])}"
              f"  model p50 {_money(r['p50'])} (p10-p90 {_money(r['p10'])}-{_money(r['p90'])})"
              f"{note}  {r['source_url']}")
    for metric in dict.fromkeys(r["metric"] for r in rows):
        judged = [r for r in rows if r["metric"] == metric and r["inside"] is not None]
        print(f"  {metric}: model median inside {sum(r['inside'] for r in judged)} of "
              f"{len(judged)} published ranges")
