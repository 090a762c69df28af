"""Each observation's base-card figures: eligibility, the stream's median and spreads.

The median is the model's own (:func:`kreator.core.estimate.score`); where the profile gives no
activity for an eligible stream, the stream's potential (typical activity for this creator)
stands in, as the estimate itself would show it.

A fit reads its observations in parts (:func:`collect`; 16,384 rows from a file, whole
creators from a ledger): each part is scored and only a few numbers a row are kept
(:class:`Scored`, 22 bytes a row), so the profiles of one part at most are in memory at a
time. The fit itself then works on those numbers (about 190 bytes a row at its peak:
docs/cards-fit.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from kreator.cardfit.observations import Observations
from kreator.core.card import Card

Floats = npt.NDArray[np.float64]
KINDS = ("fit", "ineligible", "no_activity", "own_rate")
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


def baseline(obs: Observations, card: Card, chunk: int = 16_384) -> Baseline:
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


@dataclass
class Scored:
    """Every observation as the fit needs it (row i of every array belongs together): the
    creator (their rank by name), the stream (index into ``streams``), monthly US dollars,
    the base card's median and the row's kind (index into :data:`KINDS`)."""

    streams: tuple[str, ...]
    creator: npt.NDArray[np.int32]
    stream: npt.NDArray[np.int8]
    monthly_usd: Floats
    median: Floats
    kind: npt.NDArray[np.int8]
    fx_used: dict[str, str] = field(default_factory=dict)
    skipped: int = 0

    def __len__(self) -> int:
        return len(self.creator)

    @property
    def creators(self) -> int:
        return int(self.creator.max()) + 1 if len(self.creator) else 0


def collect(parts: Iterable[Observations], card: Card) -> Scored:
    """Score each part of the observations on ``card`` as it comes and keep :class:`Scored`."""
    streams = tuple(card.streams)
    index = {sid: i for i, sid in enumerate(streams)}
    names: dict[str, int] = {}
    cols: list[list[npt.NDArray[np.generic]]] = [[], [], [], [], []]
    fx: dict[str, str] = {}
    skipped = 0
    for obs in parts:
        base = baseline(obs, card)
        n = len(obs)
        kind = np.zeros(n, dtype=np.int8)
        for code, name in enumerate(KINDS):
            kind[base.kind == name] = code
        values: tuple[npt.NDArray[np.generic], ...] = (
            np.fromiter((names.setdefault(c, len(names)) for c in obs.creator), np.int32, n),
            np.fromiter((index[sid] for sid in obs.stream), np.int8, n),
            np.asarray(obs.monthly_usd, dtype=np.float64), base.median, kind)
        for col, value in zip(cols, values, strict=True):
            col.append(value)
        fx.update(obs.fx_used)
        skipped += obs.skipped
    rank = np.zeros(len(names), dtype=np.int32)  # first seen -> rank by name, as np.unique
    rank[[names[k] for k in sorted(names)]] = np.arange(len(names), dtype=np.int32)
    creator, stream, usd, median, kinds = (np.concatenate(c) if c else np.zeros(0) for c in cols)
    return Scored(streams, rank[creator.astype(np.int32)], stream.astype(np.int8),
                  usd.astype(np.float64), median.astype(np.float64), kinds.astype(np.int8),
                  fx, skipped)
