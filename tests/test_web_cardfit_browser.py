"""The fit page in a real headless Chromium against a real ``kreator serve --db --cards-dir``
(a SQLite ledger built through the ledger's API): on a 390 px phone in English and Swedish the
fit runs, its report fits the screen (the table scrolls inside its box), the download is a card
and the cards page lists it with its provenance."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.serve_support import start_serve, wait_up
from tests.test_web_browser import ARGS, CHROMIUM, browser  # noqa: F401
from tests.test_web_cardfit import build_ledger
from tests.test_web_walk import english_only

from kreator.ratecards import load_card

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``kreator serve`` on a free port with a ledger of 12 creators and a cards folder."""
    root = tmp_path_factory.mktemp("fitserve")
    db = root / "ledger.sqlite"
    build_ledger(db, creators=12, months=2)
    cards = root / "cards"
    proc, info = start_serve("--db", str(db), "--cards-dir", str(cards))
    url = info["url"].rstrip("/")
    wait_up(url)
    yield url, cards
    proc.terminate()
    proc.wait(timeout=10)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_fit_on_a_phone(browser, served, lang: str, tmp_path: Path) -> None:  # noqa: F811
    url, cards = served
    context = browser.new_context(viewport={"width": 390, "height": 800}, accept_downloads=True,
                                  locale="sv-SE" if lang == "sv" else "en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{url}/cards/fit?lang={lang}")
    # the script says what is being fitted while the server works (a synthetic submit event
    # runs the page's handlers without sending the form)
    page.evaluate("document.getElementById('fit-form').dispatchEvent(new Event('submit'))")
    busy = page.locator("#fit-busy")
    assert busy.is_visible() and ("income entries of 12 creators" in busy.inner_text()
                                  or "inkomstposter från 12 kreatörer" in busy.inner_text())
    page.goto(f"{url}/cards/fit?lang={lang}")
    page.fill("#fit-date", "2030-03-0" + ("1" if lang == "en" else "2"))
    with page.expect_navigation():
        page.click("#fit-run")
    assert page.locator("#fit-report tbody tr").count() >= 5
    problems = _fits_and_speaks(page, lang, "/cards/fit (report)")
    with page.expect_download() as info:
        page.click("#fit-download button")
    got = tmp_path / "got.toml"
    info.value.save_as(got)
    card = load_card(str(got))
    saved = cards / f"{card.id}.toml"
    assert got.read_text("utf-8") == saved.read_text("utf-8")
    page.goto(f"{url}/cards?lang={lang}")
    listed = page.locator(f"[id='fitted-{saved.name}']")
    assert listed.is_visible() and "12" in listed.locator(".provenance").inner_text()
    problems += _fits_and_speaks(page, lang, "/cards")
    context.close()
    assert not problems and not errors, problems + errors


def _fits_and_speaks(page, lang: str, where: str) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > 390:
        out.append(f"{where}: {wide} px wide at 390")
    if lang == "sv":
        text = page.locator("main").inner_text()
        out += [f"{where}: English on a Swedish page: {s!r}" for s in english_only() if s in text]
    return out
