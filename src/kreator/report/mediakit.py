"""The media kit: a one-page HTML (and PDF where Chromium is available) for brands.

The creator's numbers, engagement against the tier benchmark (``levers.toml``
``[benchmarks.engagement]``), audience, and the rate sheet, in English or Swedish, with charts
from :mod:`kreator.report.charts` (embedded as ``data:`` SVG images, so nothing the creator
typed can reach the page as markup). Jinja2 with autoescape renders
``templates/mediakit.html.j2``. The PDF is printed by headless Chromium (``--print-to-pdf``).
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kreator.core.card import Figure
from kreator.core.estimate import Estimate
from kreator.core.pricing import RateSheet
from kreator.core.profile import Profile
from kreator.i18n import date, number, percent, t
from kreator.report.advice import cash

TEMPLATES = Path(__file__).parent / "templates"
PDF_TIMEOUT = 120


@dataclass(frozen=True)
class KitData:
    """Everything the page shows, computed by the caller from the one model."""

    profile: Profile
    estimate: Estimate
    sheet: RateSheet
    benchmark: Figure
    currency: str
    k: float
    card_name: str
    today: dt.date


def engagement_verdict(rate: float, low: float, high: float) -> str:
    return "above" if rate > high else ("below" if rate < low else "within")


def context(d: KitData, lang: str, name: str) -> dict[str, Any]:
    """The template's values: plain, already formatted strings."""
    from kreator.report.charts import audience_chart, engagement_chart

    p, prof = d.estimate.profile, d.profile
    lo, hi = float(d.benchmark.low or 0), float(d.benchmark.high or 0)
    er = float(p["engagement_rate"])
    tier = t(f"tier.{p['tier']}", lang)
    charts: dict[str, Any] = {"engagement": _img(engagement_chart(er, p["tier"], (lo, hi), lang))}
    charts["audience"] = _img(audience_chart(prof.audience, lang)) if prof.audience else None
    growth = float(p.get("follower_growth_per_month", 0) or 0)
    return {
        "lang": lang, "name": name, "charts": charts,
        "tagline": t("mediakit.tagline", lang, niche=prof.niche.capitalize(), tier=tier,
                     country=prof.country or "—"),
        "growth": t("mediakit.growth", lang, growth=number(growth, lang)) if growth > 0 else None,
        "numbers": [
            {"key": "followers", "label": t("mediakit.followers", lang),
             "value": number(prof.followers, lang)},
            {"key": "views_30d", "label": t("mediakit.views", lang),
             "value": number(prof.views_30d, lang)},
            {"key": "videos_30d", "label": t("mediakit.videos", lang),
             "value": number(p["videos_30d"], lang)},
            {"key": "views_per_video", "label": t("mediakit.views_per_video", lang),
             "value": number(p["views_per_video"], lang)},
        ],
        "engagement": {
            "rate": percent(er / 100, lang), "alt": t("advice_charts.engagement_title", lang, tier=tier),
            "verdict": t(f"mediakit.{engagement_verdict(er, lo, hi)}", lang),
            "benchmark": t("mediakit.benchmark", lang, tier=tier, low=percent(lo / 100, lang),
                           high=percent(hi / 100, lang))},
        "audience": [{"code": c, "share": percent(s, lang, decimals=0)}
                     for c, s in sorted((prof.audience or {}).items(), key=lambda kv: -kv[1])],
        "rates": _rates(d, lang),
        "footer": t("mediakit.footer", lang, date=date(d.today, lang), card=d.card_name),
    }


def _rates(d: KitData, lang: str) -> dict[str, Any]:
    lo, hi = d.sheet.band
    lines = [{"item": ln.item, "label": t(f"pricing.{ln.item}", lang),
              "suggested": cash(ln.suggested * d.k, d.currency, lang),
              "fair": f"{cash(ln.low * d.k, d.currency, lang)}–{cash(ln.high * d.k, d.currency, lang)}"}
             for ln in d.sheet.lines]
    return {"lines": lines, "fair_header": t("pricing.col_fair", lang, lo=f"{lo:g}", hi=f"{hi:g}"),
            "note": t("mediakit.rates_note", lang, currency=d.currency)}


def _img(chart: Any) -> dict[str, Any]:
    data = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
    return {"src": f"data:image/svg+xml;base64,{data}", "width": chart.width,
            "height": chart.height}


def render_html(d: KitData, lang: str, name: str) -> str:
    """The media kit page as HTML text."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html", "j2"], default=True))
    tpl = env.get_template("mediakit.html.j2")
    return tpl.render(t=lambda key, **v: t(key, lang, **v), **context(d, lang, name))


def chromium() -> str | None:
    """The Chromium to print with: $KREATOR_CHROMIUM, else chromium on PATH, else None."""
    for cand in (os.environ.get("KREATOR_CHROMIUM"), shutil.which("chromium"),
                 shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if cand and Path(cand).exists():
            return cand
    return None


def write_pdf(html_path: Path, pdf_path: Path, browser: str | None = None) -> str | None:
    """Print the HTML to PDF with headless Chromium (atomically); the reason when it could not."""
    from kreator.atomic import atomic_path

    exe = browser or chromium()
    if exe is None:
        return "no_chromium"
    try:
        with atomic_path(pdf_path, field="out") as tmp:
            reason = _print_pdf(exe, html_path, tmp)
            if reason:
                raise _NotPrinted(reason)
    except _NotPrinted as failed:
        return str(failed)
    return None


class _NotPrinted(Exception):
    """Chromium did not print: the temporary file is dropped, the reason returned."""


def _print_pdf(exe: str, html_path: Path, pdf_path: Path) -> str | None:
    with tempfile.TemporaryDirectory(prefix="kreator-chromium-") as profile_dir:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-dev-shm-usage", f"--user-data-dir={profile_dir}",
               "--no-pdf-header-footer", f"--print-to-pdf={pdf_path.resolve()}",
               html_path.resolve().as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=PDF_TIMEOUT,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"chromium failed: {exc}"
    if done.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        return f"chromium failed (exit {done.returncode}): {done.stderr.strip()[-200:]}"
    return None
