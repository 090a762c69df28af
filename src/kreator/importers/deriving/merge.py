"""Merging facts from several files: one value per day, post, session and order line.

Where two files describe the same thing, the higher-ranked importer (lower ``rank``) wins and
the other only fills gaps: a day of a daily series by date; a post by video id or, for the
personal export (which has no id), by the same posting second (its times match the APIs'
UTC ``create_time``); a LIVE session by RoomId (or the same start second); a Shop order
line by order id + SKU id; a follower by name and date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from kreator.core.events import IncomeEvent
from kreator.importers.model import Facts, Fan, Live, Order, Post, Window

T = TypeVar("T", Live, Order)


def merge(parts: Iterable[Facts]) -> Facts:
    """One Facts holding everything; duplicates are resolved when facts are read."""
    out = Facts()
    for f in parts:
        for metric, series in f.daily.items():
            target = out.daily.setdefault(metric, {})
            for day, point in series.items():
                if day not in target or point.rank < target[day].rank:
                    target[day] = point
        for name, snaps in f.snapshots.items():
            out.snapshots.setdefault(name, []).extend(snaps)
        out.posts += f.posts
        out.lives += f.lives
        out.live_days += f.live_days
        out.orders += f.orders
        out.fans += f.fans
        out.audience += f.audience
        out.events += f.events
        for kind, since in f.complete.items():
            for prov in f.lists.get(kind, {""}):
                out.mark_complete(kind, prov, since)
        for table, own in ((out.profile, f.profile), (out.info, f.info)):
            for key, snap in own.items():
                if key not in table or snap.rank < table[key].rank:
                    table[key] = snap
    return out


def unique(items: Iterable[T], key: str) -> list[T]:
    """First item per ``key`` attribute, best rank first."""
    seen: dict[object, T] = {}
    for item in sorted(items, key=lambda i: i.rank):
        seen.setdefault(getattr(item, key), item)
    return list(seen.values())


def unique_lives(lives: Iterable[Live]) -> list[Live]:
    """One session per RoomId; two sessions starting in the same second are one session."""
    by_start: dict[dt.datetime, Live] = {}
    for live in unique(lives, "key"):
        by_start.setdefault(live.start, live)
    return list(by_start.values())


def unique_fans(fans: Iterable[Fan]) -> list[Fan]:
    seen: dict[tuple[str, dt.date], Fan] = {}
    for fan in sorted(fans, key=lambda f: f.rank):
        seen.setdefault((fan.name, fan.day), fan)
    return list(seen.values())


def unique_posts(posts: Iterable[Post]) -> list[Post]:
    """One post per video; a lower-ranked duplicate fills the counts the better one lacks."""
    by_id: dict[str, int] = {}
    by_time: dict[dt.datetime, int] = {}
    kept: list[Post] = []
    for post in sorted(posts, key=lambda p: p.rank):
        idx = by_id.get(post.video_id) if post.video_id else None
        if idx is None:
            idx = by_time.get(post.at)
        if idx is None:
            kept.append(post)
            idx = len(kept) - 1
        else:
            kept[idx] = _fill(kept[idx], post)
        if kept[idx].video_id:
            by_id[kept[idx].video_id or ""] = idx
        by_time.setdefault(post.at, idx)
    return kept


def _fill(best: Post, other: Post) -> Post:
    gaps = {f: getattr(other, f) for f in ("video_id", "views", "likes", "comments", "shares",
                                           "seconds")
            if getattr(best, f) is None and getattr(other, f) is not None}
    return dataclasses.replace(best, cols={**other.cols, **best.cols}, **gaps) if gaps else best


def unique_events(events: Iterable[IncomeEvent]) -> list[IncomeEvent]:
    """One event per natural key (the first, i.e. from the best-ranked file), by date; LIVE
    events starting in the same second are one session (as in :func:`unique_lives`)."""
    seen: dict[str, IncomeEvent] = {}
    starts: set[str] = set()
    for event in events:
        start = event.details.get("start") if event.stream == "live_gifts" else None
        if event.natural_key in seen or (start is not None and start in starts):
            continue
        seen[event.natural_key] = event
        if start is not None:
            starts.add(start)
    return sorted(seen.values(), key=lambda e: (e.date, e.natural_key))


def find_window(facts: Facts, days: int, as_of: dt.date | None,
                saved: tuple[dt.date, str] | None = None) -> Window:
    """The window ending at --as-of, else at the latest dated data, else when the newest file
    was saved (``saved``: its date and how that is known), else today."""
    if as_of is not None:
        return Window.ending(as_of, days, "--as-of")
    dates = facts.dates()
    if dates:
        return Window.ending(max(dates), days, "the latest data")
    if saved is not None:
        return Window.ending(saved[0], days, f"the files hold no dated data: {saved[1]}")
    return Window.ending(dt.date.today(), days, "today (the files hold no dated data)")
