"""The web app in a real headless Chromium (Debian's ``chromium``, driven by Playwright) against
a real ``kreator serve`` process. Screenshots go to tests/artifacts/.

Run only these: ``pytest -m browser``. ``.ci/setup-chromium.sh`` installs the browser.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.serve_support import start_serve, wait_up

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("KREATOR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).parent / "artifacts"
STUDIO_ZIP = (Path(__file__).parent / "data" / "web"
              / "Followers_2026-04-21_1779285792_sample_creator_4k.zip")
SMALL = "followers=4000&views_30d=40000&sponsored_posts_per_month=1"

if not Path(CHROMIUM).exists():
    if os.environ.get("KREATOR_CHROMIUM"):
        raise RuntimeError(f"KREATOR_CHROMIUM={CHROMIUM} does not exist")
    pytest.skip("chromium is not installed (run .ci/setup-chromium.sh)", allow_module_level=True)


ADMIN, PASSWORD = "ada", "ada's long passphrase"
TEAM: dict[str, str] = {}  # url of a server with users -> an API token of its admin


@pytest.fixture(scope="module", params=["single", "team"])
def base_url(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``kreator serve`` on a free port with a fresh ledger database: with no user (the
    single-person app), and with an admin user (every test then signs in first)."""
    db = tmp_path_factory.mktemp("web") / "ledger.sqlite"
    token = ""
    if request.param == "team":
        subprocess.run([sys.executable, "-m", "kreator", "users", "add", ADMIN, "--role",
                        "admin", "--password-stdin", "--db", str(db)], input=PASSWORD + "\n",
                       text=True, check=True, capture_output=True)
        made = subprocess.run([sys.executable, "-m", "kreator", "tokens", "create", "--user",
                               ADMIN, "--json", "--db", str(db)], text=True, check=True,
                              capture_output=True)
        token = json.loads(made.stdout)["token"]
    proc, info = start_serve("--db", str(db))
    url = info["url"].rstrip("/")
    wait_up(url)
    if request.param == "team":
        TEAM[url] = token
    yield url
    TEAM.pop(url, None)
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    request.node.console_errors = errors
    if "[team]" in request.node.name:
        sign_in(pg, base_url)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not errors, f"errors in the browser console: {errors}"


def open_page(browser, base_url: str, **context: object) -> tuple[object, object]:
    """A new browser context and page, signed in first when the server has users, so every
    browser test sees the pages themselves in both modes (not the sign-in page)."""
    ctx = browser.new_context(**context)
    pg = ctx.new_page()
    if base_url in TEAM:
        sign_in(pg, base_url)
    return ctx, pg


def api_headers(base_url: str) -> dict[str, str]:
    """What an API client sends to this server: the admin's token when it has users."""
    return {"Authorization": f"Bearer {TEAM[base_url]}"} if base_url in TEAM else {}


def sign_in(page, base_url: str) -> None:
    """Through the login page, as a person would."""
    page.goto(f"{base_url}/")
    assert "/login?next=" in page.url
    page.fill("#login-name", ADMIN)
    page.fill("#login-password", PASSWORD)
    with page.expect_navigation():
        page.click("#login-submit")
    assert page.url == f"{base_url}/"
    said = page.locator("#signed-in-as").inner_text()
    assert said in (f"Signed in as {ADMIN}", f"Inloggad som {ADMIN}")  # the browser's language


def test_sign_in_and_out(page, base_url: str, request: pytest.FixtureRequest) -> None:
    """Signed in (team) or open (single): a wrong password is refused, signing out ends the
    session, and a page then asks for a sign-in again, coming back to it after."""
    if "[single]" in request.node.name:
        assert page.locator("#signout").count() == 0  # nobody to sign out
        return
    with page.expect_navigation():
        page.click("#signout-button")
    assert page.url.endswith("/login")
    page.goto(f"{base_url}/ledger")
    assert "/login?next=%2Fledger" in page.url
    page.fill("#login-name", ADMIN)
    page.fill("#login-password", "not the password")
    with page.expect_navigation():
        page.click("#login-submit")
    assert page.locator("#login-error").inner_text() == "Wrong name or password."
    console = request.node.console_errors
    assert console == ["Failed to load resource: the server responded with a status of 401 "
                       "(Unauthorized)"]  # the refused sign-in itself, and nothing else
    console.clear()
    page.fill("#login-name", ADMIN)
    page.fill("#login-password", PASSWORD)
    with page.expect_navigation():
        page.click("#login-submit")
    assert page.url == f"{base_url}/ledger"


def test_form_updates_the_total_as_you_type(page, base_url: str) -> None:
    page.goto(f"{base_url}/?{SMALL}")
    total = page.locator("#total-p50")
    before = total.inner_text()
    page.click("#group-sales > summary")
    page.fill("#f-sponsored_posts_per_month", "6")
    page.wait_for_function("b => document.querySelector('#total-p50').innerText !== b", arg=before)
    after = total.inner_text()
    assert re.fullmatch(r"\$[\d,]+", after) and after != before
    # six sponsored posts a month earn more than one did
    assert int(after[1:].replace(",", "")) > int(before[1:].replace(",", ""))
    assert "sponsored_posts_per_month=6" in page.url  # the address follows the form
    page.wait_for_function("() => document.querySelector('#chart-estimate').naturalWidth > 0")


def test_dropping_the_studio_zip_fills_the_form(page, base_url: str) -> None:
    page.goto(f"{base_url}/upload?{SMALL}")
    data = base64.b64encode(STUDIO_ZIP.read_bytes()).decode()
    with page.expect_navigation():
        page.evaluate("""([b64, name]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const files = new DataTransfer();
            files.items.add(new File([bytes], name, {type: "application/zip"}));
            document.getElementById("dropzone").dispatchEvent(
                new DragEvent("drop", {dataTransfer: files, bubbles: true, cancelable: true}));
        }""", [data, STUDIO_ZIP.name])
    assert "4,012" in page.locator("#imported-followers").inner_text()
    assert page.input_value("#f-followers") == "4012"
    assert page.input_value("#f-views_30d") == "40000"  # kept from the form: not in that zip
    assert page.locator("#total-p50").is_visible()


def test_added_income_shows_in_the_monthly_chart(page, base_url: str) -> None:
    page.goto(f"{base_url}/ledger?{SMALL}")
    page.select_option("#l-stream", "live_gifts")
    page.fill("#l-amount", "123.45")
    page.fill("#l-note", "<b>gifts</b>")
    with page.expect_navigation():
        page.click("#ledger-form button[type=submit]")
    assert "$123.45" in page.locator("#ledger-events").inner_text()
    assert "<b>gifts</b>" in page.locator("#ledger-events").inner_text()  # shown as text
    month = time.strftime("%Y-%m")
    assert month in page.locator("#ledger-months").inner_text()
    chart = page.locator("#chart-ledger")
    page.wait_for_function("() => document.querySelector('#chart-ledger').naturalWidth > 0")
    svg = page.request.get(base_url + chart.get_attribute("src")).text()
    assert "LIVE gifts" in svg and month in svg  # the entry's stream and month are drawn


def test_switching_to_swedish(page, base_url: str) -> None:
    page.goto(f"{base_url}/?{SMALL}")
    with page.expect_navigation():
        page.select_option("#lang-select", "sv")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").inner_text() == "Vad kan du tjäna på TikTok?"
    assert page.locator("label[for=f-followers]").inner_text() == "Följare"
    assert "Skaparfonden" in page.locator("#streams").inner_text()
    assert "Totalt per månad" in page.locator("#results").inner_text()
    assert page.input_value("#f-followers") == "4000"  # the creator came along
    with page.expect_navigation():
        page.select_option("#currency-select", "SEK")
    assert page.locator("#total-p50").inner_text().endswith("kr")
    page.goto(f"{base_url}/cards")  # remembered on every page
    assert page.locator("h1").inner_text() == "Priskort"


def test_script_in_a_display_name_is_shown_as_text(page, base_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    name = "<script>alert(1)</script>"
    page.goto(f"{base_url}/?{SMALL}&display_name={httpx.QueryParams({'n': name})['n']}")
    assert name in page.locator("#result-title").inner_text()
    page.fill("#f-display_name", name + "<img src=x onerror=alert(2)>")
    page.wait_for_function("() => document.querySelector('#result-title').innerText"
                           ".includes('onerror')")
    assert "<img src=x onerror=alert(2)>" in page.locator("#result-title").inner_text()
    assert page.locator("#results img[src=x]").count() == 0
    assert dialogs == []
