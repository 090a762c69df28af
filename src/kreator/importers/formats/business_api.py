"""TikTok API for Business, Accounts API v1.3 responses saved as JSON (probable schema).

``/business/get/`` gives the follower count, daily ``metrics[]`` (``date``, ``video_views``,
``likes``, ``comments``, ``shares``, ``profile_views``, ``followers_count``) for at most
60 days, and ``audience_countries``. ``/business/video/list/`` gives videos like the Display
API, with ``item_id`` and ``create_time`` as a string. The envelope is
``{code, message, request_id, data}``; a non-zero ``code`` is an error response.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kreator.core.codes import COUNTRIES
from kreator.core.errors import ImportFileError, Phrase
from kreator.importers.base import (
    NOT_A_COUNT,
    NOT_AN_OBJECT,
    Context,
    Extract,
    api_message,
    as_list,
    dig,
    json_doc,
)
from kreator.importers.formats.dates import OUT_OF_RANGE
from kreator.importers.formats.display_api import mark_page, read_videos
from kreator.importers.limits import FIRST_DAY, LAST_DAY
from kreator.importers.model import Audience, Facts, Reject, Snapshot
from kreator.importers.sources import Source

DAILY = {"video_views": "views", "likes": "likes", "comments": "comments", "shares": "shares",
         "profile_views": "profile_views", "followers_count": "followers"}
BUSINESS_KEYS = {"at": "create_time", "id": "item_id", "views": "video_views", "likes": "likes",
                 "comments": "comments", "shares": "shares", "seconds": "video_duration"}


def _envelope(doc: Any, src: Source) -> dict[str, Any]:
    if doc.get("code") not in (0, "0"):
        raise ImportFileError(f"is an API error response (code {doc.get('code')!r}: "
                              f"{doc.get('message') or 'no message'}), not data.",
                              where=src.name, fix="call the API again and save a successful "
                              "response.", key="import_api_error",
                              params={"code": repr(doc.get("code")), "detail": api_message(doc)})
    data = doc.get("data")
    return data if isinstance(data, dict) else {}


def _is_business(doc: Any) -> bool:
    return isinstance(doc, dict) and "code" in doc and "request_id" in doc \
        and isinstance(doc.get("data"), dict)


class BusinessAccount:
    name = "business_api.account"
    title = "TikTok API for Business: account (business/get)"
    rank = 3

    def identify(self, src: Source) -> int:
        doc = json_doc(src)
        return 20 if _is_business(doc) and ("followers_count" in doc["data"]
                                            or "metrics" in doc["data"]) else 0

    def extract(self, src: Source, ctx: Context) -> Extract:
        data = _envelope(json_doc(src), src)
        facts = Facts()
        count = data.get("followers_count")
        if isinstance(count, int) and count >= 0:
            facts.add_snapshot("followers", Snapshot(count, f"{src.name}:data.followers_count",
                                                     self.rank))
        for key, fact in (("display_name", "display_name"), ("username", "handle")):
            if isinstance(data.get(key), str) and data[key].strip():
                facts.add_snapshot(fact, Snapshot(data[key].strip(), f"{src.name}:data.{key}",
                                                  self.rank))
        metrics = as_list(data.get("metrics"), src.name, "data.metrics")
        rejects = [r for i, row in enumerate(metrics)
                   if (r := self._day(row, i, src, facts)) is not None]
        self._audience(data, src, facts)
        return Extract(facts, 1 + len(metrics), rejects)

    def _day(self, row: Any, i: int, src: Source, facts: Facts) -> Reject | None:
        where = f"data.metrics[{i}]"
        if not isinstance(row, dict):
            return Reject(src.name, where, "(item)", str(row), NOT_AN_OBJECT)
        try:
            day = dt.date.fromisoformat(str(row.get("date")))
        except ValueError:
            return Reject(src.name, where, "date", str(row.get("date")),
                          Phrase("is not YYYY-MM-DD", "reason.not_iso_day"))
        if not FIRST_DAY <= day <= LAST_DAY:
            return Reject(src.name, where, "date", str(row.get("date")), OUT_OF_RANGE)
        for key in DAILY:
            value = row.get(key)
            if value is None:
                continue
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                return Reject(src.name, where, key, str(value), NOT_A_COUNT)
        for key, metric in DAILY.items():
            if row.get(key) is not None:
                facts.add_daily(metric, day, float(row[key]), f"{src.name}:data.metrics.{key}",
                                self.rank)
        return None

    def _audience(self, data: dict[str, Any], src: Source, facts: Facts) -> None:
        shares: dict[str, float] = {}
        for item in as_list(data.get("audience_countries"), src.name, "data.audience_countries"):
            code = str(dig(item, "country") or "").upper()
            share = dig(item, "percentage")
            if code in COUNTRIES and isinstance(share, int | float) and 0 <= share <= 1:
                shares[code] = shares.get(code, 0.0) + float(share)
        if shares:
            facts.audience.append(Audience(shares, f"{src.name}:data.audience_countries",
                                           self.rank))


class BusinessVideoList:
    name = "business_api.video_list"
    title = "TikTok API for Business: video list"
    rank = 5

    def identify(self, src: Source) -> int:
        doc = json_doc(src)
        videos = dig(doc, "data", "videos")
        if _is_business(doc) and isinstance(videos, list):
            return 20 if all(isinstance(v, dict) and "item_id" in v for v in videos) else 0
        return 0

    def extract(self, src: Source, ctx: Context) -> Extract:
        data = _envelope(json_doc(src), src)
        items = as_list(data.get("videos"), src.name, "data.videos")
        posts, rejects = read_videos(items, src, "data.videos", self.rank, BUSINESS_KEYS)
        facts = Facts(posts=posts)
        note = mark_page(facts, posts, data.get("has_more"), f"{src.name}:data.videos")
        return Extract(facts, len(items), rejects, [note] if note else [])
