"""Each observation's base-card figures: eligibility, the stream's median and spreads.

The median is the model's own (:func:`kreator.core.estimate.score`); where the profile gives no
activity for an eligible stream, the stream's potential (typical activity for this creator)
stands in, as the estimate itself would show it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kreator.cardfit.observations import Observations
from kreator.core.card import Card

Floats = npt.NDArray[np.float64]
OWN_RATE = {"affiliate": "affiliate_avg_commission", "tiktok_shop": "shop_commission_rate"}
"""A creator's own known rate replaces the card's: such rows say nothing about the card's."""


@dataclass
class Baseline:
    """Per observation: the base card's median, spreads and what kind of row it is."""

    median: Floats
    sigma_lo: Floats
    sigma_hi: Floats
    kind: npt.NDArray[np.str_]
    """``fit`` (eligible, a median to compare), ``ineligible``, ``no_activity``, ``own_rate``."""


def baseline(obs: Observations, card: Card, chunk: int = 65_536) -> Baseline:
    """Score every row on ``card`` in chunks (bounded memory)."""
    parts = [_chunk(obs, card, i, min(i + chunk, len(obs))) for i in range(0, len(obs), chunk)]
    if not parts:
        empty = np.zeros(0)
        return Baseline(empty, empty, empty, np.zeros(0, dtype="<U11"))
    return Baseline(*(np.concatenate([getattr(p, f) for p in parts])
                      for f in ("median", "sigma_lo", "sigma_hi", "kind")))


def _chunk(obs: Observations, card: Card, lo: int, hi: int) -> Baseline:
    from kreator.core.columns import profiles_to_columns
    from kreator.core.estimate import score

    cols = profiles_to_columns(obs.profiles[lo:hi])
    scored = score(cols, card, monte_carlo=False, potential=True)
    n = hi - lo
    out = Baseline(np.zeros(n), np.zeros(n), np.zeros(n), np.full(n, "fit", dtype="<U11"))
    streams = np.array(obs.stream[lo:hi], dtype=object)
    for r in scored.results:
        at = np.flatnonzero(streams == r.id)
        out.sigma_lo[at] = r.sigma[at]
        out.sigma_hi[at] = (r.sigma if r.sigma_up is None else r.sigma_up)[at]
        median = r.median[at]
        pot = scored.potential.get(r.id)
        if pot is not None:
            use = (median <= 0) & pot.applies[at] & (pot.median[at] > 0)
            median = np.where(use, pot.median[at], median)
        out.median[at] = median
        kind = np.where(median <= 0, "no_activity", "fit")
        if r.id in OWN_RATE:
            kind = np.where(np.isnan(cols[OWN_RATE[r.id]][at]), kind, "own_rate")
        out.kind[at] = np.where(r.eligible[at], kind, "ineligible")
    return out
