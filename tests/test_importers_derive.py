"""Derivations over a window, each checked against numbers worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kreator.core.errors import ImportIncompleteError, ProfileError
from kreator.importers import extract_paths, profile_from_paths

DATA = Path(__file__).parent / "data" / "importers"


def write_json(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc))
    return path


def export(path: Path, *, followers: int = 4012, posts: list[str] | None = None,
           lives: list[dict[str, Any]] | None = None, fans: list[str] | None = None) -> Path:
    """A minimal 2025-26 personal export."""
    return write_json(path, {
        "Profile And Settings": {"Profile Info": {"ProfileMap": {"followerCount": followers}},
                                 "Follower": {"FansList": [{"Date": d, "UserName": f"u{i}"}
                                                           for i, d in enumerate(fans or [])]}},
        "Post": {"Posts": {"VideoList": [{"Date": d, "Likes": "10"} for d in posts or []]}},
        "TikTok Live": {"Go Live History": {"GoLiveList": lives or []}}})


def overview(path: Path, days: list[dt.date], views: list[int]) -> Path:
    lines = ['"Date","Video Views","Profile Views","Likes","Comments","Shares"']
    lines += [f'"{d:%B} {d.day}","{v}","1","{v // 10}","{v // 100}","{v // 100}"'
              for d, v in zip(days, views, strict=True)]
    path.write_text("\n".join(lines), "utf-8-sig")
    return path


def test_window_ends_at_the_latest_data_across_files(tmp_path: Path) -> None:
    ov = overview(tmp_path / "Overview.csv", [dt.date(2026, 5, 1), dt.date(2026, 5, 2)], [10, 20])
    ex = export(tmp_path / "user_data_tiktok.json", posts=["2026-05-09 10:00:00"])
    batch = extract_paths([ov, ex], as_of=None)
    assert (batch.window.start, batch.window.end) == (dt.date(2026, 4, 10), dt.date(2026, 5, 9))
    assert batch.window.basis == "the latest data"


def test_as_of_and_window_days_normalise_to_30_days(tmp_path: Path) -> None:
    days = [dt.date(2026, 3, 1) + dt.timedelta(days=i) for i in range(60)]
    ov = overview(tmp_path / "Overview.csv", days, [100] * 60)
    ex = export(tmp_path / "user_data_tiktok.json",
                posts=[f"{d} 12:00:00" for d in days[::3]])  # 20 posts in 60 days
    batch = extract_paths([ov, ex], window_days=60, as_of=days[-1])
    assert batch.window.days == 60
    assert batch.metrics["views_30d"].value == 3000  # 100 a day
    assert batch.metrics["videos_30d"].value == 10  # 20 in 60 days
    short = extract_paths([ov, ex], window_days=10, as_of=days[-1])
    assert short.metrics["views_30d"].value == 3000
    assert short.metrics["videos_30d"].value == round(len(
        [d for d in days[::3] if d > days[-1] - dt.timedelta(days=10)]) * 3)


def test_window_days_must_be_sensible() -> None:
    with pytest.raises(ProfileError, match="1 to 366"):
        extract_paths([DATA / "display_api"], window_days=0)


def test_posts_from_export_and_api_are_joined_by_time(tmp_path: Path) -> None:
    when = dt.datetime(2026, 5, 10, 13, 31, tzinfo=dt.UTC)
    ex = export(tmp_path / "user_data_tiktok.json",
                posts=[when.strftime("%Y-%m-%d %H:%M:%S"), "2026-05-11 08:00:00"])
    api = write_json(tmp_path / "videos.json", {
        "data": {"videos": [{"id": "1", "create_time": int(when.timestamp()), "view_count": 500,
                             "like_count": 50, "comment_count": 5, "share_count": 2,
                             "duration": 30}], "cursor": 0, "has_more": False},
        "error": {"code": "ok", "message": "", "log_id": "x"}})
    batch = extract_paths([ex, api])
    assert batch.metrics["videos_30d"].value == 2  # the shared video counted once
    assert batch.metrics["avg_video_seconds"].value == 30


def test_a_partial_api_page_is_marked_at_least(tmp_path: Path) -> None:
    batch = extract_paths([DATA / "display_api" / "v2_video_list.response.json"])
    metric = batch.metrics["videos_30d"]
    assert metric.value == 10 and "at least" in metric.note


def test_growth_from_a_complete_follower_list(tmp_path: Path) -> None:
    fans = [f"2026-05-{d:02d} 10:00:00" for d in (1, 2, 3, 18)] + ["2026-01-01 10:00:00"] * 6
    ex = export(tmp_path / "user_data_tiktok.json", followers=10, fans=fans)
    batch = extract_paths([ex])
    assert batch.metrics["follower_growth_per_month"].value == 4
    assert "gross" in batch.metrics["follower_growth_per_month"].note


def test_a_truncated_follower_list_gives_no_growth(tmp_path: Path) -> None:
    ex = export(tmp_path / "user_data_tiktok.json", followers=4012, fans=["2026-05-18 10:00:00"])
    batch = extract_paths([ex])
    assert "follower_growth_per_month" not in batch.metrics
    assert "too few" in batch.info["follower_list"].note


def test_lives_and_diamonds_use_the_card_rate(tmp_path: Path) -> None:
    lives = [{"LiveStartTime": f"2026-05-{d:02d} 20:00:00", "RoomId": str(d), "LiveDuration": m,
              "TotalEarning": e, "TotalView": "100"} for d, m, e in ((2, 30, 200), (9, 90, 1001))]
    ex = export(tmp_path / "user_data_tiktok.json", lives=lives)
    batch = extract_paths([ex], card="current")
    assert batch.metrics["lives_per_month"].value == 2
    assert batch.metrics["live_avg_minutes"].value == 60
    assert "live_avg_viewers" not in batch.metrics  # TotalView counts views, not concurrency
    amounts = {e.natural_key: e.amount for e in batch.events}
    assert amounts == {"tiktok-live:2": Decimal("1.00"), "tiktok-live:9": Decimal("5.01")}
    assert all(e.original_currency == "DIAMOND" and e.fx_rate == Decimal("0.005")
               for e in batch.events)


def test_shop_money_in_another_currency_is_converted_for_the_profile(tmp_path: Path) -> None:
    from kreator.ratecards import fx_table

    csv_path = tmp_path / "affiliate_orders.csv"
    csv_path.write_text(
        "Order ID;SKU ID;Currency;Order Status;Standard commission rate;Est. Commission Base;"
        "Est. standard commission payment;Time Created;Time Commission Paid\n"
        "1;A;EUR;Completed;10%;100,00 €;10,00 €;02/05/2026 10:00:00;\n"
        "2;A;EUR;Cancelled;10%;50,00 €;5,00 €;03/05/2026 10:00:00;\n", "utf-8")
    batch = extract_paths([csv_path])
    per_usd = Decimal(str(fx_table()["rates"]["EUR"]["per_usd"]))
    assert batch.metrics["shop_gmv_per_month"].value == pytest.approx(
        float(Decimal(100) / per_usd), abs=0.01)
    assert batch.metrics["shop_commission_rate"].value == pytest.approx(0.10)
    assert [(e.amount, e.currency) for e in batch.events] == [(Decimal("10.00"), "EUR")]


def test_profile_file_fills_gaps_but_exports_win(tmp_path: Path) -> None:
    me = tmp_path / "me.toml"
    me.write_text('followers = 1\nniche = "food"\nage = 30\n')
    ex = export(tmp_path / "user_data_tiktok.json")
    batch = extract_paths([me, ex])
    assert batch.metrics["followers"].value == 4012
    assert batch.metrics["niche"].value == "food"
    assert batch.metrics["niche"].provenance == "me.toml:niche"


def test_profile_needs_views(tmp_path: Path) -> None:
    ex = export(tmp_path / "user_data_tiktok.json")
    with pytest.raises(ImportIncompleteError, match="views_30d"):
        profile_from_paths([ex])


def test_invalid_value_names_its_source(tmp_path: Path) -> None:
    terr = tmp_path / "FollowerTopTerritories.csv"
    terr.write_text('"Top territories","Distribution"\n"US","0.8"\n"GB","0.5"\n')
    ov = overview(tmp_path / "Overview.csv", [dt.date(2026, 5, 1)], [10])
    with pytest.raises(ProfileError) as info:
        profile_from_paths([terr, ov, DATA / "display_api" / "v2_user_info.response.json"],
                           as_of=dt.date(2026, 5, 1))
    assert info.value.field == "audience"
    assert info.value.where == "FollowerTopTerritories.csv:Distribution"


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=60),
       st.integers(min_value=1, max_value=90))
def test_views_are_the_daily_mean_times_30(views: list[int], window: int) -> None:
    import tempfile

    end = dt.date(2026, 5, 18)
    days = [end - dt.timedelta(days=len(views) - 1 - i) for i in range(len(views))]
    with tempfile.TemporaryDirectory() as tmp:
        path = overview(Path(tmp) / "Overview.csv", days, views)
        batch = extract_paths([path], as_of=end, window_days=window)
    used = views[-window:]
    assert batch.metrics["views_30d"].value == round(sum(used) * 30 / len(used))
    assert batch.rows_in == batch.rows_ok + batch.rows_rejected == len(views)
