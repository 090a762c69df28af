"""TikTok Studio → Analytics → "Download data": the per-tab CSVs (or XLSX) inside the zips.

Headers are exact (see ../shared/fixtures/tiktok/README.md §1). Dates carry no year; their
year comes from the window start and download time in the zip name
(``Overview_2026-04-21_1779285792_<handle>.zip``), else the row order and --as-of or the file
time. ``undefined`` rows (no data yet) are skipped. The follower "difference" column is off
by one day in real exports and is ignored: growth is computed from ``Followers``.
``Content.csv`` is a sample of about 15 videos, so it is never used to count posts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kreator.core.codes import COUNTRIES, COUNTRY_ALIASES
from kreator.core.errors import Phrase
from kreator.importers.base import Context, Extract
from kreator.importers.formats.tables import Column, Parsed, TableSpec, read_rows, resolve_days, score
from kreator.importers.model import Audience, Facts, Reject, Snapshot, row_label
from kreator.importers.sources import Source

TABULAR = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
DATE = Column("day", ("Date", "日付"), "day")


def prov(src: Source, parsed: Parsed, fld: str) -> str:
    return f"{src.name}:{parsed.headers.get(fld, fld)}"


Builder = Callable[[Parsed, Source, Facts, int], list[str]]


@dataclass(frozen=True)
class TableImporter:
    """An importer for one tabular format: a spec plus a function that builds facts."""

    name: str
    spec: TableSpec
    build: Builder
    rank: int = 1
    source_label: str = "TikTok Studio"

    @property
    def title(self) -> str:
        return f"{self.source_label}: {self.spec.title}"

    def identify(self, src: Source) -> int:
        if src.suffix not in TABULAR:
            return 0
        from kreator.core.errors import ImportFileError

        try:
            return score(self.spec, src)
        except ImportFileError as exc:
            src.cache["table_error"] = exc
            return 0

    def extract(self, src: Source, ctx: Context) -> Extract:
        parsed = read_rows(self.spec, src)
        notes: list[str] = []
        day_col = next((c.field for c in self.spec.columns if c.kind == "day"), None)
        if day_col is not None:
            ref, basis = ctx.reference(src)
            start = src.hints.window_start
            resolve_days(parsed, day_col, src, reference=ref, start=start,
                         chronological=self.spec.chronological)
            notes.append(f"dates without a year placed by {basis} ({ref.isoformat()})"
                         if start is None else
                         f"dates without a year placed from the window start in the zip name "
                         f"({start.isoformat()})")
        facts = Facts()
        if src.hints.handle:
            facts.add_snapshot("handle", Snapshot(src.hints.handle, f"{src.name}:(zip name)",
                                                  self.rank))
        notes += self.build(parsed, src, facts, self.rank)
        if parsed.no_data:
            notes.append(f"{parsed.no_data} row(s) say 'undefined' (no data yet): skipped")
        return Extract(facts, parsed.rows_in, parsed.rejects, notes)


def _daily(fields: dict[str, str]) -> Builder:
    """A builder that puts columns into daily series: {field: metric}."""

    def build(parsed: Parsed, src: Source, facts: Facts, rank: int) -> list[str]:
        for _, row in parsed.rows:
            for fld, metric in fields.items():
                if row.get(fld) is not None:
                    facts.add_daily(metric, row["day"], row[fld], prov(src, parsed, fld), rank)
        return []

    return build


def _history(parsed: Parsed, src: Source, facts: Facts, rank: int) -> list[str]:
    _daily({"followers": "followers"})(parsed, src, facts, rank)
    return ["'Difference in followers from previous day' ignored (off by one day in real "
            "exports); growth is computed from 'Followers'"] if "difference" in parsed.headers \
        else []


def _activity(parsed: Parsed, src: Source, facts: Facts, rank: int) -> list[str]:
    by_hour: dict[int, list[int]] = {}
    for _, row in parsed.rows:
        by_hour.setdefault(row["hour"], []).append(row["active"])
    if by_hour:
        best = max(by_hour, key=lambda h: sum(by_hour[h]) / len(by_hour[h]))
        facts.info["followers_most_active_hour"] = Snapshot(best, prov(src, parsed, "active"),
                                                            rank)
    return []


def _gender(parsed: Parsed, src: Source, facts: Facts, rank: int) -> list[str]:
    shares = {row["gender"]: row["share"] for _, row in parsed.rows}
    if shares:
        facts.info["follower_gender"] = Snapshot(shares, prov(src, parsed, "share"), rank)
    return []


def _territories(parsed: Parsed, src: Source, facts: Facts, rank: int) -> list[str]:
    shares: dict[str, float] = {}
    kept = []
    for number, row in parsed.rows:
        code = COUNTRY_ALIASES.get(row["country"].upper(), row["country"].upper())
        if code.casefold() in ("others", "other"):
            kept.append((number, row))
            continue
        if code not in COUNTRIES:
            parsed.rejects.append(Reject(src.name, row_label(number), parsed.headers["country"],
                                         row["country"], Phrase("is not an ISO 3166 country code",
                                                                "reason.not_country")))
            continue
        shares[code] = shares.get(code, 0.0) + row["share"]
        kept.append((number, row))
    parsed.rows = kept
    if shares:
        facts.audience.append(Audience(shares, prov(src, parsed, "share"), rank))
    return []


def _content(parsed: Parsed, src: Source, facts: Facts, rank: int) -> list[str]:
    facts.info["content_sample_videos"] = Snapshot(len(parsed.rows),
                                                   prov(src, parsed, "link"), rank)
    return [f"Content lists a sample of {len(parsed.rows)} videos (TikTok caps it at about "
            "15): not used to count posts or views"]


def _spec(name: str, title: str, cols: list[Column], key: tuple[str, ...],
          chronological: bool = True) -> TableSpec:
    return TableSpec(name, title, tuple(cols), key, (name,), chronological)


def _int(fld: str, *names: str, required: bool = True) -> Column:
    return Column(fld, names, "int", required)


OVERVIEW = _spec("Overview", "Overview", [
    DATE, _int("views", "Video Views", "動画視聴数"), _int("profile_views", "Profile Views",
                                                        required=False),
    _int("likes", "Likes", "いいね"), _int("comments", "Comments", "コメント"),
    _int("shares", "Shares", "シェア")], ("day", "views"))
VIEWERS = _spec("Viewers", "Viewers", [
    DATE, _int("viewers", "Total Viewers"), _int("new", "New Viewers", required=False),
    _int("returning", "Returning Viewers", required=False)], ("day", "viewers"))
HISTORY = _spec("FollowerHistory", "Follower history", [
    DATE, _int("followers", "Followers", "フォロワー"),
    _int("difference", "Difference in followers from previous day", required=False)],
    ("day", "followers"))
ACTIVITY = _spec("FollowerActivity", "Follower activity", [
    DATE, _int("hour", "Hour"), _int("active", "Active followers")], ("day", "hour", "active"))
GENDER = _spec("FollowerGender", "Follower gender", [
    Column("gender", ("Gender",), "text"), Column("share", ("Distribution",), "share")],
    ("gender", "share"), chronological=False)
TERRITORIES = _spec("FollowerTopTerritories", "Follower top territories", [
    Column("country", ("Top territories", "Territory", "Country"), "text"),
    Column("share", ("Distribution",), "share")], ("country", "share"), chronological=False)
CONTENT = _spec("Content", "Content (sample of recent videos)", [
    Column("time", ("Time",), "text", required=False),
    Column("title", ("Video title",), "text", required=False, blank_ok=True),
    Column("link", ("Video link",), "text"), Column("posted", ("Post time",), "text"),
    _int("likes", "Total likes"), _int("comments", "Total comments"),
    _int("shares", "Total shares"), _int("views", "Total views")], ("link", "posted"),
    chronological=False)


def _build_daily(**fields: str) -> Builder:
    return _daily(fields)


IMPORTERS: tuple[Any, ...] = (
    TableImporter("studio.overview", OVERVIEW,
                  _build_daily(views="views", likes="likes", comments="comments",
                               shares="shares", profile_views="profile_views")),
    TableImporter("studio.viewers", VIEWERS, _build_daily(viewers="viewers")),
    TableImporter("studio.follower_history", HISTORY, _history),
    TableImporter("studio.follower_activity", ACTIVITY, _activity),
    TableImporter("studio.follower_gender", GENDER, _gender),
    TableImporter("studio.follower_territories", TERRITORIES, _territories),
    TableImporter("studio.content", CONTENT, _content),
)
