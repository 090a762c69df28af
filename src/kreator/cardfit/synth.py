"""Simulated observations from a known card (tests, benchmarks/fit.py, the docs' example)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from kreator.core.card import Card

NICHES = ("beauty", "fitness", "tech", "food", "gaming", "lifestyle")
COUNTRIES = ("US", "GB", "SE", "DE", "IT", "BR")
ACTIVITY = {"live_gifts": "lives_per_month", "sponsorship": "sponsored_posts_per_month",
            "affiliate": "affiliate_sales_per_month", "tiktok_shop": "shop_gmv_per_month",
            "live_subscriptions": "live_subscribers"}


def profiles(rng: np.random.Generator, n: int) -> list[dict[str, Any]]:
    """``n`` plausible small creators, every activity given."""
    followers = np.exp(rng.uniform(np.log(1_200), np.log(60_000), n)).round()
    views = (followers * np.exp(rng.uniform(np.log(1.0), np.log(30.0), n))).round()
    return [{"followers": int(f), "views_30d": int(v), "niche": str(rng.choice(NICHES)),
             "country": str(rng.choice(COUNTRIES)), "age": 25,
             "lives_per_month": int(rng.integers(1, 16)),
             "sponsored_posts_per_month": int(rng.integers(1, 4)),
             "affiliate_sales_per_month": int(rng.integers(1, 40)),
             "shop_gmv_per_month": float(rng.integers(50, 2_000)),
             "live_subscribers": int(rng.integers(1, 30))} for f, v in zip(followers, views,
                                                                          strict=True)]


def observations(card: Card, creators: int, months: int = 2, seed: int = 0,
                 multiplier: Mapping[str, float] | None = None, zero_share: float = 0.0
                 ) -> Iterator[dict[str, Any]]:
    """Rows (creator, stream, amount, ...) drawn from ``card`` with each stream's rate times
    ``multiplier`` and the card's two-piece spreads; a share of paying months paid nothing."""
    from kreator.core.columns import profiles_to_columns
    from kreator.core.estimate import score
    from kreator.core.profile import parse_profile

    rng = np.random.default_rng(seed)
    profs = profiles(rng, creators)
    scored = score(profiles_to_columns([parse_profile(p) for p in profs]), card,
                   monte_carlo=False)
    for r in scored.results:
        up = r.sigma if r.sigma_up is None else r.sigma_up
        k = (multiplier or {}).get(r.id, 1.0)
        for month in range(months):
            z = rng.standard_normal(creators)
            amount = r.median * k * np.exp(np.where(z < 0, r.sigma, up) * z)
            amount = np.where(rng.random(creators) < zero_share, 0.0, amount)
            for i, p in enumerate(profs):
                yield {"creator": f"c{i:06d}", "stream": r.id, "month": month,
                       "amount": round(float(amount[i]), 2), "currency": "USD",
                       "period_days": 30, **p}
