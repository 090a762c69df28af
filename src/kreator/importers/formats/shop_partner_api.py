"""TikTok Shop Partner API: ``POST /affiliate_creator/202410/orders/search`` saved as JSON.

``data.orders[] {id, create_time, status, skus[]}``; each SKU is one order line (natural key
order id + SKU id). Rates are integers in hundredths of a percent (1500 = 15%). Money is
``{amount, currency}`` with a *localised* amount string (``"$3.90"``, ``"Rp9.900"``): the
decimal separator is detected over the whole file; a lone separator followed by exactly
three digits is read as a thousands separator (except in 3-decimal currencies such as KWD).
Statuses: AWAITING PAYMENT, To-SETTLE, SETTLED, REFUNDED, FROZEN, UNSPECIFIED.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kreator.core.errors import Phrase, reason
from kreator.importers.base import NOT_AN_OBJECT, Context, Extract, as_list, dig, json_doc
from kreator.importers.formats.shop import add_order, counts_as_sale
from kreator.importers.formats.text import detect_decimal, parse_money
from kreator.importers.model import Facts, Reject
from kreator.importers.sources import Source


class _Bad(ValueError):
    def __init__(self, column: str, value: Any, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, str(value), reason


class ShopPartnerOrders:
    name = "shop.partner_api_orders"
    title = "TikTok Shop Partner API: affiliate creator orders"
    rank = 2

    def identify(self, src: Source) -> int:
        doc = json_doc(src)
        orders = dig(doc, "data", "orders")
        return 20 if isinstance(doc, dict) and "code" in doc and isinstance(orders, list) else 0

    def extract(self, src: Source, ctx: Context) -> Extract:
        doc = json_doc(src)
        orders = as_list(dig(doc, "data", "orders"), src.name, "data.orders")
        amounts = [str(m.get("amount")) for m in _money_objects(orders)]
        decimal = detect_decimal(amounts, "?")
        facts, rejects, rows = Facts(), [], 0
        for i, order in enumerate(orders):
            skus = as_list(dig(order, "skus"), src.name, f"data.orders[{i}].skus")
            for j, sku in enumerate(skus):
                rows += 1
                try:
                    self._line(order, sku, f"data.orders[{i}].skus[{j}]", src, facts,
                               None if decimal == "?" else decimal)
                except _Bad as bad:
                    rejects.append(Reject(src.name, f"data.orders[{i}].skus[{j}]", bad.column,
                                          bad.value, bad.reason))
        return Extract(facts, rows, rejects, _notes(doc))

    def _line(self, order: Any, sku: Any, where: str, src: Source, facts: Facts,
              decimal: str | None) -> None:
        if not isinstance(order, dict) or not isinstance(sku, dict):
            raise _Bad("(item)", sku, NOT_AN_OBJECT)
        order_id, sku_id = str(order.get("id") or ""), str(sku.get("id") or "")
        if not order_id or not sku_id:
            raise _Bad("id", order_id or sku_id, Phrase(
                "is missing (order id and SKU id identify it)", "reason.missing_order_id"))
        try:
            day = dt.datetime.fromtimestamp(int(str(order.get("create_time"))), dt.UTC).date()
        except (TypeError, ValueError, OverflowError, OSError):
            raise _Bad("create_time", order.get("create_time"),
                       Phrase("is not a Unix time", "reason.not_unix")) from None
        status = str(order.get("status") or "UNSPECIFIED")
        settled = status.upper() == "SETTLED"
        base, currency = _money(sku, "estimated_commission_base", decimal)
        key = "actual_commission" if settled else "estimated_commission"
        commission, cur2 = _money(sku, key, decimal)
        refunded = _fully_returned(sku)
        rate = sku.get("commission_rate")
        details = {"product": str(sku.get("product_name") or "")}
        if isinstance(rate, int | float) and not isinstance(rate, bool):
            details["commission_rate"] = str(Decimal(str(rate)) / 10000)
        add_order(facts, src, order_id=order_id, sku_id=sku_id, day=day, base=base,
                  commission=commission, currency=cur2 or currency or "USD", status=status,
                  counted=counts_as_sale(status, refunded), settled=settled,
                  cols={"base": f"{src.name}:data.orders.skus.estimated_commission_base",
                        "commission": f"{src.name}:data.orders.skus.{key}"}, rank=self.rank,
                  source=self.name, details=details)


def _fully_returned(sku: dict[str, Any]) -> bool:
    qty = sku.get("quantity")
    back = [sku.get(k) for k in ("refunded_quantity", "returned_quantity")]
    most = max((b for b in back if isinstance(b, int)), default=0)
    return isinstance(qty, int) and qty > 0 and most >= qty


def _money_objects(orders: list[Any]) -> list[dict[str, Any]]:
    out = []
    for order in orders:
        for sku in dig(order, "skus") or []:
            if isinstance(sku, dict):
                out += [v for v in sku.values() if isinstance(v, dict) and "amount" in v]
    return out


def _money(sku: dict[str, Any], key: str, decimal: str | None) -> tuple[Decimal, str | None]:
    obj = sku.get(key)
    if not isinstance(obj, dict) or obj.get("amount") in (None, ""):
        raise _Bad(key, obj, Phrase("is missing (expected {amount, currency})", "reason.missing_money"))
    try:
        return parse_money(str(obj["amount"]), obj.get("currency"), decimal)
    except ValueError as exc:
        raise _Bad(key, obj["amount"], reason(exc)) from None


def _notes(doc: Any) -> list[str]:
    token = dig(doc, "data", "next_page_token")
    return [f"more orders on later pages (next_page_token '{token}')"] if token else []
