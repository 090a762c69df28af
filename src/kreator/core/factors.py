"""The four factors of the seed article, as scores from 0 (weakest) to 1 (strongest).

Each stream places its typical per-unit rate inside the card's range by a weighted mean of
these scores (the *position*), interpolated geometrically: ``low * (high/low) ** position``.
All weakest scores give the card's ``low``; all strongest give its ``high``. Each function
works on whole NumPy columns.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from kreator.core.card import FACTORS, Table

Floats = npt.NDArray[np.float64]


def engagement_score(er_views_pct: Floats, table: Table) -> Floats:
    """Engagement rate by views (percent) -> score, piecewise linear between the card's points.

    Clamped at both ends, never falling: more engagement never lowers the score."""
    xs = np.array([p[0] for p in table.points])
    ys = np.array([p[1] for p in table.points])
    out: Floats = np.interp(er_views_pct, xs, ys)
    return out


def niche_score(niches: npt.NDArray[np.object_] | Sequence[str], table: Table) -> Floats:
    """Niche -> score from the card's table (its ``default`` for niches it does not list)."""
    arr = np.asarray(niches, dtype=object)
    default = table.default if table.default is not None else 0.0
    if arr.size <= 64:  # a few creators: look each up (np.unique sorts, ~5 us even for one)
        return np.array([table.rows.get(str(x), default) for x in arr.ravel()],
                        dtype=np.float64).reshape(arr.shape)
    uniq, inverse = np.unique(arr.astype(str), return_inverse=True)
    mapped = np.array([table.rows.get(str(u), default) for u in uniq], dtype=np.float64)
    return mapped[inverse.reshape(arr.shape)]


def region_score_one(audience: Mapping[str, float] | None, country: str | None,
                     table: Table) -> float:
    """Audience-share-weighted region score; the unassigned share counts as the default."""
    default = table.default if table.default is not None else 0.0
    shares = dict(audience) if audience else ({country: 1.0} if country else {})
    assigned = sum(shares.values())
    score = sum(s * table.rows.get(c, default) for c, s in shares.items())
    return float(score + max(0.0, 1.0 - assigned) * default)


def region_score(audiences: Sequence[Mapping[str, float] | None], countries: Sequence[str | None],
                 table: Table) -> Floats:
    """:func:`region_score_one` over a column of audiences."""
    return np.array([region_score_one(a, c, table) for a, c in zip(audiences, countries,
                                                                    strict=True)],
                    dtype=np.float64)


def quality_score(quality: Floats) -> Floats:
    """Content quality 1-5 -> 0-1, linear."""
    return np.clip((quality - 1.0) / 4.0, 0.0, 1.0)


def position(scores: Mapping[str, Floats], weights: Table) -> Floats:
    """Weighted mean of the factor scores with the stream's weights (they add up to 1)."""
    total: Floats = np.multiply(scores[FACTORS[0]], weights.rows[FACTORS[0]])
    tmp = np.empty_like(total)
    for name in FACTORS[1:]:
        total += np.multiply(scores[name], weights.rows[name], out=tmp)
    return np.clip(total, 0.0, 1.0, out=total)


def interpolate(low: float, high: float, pos: Floats) -> Floats:
    """Geometric interpolation inside [low, high]."""
    out: Floats = np.multiply(pos, math.log(high / low))
    np.exp(out, out=out)  # low * exp(pos * ln(high/low)): exp is ~3x faster than pow
    out *= low
    return out
