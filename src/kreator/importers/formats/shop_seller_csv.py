"""TikTok Shop affiliate orders exported as CSV from Seller Center (30 columns, exact headers).

One row per order line (natural key ``Order ID`` + ``SKU ID``). Rates look like ``15%``;
money may carry a symbol; ``Time Created`` is ``DD/MM/YYYY HH:MM:SS`` (month-first is
detected when a value shows it). A row with ``Time Commission Paid`` is settled (actual
commission), else pending (estimated commission, including Shop Ads and co-funded bonus).
Cancelled or fully refunded rows are read but are not sales.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kreator.core.errors import Phrase
from kreator.importers.formats.shop import add_order, counts_as_sale
from kreator.importers.formats.studio import TableImporter
from kreator.importers.formats.tables import Column, Parsed, TableSpec
from kreator.importers.model import Facts, Reject, row_label
from kreator.importers.sources import Source


def _c(fld: str, name: str, kind: str = "text", required: bool = True,
       blank_ok: bool = False) -> Column:
    return Column(fld, (name,), kind, required, blank_ok)


def _opt_money(fld: str, name: str) -> Column:
    return _c(fld, name, "money", required=False, blank_ok=True)


SELLER_ORDERS = TableSpec("affiliate_orders", "TikTok Shop affiliate orders", (
    _c("order_id", "Order ID"), _c("sku_id", "SKU ID"),
    _c("product", "Product Name", required=False, blank_ok=True),
    _c("currency", "Currency", required=False, blank_ok=True),
    _c("quantity", "Quantity", "int", required=False, blank_ok=True),
    _c("refunded", "Fully returned or refunded", required=False, blank_ok=True),
    _c("status", "Order Status"),
    _c("rate", "Standard commission rate", "share", required=False, blank_ok=True),
    _c("est_base", "Est. Commission Base", "money"),
    _c("est_commission", "Est. standard commission payment", "money"),
    _opt_money("actual_base", "Actual Commission Base"),
    _opt_money("actual_commission", "Actual Commission Payment"),
    _opt_money("est_ads", "Est. Shop Ads commission payment"),
    _opt_money("actual_ads", "Actual Shop Ads commission payment"),
    _opt_money("est_bonus", "Est. co-funded creator bonus"),
    _opt_money("actual_bonus", "Actual co-funded creator bonus"),
    _c("created", "Time Created", "datetime"),
    _c("paid", "Time Commission Paid", "datetime", required=False, blank_ok=True)),
    ("order_id", "sku_id", "est_commission"), ("affiliate_orders",))

ZERO = Decimal(0)


def _sum(row: dict[str, Any], *fields: str) -> Decimal:
    return sum((row[f][0] for f in fields if row.get(f) is not None), ZERO)


def _currency(row: dict[str, Any]) -> str | None:
    if row.get("currency"):
        return str(row["currency"]).upper()
    symbols = {row[f][1] for f in ("est_base", "est_commission") if row.get(f)}
    return symbols.pop() if len(symbols) == 1 and None not in symbols else None


def _build(parsed: Parsed, src: Source, facts: Facts, rank: int) -> list[str]:
    seen: dict[str, int] = {}
    kept = []
    for number, row in parsed.rows:
        key = f"{row['order_id']}:{row['sku_id']}"
        currency = _currency(row)
        problem = (("Order ID", key, Phrase(f"repeats the order and SKU of row {seen[key]}",
                                            "reason.repeated_order", {"row": seen[key]}))
                   if key in seen else
                   ("Currency", "", Phrase("is missing and the amounts carry no currency symbol",
                                           "reason.missing_currency"))
                   if currency is None else None)
        if problem:
            parsed.rejects.append(Reject(src.name, row_label(number), *problem))
            continue
        seen[key] = number
        kept.append((number, row))
        _order(row, src, facts, rank, parsed, currency or "USD")
    parsed.rows = kept
    return []


def _order(row: dict[str, Any], src: Source, facts: Facts, rank: int, parsed: Parsed,
           currency: str) -> None:
    settled = row.get("paid") is not None
    refunded = str(row.get("refunded") or "").strip().casefold() in ("yes", "true", "1", "y")
    if settled:
        commission = _sum(row, "actual_commission", "actual_ads", "actual_bonus")
        base_col = "actual_base" if row.get("actual_base") else "est_base"
        column = "actual_commission"
    else:
        commission = _sum(row, "est_commission", "est_ads", "est_bonus")
        base_col, column = "est_base", "est_commission"
    base = row[base_col][0]
    details = {"product": str(row.get("product") or "")}
    if row.get("rate") is not None:
        details["commission_rate"] = f"{row['rate']:.4f}"
    add_order(facts, src, order_id=str(row["order_id"]), sku_id=str(row["sku_id"]),
              day=row["created"].date(), base=base, commission=commission, currency=currency,
              status=str(row["status"]), counted=counts_as_sale(str(row["status"]), refunded),
              settled=settled, rank=rank,
              cols={"base": f"{src.name}:{parsed.headers[base_col]}",
                    "commission": f"{src.name}:{parsed.headers[column]}"},
              source="shop.seller_center_csv", details=details)


IMPORTERS = (TableImporter("shop.seller_center_csv", SELLER_ORDERS, _build, rank=3,
                           source_label="TikTok Shop"),)
