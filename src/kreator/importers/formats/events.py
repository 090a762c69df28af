"""Income events from imported records (LIVE sessions, Shop order lines).

LIVE: ``amount`` = diamonds x the card's ``streams.live_gifts.usd_per_diamond`` (in the card's
currency), rounded half-up to the cent; ``original_amount`` keeps the diamonds
(``original_currency = "DIAMOND"``), ``fx_rate`` the rate, ``fx_source``/``fx_date`` the
figure's source. Natural key ``tiktok-live:<RoomId>``.

Shop: ``amount`` = the commission in the order's currency (actual once settled, else the
estimate), never a float. Natural key ``tiktok-shop:<order id>:<sku id>``.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from kreator.core.errors import CardError
from kreator.core.events import IncomeEvent

if TYPE_CHECKING:
    from kreator.core.card import Card, Figure
    from kreator.importers.model import Live
    from kreator.importers.sources import Source

CENT = Decimal("0.01")
DIAMOND = "DIAMOND"


def diamond_rate(card: Card) -> Figure:
    """The card figure that values one diamond."""
    spec = card.streams.get("live_gifts")
    fig = spec.extras.get("usd_per_diamond") if spec is not None else None
    if fig is None or fig.value is None:
        raise CardError("has no figure streams.live_gifts.usd_per_diamond to value LIVE "
                        "diamonds.", where=card.path,
                        fix="use a card that has it (seed, current) or add it to your card.",
                        key="card_no_diamond_rate")
    return fig


def live_event(live: Live, card: Card, src: Source, title: str = "") -> IncomeEvent:
    fig = diamond_rate(card)
    rate = Decimal(repr(fig.value))
    diamonds = Decimal(live.diamonds or 0)
    details = {"diamonds": str(diamonds), "usd_per_diamond": str(rate), "card": card.id,
               "rate_key": fig.key, "file": src.name, "sha256": src.sha256,
               "start": live.start.isoformat(sep=" ")}
    for name, value in (("minutes", live.minutes), ("views", live.views),
                        ("gifters", live.gifters), ("likes", live.likes)):
        if value is not None:
            details[name] = str(value)
    if title:
        details["room_title"] = title
    return IncomeEvent(
        date=live.start.date(), stream="live_gifts",
        amount=(diamonds * rate).quantize(CENT, ROUND_HALF_UP), currency=card.currency,
        source="tiktok.personal_export", natural_key=f"tiktok-live:{live.key}",
        note=f"LIVE {live.start:%Y-%m-%d %H:%M}: {diamonds} diamonds at {rate} "
             f"{card.currency} each", original_amount=diamonds, original_currency=DIAMOND,
        fx_rate=rate, fx_source=fig.source, fx_date=fig.source_date, details=details)


def shop_event(*, order_id: str, sku_id: str, day: dt.date, commission: Decimal,
               currency: str, settled: bool, source: str, src: Source,
               details: dict[str, str]) -> IncomeEvent:
    state = "settled" if settled else "pending"
    return IncomeEvent(
        date=day, stream="tiktok_shop", amount=commission, currency=currency, source=source,
        natural_key=f"tiktok-shop:{order_id}:{sku_id}",
        note=f"Shop order {order_id}, SKU {sku_id}: commission {commission} {currency} "
             f"({state})",
        details={"order_id": order_id, "sku_id": sku_id, "state": state, "file": src.name,
                 "sha256": src.sha256, **details})
