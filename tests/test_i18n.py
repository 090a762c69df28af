"""Message catalogs: English and Swedish have the same keys and placeholders."""

from __future__ import annotations

import string

from kreator.i18n import catalog, money, number, percent, pick_lang, t


def placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_same_keys_and_placeholders() -> None:
    en, sv = catalog("en"), catalog("sv")
    assert set(en) == set(sv), set(en) ^ set(sv)
    for key in en:
        assert placeholders(en[key]) == placeholders(sv[key]), key


def test_swedish_stream_names_from_the_seed() -> None:
    assert t("stream.creator_fund", "sv") == "Skaparfonden"
    assert t("stream.sponsorship", "sv") == "Sponsring"
    assert t("stream.live_gifts", "sv") == "Gåvor i direktsändning"
    assert t("stream.affiliate", "sv") == "Affiliate-marknadsföring"
    assert t("stream.tiktok_shop", "sv") == "TikTok Shopping"


def test_locale_formats() -> None:
    assert money(1234.4, "USD", "en") == "$1,234"
    assert money(1234.4, "USD", "sv").replace("\xa0", " ") == "1 234 US$"
    assert money(12.5, "SEK", "sv", decimals=2).replace("\xa0", " ") == "12,50 kr"
    assert number(12345, "sv").replace("\xa0", " ") == "12 345"
    assert percent(0.061, "sv").replace("\xa0", " ") in ("6,1 %", "6,1%")


def test_language_choice(monkeypatch) -> None:
    assert pick_lang("sv") == "sv"
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    assert pick_lang(None) == "sv"
    monkeypatch.setenv("KREATOR_LANG", "en")
    assert pick_lang(None) == "en"
