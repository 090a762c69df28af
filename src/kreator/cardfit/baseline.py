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
    by_id = {r.id: r for r in scored.results}
    n = hi - lo
    out = Baseline(np.zeros(n), np.zeros(n), np.zeros(n), np.full(n, "fit", dtype="<U11"))
    for i in range(n):
        sid = obs.stream[lo + i]
        r = by_id[sid]
        out.sigma_lo[i] = r.sigma[i]
        out.sigma_hi[i] = (r.sigma if r.sigma_up is None else r.sigma_up)[i]
        out.median[i] = r.median[i]
        if not r.eligible[i]:
            out.kind[i] = "ineligible"
        elif sid in OWN_RATE and not np.isnan(cols[OWN_RATE[sid]][i]):
            out.kind[i] = "own_rate"
        elif out.median[i] <= 0:
            pot = scored.potential.get(sid)
            if pot is not None and pot.applies[i] and pot.median[i] > 0:
                out.median[i] = pot.median[i]
            else:
                out.kind[i] = "no_activity"
    return out
