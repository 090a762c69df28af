"""The personal "Download your data" JSON export, in all three known layouts.

2025-26 ``user_data_tiktok.json`` (``Profile And Settings``, ``TikTok Live``...), 2024-25
(``Profile``, ``Tiktok Live``, followers under ``Your Activity``) and the legacy
``user_data.json`` (``Activity``, ``Video``; no follower count, so the follower list is
counted). Read: follower count, follower list (dates), own posts (dates, likes), and LIVE
sessions from ``GoLiveList`` (start, duration in minutes, views, likes, gifters, earnings in
diamonds), which become ``live_gifts`` income events valued at the card's
``streams.live_gifts.usd_per_diamond``. Empty sections may be null, [] or {}.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kreator.core.errors import ImportFileError, Phrase, reason
from kreator.importers.base import (
    NOT_AN_OBJECT,
    Context,
    Extract,
    as_list,
    first_path,
    json_doc,
)
from kreator.importers.formats.events import live_event
from kreator.importers.formats.text import parse_decimal
from kreator.importers.model import Facts, Fan, Live, Post, Reject, Snapshot
from kreator.importers.sources import Source

LAYOUTS = {
    "2025-26": ("Profile And Settings", "TikTok Live", "Income+ Wallet"),
    "2024-25": ("Profile", "Tiktok Live", "Income Plus Wallet Transactions", "Ads and data"),
    "legacy": ("Activity", "Video", "Tiktok Shopping", "Direct Messages"),
}
PROFILE_MAPS = (("Profile And Settings", "Profile Info", "ProfileMap"),
                ("Profile", "Profile Info", "ProfileMap"),
                ("Profile", "Profile Information", "ProfileMap"))
FANS = (("Profile And Settings", "Follower", "FansList"), ("Your Activity", "Follower", "FansList"),
        ("Activity", "Follower List", "FansList"))
POSTS = (("Post", "Posts", "VideoList"), ("Video", "Videos", "VideoList"))
LIVES = (("TikTok Live", "Go Live History", "GoLiveList"),
         ("Tiktok Live", "Go Live History", "GoLiveList"))


def layout(doc: Any) -> str | None:
    if not isinstance(doc, dict):
        return None
    best = max(LAYOUTS, key=lambda k: sum(key in doc for key in LAYOUTS[k]))
    return best if sum(key in doc for key in LAYOUTS[best]) >= 2 else None


class PersonalExport:
    name = "tiktok.personal_export"
    title = "TikTok personal data export (JSON)"
    rank = 2

    def identify(self, src: Source) -> int:
        return 20 if layout(json_doc(src)) else 0

    def extract(self, src: Source, ctx: Context) -> Extract:
        doc = json_doc(src)
        lay = layout(doc) or "?"
        facts, rejects, rows = Facts(), [], 0
        pmap, pmap_path = first_path(doc, PROFILE_MAPS)
        _profile(pmap if isinstance(pmap, dict) else {}, pmap_path, src, facts)
        for paths, reader in ((FANS, _fan), (POSTS, _post), (LIVES, _live)):
            items, path = first_path(doc, paths)
            kind = {FANS: "fans", POSTS: "posts", LIVES: "lives"}[paths]
            items = as_list(items, src.name, path or ".".join(paths[0]))
            if path:
                facts.mark_complete(kind, f"{src.name}:{path}")
            for i, item in enumerate(items):
                rows += 1
                where = f"{path}[{i}]"
                try:
                    reader(item, f"{src.name}:{path}", facts, ctx, src)
                except _Bad as bad:
                    rejects.append(Reject(src.name, where, bad.column, bad.value, bad.reason))
        notes = [f"layout {lay}"]
        if "followers" not in facts.snapshots and facts.fans:
            facts.add_snapshot("followers", Snapshot(len(facts.fans), f"{src.name}:FansList "
                                                     "(counted)", 8))
            notes.append("no follower count in this layout: the follower list is counted")
        return Extract(facts, rows, rejects, notes)


class _Bad(Exception):
    def __init__(self, column: str, value: Any, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, "" if value is None else str(value), reason


def _profile(pmap: dict[str, Any], path: str, src: Source, facts: Facts) -> None:
    count = pmap.get("followerCount")
    if count is not None:
        try:
            value = _int(count, "followerCount")
        except _Bad as bad:
            raise ImportFileError(f"followerCount {bad.reason} (got {count!r}).",
                                  where=src.name, field=f"{path}.followerCount",
                                  fix="give the file as TikTok produced it.",
                                  key="import_bad_value", params={
                                      "column": "followerCount", "reason": bad.reason,
                                      "value": repr(count)}) from None
        facts.add_snapshot("followers", Snapshot(value, f"{src.name}:{path}.followerCount", 2))
    for key, name in (("displayName", "display_name"), ("userName", "handle")):
        if isinstance(pmap.get(key), str) and pmap[key].strip():
            facts.add_snapshot(name, Snapshot(pmap[key].strip(), f"{src.name}:{path}.{key}", 2))


class _Item:
    """A JSON object whose keys match case-insensitively (exports mix ``Date`` and ``date``)."""

    def __init__(self, raw: Any) -> None:
        if not isinstance(raw, dict):
            raise _Bad("(item)", raw, NOT_AN_OBJECT)
        self.raw = raw
        self.folded: dict[str, Any] | None = None

    def get(self, key: str) -> Any:
        if key in self.raw:
            return self.raw[key]
        if self.folded is None:
            self.folded = {str(k).casefold(): v for k, v in self.raw.items()}
        return self.folded.get(key.casefold())


def _item(item: Any) -> _Item:
    return _Item(item)


def _when(item: _Item, key: str) -> dt.datetime:
    from kreator.importers.formats.dates import parse_datetime_or_none

    raw = item.get(key)
    try:
        got = parse_datetime_or_none(str(raw)) if raw is not None else None
    except ValueError:
        got = None
    if got is None:
        raise _Bad(key, raw, Phrase("is not a date and time (expected YYYY-MM-DD HH:MM:SS)",
                                    "reason.not_datetime_iso"))
    return got


def _int(raw: Any, column: str, *, optional: bool = False) -> int:
    if raw is None or (isinstance(raw, str) and raw.strip().casefold() in ("", "none", "n/a")):
        if optional:
            return -1
        raise _Bad(column, raw, Phrase("is missing", "reason.missing"))
    if isinstance(raw, str) and raw.isascii() and raw.isdigit():
        return int(raw)
    try:
        value = raw if isinstance(raw, int) and not isinstance(raw, bool) \
            else parse_decimal(str(raw))
    except ValueError as exc:
        raise _Bad(column, raw, reason(exc)) from None
    if value != int(value) or value < 0:
        raise _Bad(column, raw, Phrase("is not a whole number of zero or more", "reason.not_count"))
    return int(value)


def _opt(item: _Item, key: str) -> int | None:
    value = _int(item.get(key), key, optional=True)
    return None if value < 0 else value


def _fan(raw: Any, label: str, facts: Facts, ctx: Context, src: Source) -> None:
    item = _item(raw)
    facts.fans.append(Fan(_when(item, "Date").date(), str(item.get("UserName") or ""),
                          f"{label}.Date", 2))


def _post(raw: Any, label: str, facts: Facts, ctx: Context, src: Source) -> None:
    item = _item(raw)
    facts.posts.append(Post(_when(item, "Date"), f"{label}.Date", 2, likes=_opt(item, "Likes"),
                            cols={"likes": f"{label}.Likes"}))


def _live(raw: Any, label: str, facts: Facts, ctx: Context, src: Source) -> None:
    item = _item(raw)
    start = _when(item, "LiveStartTime")
    room = str(item.get("RoomId") or "").strip()
    if not room:
        raise _Bad("RoomId", item.get("RoomId"), Phrase("is missing (it identifies the session)",
                                                        "reason.missing_room"))
    minutes = _opt(item, "LiveDuration")
    if minutes is None and item.get("LiveEndTime"):
        minutes = int((_when(item, "LiveEndTime") - start).total_seconds() // 60)
    live = Live(room, start, f"{label}.LiveStartTime", 2, minutes=minutes,
                views=_opt(item, "TotalView"), diamonds=_opt(item, "TotalEarning"),
                gifters=_opt(item, "TotalGifter"), likes=_opt(item, "TotalLike"),
                cols={"minutes": f"{label}.LiveDuration", "diamonds": f"{label}.TotalEarning"})
    facts.lives.append(live)
    if live.diamonds is not None:
        facts.events.append(live_event(live, ctx.card, src, str(item.get("RoomTitle") or "")))
