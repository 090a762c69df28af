"""TikTok Shop: commission on the sales volume (GMV) a creator drives.

monthly = shop_gmv_per_month x commission rate. The seed gives no number ("depends on sales
volume and commission level"), so the rate range comes from sourced figures marked
``from_seed = false``. A creator's own commission rate replaces the card's.
"""

from __future__ import annotations

import numpy as np

from kreator.core.card import Card, StreamSpec
from kreator.core.columns import Inputs
from kreator.core.streams.base import StreamResult, Term, evaluate, override_known

VOLUME = "shop_gmv_per_month"
"""The profile field this stream's volume comes from."""


def model(spec: StreamSpec, inputs: Inputs, card: Card) -> StreamResult:
    volume = inputs.cols[VOLUME]
    term = Term("volume", volume, "profile.shop_gmv_per_month", "sales value (GMV) a month")
    result = evaluate(spec, inputs, card, volume, "commission rate", term)
    result.unit_is_money = False
    override_known(result, inputs.cols["shop_commission_rate"], spec, "shop_commission_rate")
    _pilot_note(result, spec, inputs)
    return result


def _pilot_note(result: StreamResult, spec: StreamSpec, inputs: Inputs) -> None:
    """Under the card's Pilot threshold, say how many shoppable videos a week TikTok allows.

    The GMV is the creator's own figure (already within the cap), so it is not scaled."""
    cap, until = spec.extras.get("pilot_max_videos_per_week"), spec.extras.get("pilot_until_followers")
    if cap is None or until is None or cap.value is None or until.value is None:
        return
    under = inputs.cols["followers"] < until.value
    if under.any():
        result.terms.append(Term("pilot_cap", np.where(under, cap.value, np.nan),
                                 f"streams.{spec.id}.pilot_max_videos_per_week",
                                 f"shoppable videos a week allowed under {until.value:,.0f} followers"))
