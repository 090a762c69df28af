"""levers.toml: every figure sourced or marked an assumption; bad files name the key."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

import pytest

from kreator.core.advise import TIPS
from kreator.core.card import Figure
from kreator.core.errors import CardError
from kreator.core.profile import TIERS
from kreator.ratecards.levers import build_levers, load_levers


def raw() -> dict[str, Any]:
    return tomllib.loads(resources.files("kreator.ratecards").joinpath("levers.toml")
                        .read_text("utf-8"))


def figures() -> list[Figure]:
    lv = load_levers()
    out: list[Figure] = []
    for lever in lv.levers:
        out.append(lever.hours)
        out += [c.figure for c in lever.changes] + [s.figure for s in lever.skip_if]
    g, p = lv.growth, lv.pricing
    out += [g.rate_cv, g.shock_cv, g.min_rate_sd, g.views_elasticity]
    out += [p.bundle_three, p.usage_rights, p.exclusivity, p.fair_band]
    return out + list(lv.benchmarks.values())


def test_every_figure_has_a_source_a_date_and_a_note_field() -> None:
    figs = figures()
    assert len(figs) > 30
    for f in figs:
        assert f.source.strip() and f.source_date.strip(), f.key
        assert f.source.startswith(("http", "assumption", "the ", "your ", "seed ")) or \
            "http" in f.source, f.key


def test_assumptions_are_marked_and_urls_are_real_links() -> None:
    sourced = [f for f in figures() if "http" in f.source]
    assumed = [f for f in figures() if f.source.startswith("assumption")]
    assert sourced and assumed
    for f in sourced:
        for part in f.source.split(" ; "):
            if part.startswith("http"):
                assert part.startswith("https://") and " " not in part, f.key


def test_every_tip_has_a_lever_and_every_tier_a_benchmark() -> None:
    lv = load_levers()
    assert {x.tip for x in lv.levers} == set(TIPS)
    assert set(lv.benchmarks) == {t for t, _ in TIERS}
    nano = lv.benchmarks["nano"]
    assert (nano.low, nano.high) == (6, 10)


@pytest.mark.parametrize("path,value,key", [
    (("levers", "go_live", "changes", 0, "op"), "explode", "levers.go_live.changes[0].op"),
    (("levers", "go_live", "changes", 0, "field"), "fans", "levers.go_live.changes[0].field"),
    (("levers", "go_live", "tip"), "luck", "levers.go_live.tip"),
    (("levers", "go_live", "changes", 0, "source"), "", "levers.go_live.changes[0].source"),
    (("levers", "post_more", "changes", 1, "of"), None, "levers.post_more.changes[1].of"),
    (("pricing", "usage_rights", "low"), "lots", "pricing.usage_rights.low"),
    (("growth", "rate_cv"), None, "growth.rate_cv"),
])
def test_bad_levers_name_the_key(path: tuple[Any, ...], value: Any, key: str) -> None:
    data = raw()
    node: Any = data
    for p in path[:-1]:
        node = node[p]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    with pytest.raises(CardError) as e:
        build_levers(data, "mine.toml")
    assert e.value.field == key and e.value.where == "mine.toml"


def test_a_tip_without_a_lever_is_refused() -> None:
    data = raw()
    for lid in [k for k, v in data["levers"].items() if v["tip"] == "consistency"]:
        del data["levers"][lid]
    with pytest.raises(CardError, match="missing: consistency"):
        build_levers(data)


def test_user_levers_file(cli, tmp_path) -> None:
    text = resources.files("kreator.ratecards").joinpath("levers.toml").read_text("utf-8")
    mine = tmp_path / "levers.toml"
    mine.write_text(text.replace("value = 8\nunit = \"live streams a month\"",
                                 "value = 12\nunit = \"live streams a month\""), "utf-8")
    assert load_levers(mine).levers[3].changes[0].value == 12
    r = cli("advise", "--demo", "--levers", str(tmp_path / "nope.toml"))
    assert r.code == 2 and "cannot read the levers file" in r.err
    broken = tmp_path / "broken.toml"
    broken.write_text("[meta\n", "utf-8")
    r = cli("advise", "--demo", "--levers", str(broken))
    assert r.code == 2 and "broken.toml" in r.err and "not valid TOML" in r.err


@pytest.mark.parametrize(("path", "value", "key", "limit"), [
    # each crashed formatting the money or the followers (decimal.InvalidOperation), or pricing's
    # percentile (ValueError: 1.75, math domain error)
    (("levers", "niche_focus", "hours", "value"), 1e300, "levers.niche_focus.hours.value", "744"),
    (("growth", "rate_cv", "value"), 1e300, "growth.rate_cv.value", "10"),
    (("growth", "min_rate_sd", "value"), 1e300, "growth.min_rate_sd.value", "1,000,000"),
    (("pricing", "bundle_three", "high"), 1e300, "pricing.bundle_three.high", "100"),
    (("pricing", "usage_rights", "high"), 1e300, "pricing.usage_rights.high", "100"),
    (("pricing", "fair_band", "high"), 175, "pricing.fair_band.high", "99"),
    (("benchmarks", "engagement", "nano", "high"), 1e9, "benchmarks.engagement.nano.high", "100"),
])
def test_assumptions_beyond_what_can_be_shown(path: tuple[Any, ...], value: Any, key: str,
                                              limit: str) -> None:
    data = raw()
    node: Any = data
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    with pytest.raises(CardError) as e:
        build_levers(data, "mine.toml")
    assert e.value.field == key and e.value.where == "mine.toml"
    assert f"expected a number from 0 to {limit}" in e.value.message


def test_a_lever_stops_at_the_most_a_field_takes(cli) -> None:
    """A creator at 300 sponsored posts a month (the most a profile takes) was refused by advise
    because the niche lever adds 0.25: "sponsored_posts_per_month: ... (got 300.25)"."""
    r = cli("advise", "--followers", "4000", "--views-30d", "40000",
            "--sponsored-posts-per-month", "300", "--json")
    assert r.code == 0, r.err
