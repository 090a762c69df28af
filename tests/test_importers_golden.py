"""Golden files: every TikTok sample (tests/data/importers, copied from ../shared/fixtures)
-> the profile values, derived values and income events it yields, as JSON.

Regenerate after an intended change with ``KREATOR_UPDATE_GOLDEN=1 pytest tests/
test_importers_golden.py`` and review the diff. The cross-source tests below do not rely on
the golden files: they recompute the expected numbers from the raw samples.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from kreator.importers import extract_paths
from kreator.importers.batch import event_dict

DATA = Path(__file__).parent / "data" / "importers"
GOLDEN = DATA / "golden"
UPDATE = os.environ.get("KREATOR_UPDATE_GOLDEN") == "1"
EXPORT_TIME = dt.datetime(2026, 5, 20, 14, 3, 12, tzinfo=dt.UTC).timestamp()
"""When the sample creator downloaded everything (fixtures README)."""

SAMPLES = sorted(p.relative_to(DATA).as_posix() for p in DATA.rglob("*")
                 if p.is_file() and "golden" not in p.parts and p.suffix != ".md"
                 and "hostile" not in p.parts)


@pytest.fixture
def downloaded(tmp_path: Path) -> Path:
    """A copy of the samples whose files carry the download time, as a fresh download does
    (loose Studio CSVs take the year of their yearless dates from it)."""
    root = tmp_path / "samples"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("golden", "hostile", "*.md"))
    for path in root.rglob("*"):
        os.utime(path, (EXPORT_TIME, EXPORT_TIME))
    return root


def snapshot(batch: Any) -> dict[str, Any]:
    files = [{"file": f.file, "importer": f.importer,
              "rows": [f.rows_in, f.rows_ok, f.rows_rejected], "notes": f.notes}
             for f in batch.files]
    return {"window": batch.window.to_dict(), "files": files,
            "profile": {k: m.to_dict() for k, m in batch.metrics.items()},
            "derived": {k: m.to_dict() for k, m in batch.info.items()},
            "events": [_stable(event_dict(e)) for e in batch.events]}


def _stable(event: dict[str, Any]) -> dict[str, Any]:
    event["details"] = {k: v for k, v in event["details"].items() if k != "file"}
    return event


def check_golden(name: str, data: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.json"
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"no golden file {path}; run with KREATOR_UPDATE_GOLDEN=1 to create it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    assert json.loads(text) == json.loads(path.read_text("utf-8"))


@pytest.mark.parametrize("sample", SAMPLES)
def test_each_sample_matches_its_golden_file(sample: str, downloaded: Path) -> None:
    batch = extract_paths([downloaded / sample])
    assert batch.rows_in == batch.rows_ok + batch.rows_rejected
    assert batch.rows_rejected == 0
    check_golden(sample.replace("/", "__"), snapshot(batch))


def test_all_samples_together_match_golden(downloaded: Path) -> None:
    batch = extract_paths([downloaded])
    assert [f for f in batch.files if f.rows_rejected] == []
    check_golden("all_samples", snapshot(batch))


FOLLOWER_SOURCES = [
    "tiktok_studio/Followers/FollowerHistory.csv",
    "tiktok_studio/Followers_2026-04-21_1779285792_sample_creator_4k.zip",
    "tiktok_studio/xlsx_variant/FollowerHistory.xlsx",
    "personal_export/user_data_tiktok.json",
    "personal_export/user_data_tiktok.2024-25_layout.json",
    "display_api/v2_user_info.response.json",
    "business_api/v1.3_business_get.response.json",
]


@pytest.mark.parametrize("sample", FOLLOWER_SOURCES)
def test_every_source_with_a_follower_count_says_4012(sample: str, downloaded: Path) -> None:
    batch = extract_paths([downloaded / sample])
    assert batch.metrics["followers"].value == 4012


def test_legacy_export_counts_its_follower_list(downloaded: Path) -> None:
    # the legacy layout has no follower count; the sample lists 5 followers
    legacy = downloaded / "personal_export/user_data.legacy_2021-23_layout.json"
    fans = json.loads(legacy.read_text())["Activity"]["Follower List"]["FansList"]
    batch = extract_paths([legacy])
    assert batch.metrics["followers"].value == len(fans) == 5
    assert "counted" in batch.metrics["followers"].provenance


def _column(path: Path, name: str) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [row[name] for row in csv.DictReader(fh)]


def test_studio_views_are_the_window_sum_scaled_to_30_days(downloaded: Path) -> None:
    overview = downloaded / "tiktok_studio/Overview/Overview.csv"
    views = [int(v) for v in _column(overview, "Video Views")]
    assert len(views) == 28  # April 21 .. May 18: all inside the 30-day window
    for sample in ("tiktok_studio/Overview/Overview.csv",
                   "tiktok_studio/Overview_2026-04-21_1779285792_sample_creator_4k.zip"):
        batch = extract_paths([downloaded / sample])
        assert batch.window.end == dt.date(2026, 5, 18)  # export May 20, two-day lag
        assert batch.metrics["views_30d"].value == round(sum(views) * 30 / 28)


def test_follower_growth_comes_from_followers_not_the_difference_column(
        downloaded: Path) -> None:
    history = downloaded / "tiktok_studio/Followers/FollowerHistory.csv"
    followers = [int(v) for v in _column(history, "Followers")]
    diffs = [int(v) for v in _column(history, "Difference in followers from previous day")]
    # the quirk: "difference" is next day minus this day, last row 0
    assert diffs[:-1] == [b - a for a, b in pairwise(followers)]
    batch = extract_paths([history])
    expected = (followers[-1] - followers[0]) / 27 * 30
    assert batch.metrics["follower_growth_per_month"].value == pytest.approx(expected, abs=0.05)


def test_live_sessions_agree_between_export_layouts(downloaded: Path) -> None:
    new = extract_paths([downloaded / "personal_export/user_data_tiktok.json"])
    mid = extract_paths([downloaded / "personal_export/user_data_tiktok.2024-25_layout.json"])
    for batch in (new, mid):
        assert batch.metrics["lives_per_month"].value == 3
        assert batch.metrics["live_avg_minutes"].value == pytest.approx((48 + 62 + 35) / 3, 0.01)
        diamonds = sorted(e.original_amount for e in batch.events)
        assert diamonds == [610, 1340, 2105]
        # 200 diamonds = $1 on the seed card
        assert sorted(str(e.amount) for e in batch.events) == ["10.53", "3.05", "6.70"]


def test_studio_live_table_and_export_agree_on_sessions(downloaded: Path) -> None:
    studio = extract_paths([downloaded / "tiktok_studio/LIVE_GUESSED"])
    export = extract_paths([downloaded / "personal_export/user_data_tiktok.json"])
    assert studio.metrics["lives_per_month"].value == export.metrics["lives_per_month"].value
    assert studio.metrics["live_avg_minutes"].value == export.metrics["live_avg_minutes"].value


def test_shop_sources_agree_on_shared_orders(downloaded: Path) -> None:
    api = extract_paths([downloaded / "tiktok_shop/partner_api_affiliate_creator_orders_search"
                                      ".response.json"])
    csv_batch = extract_paths([downloaded / "tiktok_shop/affiliate_orders_export"
                                            ".seller_center_style.csv"])
    by_key = {e.natural_key: e.amount for e in csv_batch.events}
    assert len(api.events) == 3
    for event in api.events:
        assert by_key[event.natural_key] == event.amount
    # 8 rows, one cancelled: 7 sales; commission = sum of the CSV's estimates
    rows = list(csv.DictReader((downloaded / "tiktok_shop/affiliate_orders_export"
                                ".seller_center_style.csv").open()))
    sales = [r for r in rows if r["Order Status"] != "Canceled"]
    assert len(csv_batch.events) == len(sales) == 7
    from decimal import Decimal

    assert sum(e.amount for e in csv_batch.events) == sum(
        Decimal(r["Est. standard commission payment"]) for r in sales)
