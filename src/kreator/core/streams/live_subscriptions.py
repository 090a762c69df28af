"""LIVE subscriptions: the creator's share of each subscriber's monthly price.

monthly = live_subscribers x (price x creator share), placed in the card's range.
"""

from __future__ import annotations

from kreator.core.card import Card, StreamSpec
from kreator.core.columns import Inputs
from kreator.core.streams.base import StreamResult, Term, evaluate

VOLUME = "live_subscribers"
"""The profile field this stream's volume comes from."""


def model(spec: StreamSpec, inputs: Inputs, card: Card) -> StreamResult:
    volume = inputs.cols[VOLUME]
    term = Term("volume", volume, "profile.live_subscribers", "paying subscribers")
    return evaluate(spec, inputs, card, volume, "subscriber a month", term)
