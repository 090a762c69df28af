"""Advice (the levers, ranked by what they add) and the growth projection (when each stream
opens): API and pages over :mod:`kreator.core.advise` and :mod:`kreator.core.growth`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from kreator.core.errors import KreatorError
from kreator.core.estimate import FxRate
from kreator.core.profile import Profile
from kreator.web import forms, services
from kreator.web.charts import sized_for, svg_response
from kreator.web.errors import ERROR_RESPONSES, kreator_detail
from kreator.web.render import UI, UIDep, page
from kreator.web.schemas import EstimateRequest

router = APIRouter()
MAX_MONTHS = 36


class GrowthRequest(EstimateRequest):
    months: int = Field(12, ge=1, le=MAX_MONTHS, strict=True, description="Months to project.")


class AdviceOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    advice: list[dict[str, Any]]
    before: dict[str, Any]
    opens: list[dict[str, Any]]


class GrowthOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    start: str
    months: list[dict[str, Any]]
    openings: list[dict[str, Any]]


def _fx(card_currency: str, currency: str, rate: float | None) -> FxRate | None:
    from kreator.ratecards import fx_rate

    return fx_rate(currency, card_currency, rate)


def run_advice(profile: Profile, card_id: str, currency: str, *, fx_rate: float | None = None,
               draws: int = 10_000, seed: int = 0) -> tuple[Any, float, str]:
    """The advice report, the money factor to ``currency``, and the currency."""
    from kreator.core.advise import advise
    from kreator.ratecards.levers import load_levers

    card = services.builtin_card(card_id)
    fx = _fx(card.currency, currency, fx_rate)
    report = advise(profile, card, load_levers(), draws=draws, seed=seed, start=dt.date.today())
    return report, (fx.rate if fx else 1.0), (fx.currency if fx else card.currency)


def run_growth(profile: Profile, card_id: str, currency: str, *, months: int = 12,
               fx_rate: float | None = None, seed: int = 0) -> tuple[Any, float, str]:
    from kreator.core.growth import project
    from kreator.ratecards.levers import load_levers

    card = services.builtin_card(card_id)
    fx = _fx(card.currency, currency, fx_rate)
    proj = project(profile, card, load_levers().growth, start=dt.date.today(), months=months,
                   seed=seed)
    return proj, (fx.rate if fx else 1.0), (fx.currency if fx else card.currency)


@router.post("/api/v1/advise", response_model=AdviceOut, tags=["advice"],
             responses=ERROR_RESPONSES)
def api_advise(req: EstimateRequest) -> Any:
    """Every lever (the five tips, quantified) re-estimated for this creator and ranked by its
    median monthly gain; levers that do not apply say why."""
    report, k, _ = run_advice(req.profile, req.card, req.currency, fx_rate=req.fx_rate,
                              draws=req.draws, seed=req.seed)
    return JSONResponse(report.to_dict(k))


@router.post("/api/v1/growth", response_model=GrowthOut, tags=["advice"],
             responses=ERROR_RESPONSES)
def api_growth(req: GrowthRequest) -> Any:
    """Followers, views and income month by month (p10/p50/p90) and the date each locked
    stream is likely to open."""
    proj, k, _ = run_growth(req.profile, req.card, req.currency, months=req.months,
                            fx_rate=req.fx_rate, seed=req.seed)
    return JSONResponse(proj.to_dict(k))


def _context(request: Request, ui: UIDep, kind: str) -> dict[str, Any]:
    from urllib.parse import urlencode

    values = forms.starting_values(request.query_params)
    ctx: dict[str, Any] = {"query": urlencode(values), "error": None, "data": None}
    if not forms.has_profile(values):
        return ctx
    try:
        profile = forms.parse_form(values, ui.lang)
        run = run_advice if kind == "advice" else run_growth
        result, k, currency = run(profile, values.get("card", "default"), ui.currency)
    except KreatorError as exc:
        ctx["error"] = kreator_detail(exc, ui.lang)
        return ctx
    ctx.update(data=result.to_dict(k), currency=currency)
    if kind == "advice":
        ctx["items"] = _advice_rows(result, ui, currency, k)
    return ctx


def _advice_rows(report: Any, ui: UI, currency: str, k: float) -> list[dict[str, Any]]:
    """Each lever as the page shows it: title, skip reason, effort and changes in words."""
    from kreator.report.advice import change_text, effort_text, lever_title, skip_text

    rows = []
    for a in report.items:
        g, later = a.gain, a.later
        rows.append({
            "rank": a.rank, "title": lever_title(a, ui.lang),
            "skipped": None if a.skip is None else skip_text(a, ui.lang, currency, k),
            "gain": None if a.comparison is None else {"p10": g.p10 * k, "p50": g.p50 * k,
                                                       "p90": g.p90 * k},
            "later": None if later is None else later.p50 * k,
            "effort": effort_text(a, ui.lang),
            "changes": [change_text(f, b, af, ui.lang) for f, (b, af) in a.changed.items()]})
    return rows


@router.get("/advice", include_in_schema=False)
def advice_page(request: Request, ui: UIDep) -> Response:
    """The levers ranked by what they add, with their effort and what they change."""
    ctx = _context(request, ui, "advice")
    return page(request, ui, "advice.html", ctx, status=422 if ctx["error"] else 200)


@router.get("/growth", include_in_schema=False)
def growth_page(request: Request, ui: UIDep) -> Response:
    """Followers and income a year ahead, and when each stream opens."""
    ctx = _context(request, ui, "growth")
    return page(request, ui, "growth.html", ctx, status=422 if ctx["error"] else 200)


@router.get("/charts/advice.svg", include_in_schema=False)
def advice_svg(request: Request, ui: UIDep) -> Response:
    """What each lever adds (the media kit's own chart definition)."""
    return _chart("advice", request, ui)


@router.get("/charts/growth.svg", include_in_schema=False)
def growth_svg(request: Request, ui: UIDep) -> Response:
    """Followers and income ahead (the media kit's own chart definition)."""
    return _chart("growth", request, ui)


def _chart(kind: str, request: Request, ui: UIDep) -> Response:
    from kreator.report.charts import advice_chart, growth_chart

    values = forms.starting_values(request.query_params)
    profile = forms.chart_profile(values, ui.lang)
    card = values.get("card", "default")
    if kind == "advice":
        report, k, cur = run_advice(profile, card, ui.currency)
        with sized_for(request):
            return svg_response(advice_chart(report, cur, ui.lang, k=k).svg)
    proj, k, cur = run_growth(profile, card, ui.currency)
    with sized_for(request):
        return svg_response(growth_chart(proj, cur, ui.lang, k=k).svg)
