"""Chart definitions: every chart renders a non-empty PNG of its documented pixel size and a
well-formed SVG; the tornado's words and bars are golden (KREATOR_UPDATE_GOLDEN=1 rewrites)."""

from __future__ import annotations

import datetime as dt
import io
import os
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from kreator.core.advise import advise
from kreator.core.demo import DEMO
from kreator.core.estimate import estimate
from kreator.core.growth import project
from kreator.core.sensitivity import batch_draws, tornado
from kreator.ratecards import load_card
from kreator.ratecards.levers import load_levers
from kreator.report import charts

DATA = Path(__file__).parent / "data" / "advise"
UPDATE = os.environ.get("KREATOR_UPDATE_GOLDEN") == "1"
SVG = "{http://www.w3.org/2000/svg}"
SEED = load_card("seed")
LEVERS = load_levers()


def build(name: str, lang: str = "en") -> charts.Chart:
    if name == "tornado":
        return charts.tornado_chart(tornado(DEMO, SEED, draws=2000), "USD", lang)
    if name == "distribution":
        est = estimate(DEMO, SEED, draws=2000)
        return charts.distribution_chart(batch_draws([DEMO], SEED, draws=2000, seed=0)[0],
                                         est.monthly, "USD", lang)
    if name == "growth":
        proj = project(DEMO, SEED, LEVERS.growth, start=dt.date(2026, 11, 26), draws=2000)
        return charts.growth_chart(proj, "USD", lang, thresholds=[("Creator Fund", 10_000)])
    if name == "engagement":
        return charts.engagement_chart(7.4, "nano", (6.0, 10.0), lang)
    if name == "audience":
        return charts.audience_chart({"US": 0.55, "GB": 0.15, "CA": 0.1}, lang)
    if name == "advice":
        return charts.advice_chart(advise(DEMO, SEED, LEVERS, draws=2000), "USD", lang)
    assert name == "estimate"
    return charts.estimate_chart(estimate(DEMO, SEED, draws=2000), lang)


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    w, h = struct.unpack(">II", png[16:24])
    return int(w), int(h)


@pytest.mark.parametrize("name", [*charts.SIZES, "estimate"])
def test_png_is_non_empty_and_of_the_expected_size(name: str) -> None:
    import matplotlib.image as mpimg

    chart = build(name)
    w, h = png_size(chart.png)
    if name in charts.SIZES:
        inches = charts.SIZES[name]
        assert (w, h) == (round(inches[0] * charts.DPI), round(inches[1] * charts.DPI))
    assert (w, h) == (chart.width, chart.height)
    pixels = mpimg.imread(io.BytesIO(chart.png))
    assert pixels.shape[:2] == (h, w)
    assert float(np.std(pixels[..., :3])) > 0.02  # something was drawn, not a blank canvas
    root = ET.fromstring(chart.svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == f"{chart.width * 72 / charts.DPI:g}pt"


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [("".join(el.itertext())).strip() for el in root.iter(f"{SVG}text")]


def outline(chart: charts.Chart) -> str:
    """The words on the chart, and how many bars: what a reader sees, not the coordinates."""
    root = ET.fromstring(chart.svg)
    bars = [g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("patch_")]
    return "\n".join([f"size {chart.width}x{chart.height}", f"patches {len(bars)}",
                      *svg_texts(chart.svg)]) + "\n"


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_sensitivity_chart_golden(lang: str) -> None:
    got = outline(build("tornado", lang))
    path = DATA / f"tornado_chart_{lang}.txt"
    if UPDATE or not path.exists():
        path.write_text(got, "utf-8")
    assert got == path.read_text("utf-8")


def test_svg_is_deterministic() -> None:
    assert build("tornado").svg == build("tornado").svg


def test_tornado_chart_shows_the_widest_inputs_first() -> None:
    tor = tornado(DEMO, SEED, draws=2000)
    texts = svg_texts(charts.tornado_chart(tor, "USD").svg)
    names = {"lives_per_month": "lives per month", "followers": "followers",
             "engagement": "engagement (likes, comments, shares)", "quality": "quality",
             "shop_gmv_per_month": "shop gmv per month", "views_30d": "views 30d"}
    shown = [s for s in tor.swings if s.width > 0 and s.input in names]
    labels = [t for t in texts if t in {names[s.input] for s in shown}]
    # y ticks are drawn bottom-up: the narrowest bar comes first in the SVG, the widest last
    assert labels[-1] == names[shown[0].input]
    assert "followers" in texts  # size pays: followers have a swing, and a bar


def test_estimate_ranges_still_returns_svg_text() -> None:
    svg = charts.estimate_ranges(estimate(DEMO, SEED, draws=2000))
    assert isinstance(svg, str) and "<svg" in svg and "Sponsorships" in svg


def test_growth_chart_marks_the_thresholds_of_locked_streams_by_default() -> None:
    proj = project(DEMO, SEED, LEVERS.growth, start=dt.date(2026, 11, 26), draws=2000)
    o = next(x for x in proj.openings if x.stream == "creator_fund")
    assert o.followers_needed == 10_000
    assert "Creator Fund" in svg_texts(charts.growth_chart(proj, "USD").svg)
    assert "Skaparfonden" in svg_texts(charts.growth_chart(proj, "USD", "sv").svg)
