"""What each stream could pay: the amount at typical activity for a creator of this size.

Most small creators give no activity (no LIVEs, deals or sales), so every stream but the
views-paid ones shows $0. For every eligible stream whose activity is zero or unknown, the
card's ``[streams.<id>.potential]`` names a sourced typical activity for its volume field: a
fixed amount (LIVEs a month) or an amount per 1,000 views (sales, sales value). A stream's
per-unit rate does not depend on its own volume, so its potential is that volume times the
rate already placed for the creator, with the stream's own spread; ``total_potential`` is the
total with those volumes in place (the creator's own activity elsewhere kept).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kreator.core.card import Card, Potential
from kreator.core.columns import Inputs
from kreator.core.factors import Floats
from kreator.core.streams.base import StreamResult

Bools = npt.NDArray[np.bool_]


@dataclass
class PotentialColumns:
    """Columns for one stream: where it applies, the typical volume and the monthly median."""

    applies: Bools
    volume: Floats
    median: Floats
    potential: Potential


def typical_volume(p: Potential, inputs: Inputs) -> Floats:
    """The typical activity for each creator (per 1,000 views, or a fixed amount)."""
    value = float(p.figure.value or 0.0)
    if p.per_1k_views:
        out: Floats = inputs.cols["views_30d"] / 1000.0 * value
        return out
    return np.full(inputs.n, value)


def potentials(results: list[StreamResult], inputs: Inputs,
               card: Card) -> dict[str, PotentialColumns]:
    """Every stream with a typical activity on the card, for the creators it applies to:
    eligible, with their own activity zero or unknown."""
    out: dict[str, PotentialColumns] = {}
    for r in results:
        p = card.streams[r.id].potential
        if p is None:
            continue
        own = inputs.cols[p.field]
        raw_unknown = inputs.defaults_used.get(p.field)
        unknown = raw_unknown if raw_unknown is not None else np.isnan(own)
        applies = r.eligible & (unknown | (np.nan_to_num(own) == 0))
        if not applies.any():
            continue
        volume = typical_volume(p, inputs)
        out[r.id] = PotentialColumns(applies, volume, np.where(applies, volume * r.rate, 0.0), p)
    return out


def medians_with_potential(results: list[StreamResult], pots: dict[str, PotentialColumns],
                           medians: list[Floats]) -> list[Floats]:
    """The stream medians with each stream's potential in place where it applies."""
    out = []
    for r, m in zip(results, medians, strict=True):
        sp = pots.get(r.id)
        out.append(m if sp is None else np.where(sp.applies, sp.median, m))
    return out
