"""A synthetic population of creators for tests, demos and benchmarks.

Followers are drawn per tier band (starter 8%, nano 45%, micro 27%, mid 15%, macro 3%,
mega 2%: most creators are small), log-uniform inside the band. Views per video scale with
followers (a log-normal ratio around 0.4 with log-sd 1: some videos go viral). Likes,
comments and shares per view are the card's defaults (its engagement benchmark) times a
log-normal with log-sd 0.5. Niches are uniform over Kreator's list; countries follow a fixed
weighting of large TikTok markets; audiences are three share columns (home country, US, rest
unassigned). LIVEs, sponsored posts, affiliate sales and shop sales are zero for most and
grow with followers for the rest. Rows are generated in fixed chunks from ``(seed, chunk)``,
so a file depends only on ``n`` and ``seed``, and memory stays bounded for any ``n``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from kreator.core.card import Card
from kreator.core.codes import NICHES

CHUNK = 1_000_000
TIER_WEIGHTS = ((0.08, 100, 1_000), (0.45, 1_000, 10_000), (0.27, 10_000, 50_000),
                (0.15, 50_000, 500_000), (0.03, 500_000, 1_000_000), (0.02, 1_000_000, 20_000_000))
COUNTRIES = (("US", 0.25), ("GB", 0.08), ("CA", 0.05), ("DE", 0.06), ("SE", 0.03), ("FR", 0.05),
             ("BR", 0.10), ("MX", 0.07), ("ID", 0.10), ("PH", 0.06), ("IN", 0.05), ("AU", 0.04),
             ("NG", 0.06))
AUDIENCE = ("US", "GB", "CA")


def _typical(card: Card, name: str, fallback: float) -> float:
    fig = card.defaults.get(name)
    return fig.typical if fig is not None else fallback


def chunk(n: int, rng: np.random.Generator, card: Card, first_id: int) -> pa.Table:
    """``n`` synthetic creators (ids from ``first_id``)."""
    w = np.array([t[0] for t in TIER_WEIGHTS])
    tier = rng.choice(len(TIER_WEIGHTS), n, p=w / w.sum())
    lo = np.log(np.array([t[1] for t in TIER_WEIGHTS]))[tier]
    hi = np.log(np.array([t[2] for t in TIER_WEIGHTS]))[tier]
    followers = np.floor(np.exp(rng.uniform(lo, hi)))
    videos = np.maximum(1, rng.poisson(_typical(card, "videos_30d", 12), n)).astype(np.int64)
    per_video = followers * 0.4 * np.exp(rng.normal(0.0, 1.0, n))
    views = np.floor(per_video * videos)
    cols: dict[str, object] = {"id": np.arange(first_id, first_id + n, dtype=np.int64),
                               "followers": followers.astype(np.int64),
                               "views_30d": views.astype(np.int64), "videos_30d": videos}
    for field, key, fallback in (("likes_30d", "likes_per_view", 0.05),
                                 ("comments_30d", "comments_per_view", 0.005),
                                 ("shares_30d", "shares_per_view", 0.005)):
        rate = _typical(card, key, fallback) * np.exp(rng.normal(0.0, 0.5, n))
        cols[field] = np.floor(views * np.minimum(rate, 0.5)).astype(np.int64)
    niches = np.array(NICHES, dtype=object)
    cols["niche"] = pa.DictionaryArray.from_arrays(rng.integers(0, len(niches), n).astype(np.int32),
                                                   pa.array(list(niches)))
    codes = [c for c, _ in COUNTRIES]
    cw = np.array([p for _, p in COUNTRIES])
    home = rng.choice(len(codes), n, p=cw / cw.sum()).astype(np.int32)
    cols["country"] = pa.DictionaryArray.from_arrays(home, pa.array(codes))
    cols.update(_audience(rng, n, home, codes))
    cols["quality"] = np.round(rng.uniform(1.0, 5.0, n) * 2) / 2
    cols["age"] = rng.integers(16, 46, n).astype(np.int64)
    cols.update(_money(rng, n, followers))
    cols["follower_growth_per_month"] = np.round(followers * rng.normal(0.03, 0.05, n))
    return pa.table(cols)


def _audience(rng: np.random.Generator, n: int, home: np.ndarray,
              codes: list[str]) -> dict[str, np.ndarray]:
    """Shares for audience_US/GB/CA: mostly the home country, some US, the rest unassigned."""
    own = rng.beta(5, 3, n) * 0.9
    us = (1 - own) * rng.beta(2, 5, n)
    out = {}
    for c in AUDIENCE:
        share = np.where(np.array(codes)[home] == c, own, 0.0) + (us if c == "US" else 0.0)
        out[f"audience_{c}"] = np.round(np.minimum(share, 1.0), 3)
    return out


def _money(rng: np.random.Generator, n: int, followers: np.ndarray) -> dict[str, np.ndarray]:
    size = np.log10(np.maximum(followers, 10.0)) / 7.0  # 0..1: bigger accounts do more of all
    live = rng.random(n) < 0.2 + 0.3 * size
    sponsored = rng.random(n) < 0.05 + 0.5 * size
    affiliate = rng.random(n) < 0.15 + 0.2 * size
    shop = rng.random(n) < 0.1 + 0.2 * size
    return {
        "lives_per_month": np.where(live, rng.integers(1, 21, n), 0).astype(np.float64),
        "sponsored_posts_per_month": np.where(sponsored, rng.integers(1, 6, n), 0).astype(np.float64),
        "affiliate_sales_per_month": np.where(
            affiliate, np.round(np.exp(rng.normal(2.0 + 2 * size, 1.0, n))), 0.0),
        "shop_gmv_per_month": np.where(shop, np.round(np.exp(rng.normal(5.0 + 3 * size, 1.2, n)), 2),
                                       0.0),
    }


def batches(n: int, card: Card, seed: int = 0) -> Iterator[pa.Table]:
    """The population in chunks of at most :data:`CHUNK` rows."""
    for i, start in enumerate(range(0, n, CHUNK)):
        rng = np.random.default_rng([seed, i])
        yield chunk(min(CHUNK, n - start), rng, card, start + 1)


def synth(n: int, card: Card, seed: int = 0) -> pa.Table:
    """The whole population in memory (for tests and small demos)."""
    parts = list(batches(n, card, seed))
    return pa.concat_tables(parts) if parts else chunk(0, np.random.default_rng([seed, 0]), card, 1)


def write(path: Path, n: int, card: Card, seed: int = 0, fmt: str | None = None) -> int:
    """Write the population to Parquet, CSV or JSON Lines, one chunk at a time."""
    from kreator.batch.io import open_writer

    with open_writer(path, fmt) as writer:
        for part in batches(n, card, seed):
            writer.write(part)
    return n
