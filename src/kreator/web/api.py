"""The JSON API under ``/api/v1``: estimate, eligibility, whatif and the rate cards.

Handlers return the core's own ``to_dict()`` output (validated against the response models
by the test suite, not on every request). Errors are raised as Kreator exceptions and
shaped by :mod:`kreator.web.errors`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from kreator.web import services
from kreator.web.errors import ERROR_RESPONSES, ErrorBody, NotFound
from kreator.web.responses import FastJSON
from kreator.web.schemas import (
    CardOut,
    CardsOut,
    EligibilityOut,
    EligibilityRequest,
    EstimateOut,
    EstimateRequest,
    WhatIfOut,
    WhatIfRequest,
)

router = APIRouter(prefix="/api/v1", tags=["estimate"], responses=ERROR_RESPONSES)


@router.post("/estimate", response_model=EstimateOut)
async def estimate(req: EstimateRequest, request: Request) -> Any:
    """Monthly income per stream and in total (p10/p50/p90/mean), with eligibility and the
    breakdown of every stream. The same JSON as ``kreator estimate --json``."""
    # async on purpose: creators asking at the same time are scored in one core call on the
    # event loop (see kreator.web.batcher; benchmarks/web.py measures it)
    fx = services.fx_for(services.builtin_card(req.card), req.currency, req.fx_rate)
    est = await request.app.state.batcher.estimate(req.profile, req.card, draws=req.draws,
                                                   seed=req.seed)
    return FastJSON((est.in_currency(fx) if fx is not None else est).to_dict())


@router.post("/eligibility", response_model=EligibilityOut)
def eligibility(req: EligibilityRequest) -> Any:
    """Which streams the creator can use now, and for the others every unmet rule with its gap."""
    est = services.run_estimate(req.profile, req.card, draws=100)
    d = est.to_dict()
    return FastJSON({"card": d["card"], "tier": d["profile"]["tier"],
                         "streams": [{k: s[k] for k in ("id", "eligible", "unmet")}
                                     for s in d["streams"]]})


@router.post("/whatif", response_model=WhatIfOut)
def whatif(req: WhatIfRequest) -> Any:
    """Estimate the creator as they are and with ``changes``; the delta uses the same random
    draws for both, so it is the effect of the change alone."""
    changed_profile = services.changed_profile(req.profile, req.changes)
    kw: dict[str, Any] = {"fx_rate": req.fx_rate, "draws": req.draws, "seed": req.seed}
    base = services.run_estimate(req.profile, req.card, req.currency, **kw)
    changed = services.run_estimate(changed_profile, req.card, req.currency, **kw)
    return FastJSON({"base": base.to_dict(), "changed": changed.to_dict(),
                         "delta": services.whatif(base, changed)})


@router.get("/cards", response_model=CardsOut, tags=["cards"])
def cards() -> Any:
    """The built-in rate cards (``current`` is an alias of the newest base card)."""
    return CardsOut(cards=[services.card_summary(c) for c in services.builtin_cards()])


@router.get("/cards/{card_id}", response_model=CardOut, tags=["cards"],
            responses={404: {"model": ErrorBody, "description": "No such card"}})
def card(card_id: str) -> Any:
    """Every figure on a card with its unit, source, date and note."""
    if card_id not in services.card_ids():
        raise NotFound(f"no card '{card_id[:64]}'.", field="card_id",
                       fix=f"use one of {', '.join(services.card_ids())}.")
    c = services.builtin_card(card_id)
    return CardOut(card=services.card_summary(c),
                   figures=[services.figure_out(k, item) for k, item in c.figures()])
