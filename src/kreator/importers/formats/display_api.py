"""TikTok Display API v2 responses saved as JSON: ``/v2/user/info/`` and ``/v2/video/list/``.

User info gives the follower count (scope ``user.info.stats``) and names. A video-list page
gives up to 20 videos with lifetime counts; ``create_time`` is Unix seconds (UTC). A page
with ``has_more: true`` covers only back to its oldest video, so a post count from it is a
lower bound unless the page reaches past the window start (the report says so).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kreator.core.errors import ImportFileError, Phrase
from kreator.importers.base import (
    NOT_A_COUNT,
    NOT_AN_OBJECT,
    Context,
    Extract,
    api_message,
    dig,
    json_doc,
)
from kreator.importers.model import Facts, Post, Reject, Snapshot
from kreator.importers.sources import Source


def api_error(doc: Any, src: Source) -> None:
    """Raise when the saved response is an API error, not data."""
    err = dig(doc, "error")
    code = err.get("code") if isinstance(err, dict) else None
    if code not in (None, "ok", 0, "0"):
        raise ImportFileError(f"is an API error response (code '{code}': "
                              f"{err.get('message') or 'no message'}), not data.",
                              where=src.name, fix="call the API again and save a successful "
                              "response.", key="import_api_error",
                              params={"code": f"'{code}'", "detail": api_message(err)})


def log_time(doc: Any) -> dt.date | None:
    """The request date from a log id that starts with YYYYMMDDhhmmss (guessed format)."""
    log_id = str(dig(doc, "error", "log_id") or "")
    try:
        return dt.datetime.strptime(log_id[:14], "%Y%m%d%H%M%S").date()
    except ValueError:
        return None


class DisplayUserInfo:
    name = "display_api.user_info"
    title = "TikTok Display API v2: user info"
    rank = 4

    def identify(self, src: Source) -> int:
        doc = json_doc(src)
        return 20 if isinstance(dig(doc, "data", "user"), dict) and "error" in doc else 0

    def extract(self, src: Source, ctx: Context) -> Extract:
        doc = json_doc(src)
        api_error(doc, src)
        user = dig(doc, "data", "user")
        facts = Facts()
        notes: list[str] = []
        count = user.get("follower_count")
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
            facts.add_snapshot("followers", Snapshot(count, f"{src.name}:data.user.follower_count",
                                                     self.rank, log_time(doc)))
        elif count is not None:
            return Extract(facts, 1, [Reject(src.name, "data.user", "follower_count", str(count),
                                             Phrase("is not a whole number",
                                                    "reason.not_whole"))])
        else:
            notes.append("no follower_count (the token lacks the user.info.stats scope)")
        for key, fact in (("display_name", "display_name"), ("username", "handle")):
            if isinstance(user.get(key), str) and user[key].strip():
                facts.add_snapshot(fact, Snapshot(user[key].strip(),
                                                  f"{src.name}:data.user.{key}", self.rank))
        return Extract(facts, 1, [], notes)


def read_videos(items: list[Any], src: Source, path: str, rank: int,
                keys: dict[str, str]) -> tuple[list[Post], list[Reject]]:
    """Videos to posts; ``keys`` maps Post fields to this API's field names."""
    posts: list[Post] = []
    rejects: list[Reject] = []
    for i, item in enumerate(items):
        try:
            posts.append(_video(item, src, path, rank, keys))
        except ValueError as exc:
            col, value, reason = exc.args
            rejects.append(Reject(src.name, f"{path}[{i}]", col, value, reason))
    return posts, rejects


def _video(item: Any, src: Source, path: str, rank: int, keys: dict[str, str]) -> Post:
    if not isinstance(item, dict):
        raise ValueError("(item)", str(item), NOT_AN_OBJECT)
    raw = item.get(keys["at"])
    try:
        at = dt.datetime.fromtimestamp(int(str(raw)), dt.UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        raise ValueError(keys["at"], str(raw), Phrase("is not a Unix time in seconds",
                                                      "reason.not_unix_seconds")) from None
    counts: dict[str, Any] = {}
    for fld in ("views", "likes", "comments", "shares", "seconds"):
        value = item.get(keys[fld])
        if value is None:
            counts[fld] = None
        elif isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            counts[fld] = value if fld == "seconds" else int(value)
        else:
            raise ValueError(keys[fld], str(value), NOT_A_COUNT)
    vid = item.get(keys["id"])
    cols = {f: f"{src.name}:{path}.{keys[f]}" for f in counts}
    return Post(at, f"{src.name}:{path}.{keys['at']}", rank,
                video_id=None if vid is None else str(vid), cols=cols, **counts)


def mark_page(facts: Facts, posts: list[Post], has_more: Any, label: str) -> str | None:
    """Record how far back a saved page of videos reaches; a note when it is partial."""
    if posts and has_more is True:
        oldest = min(p.at for p in posts).date()
        facts.mark_complete("posts", label, oldest)
        return (f"one page of {len(posts)} videos back to {oldest.isoformat()} (has_more is "
                "true): older videos are on later pages")
    if has_more is not True:
        facts.mark_complete("posts", label)
    return None


DISPLAY_KEYS = {"at": "create_time", "id": "id", "views": "view_count", "likes": "like_count",
                "comments": "comment_count", "shares": "share_count", "seconds": "duration"}


class DisplayVideoList:
    name = "display_api.video_list"
    title = "TikTok Display API v2: video list"
    rank = 5

    def identify(self, src: Source) -> int:
        doc = json_doc(src)
        videos = dig(doc, "data", "videos")
        if isinstance(doc, dict) and "error" in doc and isinstance(videos, list):
            return 20 if all(isinstance(v, dict) and "item_id" not in v for v in videos) else 0
        return 0

    def extract(self, src: Source, ctx: Context) -> Extract:
        doc = json_doc(src)
        api_error(doc, src)
        items = dig(doc, "data", "videos")
        posts, rejects = read_videos(items, src, "data.videos", self.rank, DISPLAY_KEYS)
        facts = Facts(posts=posts)
        note = mark_page(facts, posts, dig(doc, "data", "has_more"), f"{src.name}:data.videos")
        return Extract(facts, len(items), rejects, [note] if note else [])
