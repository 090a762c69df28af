"""Speed of ``kreator import`` against plain reads of the same files, measured in one run.

Builds (in a temporary folder) a 365-day TikTok Studio download — the four tab zips, with
Overview, Viewers and FollowerHistory covering 365 days, 7 days of FollowerActivity and a
15-video Content sample — and a 2025-26 personal export with 2,000 posts, 300 LIVE sessions
and 4,000 followers. Then it times:

1. ``extract_paths`` over all of it (identify, parse, place yearless dates, derive, events);
2. the floor: opening the same zips and reading every CSV with ``csv.reader`` plus one
   ``json.load`` of the export (no parsing of values at all).

It prints both medians and their ratio (goal: at most 25x the floor, and well under a second).

    python benchmarks/importers.py [--runs 7]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

EXPORT = dt.datetime(2026, 5, 20, 14, 3, 12, tzinfo=dt.UTC)
HANDLE = "bench_creator"


def _csv(header: list[str], rows: list[list[object]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([header, *rows])
    return "\ufeff" + buf.getvalue().rstrip("\n")


def _md(d: dt.date) -> str:
    return f"{d:%B} {d.day}"


def build(root: Path, rng: random.Random) -> list[Path]:
    """Write the Studio zips and the personal export; return their paths."""
    last = (EXPORT - dt.timedelta(days=2)).date()
    days = [last - dt.timedelta(days=364 - i) for i in range(365)]
    start, ts = days[0].isoformat(), int(EXPORT.timestamp())
    followers = [3000 + i * 3 for i in range(365)]
    tabs = {
        "Overview": {"Overview.csv": _csv(
            ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"],
            [[_md(d), rng.randint(900, 9000), rng.randint(10, 90), rng.randint(50, 700),
              rng.randint(0, 40), rng.randint(0, 60)] for d in days])},
        "Viewers": {"Viewers.csv": _csv(
            ["Date", "Total Viewers", "New Viewers", "Returning Viewers"],
            [[_md(d), 700, 500, 200] for d in days] + [[_md(last), "undefined", 0, 0]])},
        "Followers": {
            "FollowerHistory.csv": _csv(["Date", "Followers",
                                         "Difference in followers from previous day"],
                                        [[_md(d), f, 3] for d, f in zip(days, followers,
                                                                        strict=True)]),
            "FollowerActivity.csv": _csv(["Date", "Hour", "Active followers"],
                                         [[_md(d), h, rng.randint(10, 400)]
                                          for d in days[-7:] for h in range(24)]),
            "FollowerGender.csv": _csv(["Gender", "Distribution"], [["Female", "0.6"],
                                                                    ["Male", "0.4"]]),
            "FollowerTopTerritories.csv": _csv(["Top territories", "Distribution"],
                                               [["US", "0.7"], ["GB", "0.1"]])},
        "Content": {"Content.csv": _csv(
            ["Time", "Video title", "Video link", "Post time", "Total likes", "Total comments",
             "Total shares", "Total views"],
            [[_md(last), f"video {i}", f"https://www.tiktok.com/@x/video/{i}", _md(days[-i]),
              10, 1, 1, 100] for i in range(1, 16)])},
    }
    paths = []
    for tab, files in tabs.items():
        path = root / f"{tab}_{start}_{ts}_{HANDLE}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, text in files.items():
                zf.writestr(name, text)
        paths.append(path)
    paths.append(_export(root, rng, days))
    return paths


def _export(root: Path, rng: random.Random, days: list[dt.date]) -> Path:
    def stamp(d: dt.date) -> str:
        return f"{d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"

    first = days[-1] - dt.timedelta(days=2000)
    span = [first + dt.timedelta(days=i) for i in range(2001)]
    posts = [{"Date": stamp(d), "Link": "https://v16m.example.invalid/x.mp4",
              "Likes": str(rng.randint(0, 5000)), "WhoCanView": "Everyone", "Title": "t"}
             for d in span[:2000]]
    lives = [{"LiveStartTime": f"{span[-1 - i * 6]} 20:00:{i % 60:02d}",
              "LiveEndTime": f"{span[-1 - i * 6]} 21:00:00", "LiveDuration": 60,
              "RoomId": str(7373100000000000000 + i), "RoomTitle": "live",
              "TotalEarning": rng.randint(0, 3000), "TotalLike": "100", "TotalView": "300",
              "TotalGifter": 5, "QualitySetting": "720x1280", "MutedList": None}
             for i in range(300)]
    fans = [{"Date": stamp(span[-1 - i % 700]), "UserName": f"fan{i}"} for i in range(4000)]
    doc = {"Profile And Settings": {"Profile Info": {"ProfileMap": {"followerCount": 4000}},
                                    "Follower": {"FansList": fans}},
           "Post": {"Posts": {"VideoList": posts}},
           "TikTok Live": {"Go Live History": {"GoLiveList": lives}},
           "Income+ Wallet": {"Transaction History": {"TransactionsList": None}}}
    path = root / "user_data_tiktok.json"
    path.write_text(json.dumps(doc, indent=1), "utf-8")
    return path


def plain(paths: list[Path]) -> int:
    """The floor: read every CSV row and load the JSON, nothing else."""
    rows = 0
    for path in paths:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    text = zf.read(name).decode("utf-8-sig")
                    rows += sum(1 for _ in csv.reader(io.StringIO(text)))
        else:
            with path.open("rb") as fh:
                json.load(fh)
    return rows


def timed(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    from kreator.importers import extract_paths

    with tempfile.TemporaryDirectory() as tmp:
        paths = build(Path(tmp), random.Random(365))
        batch = extract_paths(paths)  # warm-up (imports, card) and a sanity check
        assert batch.rows_rejected == 0, batch.rejects[:3]
        ours = timed(lambda: extract_paths(paths), args.runs)
        floor = timed(lambda: plain(paths), args.runs)
    size = sum(f.rows_in for f in batch.files)
    print(f"files: {len(batch.files)} tables/exports, {size:,} rows, {len(batch.events)} events")
    print(f"plain csv.reader + json.load: {floor * 1000:8.1f} ms")
    print(f"kreator extract_paths:        {ours * 1000:8.1f} ms")
    print(f"ratio: {ours / floor:.1f}x the floor (goal <= 25x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
