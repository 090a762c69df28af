"""Creator Fund: paid per 1,000 video views.

monthly = views_30d / 1000 x rate, with the rate placed in the card's range (seed:
$0.02-$0.05 per 1,000 views, so 50,000 views earn $1.00-$2.50). Gated by the card's rules
(seed: 10,000 followers and 100,000 views in the last 30 days).
Assumption: every view counts (the fund paid on all "authentic" views).
"""

from __future__ import annotations

from kreator.core.card import Card, StreamSpec
from kreator.core.columns import Inputs
from kreator.core.streams.base import StreamResult, Term, evaluate

VOLUME = "views_30d"
"""The profile field this stream's volume comes from."""


def model(spec: StreamSpec, inputs: Inputs, card: Card) -> StreamResult:
    volume = inputs.cols[VOLUME] / 1000.0
    term = Term("volume", volume, "profile.views_30d", "thousands of views in 30 days")
    return evaluate(spec, inputs, card, volume, "1,000 views", term)
