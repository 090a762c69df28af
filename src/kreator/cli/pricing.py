"""``kreator offer | ratesheet | mediakit``: what to charge a brand, whether an offer is fair,
and the one-page media kit (sponsorship pricing: docs/advice.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from kreator.cli.creator_run import (
    AS_OF,
    CARD,
    CURRENCY,
    FX,
    JSON,
    LANG,
    LEVERS,
    SEED,
    setup,
    today,
)
from kreator.cli.framework import command, emit_json
from kreator.cli.options import PATH, ProfileInput, with_profile_options

HISTORY = typer.Option(None, "--history", **PATH, help="Follower history CSV "
                       "(date,followers) to take the trend from.")
GROWTH_CHART = typer.Option(None, "--chart", **PATH,
                            help="Also write the projection chart (.svg or .png).")
OUT = typer.Option(Path("mediakit.html"), "-o", "--output", "--out", **PATH,
                   help="HTML file to write (the PDF goes beside it); --out is the old spelling.")


def parse_amount(text: str) -> float:
    """An offer amount: a positive number; ``120``, ``120.50`` or ``120,50``."""
    import math

    from kreator.core.errors import OfferError
    from kreator.core.profile import MAX_MONEY

    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise OfferError(f"the amount must be a number (got '{text}').", field="amount",
                         fix="give the offer as a plain number, e.g. --amount 120.",
                         key="offer_not_number", params={"value": text})
    if value <= 0:
        raise OfferError(f"the amount must be more than zero (got '{text}').", field="amount",
                         fix="give what the brand offers, e.g. --amount 120.",
                         key="offer_not_positive", params={"value": text})
    if value > MAX_MONEY:
        raise OfferError(f"the amount must be at most 10,000,000,000 (got '{text}').",
                         field="amount", fix="give what the brand offers, e.g. --amount 120.",
                         key="offer_too_large", params={"value": text})
    return value


@command("offer")
@with_profile_options
def offer_cmd(profile_input: ProfileInput,
              amount: str = typer.Option(..., "--amount", help="What the brand offers."),
              currency: str = typer.Option("USD", "--currency", help="Currency of the offer."),
              fx_rate: float | None = FX,
              deliverable: str = typer.Option("video", "--deliverable",
                                               help="video or bundle_three."),
              usage_rights: bool = typer.Option(False, "--usage-rights",
                                                help="The offer includes paid usage rights."),
              exclusivity: bool = typer.Option(False, "--exclusivity",
                                               help="The offer asks for exclusivity."),
              card: str = CARD, seed: int = SEED, as_json: bool = JSON, lang: str | None = LANG,
              levers: Path | None = LEVERS) -> None:
    """Is a brand's offer fair? Where it sits among what creators like you are paid.

    Examples:

      kreator offer --demo --amount 120 --currency USD

      kreator offer --demo --amount 1500 --currency SEK --usage-rights
    """
    from kreator.core.pricing import check_offer
    from kreator.ratecards.levers import load_levers
    from kreator.report.advice import render_offer

    value = parse_amount(amount)
    r = setup(profile_input, card, lang, currency, fx_rate)
    c = check_offer(value / r.k, r.profile, r.card, load_levers(levers).pricing,
                    deliverable=deliverable, usage_rights=usage_rights, exclusivity=exclusivity)
    extras = [e for e, on in (("usage_rights", usage_rights), ("exclusivity", exclusivity)) if on]
    if as_json:
        emit_json({"offer": {"amount": value, "currency": r.currency, "deliverable": deliverable,
                             "extras": extras, "percentile": round(c.percentile, 2),
                             "verdict": c.verdict, "typical": round(c.expected * r.k, 2),
                             "counter": None if c.counter is None else round(c.counter * r.k, 2),
                             "fair_band": list(c.band), "seed": seed}})
        return
    typer.echo(render_offer(c, r.lang, r.currency, r.k, extras=extras))


@command("ratesheet")
@with_profile_options
def ratesheet_cmd(profile_input: ProfileInput, card: str = CARD, seed: int = SEED,
                  as_json: bool = JSON, lang: str | None = LANG, currency: str = CURRENCY,
                  fx_rate: float | None = FX, levers: Path | None = LEVERS) -> None:
    """Suggested sponsorship rates: one video, a bundle of three, usage rights, exclusivity.

    Examples:

      kreator ratesheet --demo

      kreator ratesheet --demo --lang sv --currency SEK --json
    """
    from kreator.core.pricing import rate_sheet
    from kreator.ratecards.levers import load_levers
    from kreator.report.advice import render_rate_sheet

    r = setup(profile_input, card, lang, currency, fx_rate)
    sheet = rate_sheet(r.profile, r.card, load_levers(levers).pricing)
    if as_json:
        k = r.k
        emit_json({"currency": r.currency, "seed": seed, "fair_band": list(sheet.band),
                   "per_post": {"typical": round(sheet.price.typical * k, 2),
                                "sigma": sheet.price.sigma},
                   "rates": [{"item": ln.item, "floor": round(ln.floor * k, 2),
                              "low": round(ln.low * k, 2), "suggested": round(ln.suggested * k, 2),
                              "high": round(ln.high * k, 2),
                              "multiplier": list(ln.multiplier) if ln.multiplier else None}
                             for ln in sheet.lines]})
        return
    typer.echo(render_rate_sheet(sheet, r.lang, r.currency, r.k))


@command("mediakit")
@with_profile_options
def mediakit_cmd(profile_input: ProfileInput, card: str = CARD, seed: int = SEED,
                 as_json: bool = JSON, lang: str | None = LANG, currency: str = CURRENCY,
                 fx_rate: float | None = FX, levers: Path | None = LEVERS,
                 out: Path = OUT,
                 pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Also print a PDF "
                                          "with headless Chromium when it is installed."),
                 as_of: str | None = AS_OF) -> None:
    """A one-page media kit for brands: numbers, audience, engagement, rates (HTML and PDF).

    Examples:

      kreator mediakit --demo --out kit.html

      kreator mediakit --demo --lang sv --currency SEK --out mediakit-sv.html --no-pdf
    """
    from kreator.atomic import write_text
    from kreator.core.estimate import estimate
    from kreator.core.pricing import rate_sheet
    from kreator.i18n import t
    from kreator.ratecards.levers import load_levers
    from kreator.report.mediakit import KitData, render_html, write_pdf

    target = kit_target(out)
    r = setup(profile_input, card, lang, currency, fx_rate)
    lv = load_levers(levers)
    est = estimate(r.profile, r.card, seed=seed)
    data = KitData(r.profile, est, rate_sheet(r.profile, r.card, lv.pricing),
                   lv.benchmarks[est.profile["tier"]], r.currency, r.k, r.card.name, today(as_of))
    html = render_html(data, r.lang, r.profile.display_name or r.name)
    write_text(target, html)
    pdf_path, reason = out.with_suffix(".pdf"), "disabled (--no-pdf)"
    if pdf:
        reason = write_pdf(out, pdf_path) or ""
        reason = t("mediakit.no_chromium", r.lang) if reason == "no_chromium" else reason
    if as_json:
        emit_json({"html": str(out), "pdf": None if reason else str(pdf_path),
                   "pdf_skipped": reason or None})
        return
    typer.echo(t("mediakit.html_written", r.lang, path=out))
    typer.echo(t("mediakit.pdf_skipped", r.lang, reason=reason) if reason
               else t("mediakit.pdf_written", r.lang, path=pdf_path))


def kit_target(out: Path) -> Path:
    """Where the media kit's HTML goes (checked before anything is computed): not a .pdf,
    which is where its PDF goes, and not a folder."""
    from kreator.core.errors import InputFileError
    from kreator.core.files import check_output

    if out.suffix.lower() == ".pdf":
        html = out.with_suffix(".html").name
        raise InputFileError("is where the HTML goes; the PDF is written beside it.",
                             where=str(out), field="out", fix=f"give --out {html}.",
                             key="mediakit_out_pdf", params={"name": html})
    return check_output(out, field="out")
