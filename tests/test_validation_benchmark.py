"""benchmarks/validation.py: scoring rules, bands, card ranking, the repo's case and benchmark files.

Everything read here lives in tests/data/validation (nothing from ../shared)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "validation"
sys.path.insert(0, str(ROOT / "benchmarks"))

import validation as v  # noqa: E402
import validation_tiers as vt  # noqa: E402
from kreator.ratecards import card_ids, load_card  # noqa: E402

CASE_FILES = sorted(DATA.glob("*cases*.yaml"))


def monthly(p10: float, p50: float, p90: float) -> Any:
    return SimpleNamespace(p10=p10, p50=p50, p90=p90)


def case(target: dict[str, Any], followers: int = 5000, views: int = 100_000,
         stream: str = "creator_rewards", card: str = "current") -> dict[str, Any]:
    return {"id": "t", "grade": "B", "stream": stream, "card": card, "_file": "x",
            "profile": {"followers": followers, "views_30d": views}, "target": target,
            "quote": "q", "source_url": "https://example.org/a"}


# ------------------------------------------------------------------ bands
@pytest.mark.parametrize(("followers", "band"), [
    (0, "starter"), (999, "starter"), (1_000, "nano"), (9_999, "nano"), (10_000, "micro"),
    (49_999, "micro"), (50_000, "mid"), (499_999, "mid"), (500_000, "macro+"),
    (2_000_000_000, "macro+")])
def test_band_edges_belong_to_the_upper_band(followers: int, band: str) -> None:
    assert v.band(followers) == band


# ------------------------------------------------------------------ scoring rules
@pytest.mark.parametrize(("check", "value", "expected"), [
    ("point", 9.99, False), ("point", 10, True), ("point", 50, True), ("point", 100, True),
    ("point", 100.01, False),
    ("upper_bound", 9.99, False), ("upper_bound", 10, True), ("upper_bound", 1e6, True),
    ("lower_bound", 100.01, False), ("lower_bound", 100, True), ("lower_bound", 0.01, True)])
def test_checks_follow_the_readme(check: str, value: float, expected: bool) -> None:
    assert v.covered(check, value, 10.0, 100.0) is expected


def test_a_range_is_scored_on_its_geometric_midpoint() -> None:
    target = {"kind": "per_stream", "check": "range", "reported_usd": [100, 400]}
    assert v.target_value(target) == pytest.approx(200.0)
    # midpoint 200 is inside 150..250 although neither end is; outside 210..1000 although 400 is in
    assert v.score_target(case(target), target, monthly(150, 200, 250), "seed")["covered"]
    assert not v.score_target(case(target), target, monthly(210, 300, 1000), "seed")["covered"]


def test_per_1k_views_on_total_views_uses_the_monthly_equivalent_or_divides() -> None:
    with_eq = {"kind": "per_1k_views", "basis": "total_views", "reported_usd": 0.3,
               "monthly_equivalent_usd": 30.0}
    row = v.score_target(case(with_eq), with_eq, monthly(20, 30, 40), "current")
    assert (row["target"], row["p10"], row["p90"], row["covered"]) == (30.0, 20, 40, True)
    without = {"kind": "per_1k_views", "basis": "total_views", "reported_usd": 0.3}
    row = v.score_target(case(without), without, monthly(20, 30, 40), "current")
    assert row["p10"] == pytest.approx(0.2) and row["p90"] == pytest.approx(0.4)
    assert row["target"] == 0.3 and row["covered"]


def test_qualified_views_basis_divides_by_the_cards_qualified_share() -> None:
    share = v.qualified_share("current")
    assert 0 < share <= 1
    target = {"kind": "per_1k_views", "basis": "qualified_views", "reported_usd": 0.5,
              "monthly_equivalent_usd": 999.0}  # ignored: the rate is per qualified view
    m = monthly(30, 60, 120)
    row = v.score_target(case(target, views=100_000), target, m, "current")
    assert row["p10"] == pytest.approx(30 / (100 * share))
    assert row["p90"] == pytest.approx(120 / (100 * share))
    assert row["target"] == 0.5
    assert row["covered"] == (row["p10"] <= 0.5 <= row["p90"])
    high = {**target, "reported_usd": 2 * row["p90"]}
    assert not v.score_target(case(high), high, m, "current")["covered"]


def test_monthly_kinds_are_compared_as_they_are() -> None:
    for kind in ("monthly_total", "per_stream", "per_video"):
        target = {"kind": kind, "reported_usd": 5.0}
        row = v.score_target(case(target), target, monthly(4, 5, 6), "seed")
        assert (row["p10"], row["p90"], row["covered"]) == (4, 6, True)


def test_sharpness_is_infinite_without_a_floor_and_absent_without_money() -> None:
    assert v.sharpness(2.0, 16.0) == 8.0
    assert v.sharpness(0.0, 5.0) == math.inf
    assert v.sharpness(0.0, 0.0) is None


def test_summary_counts_primary_rows_and_takes_the_median_ratio() -> None:
    rows = [{"covered": True, "ratio": 2.0}, {"covered": False, "ratio": math.inf},
            {"covered": True, "ratio": None}, {"covered": True, "ratio": 4.0},
            {"covered": False, "ratio": 100.0, "secondary": True}]
    s = v.summarise(rows)
    assert (s["cases"], s["covered"], s["coverage"]) == (4, 3, 0.75)
    assert s["median_p90_over_p10"] == 4.0  # median of 2, 4, inf
    assert s["goal_met"] is False  # 75% < 80%
    assert v.summarise([{"covered": True, "ratio": 8.0}])["goal_met"] is True
    assert v.summarise([{"covered": True, "ratio": 8.01}])["goal_met"] is False


# ------------------------------------------------------------------ real model
def public_cases() -> list[dict[str, Any]]:
    return v.load_cases(DATA / "public_cases.yaml")


def test_every_public_case_scores_consistently_on_its_own_card() -> None:
    rows = v.score(public_cases())
    assert len([r for r in rows if not r.get("secondary")]) == len(public_cases())
    for r in rows:
        assert r["p10"] <= r["p50"] <= r["p90"]
        assert r["band"] == v.band(r["followers"])
        if r["check"] in ("point", "range"):
            assert r["covered"] == (r["p10"] <= r["target"] <= r["p90"])


def test_a_case_whose_stream_the_card_lacks_is_not_covered() -> None:
    rewards = next(c for c in public_cases() if c["stream"] == "creator_rewards")
    seed = load_card("seed")
    assert "creator_rewards" not in seed.streams
    row = v.run_case(rewards, card="seed")[0]
    assert row["stream_missing"] and not row["covered"] and row["card"] == "seed"


def test_builtin_cards_lists_each_card_once_without_aliases() -> None:
    cards = v.builtin_cards()
    assert len(cards) == len(set(cards)) >= 2
    assert {load_card(c).id for c in cards} == set(cards) == {load_card(r).id for r in card_ids()}
    assert "current" not in cards and "default" not in cards


def test_cards_rank_by_coverage_then_sharpness() -> None:
    results = {"a": [(True, 2.0), (False, 2.0)],           # 50%, sharp
               "b": [(True, 10.0), (True, 10.0)],          # 100%, wide
               "c": [(True, 5.0), (True, 5.0)],            # 100%, sharper than b
               "d": [(False, None), (True, None)],          # 50%, no sharpness: after a
               "e": [(True, 1.5), (False, 1.5)]}            # 50%, sharpest of the 50%
    def scorer(cases: list[dict[str, Any]], card: str) -> list[dict[str, Any]]:
        return [{"id": f"{card}{i}", "covered": c, "ratio": r, "stream_missing": r is None and i == 0}
                for i, (c, r) in enumerate(results[card])]
    table = v.rank_cards([], cards=list(results), scorer=scorer)
    assert [e["card"] for e in table] == ["c", "b", "e", "a", "d"]
    assert table[-1]["missing_stream"] == ["d0"]


def test_rank_cards_on_the_real_model_is_ordered() -> None:
    table = v.rank_cards(public_cases())
    keys = [v.rank_key(e) for e in table]
    assert keys == sorted(keys)
    assert {e["card"] for e in table} == set(v.builtin_cards())


# ------------------------------------------------------------------ the repo's files
@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_every_case_file_parses_with_every_required_field(path: Path) -> None:
    raw = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(raw, list) and raw
    ids = [c["id"] for c in raw]
    assert len(ids) == len(set(ids)), "case ids repeat"
    for c in raw:
        assert v.case_problems(c, record=True) == [], c.get("id")
        assert c["source_url"].startswith(("https://", "http://"))
        assert len(str(c["quote"]).strip()) >= 10
    assert len(v.load_cases(path)) == sum(c.get("usable", True) is not False for c in raw)


def test_the_repo_has_more_than_the_public_cases() -> None:
    names = {p.name for p in CASE_FILES}
    assert {"public_cases.yaml", "more_cases.yaml"} <= names


def test_case_ids_are_unique_across_files() -> None:
    ids = [c["id"] for p in CASE_FILES for c in yaml.safe_load(p.read_text("utf-8"))]
    assert len(ids) == len(set(ids))


def test_a_broken_case_file_names_file_case_and_field(tmp_path: Path) -> None:
    bad = [dict(case({"kind": "per_stream", "check": "inside", "reported_usd": -1}))]
    bad[0].pop("_file")
    bad[0].pop("source_url")
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad), "utf-8")
    with pytest.raises(v.CaseFileError) as err:
        v.load_cases(path)
    text = str(err.value)
    for part in ("bad.yaml", "case t", "target.check", "target.reported_usd"):
        assert part in text
    assert "source_url: missing" in "; ".join(v.case_problems(bad[0], record=True))
    assert "source_url" not in "; ".join(v.case_problems(bad[0]))


def test_the_script_exits_2_on_a_broken_case_file(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("cases: not a list\n", "utf-8")
    assert v.main(["--cases", str(path)]) == 2
    assert "bad.yaml" in capsys.readouterr().err


def test_json_output_has_rows_summaries_and_tiers(capsys: pytest.CaptureFixture[str]) -> None:
    assert v.main(["--cases", str(DATA / "public_cases.yaml"), "--json", "--card", "current"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {r["card"] for r in out["rows"]} == {"current"}
    assert out["summary"]["overall"]["cases"] == len(public_cases())
    assert list(out["summary"]["by_band"]) == [b for b, _ in v.BANDS]  # every band, in order
    assert out["summary"]["public_goals"]["overall"]["cases"] == len(public_cases())
    assert out["tiers"] and all(t["source_url"].startswith("http") for t in out["tiers"])


# ------------------------------------------------------------------ tier benchmarks
def test_benchmark_file_has_a_source_and_quote_for_every_figure() -> None:
    data = vt.load_benchmarks(DATA / "benchmarks.yaml")
    bands = data["typical"]["followers"]["value"]
    for fig in data["figures"]:
        assert vt.figure_problems(fig, bands) == [], fig["id"]
    for key in ("view_rate", "engagement_rate"):
        assert data["typical"][key]["source"].startswith("https://")
        assert data["typical"][key]["quote"]


def test_a_figure_without_a_url_or_quote_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load((DATA / "benchmarks.yaml").read_text("utf-8"))
    data["figures"][0]["source_url"] = "sponsorrate blog"
    data["figures"][0].pop("quote")
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    with pytest.raises(vt.BenchmarkFileError, match=r"quote: missing; .*source_url: not a web address"):
        vt.load_benchmarks(path)


def test_typical_profile_follows_the_stated_rules() -> None:
    data = vt.load_benchmarks(DATA / "benchmarks.yaml")
    typ = data["typical"]
    p = vt.typical_profile(typ, "micro")
    f = typ["followers"]["value"]["micro"]
    videos = typ["videos_30d"]["value"]
    assert p["followers"] == f and p["videos_30d"] == videos
    assert p["views_30d"] == round(videos * typ["view_rate"]["value"] * f)
    eng = p["likes_30d"] + p["comments_30d"] + p["shares_30d"]
    assert eng == pytest.approx(typ["engagement_rate"]["value"]["micro"] * p["views_30d"], abs=2)
    assert vt.typical_profile(typ, "nano", followers=7071.0)["followers"] == 7071


def test_tier_rows_compare_the_median_with_the_published_range() -> None:
    rows = vt.tier_table(DATA / "benchmarks.yaml", "current")
    assert rows
    for r in rows:
        if r["eligible"]:
            assert r["inside"] == (r["low"] <= r["p50"] <= r["high"])
            assert r["p10"] <= r["p50"] <= r["p90"]
        else:
            assert r["inside"] is None


def test_one_sponsored_post_metric_is_the_sponsorship_stream_for_one_post() -> None:
    import kreator

    data = vt.load_benchmarks(DATA / "benchmarks.yaml")
    p = vt.typical_profile(data["typical"], "nano")
    got = vt.model_figure(p, "sponsored_post_usd", "seed")
    est = kreator.estimate({**p, "sponsored_posts_per_month": 1}, card="seed", seed=1)
    assert got["p50"] == est.stream("sponsorship").monthly.p50


def test_current_era_keeps_the_cases_whose_card_is_the_newest_base_card() -> None:
    cases = [case({"kind": "per_stream", "reported_usd": 1.0}, card=c)
             for c in ("current", load_card("current").id, "seed")]
    assert [c["card"] for c in v.current_era(cases)] == ["current", load_card("current").id]


def test_a_figure_with_a_niche_prices_that_niche(tmp_path: Path) -> None:
    data = yaml.safe_load((DATA / "benchmarks.yaml").read_text("utf-8"))
    fig = {"id": "x", "metric": "shop_commission_rate", "band": "micro", "low": 0.1, "high": 0.2,
           "unit": "share", "source_url": "https://example.org", "source_date": "2026", "quote": "q"}
    data["figures"] = [fig, {**fig, "id": "y", "niche": "beauty"}]
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    rows = vt.tier_table(path, "current")
    assert [r["niche"] for r in rows] == ["other", "beauty"]
    p = {**vt.typical_profile(data["typical"], "micro"), "niche": "beauty"}
    assert rows[1]["p50"] == vt.model_figure(p, "shop_commission_rate", "current")["p50"]


def test_a_potential_metric_reads_the_streams_potential() -> None:
    import kreator

    data = vt.load_benchmarks(DATA / "benchmarks.yaml")
    p = vt.typical_profile(data["typical"], "nano")
    got = vt.model_figure(p, "live_gifts_potential_monthly_usd", "current")
    potential = kreator.estimate(p, card="current", seed=1).stream("live_gifts").potential
    assert potential is not None and got["p50"] == potential.monthly.p50
