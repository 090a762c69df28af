"""The media kit: golden HTML structure and text (en, sv), escaping, PDF via Chromium."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest

from kreator.core.demo import DEMO
from kreator.core.estimate import estimate
from kreator.core.pricing import rate_sheet
from kreator.ratecards import load_card
from kreator.ratecards.levers import load_levers
from kreator.report import mediakit

DATA = Path(__file__).parent / "data" / "advise"
UPDATE = os.environ.get("KREATOR_UPDATE_GOLDEN") == "1"
SEED = load_card("seed")
LEVERS = load_levers()
KEEP = ("id", "class", "lang", "data-key", "data-item", "data-country", "width", "height")


class Outline(HTMLParser):
    """Tags with their structural attributes, indented by depth; text and images' data apart."""

    VOID: ClassVar[set[str]] = {"meta", "img", "br", "link", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.text: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        keep = " ".join(f'{k}="{v}"' for k, v in attrs if k in KEEP)
        if tag == "img":
            src = dict(attrs).get("src") or ""
            keep += " src=" + src.split(",")[0]
        self.lines.append("  " * self.depth + f"<{tag}{' ' + keep if keep else ''}>")
        if tag not in self.VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if data.strip() and not data.lstrip().startswith(("@page", "*", "body")):
            self.text.append(re.sub(r"\s+", " ", data.strip()))


def kit(lang: str, profile=DEMO, currency: str = "USD", k: float = 1.0) -> str:
    est = estimate(profile, SEED)
    data = mediakit.KitData(profile, est, rate_sheet(profile, SEED, LEVERS.pricing),
                            LEVERS.benchmarks[est.profile["tier"]], currency, k, SEED.name,
                            dt.date(2026, 11, 26))
    return mediakit.render_html(data, lang, profile.display_name or "Demo creator")


def golden(name: str, got: str) -> None:
    path = DATA / name
    if UPDATE or not path.exists():
        path.write_text(got, "utf-8")
    assert got == path.read_text("utf-8"), f"{name} changed; KREATOR_UPDATE_GOLDEN=1 to accept"


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_mediakit_html_structure_and_text_golden(lang: str) -> None:
    html = kit(lang)
    p = Outline()
    p.feed(html)
    assert p.depth == 0, "unbalanced tags"
    golden(f"mediakit_{lang}.structure.txt", "\n".join(p.lines) + "\n")
    golden(f"mediakit_{lang}.text.txt", "\n".join(p.text) + "\n")


def test_structure_is_the_same_in_both_languages() -> None:
    outlines = []
    for lang in ("en", "sv"):
        p = Outline()
        p.feed(kit(lang))
        outlines.append([re.sub(r' lang="\w+"', "", ln) for ln in p.lines])
    assert outlines[0] == outlines[1]


def test_mediakit_shows_the_creators_numbers_and_rates() -> None:
    html = kit("en")
    assert "4,000" in html and "60,000" in html and "7.4%" in html
    assert "within the benchmark" in html and "nano, small creator benchmark: 6.0% to 10.0%" in html
    sheet = rate_sheet(DEMO, SEED, LEVERS.pricing)
    assert f"${sheet.lines[0].suggested:,.0f}" in html
    for code in ("US", "GB", "CA"):
        assert f'data-country="{code}"' in html
    imgs = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert len(imgs) == 2 and all(b"<svg" in base64.b64decode(i) for i in imgs)


def test_what_the_creator_types_is_escaped() -> None:
    evil = DEMO.replace(**{"display_name": "<script>alert(1)</script>"})
    html = kit("en", evil)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_swedish_kit_in_kronor() -> None:
    html = kit("sv", currency="SEK", k=10.64)
    assert "Följare" in html and "Priser" in html and "kr" in html and "Riktmärke" in html


def test_cli_mediakit_writes_html_and_says_what_happened_to_the_pdf(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(mediakit, "chromium", lambda: None)
    out = tmp_path / "kit.html"
    r = cli("mediakit", "--demo", "--out", str(out), "--as-of", "2026-11-26")
    assert r.code == 0, r.err
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert "PDF skipped: no Chromium found" in r.out
    d = json.loads(cli("mediakit", "--demo", "--out", str(out), "--json").out)
    assert d["pdf"] is None and "Chromium" in d["pdf_skipped"]


def test_cli_mediakit_unwritable_path(cli, tmp_path) -> None:
    r = cli("mediakit", "--demo", "--out", str(tmp_path / "missing" / "kit.html"), "--no-pdf")
    assert r.code == 2 and "does not exist" in r.err and "missing" in r.err


@pytest.mark.skipif(mediakit.chromium() is None, reason="no Chromium installed")
def test_cli_mediakit_prints_a_one_page_pdf(cli, tmp_path) -> None:
    out = tmp_path / "kit.html"
    r = cli("mediakit", "--demo", "--out", str(out), "--lang", "sv")
    assert r.code == 0, r.err
    pdf = (tmp_path / "kit.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    assert "PDF skriven" in r.out
