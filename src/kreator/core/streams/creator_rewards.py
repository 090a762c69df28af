"""Creator Rewards Program: paid per 1,000 *qualified* views.

monthly = views_30d / 1000 x qualified_share x rate per 1,000 qualified views. A qualified
view is a unique For You view of at least 5 seconds (not paid, not repeat, not fraudulent);
the card's ``qualified_share`` turns total views into qualified ones (no published figure:
an assumption on the card). Gated by 18+, 10,000 followers, 100,000 views in 30 days,
videos of at least one minute, and the country list.
"""

from __future__ import annotations

from kreator.core.card import Card, StreamSpec
from kreator.core.columns import Inputs
from kreator.core.errors import CardError
from kreator.core.streams.base import StreamResult, Term, evaluate

VOLUME = "views_30d"
"""The profile field this stream's volume comes from."""


def model(spec: StreamSpec, inputs: Inputs, card: Card) -> StreamResult:
    share = spec.extras.get("qualified_share")
    if share is None or share.value is None:
        raise CardError("expected a qualified_share figure with a value.",
                        field=f"streams.{spec.id}.qualified_share", where=card.path,
                        fix="add [streams.creator_rewards.qualified_share] with value = 0.6.",
                        key="qualified_share_missing")
    volume = inputs.cols[VOLUME] / 1000.0 * share.value
    term = Term("volume", volume, f"profile.views_30d x {share.key}",
                f"thousands of qualified views (share {share.value:g})")
    return evaluate(spec, inputs, card, volume, "1,000 qualified views", term)
