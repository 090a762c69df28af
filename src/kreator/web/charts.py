"""Chart images for the pages, drawn by :mod:`kreator.report.charts` (the same definitions
the HTML report and media kit use). SVG, from the same query string as the page; with
``?phone=1`` drawn narrow for a phone's screen (the pages ask for it below 600 px wide), so
the text stays readable instead of being scaled down to a few pixels."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kreator.web import forms, services
from kreator.web.render import UIDep

router = APIRouter(include_in_schema=False)
SVG_HEADERS = {"Cache-Control": "no-store",
               "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}


@contextlib.contextmanager
def sized_for(request: Request) -> Iterator[None]:
    """Draw for a phone when the page asked for it (``?phone=1``)."""
    from kreator.report.charts import phone

    with phone() if request.query_params.get("phone") == "1" else contextlib.nullcontext():
        yield


def svg_response(svg: str) -> Response:
    return Response(svg, media_type="image/svg+xml", headers=SVG_HEADERS)


@router.get("/charts/estimate.svg")
def estimate_chart(request: Request, ui: UIDep) -> Response:
    """Every stream's monthly range and the total's, for the creator in the query string."""
    from kreator.report.charts import estimate_ranges

    values = forms.form_values(request.query_params)
    profile = forms.chart_profile(values, ui.lang)
    est = services.run_estimate(profile, values.get("card", "default"), ui.currency)
    with sized_for(request):
        return svg_response(estimate_ranges(est, ui.lang))
