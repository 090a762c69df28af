"""Every page, both languages, a phone and a desktop (issue 13): nothing wider than the screen,
no English catalog text on a Swedish page, no Python repr, no float shown past its precision,
no command-line option (``--fx-rate``) in the browser.

Runs in Debian's headless Chromium against a real ``kreator serve`` (see
tests/test_web_browser.py for the fixtures it shares)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from tests.test_web_browser import ARGS, CHROMIUM, base_url, browser, open_page  # noqa: F401

pytestmark = pytest.mark.browser

DEMO = "demo=1"
SMALL = "followers=4000&views_30d=40000&niche=beauty"
PAGES = ["/", f"/?{SMALL}", f"/?{DEMO}", f"/advice?{DEMO}", f"/growth?{DEMO}", f"/advice?{SMALL}",
         "/advice", "/upload", "/ledger", "/cards", "/cards/seed", "/cards/current-2025",
         "/cards/fit", "/api",
         "/no-such-page", "/?followers=4.000&views_30d=40000", "/?views_30d=40000",
         f"/?{SMALL}&currency=SEK"]
CATALOGS = Path(__file__).parents[1] / "src" / "kreator" / "i18n"
REPR = re.compile(r"\{'|\['|': |<kreator\.|\bNone\b|\bTrue\b|\bFalse\b|\bnan\b")
LONG_FLOAT = re.compile(r"\d\.\d{5,}")
CLI_FLAG = re.compile(r"(?<![\w-])--[a-z][\w-]*")


def _flat(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        elif isinstance(value, str):
            out[f"{prefix}{key}"] = value
    return out


def english_only() -> list[str]:
    """English catalog sentences that Swedish says differently (long enough to be telling)."""
    en = _flat(tomllib.loads((CATALOGS / "en.toml").read_text("utf-8")))
    sv = _flat(tomllib.loads((CATALOGS / "sv.toml").read_text("utf-8")))
    out = []
    for key, text in en.items():
        plain = re.sub(r"\{[^}]*\}", "", text)
        if len(plain) >= 18 and "{" not in text and sv.get(key) != text and key.startswith("web."):
            out.append(plain)
    return out


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_page_fits_and_speaks_one_language(browser, base_url: str, lang: str,  # noqa: F811
                                                 width: int) -> None:
    context, page = open_page(browser, base_url, viewport={"width": width, "height": 900},
                              locale="sv-SE" if lang == "sv" else "en-US")
    english = english_only() if lang == "sv" else []
    problems = []
    for path in PAGES:
        sep = "&" if "?" in path else "?"
        page.goto(f"{base_url}{path}{sep}lang={lang}")
        page.wait_for_load_state("networkidle")
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width:
            problems.append(f"{path}: {wide} px wide at {width}")
        text = page.locator("main").inner_text()
        visible = re.sub(r"https?://\S+|/[\w./-]+\.\w+|`[^`]*`", "", text)
        if m := REPR.search(visible):
            problems.append(f"{path}: Python repr {m.group(0)!r}")
        prose = page.evaluate("() => { const m = document.querySelector('main').cloneNode(true);"
                              " m.querySelectorAll('code').forEach(c => c.remove());"
                              " return m.textContent; }")  # code samples may show the CLI
        if m := CLI_FLAG.search(prose):
            problems.append(f"{path}: a command-line option in the browser {m.group(0)!r}")
        if m := LONG_FLOAT.search(visible):
            problems.append(f"{path}: float past display precision {m.group(0)}")
        problems += [f"{path}: English on a Swedish page: {s!r}" for s in english if s in text]
    context.close()
    assert not problems, "\n".join(problems)
