"""Fit a card from the ledger in the browser: the same :func:`kreator.cardfit.run.fit_run` as
``kreator cards fit --db``, on the server's own ledger (``kreator serve --db``).

The fit runs in a worker thread (the event loop keeps serving other requests); the page says
beforehand how many income entries of how many creators it will read. The result is the report
of ``kreator cards fit`` (per stream: rows, multiplier, spreads, held-out coverage and
sharpness of base and fitted card), the card as a TOML download, and, with ``--cards-dir``,
the card saved there. Every failure (an empty ledger, no saved estimate, a bad base card or
option, a damaged database) is a message on the page, never a 500.

**Admin only.** Every route on :data:`admin` fits or hands out cards learnt from everyone's
payouts: when accounts exist, :func:`require_admin` answers anyone but an admin with the same 404
as a page that does not exist (in single-person mode, with no users, the one user may fit).
A fit is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from kreator.core.errors import CardError, InputFileError, KreatorError
from kreator.web import fitted
from kreator.web.errors import kreator_detail, status_of
from kreator.web.render import UI, UIDep, page


def require_admin(request: Request) -> None:
    """Admins only once accounts exist; 404 for anyone else (no hint the page exists)."""
    from kreator.web.auth import account_of
    from kreator.web.errors import NotFound

    who = account_of(request)
    if who is not None and who.role != "admin":
        raise NotFound(f"nothing at {request.url.path}.", field="path",
                       fix="go back to the start page.")


admin = APIRouter(include_in_schema=False, dependencies=[Depends(require_admin)])
"""The admin-only routes (see the module's docstring)."""
PRIOR_SD = 0.25


def ledger_size(request: Request) -> dict[str, int] | None:
    """Income entries, creators with income, and of them with a saved estimate (None when
    the database cannot be read: the fit will say why)."""
    from kreator.cardfit.ledger import ledger_size as size
    from kreator.web.ledger import ledger_of

    try:
        events, creators, paired = size(ledger_of(request))
    except KreatorError:
        return None
    return {"events": events, "creators": creators, "paired": paired}


def form_context(request: Request, form: dict[str, str], ui: UI) -> dict[str, Any]:
    today = dt.datetime.now(dt.UTC).date().isoformat()
    values = {"base": "current", "date": today, "prior_sd": ui.number(PRIOR_SD, 2), **form}
    return {"values": values, "bases": fitted.base_choices(request),
            "size": ledger_size(request), "folder": fitted.cards_dir(request),
            "error": None, "run": None, "saved": None, "report": None}


@admin.get("/cards/fit")
def fit_form(request: Request, ui: UIDep) -> Response:
    """The fit form: base card, date, prior sd, and what the ledger holds."""
    return page(request, ui, "cards_fit.html", form_context(request, {}, ui))


@admin.post("/cards/fit")
async def fit_post(request: Request, ui: UIDep) -> Response:
    """Run the fit on the server's ledger and show its report, the download and where the
    card was saved."""
    form = {k: str(v)[:200] for k, v in (await request.form()).items() if k in (
        "base", "date", "prior_sd")}
    ctx = await run_in_threadpool(form_context, request, form, ui)
    try:
        run = await run_in_threadpool(_fit, request, ctx["values"], ui.lang)
        if ctx["folder"] is not None:
            ctx["saved"] = await run_in_threadpool(_save, run.toml, run.card_id, ctx["folder"])
    except KreatorError as exc:
        ctx["error"] = kreator_detail(exc, ui.lang).message
        return page(request, ui, "cards_fit.html", ctx, status=status_of(exc))
    ctx["run"], ctx["report"] = run, report_view(run.result.to_dict(), ui)
    await run_in_threadpool(_audit, request, run, ctx["saved"])
    return page(request, ui, "cards_fit.html", ctx)


def _audit(request: Request, run: Any, saved: str | None) -> None:
    from kreator.web import auth

    auth.audit(request, "cards.fit", base=run.base_id, card=run.card_id,
               observations=run.result.rows, saved=saved)


def _fit(request: Request, values: dict[str, str], lang: str) -> Any:
    from kreator.cardfit.run import Source, fit_run
    from kreator.web.ledger import ledger_of

    base = fitted.base_ref(request, values["base"])
    return fit_run(Source(ledger=ledger_of(request)), base, values["date"],
                   prior_sd(values["prior_sd"], lang))


def prior_sd(text: str, lang: str) -> float:
    """The prior sd as typed (``0.25``, ``0,25``); what is no number is named."""
    from kreator.web.numbers import parse_number

    try:
        return parse_number(text, lang)
    except ValueError:
        raise InputFileError(f"'{text[:40]}' is not a number.", field="prior_sd",
                             fix="give a number from 0.01 to 5, e.g. 0.25.",
                             key="fit_prior_sd_number", params={"value": text[:40]}) from None


def _save(text: str, card_id: str, folder: Path) -> str:
    """Save the card in the folder as ``ID.toml`` (``ID-2.toml``... if taken): a fit never
    replaces an earlier one."""
    from kreator.cardfit.run import save_card

    stem = safe_stem(card_id)
    taken = {p.name for p in folder.glob("*.toml")}
    name = next(n for i in range(1, 10_000)
                if (n := f"{stem}.toml" if i == 1 else f"{stem}-{i}.toml") not in taken)
    save_card(text, folder / name, field="--cards-dir")
    return name


def safe_stem(card_id: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in card_id)[:100] or "card"


def report_view(data: dict[str, Any], ui: UI) -> list[dict[str, str]]:
    """The report's rows as the page shows them, in the page's language."""
    rows = []
    for s in data["streams"]:
        f, c, sh, n = s["fit"], s["coverage"], s["sharpness"], s["rows"]
        rows.append({
            "stream": ui.t(f"stream.{s['stream']}"), "id": s["stream"],
            "rows": f"{n['paid']}/{n['zero']}/{n['ineligible']}/{n['no_activity']}",
            "multiplier": (f"×{ui.number(f['multiplier'], 2)} ({ui.number(f['multiplier_90'][0], 2)}"
                           f"–{ui.number(f['multiplier_90'][1], 2)})") if f else "–",
            "spread": f"{ui.number(f['sigma_lo'], 2)} / {ui.number(f['sigma_hi'], 2)}" if f
            else "–",
            **{f"cover_{k}": "–" if c.get(k) is None else ui.percent(c[k], 0)
               for k in ("base", "fitted")},
            **{f"sharp_{k}": "–" if sh.get(k) is None else ui.number(sh[k], 1)
               for k in ("base", "fitted")}})
    return rows


@admin.post("/cards/fit/download")
async def download_fitted(request: Request, ui: UIDep) -> Response:
    """The card the report shows, as a TOML download (checked to load like any card first)."""
    # a browser sends a textarea's lines ending in CRLF: the card goes back as it was written
    text = str((await request.form()).get("toml") or "").replace("\r\n", "\n")
    try:
        card_id = await run_in_threadpool(_checked, text)
    except KreatorError as exc:
        ctx = await run_in_threadpool(form_context, request, {}, ui)
        ctx["error"] = kreator_detail(exc, ui.lang).message
        return page(request, ui, "cards_fit.html", ctx, status=status_of(exc))
    return fitted.toml_response(text, f"{safe_stem(card_id)}.toml")


def _checked(text: str) -> str:
    """The id of the fitted card ``text``; a CardError if it is no card or not a fitted one."""
    from kreator.core.card import build_card
    from kreator.ratecards import parse_toml

    raw = parse_toml(text.encode("utf-8"), "fitted.toml")
    card = build_card(raw, path="fitted.toml")
    if not isinstance(raw.get("card", {}).get("fit"), dict):
        raise CardError("is not a fitted card (it has no [card.fit] table).",
                        where="fitted.toml", fix="fit one on this page.", key="fit_not_fitted")
    return card.id
