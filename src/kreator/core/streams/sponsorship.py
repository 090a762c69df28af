"""Sponsorships: paid per sponsored post.

monthly = sponsored_posts_per_month x price per post, the price placed in the card's range
(seed: $50-$500, "depending on niche and engagement"). Beyond the card's tier the price is
at least CPM x average views per video (``tier_rule.cpm``): brands pay for views.
"""

from __future__ import annotations

from kreator.core.card import Card, StreamSpec
from kreator.core.columns import Inputs
from kreator.core.streams.base import StreamResult, Term, evaluate

VOLUME = "sponsored_posts_per_month"
"""The profile field this stream's volume comes from."""


def model(spec: StreamSpec, inputs: Inputs, card: Card) -> StreamResult:
    volume = inputs.cols[VOLUME]
    term = Term("volume", volume, "profile.sponsored_posts_per_month", "sponsored posts a month")
    return evaluate(spec, inputs, card, volume, "sponsored post", term)
