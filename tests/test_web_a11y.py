"""An accessibility scan of every page (issue 13): axe-core (vendored, tests/vendor/axe-core)
in headless Chromium, both languages on a phone and English on a desktop (the Swedish desktop
adds nothing the others miss and costs half a minute); no serious or critical violation.

Runs against a real ``kreator serve`` (fixtures shared with tests/test_web_browser.py). The
pages' Content-Security-Policy forbids inline scripts, so the scanning context bypasses it to
inject axe; the pages themselves are unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest
from tests.test_web_browser import ARGS, CHROMIUM, api_headers, base_url, browser, open_page  # noqa: F401
from tests.test_web_walk import PAGES

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
SCAN = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(
  v => ({id: v.id, impact: v.impact, help: v.help,
         nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""
A11Y_PAGES = [*PAGES, "/ledger?demo=1", "/cards?demo=1", "/login"]


def test_the_vendored_axe_is_the_published_file() -> None:
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256
    assert AXE.read_text("utf-8").startswith("/*! axe v4.14.1")


@pytest.mark.parametrize(("lang", "width"), [("en", 390), ("sv", 390), ("en", 1280)])
def test_no_serious_accessibility_violation_on_any_page(browser, base_url: str,  # noqa: F811
                                                        lang: str, width: int) -> None:
    httpx.post(f"{base_url}/api/v1/ledger/events", json={  # a ledger with an entry to edit
        "stream": "live_gifts", "amount": "12.50", "currency": "USD", "date": "2026-04-01"},
        headers=api_headers(base_url)).raise_for_status()
    context, page = open_page(browser, base_url, viewport={"width": width, "height": 900},
                              bypass_csp=True, locale="sv-SE" if lang == "sv" else "en-US")
    script = AXE.read_text("utf-8")
    serious, lesser = [], []
    for path in A11Y_PAGES:
        sep = "&" if "?" in path else "?"
        page.goto(f"{base_url}{path}{sep}lang={lang}")
        page.wait_for_load_state("networkidle")
        page.add_script_tag(content=script)
        found = page.evaluate(SCAN)
        print(f"axe {lang} {width} {path}: {len(found)} violation(s)"
              + "".join(f"; {v['impact']} {v['id']}" for v in found))
        for v in found:
            line = f"{path}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}"
            (serious if v["impact"] in ("serious", "critical") else lesser).append(line)
    context.close()
    assert not serious, "\n".join(serious + lesser)
