"""Affiliate marketing: commission per sale.

monthly = affiliate_sales_per_month x commission per sale, placed in the card's range
(seed: $1-$50 per sale). A creator's own average commission replaces the card's figure.
"""

from __future__ import annotations

from kreator.core.card import Card, StreamSpec
from kreator.core.columns import Inputs
from kreator.core.streams.base import StreamResult, Term, evaluate, override_known

VOLUME = "affiliate_sales_per_month"
"""The profile field this stream's volume comes from."""


def model(spec: StreamSpec, inputs: Inputs, card: Card) -> StreamResult:
    volume = inputs.cols[VOLUME]
    term = Term("volume", volume, "profile.affiliate_sales_per_month", "sales a month")
    result = evaluate(spec, inputs, card, volume, "sale", term)
    override_known(result, inputs.cols["affiliate_avg_commission"], spec, "affiliate_avg_commission")
    return result
