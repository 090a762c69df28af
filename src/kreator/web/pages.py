"""The pages: the profile form with live results, and the rate cards with their sources.

The form is a GET form, so it works without JavaScript; ``static/app.js`` re-renders the
results as the visitor types by fetching ``/partials/results`` (the same template the page
uses, so there is one renderer and one escaping).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kreator.core.errors import KreatorError
from kreator.web import forms, services
from kreator.web.errors import NotFound, kreator_detail
from kreator.web.render import UI, UIDep, page
from kreator.web.views import estimate_view

router = APIRouter(include_in_schema=False)


def profile_query(values: dict[str, str]) -> str:
    """The query string that carries this creator from page to page."""
    return urlencode(values)


def results_context(values: dict[str, str], ui: UI) -> dict[str, Any]:
    """The estimate for the form's values, or every invalid field with its message
    (``errors`` by field; ``error`` is the first); nothing yet when the form holds no
    creator."""
    if not forms.has_profile(values):
        return {"error": None, "errors": {}, "view": None}
    profile, problems = forms.check_form(values, ui.lang)
    try:
        if profile is None:
            raise problems[0]
        est = services.run_estimate(profile, values.get("card", "default"), ui.currency)
    except KreatorError as exc:
        details = [kreator_detail(e, ui.lang) for e in (problems or [exc])]
        return {"error": details[0], "errors": {forms.field_of(d.field): d for d in details},
                "view": None}
    return {"error": None, "errors": {}, "view": estimate_view(est, ui), "est": est}


def form_context(request: Request, ui: UI, values: dict[str, str] | None = None
                 ) -> dict[str, Any]:
    """The form (from the query string; the demo creator only with ``?demo=1``) and its
    results."""
    if values is None:
        values = forms.starting_values(request.query_params)
    cards = [services.card_summary(c) for c in services.builtin_cards()]
    return {"values": values, "groups": forms.GROUPS, "cards": cards, "imported": None,
            "niches": _niches(), "query": profile_query(values),
            **results_context(values, ui)}


def _niches() -> tuple[str, ...]:
    from kreator.core.codes import NICHES

    return NICHES


@router.get("/")
def index(request: Request, ui: UIDep) -> Response:
    """The profile form and its estimate."""
    ctx = form_context(request, ui)
    return page(request, ui, "index.html", ctx, status=422 if ctx["error"] else 200)


@router.get("/partials/results")
def results(request: Request, ui: UIDep) -> Response:
    """Just the results block, for the page's live update."""
    ctx = form_context(request, ui)
    return page(request, ui, "_results.html", ctx, status=422 if ctx["error"] else 200)


@router.get("/cards")
def cards(request: Request, ui: UIDep) -> Response:
    """Every built-in card with every figure and its source."""
    values = forms.form_values(request.query_params)
    shown = [(services.card_summary(c), [services.figure_out(k, i) for k, i in c.figures()])
             for c in services.builtin_cards()]
    return page(request, ui, "cards.html", {"shown": shown,
                                            "query": profile_query(
                                                {k: v for k, v in values.items() if k != "card"})})


@router.get("/cards/{card_id}")
def card(card_id: str, request: Request, ui: UIDep) -> Response:
    """One card's figures (the chooser links here)."""
    if card_id not in services.card_ids():
        raise NotFound(f"no card '{card_id[:64]}'.", field="card",
                       fix=f"use one of {', '.join(services.card_ids())}.")
    c = services.builtin_card(card_id)
    shown = [(services.card_summary(c), [services.figure_out(k, i) for k, i in c.figures()])]
    return page(request, ui, "cards.html", {"shown": shown, "query": ""})


@router.get("/api")
def api_page(request: Request, ui: UIDep) -> Response:
    """The JSON API's operations, from the OpenAPI description (no CDN-hosted viewer)."""
    spec = request.app.openapi()
    ops = [(method.upper(), path, *_op_text(op))
           for path, item in spec["paths"].items() for method, op in item.items()]
    return page(request, ui, "api.html", {"ops": ops, "version": spec["info"]["version"]})


def _op_text(op: dict[str, Any]) -> tuple[str, list[tuple[str, bool]]]:
    """An operation's title (its description's first sentence, not FastAPI's name made from
    the function, e.g. "Api Advise") and its first paragraph as text and ``code`` parts."""
    first = " ".join(op.get("description", "").replace("``", "`").split("\n\n")[0].split())
    title, _, rest = first.partition(". ")
    if not rest:
        title, rest = (first.rstrip("."), "") if first else (op.get("summary", ""), "")
    parts = [(text, i % 2 == 1) for i, text in enumerate(rest.split("`")) if text]
    return title.replace("`", ""), parts
