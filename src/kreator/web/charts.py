"""Chart images for the pages, drawn by :mod:`kreator.report.charts` (the same definitions
the HTML report and media kit use). SVG, from the same query string as the page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kreator.web import forms, services
from kreator.web.render import UIDep

router = APIRouter(include_in_schema=False)
SVG_HEADERS = {"Cache-Control": "no-store",
               "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}


def svg_response(svg: str) -> Response:
    return Response(svg, media_type="image/svg+xml", headers=SVG_HEADERS)


@router.get("/charts/estimate.svg")
def estimate_chart(request: Request, ui: UIDep) -> Response:
    """Every stream's monthly range and the total's, for the creator in the query string."""
    from kreator.report.charts import estimate_ranges

    values = forms.form_values(request.query_params)
    profile = forms.chart_profile(values, ui.lang)
    est = services.run_estimate(profile, values.get("card", "default"), ui.currency)
    return svg_response(estimate_ranges(est, ui.lang))
