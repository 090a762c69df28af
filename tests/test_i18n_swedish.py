"""Swedish where it was English (issue 13): the 404 page, card descriptions and units on the web
and in ``kreator cards list/show --lang sv``, and months formatted by Babel ("35 månader", never
"35.0 månader")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kreator.i18n import card_unit, catalog, months
from kreator.ratecards import BUILTIN, load_card
from kreator.web import WebSettings, create_app

HTML = {"accept": "text/html"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(WebSettings(db=str(tmp_path / "ledger.sqlite")))
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        yield c


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "There is no page at /no-such-page. Fix: check the address"),
    ("sv", "Det finns ingen sida på /no-such-page. Åtgärd: kontrollera adressen"),
])
def test_the_404_page_speaks_the_visitors_language(client: TestClient, lang: str,
                                                   words: str) -> None:
    r = client.get("/no-such-page", params={"lang": lang}, headers=HTML)
    assert r.status_code == 404
    assert words in _text(r.text)
    assert client.get("/no-such-page").json()["error"]["message"] == "nothing at /no-such-page."


def test_every_builtin_card_and_unit_has_swedish() -> None:
    sv = catalog("sv")
    for cid in BUILTIN:
        card = load_card(cid)
        assert sv.get(f"carddesc.{cid}") not in (None, card.description), cid
        for key, item in card.figures():
            unit = getattr(item, "unit", None)
            if unit:
                assert card_unit(unit, "sv") != unit or unit in ("", "USD"), (cid, key, unit)


def test_card_pages_in_swedish(client: TestClient) -> None:
    sv = _text(client.get("/cards/seed", params={"lang": "sv"}, headers=HTML).text)
    assert catalog("sv")["carddesc.seed"] in sv
    assert load_card("seed").description not in sv
    assert "12 videor per 30 dagar" in sv and "0,05 gilla-markeringar per visning" in sv
    assert "videos per 30 days" not in sv
    en = _text(client.get("/cards/seed", params={"lang": "en"}, headers=HTML).text)
    assert load_card("seed").description in en and "0.05 likes per view" in en


def test_cards_list_and_show_in_swedish(cli) -> None:
    listed = cli("cards", "list", "--lang", "sv")
    assert listed.code == 0
    for cid in BUILTIN:
        assert f"{cid}: {catalog('sv')[f'carddesc.{cid}']}" in listed.out
    shown = cli("cards", "show", "seed", "--lang", "sv")
    assert shown.code == 0 and "Siffra" in shown.out and "Källa (datum)" in shown.out
    assert "0,05 gilla-markeringar per visning" in shown.out
    assert "likes per view" not in shown.out
    english = cli("cards", "show", "seed")
    assert "0.05 likes per view" in english.out
    assert load_card("seed").description in cli("cards", "list").out


@pytest.mark.parametrize(("n", "lang", "words"), [
    (35.0, "sv", "35 månader"), (2.5, "sv", "2,5 månader"), (1.0, "sv", "1 månad"),
    (35.0, "en", "35 months"), (1234.5, "en", "1,234.5 months"), (1, "en", "1 month"),
])
def test_months_are_formatted_by_babel(n: float, lang: str, words: str) -> None:
    assert months(n, lang) == words


def test_the_growth_page_says_months_the_swedish_way(client: TestClient) -> None:
    text = _text(client.get("/growth", params={"demo": "1", "lang": "sv"}, headers=HTML).text)
    assert re.search(r"om cirka \d+(,\d)? månad", text), text[-2000:]
    assert not re.search(r"\d\.\d+ månad", text)
