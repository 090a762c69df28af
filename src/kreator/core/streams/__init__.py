"""One module per income stream; :data:`MODELS` maps stream ids to their model function."""

from __future__ import annotations

from collections.abc import Callable

from kreator.core.card import Card, StreamSpec
from kreator.core.columns import Inputs
from kreator.core.streams import (
    affiliate,
    creator_fund,
    creator_rewards,
    live_gifts,
    live_subscriptions,
    sponsorship,
    tiktok_shop,
)
from kreator.core.streams.base import StreamResult

Model = Callable[[StreamSpec, Inputs, Card], StreamResult]

MODELS: dict[str, Model] = {
    "creator_fund": creator_fund.model,
    "creator_rewards": creator_rewards.model,
    "sponsorship": sponsorship.model,
    "live_gifts": live_gifts.model,
    "affiliate": affiliate.model,
    "tiktok_shop": tiktok_shop.model,
    "live_subscriptions": live_subscriptions.model,
}


VOLUME_FIELDS: dict[str, str] = {
    "creator_fund": creator_fund.VOLUME, "creator_rewards": creator_rewards.VOLUME,
    "sponsorship": sponsorship.VOLUME, "live_gifts": live_gifts.VOLUME, "affiliate": affiliate.VOLUME,
    "tiktok_shop": tiktok_shop.VOLUME, "live_subscriptions": live_subscriptions.VOLUME,
}
"""Stream id -> the profile field its volume comes from."""


def run_all(inputs: Inputs, card: Card) -> list[StreamResult]:
    """Every stream on the card, in card order."""
    return [MODELS[sid](spec, inputs, card) for sid, spec in card.streams.items()]
