"""What a visitor sees, measured in headless Chromium (issue 13): the import page's drop zone is
one frame around its text, and chart text stays readable on a phone.

Runs against a real ``kreator serve`` (fixtures shared with tests/test_web_browser.py)."""

from __future__ import annotations

import pytest
from tests.test_web_browser import ARGS, CHROMIUM, base_url, browser  # noqa: F401

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
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
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
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
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
