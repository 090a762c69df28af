"""Write docs/examples/payouts.csv, the worked example of docs/cards-fit.md.

40 creators x 2 months x 7 streams simulated from the default card with LIVE gifts paying half
the card's rate, the card's spreads and 5% of paying months paying nothing:

    python docs/examples/make_payouts.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from kreator.cardfit.synth import observations
from kreator.ratecards import DEFAULT_CARD, load_card

COLUMNS = ("creator", "stream", "amount", "currency", "period_days", "followers", "views_30d",
           "niche", "country", "age", "lives_per_month", "sponsored_posts_per_month",
           "affiliate_sales_per_month", "shop_gmv_per_month", "live_subscribers")


def main() -> None:
    rows = observations(load_card(DEFAULT_CARD), creators=40, months=2, seed=0,
                        multiplier={"live_gifts": 0.5}, zero_share=0.05)
    out = Path(__file__).with_name("payouts.csv")
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
