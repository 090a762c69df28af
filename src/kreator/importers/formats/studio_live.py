"""TikTok Studio LIVE analytics tables — GUESSED headers, read by aliases.

Only a Japanese-UI parser of real LIVE exports was found; it splits LIVE data into four
tables. The English headers below are our translations, so every column also accepts the
Japanese header (and a few plausible English variants). Treat derived LIVE values from these
tables as provisional until a real English export is seen. ``LIVE duration`` is read as
seconds. These tables give per-day totals without a session id, so they yield no income
events; sessions with a RoomId come from the personal export.
"""

from __future__ import annotations

from typing import Any

from kreator.importers.formats.studio import DATE, TableImporter, prov
from kreator.importers.formats.tables import Column, Parsed, TableSpec
from kreator.importers.model import Facts, LiveDay
from kreator.importers.sources import Source


def _col(fld: str, kind: str, *names: str, required: bool = True) -> Column:
    return Column(fld, names, kind, required)


ACTIVITY = TableSpec("LIVE_activity", "LIVE activity (guessed headers)", (
    DATE, _col("seconds", "float", "LIVE duration", "LIVE duration (s)", "Duration", "LIVE時間"),
    _col("lives", "int", "Total LIVEs", "LIVEs", "LIVEの合計数")),
    ("day", "seconds"), ("LIVE_activity",), True)
REVENUE = TableSpec("LIVE_revenue", "LIVE diamonds (guessed headers)", (
    DATE, _col("diamonds", "int", "Diamonds", "ダイヤモンド")), ("day", "diamonds"),
    ("LIVE_revenue",), True)
VIEWERS = TableSpec("LIVE_viewers", "LIVE viewers (guessed headers)", (
    DATE, _col("views", "int", "Views", "視聴数", required=False),
    _col("unique", "int", "Unique viewers", "ユニーク視聴者数", required=False),
    _col("watch", "float", "Avg. watch time", "Average watch time", "平均視聴時間",
         required=False),
    _col("peak", "int", "Top viewer count", "Peak viewers", "最高同時視聴者数", required=False),
    _col("avg_viewers", "float", "Avg. concurrent viewers", "Average concurrent viewers",
         "平均同時視聴者数")), ("day", "avg_viewers"), ("LIVE_viewers",), True)
ENGAGEMENT = TableSpec("LIVE_engagement", "LIVE engagement (guessed headers)", (
    DATE, _col("gifters", "int", "Gifters", "ギフト贈呈者"),
    _col("new_followers", "int", "New followers", "新規フォロワー", required=False),
    _col("commenters", "int", "Viewers who commented", "コメントした視聴者", required=False),
    _col("likes", "int", "Likes", "いいね", required=False),
    _col("shares", "int", "Shares", "シェア", required=False)), ("day", "gifters"),
    ("LIVE_engagement",), True)


def _live_days(*fields: str) -> Any:
    def build(parsed: Parsed, src: Source, facts: Facts, rank: int) -> list[str]:
        cols = {f: prov(src, parsed, f) for f in fields}
        for _, row in parsed.rows:
            values = {f: row.get(f) for f in fields}
            facts.live_days.append(LiveDay(row["day"], cols[fields[0]], rank, cols=cols,
                                           **values))
        return ["LIVE table headers are guessed (only a Japanese export was seen); values "
                "are provisional"]

    return build


IMPORTERS = (
    TableImporter("studio.live_activity", ACTIVITY, _live_days("lives", "seconds")),
    TableImporter("studio.live_revenue", REVENUE, _live_days("diamonds")),
    TableImporter("studio.live_viewers", VIEWERS, _live_days("avg_viewers")),
    TableImporter("studio.live_engagement", ENGAGEMENT, _live_days("gifters")),
)
