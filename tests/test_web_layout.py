"""What a visitor sees, measured in headless Chromium (issue 13): the import page's drop zone is
one frame around its text, and chart text stays readable on a phone.

Runs against a real ``kreator serve`` (fixtures shared with tests/test_web_browser.py)."""

from __future__ import annotations

import pytest
from tests.test_web_browser import ARGS, CHROMIUM, base_url, browser, open_page  # noqa: F401

pytestmark = pytest.mark.browser

BOXES = """() => {
  const box = el => { const r = el.getBoundingClientRect();
                      return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
  const zone = document.getElementById("dropzone");
  return {zone: box(zone), display: getComputedStyle(zone).display,
          lines: [...zone.querySelectorAll("strong, span")].flatMap(
              el => [...el.getClientRects()].map(r => ({l: r.left, t: r.top, r: r.right,
                                                          b: r.bottom}))),
          input: box(document.getElementById("upload-files"))};
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_drop_zone_is_one_frame_around_its_text(browser, base_url: str,  # noqa: F811
                                                    width: int, lang: str) -> None:
    """The zone was an inline <label>: its dashed frames wrapped line by line over the text."""
    context, page = open_page(browser, base_url, viewport={"width": width, "height": 900})
    page.goto(f"{base_url}/upload?lang={lang}")
    m = page.evaluate(BOXES)
    context.close()
    zone, border = m["zone"], 2  # the dashed border is 2 px; padding keeps text clear of it
    assert m["display"] == "block"
    assert len(m["lines"]) >= 2
    for line in m["lines"]:
        assert zone["l"] + border < line["l"] and line["r"] < zone["r"] - border, (line, zone)
        assert zone["t"] + border < line["t"] and line["b"] < zone["b"] - border, (line, zone)
    assert zone["b"] <= m["input"]["t"]  # the file input sits below the frame, not under it


def test_live_results_mark_every_bad_field_and_clear_fixed_ones(
        browser, base_url: str) -> None:  # noqa: F811
    context, page = open_page(browser, base_url, viewport={"width": 1280, "height": 900})
    page.goto(f"{base_url}/?followers=4000&views_30d=40000&lang=en")
    invalid = "el => el.getAttribute('aria-invalid')"
    page.fill("#f-followers", "-4")
    page.fill("#f-views_30d", "lots")
    page.wait_for_function("() => document.querySelector('#f-views_30d')"
                           ".getAttribute('aria-invalid') === 'true'")
    assert page.eval_on_selector("#f-followers", invalid) == "true"
    assert page.locator("#results-error li").count() == 2
    page.fill("#f-followers", "4000")
    page.fill("#f-views_30d", "40000")
    page.wait_for_selector("#total-p50")
    assert page.eval_on_selector("#f-followers", invalid) is None
    assert page.eval_on_selector("#f-views_30d", invalid) is None
    context.close()


CHART_TEXT = """async () => {
  // Each chart as the page shows it: its SVG (the source the <picture> chose) laid out at the
  // image's rendered width; every text's font size times the scale it is drawn at.
  const out = [];
  for (const img of document.querySelectorAll("img.chart")) {
    if (!img.complete) { await new Promise(r => img.addEventListener("load", r, {once: true})); }
    const svg = await (await fetch(img.currentSrc)).text();
    const doc = new DOMParser().parseFromString(svg, "image/svg+xml").documentElement;
    const box = document.createElement("div");
    box.style.cssText = `position:absolute;left:0;top:0;width:${img.clientWidth}px`;
    doc.setAttribute("width", "100%");
    doc.removeAttribute("height");
    box.appendChild(document.importNode(doc, true));
    document.body.appendChild(box);
    const sizes = [...box.querySelectorAll("text")].map(text => {
      const m = text.getScreenCTM();
      return parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b);
    });
    const scale = img.clientWidth / img.naturalWidth;
    out.push({id: img.id, src: img.currentSrc, width: img.clientWidth, texts: sizes.length,
              min: Math.min(...sizes), scale: scale,
              right: img.getBoundingClientRect().right});
    box.remove();
  }
  return out;
}"""
CHART_PAGES = ["/?demo=1", "/advice?demo=1", "/growth?demo=1", "/ledger?demo=1"]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_chart_text_is_readable_on_a_phone_and_a_desktop(browser, base_url: str,  # noqa: F811
                                                         lang: str, width: int) -> None:
    """At 390 px the charts' text was drawn at about 4 px (a desktop-sized SVG squeezed)."""
    context, page = open_page(browser, base_url, viewport={"width": width, "height": 900})
    found, small = [], []
    for path in CHART_PAGES:
        page.goto(f"{base_url}{path}&lang={lang}")
        page.wait_for_load_state("networkidle")
        for chart in page.evaluate(CHART_TEXT):
            found.append(chart["id"])
            assert chart["texts"] > 3, chart
            assert chart["right"] <= width, chart  # the chart fits the screen
            assert ("phone=1" in chart["src"]) == (width < 600), chart
            if chart["min"] < 11:
                small.append(f"{path} {chart['id']}: {chart['min']:.1f} px")
            print(f"{lang} {width} {chart['id']}: smallest text {chart['min']:.1f} px")
    context.close()
    assert sorted(found) == ["chart-advice", "chart-estimate", "chart-growth", "chart-ledger"]
    assert not small, small
