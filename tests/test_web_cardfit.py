"""Fitted cards in the web app: the cards page lists the ``--cards-dir`` cards with their
provenance; the fit page runs the CLI's fit on the server's ledger (a real SQLite ledger built
through the ledger's own API), shows the report, offers the card as a download and saves it;
every failure is a message on the page."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kreator.cardfit.synth import observations
from kreator.core.events import IncomeEvent
from kreator.ledger import open_ledger
from kreator.ratecards import load_card
from kreator.web import WebSettings, create_app
from kreator.web.security import CSRF_COOKIE, csrf_secret, sign

BASE = "http://127.0.0.1:8000"
HTML = {"accept": "text/html"}
CARD = load_card("current")
DATE = "2030-01-02"


def build_ledger(path: Path, creators: int = 14, months: int = 3, seed: int = 5) -> str:
    """A SQLite ledger of ``creators`` simulated from the current card with LIVE gifts paying
    half, each with income by month and stream and one estimate saved before the first month."""
    url = f"sqlite:///{path}"
    rows = observations(CARD, creators, months=months, seed=seed,
                        multiplier={"live_gifts": 0.5})
    saved: set[str] = set()
    with open_ledger(url) as ledger:
        for r in rows:
            if r["creator"] not in saved:
                profile = {k: v for k, v in r.items() if k not in (
                    "creator", "stream", "month", "amount", "currency", "period_days")}
                ledger.save_estimate(r["creator"], {
                    "card": {"id": CARD.id}, "currency": "USD", "streams": [],
                    "total": {"monthly": {"p10": 1, "p50": 2, "p90": 3, "mean": 2}},
                    "profile": profile}, dt.date(2026, 1, 1), {})
                saved.add(r["creator"])
            if r["amount"] > 0:
                day = dt.date(2026, 1 + r["month"], 15)
                ledger.add(r["creator"], IncomeEvent(day, r["stream"], Decimal(str(r["amount"])),
                                                     "USD", "manual", f"{r['stream']}-{day}", ""))
    return url


@pytest.fixture(scope="module")
def ledger_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_ledger(tmp_path_factory.mktemp("fitweb") / "ledger.sqlite")


@pytest.fixture(scope="module")
def cli_card(ledger_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    """The CLI's card and report for the ledger (base current, prior sd 0.4)."""
    from typer.testing import CliRunner

    from kreator.cli import app

    out = tmp_path_factory.mktemp("cli") / "fitted.toml"
    args = ["cards", "fit", "--db", ledger_url, "--base", "current", "--date", DATE,
            "--prior-sd", "0.4"]
    res = CliRunner().invoke(app, [*args, "-o", str(out)], catch_exceptions=False)
    assert res.exit_code == 0, res.stderr
    report = json.loads(CliRunner().invoke(app, [*args, "--dry-run", "--json"]).stdout)
    return out.read_text("utf-8"), report


def client_for(db: str, cards_dir: Path | None) -> Iterator[TestClient]:
    app = create_app(WebSettings(db=db, cards_dir=str(cards_dir) if cards_dir else None))
    with TestClient(app, base_url=BASE) as c:
        yield c


@pytest.fixture
def client(ledger_url: str, tmp_path: Path) -> Iterator[TestClient]:
    (tmp_path / "cards").mkdir()
    yield from client_for(ledger_url, tmp_path / "cards")


def token(c: TestClient) -> str:
    c.get("/cards/fit")
    return sign(csrf_secret(c.app.state), c.cookies[CSRF_COOKIE])


def fit(c: TestClient, lang: str = "en", **form: str):
    data = {"base": "current", "date": DATE, "prior_sd": "0.4", **form}
    return c.post(f"/cards/fit?lang={lang}", data={"csrf_token": token(c), **data},
                  headers=HTML)


def text_of(page: str, element_id: str) -> str:
    m = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:div|p|textarea)>', page, re.S)
    assert m, element_id
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()


def test_the_browser_fit_is_the_cli_fit(client: TestClient, cli_card, tmp_path: Path) -> None:
    text, report = cli_card
    r = fit(client)
    assert r.status_code == 200, r.text
    shown = html.unescape(re.search(r'<textarea name="toml" hidden>(.*?)</textarea>', r.text,
                                    re.S).group(1))
    assert shown == text  # the same card, byte for byte
    head = text_of(r.text, "fit-head")
    assert f"{report['rows']} observations of 14 creators, base current-2025" in head
    for s in report["streams"]:  # the report's figures, stream by stream
        row = re.search(rf'<tr id="fit-{s["stream"]}">(.*?)</tr>', r.text, re.S).group(1)
        n = s["rows"]
        assert f"{n['paid']}/{n['zero']}/{n['ineligible']}/{n['no_activity']}" in row
        if s["fit"]:
            assert f"×{s['fit']['multiplier']:.2f}" in row
            assert f"{s['coverage']['base']:.0%}" in row and f"{s['coverage']['fitted']:.0%}" in row
    gifts = next(s for s in report["streams"] if s["stream"] == "live_gifts")["fit"]
    assert gifts["multiplier"] < 0.9  # the simulated halving shows
    assert "current-2025-fitted-2030-01-02.toml" in text_of(r.text, "fit-saved")
    assert (tmp_path / "cards" / "current-2025-fitted-2030-01-02.toml").read_text() == text


def test_the_download_is_a_valid_card(client: TestClient, cli_card, tmp_path: Path) -> None:
    text, _ = cli_card
    r = client.post("/cards/fit/download", headers=HTML,
                    data={"csrf_token": token(client), "toml": text.replace("\n", "\r\n")})
    assert r.status_code == 200
    assert r.headers["content-disposition"] == \
        'attachment; filename="current-2025-fitted-2030-01-02.toml"'
    assert r.text == text  # a browser sends the textarea with CRLF: the card is as written
    path = tmp_path / "download.toml"
    path.write_bytes(r.content)
    card = load_card(str(path))
    assert card.id == "current-2025-fitted-2030-01-02"
    assert card.streams["live_gifts"].rate.high < CARD.streams["live_gifts"].rate.high


def test_the_cards_page_lists_fitted_cards_with_provenance(client: TestClient, cli_card,
                                                          tmp_path: Path) -> None:
    text, report = cli_card
    assert fit(client).status_code == 200
    again = fit(client, prior_sd="0.3")  # a second fit never replaces the first
    assert "current-2025-fitted-2030-01-02-2.toml" in text_of(again.text, "fit-saved")
    page = client.get("/cards?lang=en", headers=HTML).text
    section = page[page.index('id="fitted-cards"'):]
    first = section[section.index('id="fitted-current-2025-fitted-2030-01-02.toml"'):]
    assert (f"Fitted from {report['rows']} observations of 14 creators, base current-2025, "
            f"{DATE}.") in html.unescape(first)
    assert "partial pooling to the base card" in first  # the method
    assert 'href="/cards/fitted/current-2025-fitted-2030-01-02.toml"' in first
    saved = client.get("/cards/fitted/current-2025-fitted-2030-01-02.toml")
    assert saved.status_code == 200 and saved.text == text
    assert "attachment" in saved.headers["content-disposition"]
    sv = client.get("/cards?lang=sv", headers=HTML).text
    assert f"Anpassat från {report['rows']} observationer av 14 kreatörer" in html.unescape(sv)


def test_a_fit_may_start_from_a_card_in_the_folder(client: TestClient, cli_card,
                                                   tmp_path: Path) -> None:
    text, _ = cli_card
    (tmp_path / "cards" / "mine.toml").write_text(text)
    assert '<option value="mine.toml">' in client.get("/cards/fit", headers=HTML).text
    r = fit(client, base="mine.toml", date="2030-02-01")
    assert r.status_code == 200, text_of(r.text, "fit-error")
    assert "base current-2025-fitted-2030-01-02" in text_of(r.text, "fit-head")


def test_without_a_folder_the_page_says_how_to_add_one(ledger_url: str) -> None:
    for c in client_for(ledger_url, None):
        page = c.get("/cards", headers=HTML).text
        assert "--cards-dir" in text_of(page, "fitted-no-folder")
        r = fit(c)
        assert r.status_code == 200 and "--cards-dir" in text_of(r.text, "fit-not-saved")


def test_the_form_says_what_the_ledger_holds(client: TestClient, ledger_url: str) -> None:
    with open_ledger(ledger_url) as ledger:
        events = ledger.count()
    page = client.get("/cards/fit", headers=HTML).text
    assert f"holds {events:,} income entries of 14 creators; 14 of those" in \
        text_of(page, "fit-size")
    assert f'data-busy="Fitting {events:,} income entries of 14 creators' in page


@pytest.mark.parametrize(("form", "lang", "words"), [
    ({"base": "nope"}, "en", "base: unknown base card 'nope'. Fix: use one of current"),
    ({"base": "nope"}, "sv", "okänt grundkort 'nope'"),
    ({"prior_sd": "abc"}, "en", "prior_sd: 'abc' is not a number."),
    ({"prior_sd": "0"}, "en", "prior_sd: the prior sd 0 is out of range."),
    ({"prior_sd": "0,4"}, "sv", None),  # a Swedish decimal comma is a number
    ({"date": "2030-02-30"}, "en", "date: '2030-02-30' is not a date."),
])
def test_bad_options_are_messages(client: TestClient, form: dict, lang: str,
                                  words: str | None) -> None:
    r = fit(client, lang, **form)
    if words is None:
        assert r.status_code == 200 and 'id="fit-report"' in r.text
        return
    assert r.status_code == 422
    assert words in text_of(r.text, "fit-error")
    assert 'id="fit-form"' in r.text  # the form is back, as typed
    for value in form.values():
        assert f'value="{value}"' in r.text


def test_ledger_errors_are_messages(tmp_path: Path) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    for c in client_for(empty, None):
        r = fit(c)
        assert r.status_code == 422
        assert "the ledger holds no income yet" in text_of(r.text, "fit-error")
        assert "0 income entries of 0 creators" in text_of(r.text, "fit-size")
        assert "liggaren har ingen inkomst än" in text_of(fit(c, "sv").text, "fit-error")
    with open_ledger(empty) as ledger:
        ledger.add("maja", IncomeEvent(dt.date(2026, 1, 5), "sponsorship", Decimal("90"), "USD",
                                       "manual", "k1", ""))
    for c in client_for(empty, None):
        r = fit(c)
        assert r.status_code == 422
        assert "none of the 1 creators with income in the ledger has a saved estimate" in \
            text_of(r.text, "fit-error")
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"this is not a database" * 200)
    for c in client_for(str(damaged), None):
        # whether anyone may fit cannot be checked on a damaged ledger: 503 naming the file
        r = c.post("/cards/fit", data={"base": "current", "date": DATE}, headers=HTML)
        assert r.status_code == 503 and "damaged.sqlite is damaged" in r.text
        assert "Traceback" not in r.text


def test_the_cli_says_the_same_about_an_empty_ledger(cli, tmp_path: Path) -> None:
    res = cli("cards", "fit", "--db", str(tmp_path / "empty.sqlite"), "--dry-run")
    assert res.code == 2 and "the ledger holds no income yet" in res.err
    res = cli("cards", "fit", "--db", str(tmp_path / "e.sqlite"), "--dry-run", "--prior-sd", "0")
    assert res.code == 2 and "prior_sd: the prior sd 0 is out of range" in res.err


def test_a_download_must_be_a_fitted_card(client: TestClient) -> None:
    from importlib import resources

    builtin = resources.files("kreator.ratecards").joinpath("seed.toml").read_text("utf-8")
    for body, words in (("not = [toml", "is not valid TOML"),
                        (builtin, "is not a fitted card (it has no [card.fit] table)")):
        r = client.post("/cards/fit/download", headers=HTML,
                        data={"csrf_token": token(client), "toml": body})
        assert r.status_code == 422 and words in text_of(r.text, "fit-error")
        assert "attachment" not in r.headers.get("content-disposition", "")


def test_a_broken_card_in_the_folder_is_listed_with_its_error(client: TestClient,
                                                              tmp_path: Path) -> None:
    (tmp_path / "cards" / "broken.toml").write_text("[card\nid = 1")
    r = client.get("/cards", headers=HTML)
    assert r.status_code == 200
    part = r.text[r.text.index('id="fitted-broken.toml"'):]
    assert "This card cannot be loaded:" in part and "is not valid TOML" in part
    assert 'option value="broken.toml"' in client.get("/cards/fit", headers=HTML).text
    bad = fit(client, base="broken.toml")
    assert bad.status_code == 422 and "is not valid TOML" in text_of(bad.text, "fit-error")


@pytest.mark.parametrize("name", ["../ledger.sqlite", "..%2Fledger.sqlite", "nope.toml",
                                  "%2Fetc%2Fpasswd"])
def test_only_cards_the_folder_holds_are_served(client: TestClient, name: str,
                                                tmp_path: Path) -> None:
    (tmp_path / "ledger.sqlite.toml").write_text("secret = 1")
    r = client.get(f"/cards/fitted/{name}")
    assert r.status_code == 404 and "secret" not in r.text


def test_serve_makes_the_cards_folder_or_says_why_not(cli, tmp_path: Path) -> None:
    from kreator.cli.serve import cards_folder

    made = cards_folder(str(tmp_path / "new" / "cards"))
    assert made is not None and Path(made).is_dir()
    assert cards_folder(None) is None
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    res = cli("serve", "--port", "0", "--cards-dir", str(blocker / "cards"))
    assert res.code == 2 and f"{blocker / 'cards'}: --cards-dir: cannot be written" in res.err


def test_a_fit_in_the_browser_is_in_the_audit_log(client: TestClient) -> None:
    from kreator.ledger.accounts import read_audit
    from kreator.web.auth import ledger_of

    before = [e for e in read_audit(ledger_of(client.app.state)) if e["action"] == "cards.fit"]
    r = fit(client)
    assert r.status_code == 200, r.text
    after = [e for e in read_audit(ledger_of(client.app.state)) if e["action"] == "cards.fit"]
    assert len(after) == len(before) + 1
    entry = after[-1]
    assert entry["actor"] == "local" and entry["detail"]["base"] == "current-2025"
    assert entry["detail"]["observations"] > 0 and entry["detail"]["saved"]
