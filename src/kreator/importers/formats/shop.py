"""What the two TikTok Shop affiliate-order formats share: one order line to facts + event.

An order line counts as a sale unless it was cancelled, refunded, or is still unpaid. Its
commission is the actual one once settled, else the estimate; money stays Decimal. Lines that
do not count are kept in the row accounting but give no income event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kreator.importers.formats.events import shop_event
from kreator.importers.model import Facts, Order
from kreator.importers.sources import Source

NOT_A_SALE = frozenset({"canceled", "cancelled", "refunded", "ineligible", "customer unpaid",
                        "unpaid", "awaiting payment", "awaiting_payment"})


def counts_as_sale(status: str, refunded: bool) -> bool:
    return not refunded and status.strip().casefold() not in NOT_A_SALE


def add_order(facts: Facts, src: Source, *, order_id: str, sku_id: str, day: dt.date,
              base: Decimal, commission: Decimal, currency: str, status: str, counted: bool,
              settled: bool, cols: dict[str, str], rank: int, source: str,
              details: dict[str, str]) -> None:
    key = f"{order_id}:{sku_id}"
    facts.orders.append(Order(key, day, base, commission, currency, status, counted,
                              cols["base"], rank, cols))
    if counted:
        facts.events.append(shop_event(
            order_id=order_id, sku_id=sku_id, day=day, commission=commission, currency=currency,
            settled=settled, source=source, src=src,
            details={"status": status, "commission_base": str(base), **details}))
