"""Derivations: facts over a window -> profile values, each with its source and its method.

The window is ``window.days`` long (30 by default) and ends at the latest data (or --as-of).
Every per-month figure is normalised to 30 days. docs/importers.md states each rule; in short:

- followers: the best-ranked follower count (Studio history's last day, else the personal
  export's ``followerCount``, the APIs, and only then a counted follower list);
- follower_growth_per_month: (last - first follower count in the window) / days between x 30;
  else new followers listed in the window (gross) when the follower list looks complete;
- views/likes/comments/shares_30d: the sum of the daily values in the window x 30 / days with
  data (Studio Overview, Business API); else lifetime counts of the videos posted in the window;
- videos_30d: videos posted in the window (personal export, API pages; a partial page makes it
  "at least"); Studio's Content.csv is a sample and is never counted;
- audience: top territories (the rest is "other");
- LIVE: sessions in the window (count, mean minutes, diamonds x the card's value); Studio LIVE
  tables give days, minutes and average concurrent viewers;
- Shop: order lines that count as sales in the window: GMV and commission / GMV.
"""

from __future__ import annotations

from decimal import Decimal
from statistics import fmean
from typing import Any

from kreator.importers.deriving.derive_live import lives
from kreator.importers.deriving.derive_shop import shop
from kreator.importers.deriving.derived import MONTH, Derived, join, merge_days, scaled
from kreator.importers.deriving.merge import unique, unique_fans, unique_posts
from kreator.importers.model import Facts, Metric, Point, Post, Window

ROUGH_DAYS = 7
FAN_LIST_SHARE = 0.9
"""A follower list is taken as complete when it holds at least this share of the count."""


def derive(facts: Facts, window: Window, *, usd_per_diamond: Decimal | None = None,
           currency: str = "USD") -> Derived:
    out = Derived()
    _snapshots(facts, out)
    _followers(facts, window, out)
    _growth(facts, window, out)
    for metric in ("views", "likes", "comments", "shares"):
        got = window_sum(facts.daily.get(metric, {}), window)
        if got is not None:
            out.metrics[f"{metric}_30d"] = got
    got = window_sum(facts.daily.get("profile_views", {}), window)
    if got is not None:
        out.info["profile_views_30d"] = got
    _posts(facts, window, out)
    if facts.audience:
        best = min(facts.audience, key=lambda a: a.rank)
        rest = max(0.0, 1 - sum(best.shares.values()))
        out.metrics["audience"] = Metric({k: round(v, 4) for k, v in best.shares.items()},
                                         best.prov, f"top territories; the other {rest:.1%} "
                                         "counts as 'other'")

    lives(facts, window, out, usd_per_diamond, currency)
    shop(facts, window, out, currency)
    _engagement(out)
    for key, snap in facts.profile.items():
        out.metrics.setdefault(key, Metric(snap.value, snap.prov, "from a Kreator profile file"))
    return out


def _snapshots(facts: Facts, out: Derived) -> None:
    for name, target in (("display_name", out.metrics), ("handle", out.info)):
        snaps = facts.snapshots.get(name, [])
        if snaps:
            best = min(snaps, key=lambda s: s.rank)
            target[name] = Metric(best.value, best.prov)
    for key, snap in facts.info.items():
        out.info[key] = Metric(snap.value, snap.prov)


def _followers(facts: Facts, window: Window, out: Derived) -> None:
    cands = [(s.rank, -(s.day.toordinal() if s.day else 0), int(s.value), s.prov, s.day)
             for s in facts.snapshots.get("followers", [])]
    series = facts.daily.get("followers", {})
    days = [d for d in series if d <= window.end]
    if days:
        last = max(days)
        cands.append((series[last].rank, -last.toordinal(), int(series[last].value),
                      series[last].prov, last))
    if cands:
        _, _, value, prov, day = min(cands, key=lambda c: (c[0], c[1]))
        out.metrics["followers"] = Metric(value, prov, f"as of {day.isoformat()}" if day else "")


def _growth(facts: Facts, window: Window, out: Derived) -> None:
    series = sorted((d, p) for d, p in facts.daily.get("followers", {}).items() if d in window)
    if len(series) >= 2:
        (d0, p0), (d1, p1) = series[0], series[-1]
        span = (d1 - d0).days
        value = round((p1.value - p0.value) / span * MONTH, 1)
        note = (f"{p1.value - p0.value:+,.0f} followers from {d0} ({p0.value:,.0f}) to {d1} "
                f"({p1.value:,.0f}), x {MONTH}/{span} days")
        out.metrics["follower_growth_per_month"] = Metric(value, join(p.prov for _, p in series),
                                                          note)
        return
    if "fans" not in facts.complete:
        return
    fans = unique_fans(facts.fans)
    count = out.metrics.get("followers")
    if count is not None and len(fans) < FAN_LIST_SHARE * count.value:
        out.info["follower_list"] = Metric(len(fans), join(facts.lists["fans"]),
                                           f"lists {len(fans):,} of {count.value:,} followers: "
                                           "too few to count growth from")
        return
    new = [f for f in fans if f.day in window]
    out.metrics["follower_growth_per_month"] = Metric(
        round(len(new) * MONTH / window.days, 1), join(facts.lists["fans"]),
        f"{len(new)} followers listed with a date in the window (gross: unfollows are not in "
        f"the export){scaled(window.days)}")


def window_sum(series: dict[Any, Point], window: Window) -> Metric | None:
    """Sum of the days in the window, normalised to 30 days by the days that have data."""
    points = sorted((d, p) for d, p in series.items() if d in window)
    if not points:
        return None
    n = len(points)
    total = sum(p.value for _, p in points)
    note = f"sum of {n} day(s) {points[0][0]}..{points[-1][0]}{scaled(n)}"
    if n < ROUGH_DAYS:
        note += " (fewer than 7 days: rough)"
    return Metric(round(total * MONTH / n), join(p.prov for _, p in points), note)


def _posts(facts: Facts, window: Window, out: Derived) -> None:
    if "posts" not in facts.complete:
        return
    inside = [p for p in unique_posts(facts.posts) if p.at.date() in window]
    since = facts.complete["posts"]
    partial = (f"; at least: the saved list reaches back only to {since}"
               if since > window.start else "")
    out.metrics["videos_30d"] = Metric(
        round(len(inside) * MONTH / window.days), join([p.prov for p in inside]
                                                       or facts.lists["posts"]),
        f"{len(inside)} videos posted {window.start}..{window.end}"
        f"{scaled(window.days)}{partial}")
    secs = [p.seconds for p in inside if p.seconds]
    if secs:
        out.metrics["avg_video_seconds"] = Metric(round(fmean(secs), 1), _cols(inside, "seconds"),
                                                  f"mean length of {len(secs)} videos")
    for attr in ("views", "likes", "comments", "shares"):
        vals = [getattr(p, attr) for p in inside if getattr(p, attr) is not None]
        if vals and f"{attr}_30d" not in out.metrics:
            out.metrics[f"{attr}_30d"] = Metric(
                round(sum(vals) * MONTH / window.days), _cols(inside, attr),
                f"lifetime {attr} of the {len(vals)} videos posted in the window (not {attr} "
                f"received in it){scaled(window.days)}{partial}")


def _cols(posts: list[Post], attr: str) -> str:
    return join(p.cols.get(attr, p.prov) for p in posts if getattr(p, attr) is not None)


def _engagement(out: Derived) -> None:
    views = out.metrics.get("views_30d")
    parts = [out.metrics[k].value for k in ("likes_30d", "comments_30d", "shares_30d")
             if k in out.metrics]
    if views is not None and views.value > 0 and parts:
        out.info["engagement_rate"] = Metric(
            round(100 * sum(parts) / views.value, 2), "the profile's likes, comments, shares "
            "and views", "(likes_30d + comments_30d + shares_30d) / views_30d, in percent, as "
            "the estimator computes it")


__all__ = ["Derived", "derive", "join", "merge_days", "scaled", "unique", "window_sum"]
