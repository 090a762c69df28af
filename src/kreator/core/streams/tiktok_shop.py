"""TikTok Shop: commission on the sales volume (GMV) a creator drives.

monthly = shop_gmv_per_month x commission rate. The seed gives no number ("depends on sales
volume and commission level"), so the rate range comes from sourced figures marked
``from_seed = false``. A creator's own commission rate replaces the card's.
"""

from __future__ import annotations

from kreator.core.card import Card, StreamSpec
from kreator.core.columns import Inputs
from kreator.core.streams.base import StreamResult, Term, evaluate, override_known


def model(spec: StreamSpec, inputs: Inputs, card: Card) -> StreamResult:
    volume = inputs.cols["shop_gmv_per_month"]
    term = Term("volume", volume, "profile.shop_gmv_per_month", "sales value (GMV) a month")
    result = evaluate(spec, inputs, card, volume, "commission rate", term)
    result.unit_is_money = False
    override_known(result, inputs.cols["shop_commission_rate"], spec, "shop_commission_rate")
    return result
