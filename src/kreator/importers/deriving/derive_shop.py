"""Derived TikTok Shop values: order lines that count as sales with a date in the window give
``shop_gmv_per_month`` (commission base, converted to the card currency with Kreator's FX
table) and ``shop_commission_rate`` (commission / base).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from kreator.importers.deriving.derived import MONTH, Derived, join, scaled
from kreator.importers.deriving.merge import unique
from kreator.importers.model import Facts, Metric, Window

CENT = Decimal("0.01")


def to_currency(amount: Decimal, source: str, target: str) -> Decimal | None:
    """Convert with Kreator's FX table (units per USD); None when a rate is missing."""
    if source == target:
        return amount
    from kreator.ratecards import fx_table

    rates = fx_table()["rates"]
    if source not in rates or target not in rates:
        return None
    usd = amount / Decimal(str(rates[source]["per_usd"]))
    return usd * Decimal(str(rates[target]["per_usd"]))


def shop(facts: Facts, window: Window, out: Derived, currency: str) -> None:

    if not facts.orders:
        return
    lines = [o for o in unique(facts.orders, "key") if o.counted and o.day in window]
    gmv = commission = Decimal(0)
    missing: dict[str, int] = defaultdict(int)
    for line in lines:
        base = to_currency(line.base, line.currency, currency)
        paid = to_currency(line.commission, line.currency, currency)
        if base is None or paid is None:
            missing[line.currency] += 1
            continue
        gmv, commission = gmv + base, commission + paid
    note = f"{len(lines)} order lines that count as sales {window.start}..{window.end}"
    if missing:
        note += "; left out (no exchange rate): " + ", ".join(f"{n} in {c}"
                                                               for c, n in missing.items())
    prov = join(o.prov for o in lines) or join(o.prov for o in facts.orders)
    monthly = gmv * MONTH / window.days
    out.metrics["shop_gmv_per_month"] = Metric(float(monthly.quantize(CENT, ROUND_HALF_UP)),
                                               prov, note + scaled(window.days))
    prov = join([o.cols.get("commission", "") for o in lines] + [o.prov for o in lines])
    if gmv > 0:
        out.metrics["shop_commission_rate"] = Metric(
            float((commission / gmv).quantize(Decimal("0.0001"), ROUND_HALF_UP)), prov,
            f"commission {commission.quantize(CENT)} / sales {gmv.quantize(CENT)} {currency}")
        out.info["shop_commission_30d"] = Metric(
            f"{(commission * MONTH / window.days).quantize(CENT, ROUND_HALF_UP)} {currency}",
            prov, "commission on sales in the window, per 30 days")
