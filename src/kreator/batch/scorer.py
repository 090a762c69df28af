"""Score converted columns with the core model and lay the results out as an Arrow table.

Per-stream percentiles are exact (log-normal, :func:`kreator.core.estimate.score` with
``monte_carlo=False``); the total's come from :mod:`kreator.core.approx`, or, with ``mc``
draws, from the core's seeded Monte Carlo with common random numbers. Either way every row is
computed on its own, so the result does not depend on how the table is split into batches.
Scoring runs over blocks of ``BLOCK`` rows, small enough to stay in the CPU cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from kreator.batch.fields import (
    QUANTS,
    TIER_NAMES,
    float_columns,
    numeric_rules,
    tier_codes,
    unmet_codes,
    unmet_labels,
)
from kreator.core import approx
from kreator.core.card import Card
from kreator.core.estimate import score, upper
from kreator.core.simulate import Quantiles

BLOCK = 16_384


@dataclass(frozen=True)
class Options:
    """How to score: the card, the total's method and the seed."""

    card: Card
    mc: int | None = None  # Monte Carlo draws for the total; None = closed form
    seed: int = 0
    block: int = BLOCK

    @property
    def method(self) -> str:
        return f"monte-carlo draws={self.mc} seed={self.seed}" if self.mc else "closed-form"


@dataclass
class Layout:
    """Output arrays for n rows, filled block by block. The float columns share one
    allocation (large enough for the kernel's huge pages: fewer page faults)."""

    n: int
    names: list[str]
    block: np.ndarray = field(init=False)
    floats: dict[str, np.ndarray] = field(default_factory=dict)
    bools: dict[str, np.ndarray] = field(default_factory=dict)
    codes: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.block = np.empty((len(self.names), self.n))
        self.floats = {name: self.block[i] for i, name in enumerate(self.names)}

    def f(self, name: str) -> np.ndarray:
        return self.floats[name]


def score_columns(raw: dict[str, Any], opts: Options) -> Layout:
    """Every stream's percentiles, eligibility, gaps and unmet rules, the total, the tier."""
    n = len(raw["followers"])
    out = Layout(n, float_columns(opts.card))
    out.codes["tier"] = tier_codes(raw["followers"])
    for start in range(0, n, opts.block):
        sl = slice(start, min(n, start + opts.block))
        _block({k: v[sl] for k, v in raw.items()}, opts, out, sl)
    if n == 0:
        _block(raw, opts, out, slice(0, 0))
    return out


def _block(raw: dict[str, Any], opts: Options, out: Layout, sl: slice) -> None:
    scored = score(raw, opts.card, monte_carlo=bool(opts.mc), draws=opts.mc or 100, seed=opts.seed)
    for r in scored.results:
        _put(out, r.id, scored.streams[r.id], sl)
        out.bools.setdefault(f"{r.id}_eligible", np.empty(out.n, dtype=bool))[sl] = r.eligible
        met = [c.met for c in r.checks]
        code = out.codes.setdefault(f"{r.id}_unmet", np.empty(out.n, dtype=np.int32))
        code[sl] = unmet_codes(met) if met else 0
        for c in r.checks:
            if c.rule.field != "country":
                out.f(f"{r.id}_gap_{c.rule.id}")[sl] = c.gap
    if scored.total is not None:
        total = scored.total
    else:
        total = approx.total([scored.streams[r.id].p50 for r in scored.results],
                             [r.sigma for r in scored.results], [upper(r) for r in scored.results])
    _put(out, "total", total, sl)


def _put(out: Layout, prefix: str, q: Quantiles, sl: slice) -> None:
    for name in QUANTS:
        out.f(f"{prefix}_{name}")[sl] = getattr(q, name)


def to_table(out: Layout, rows: np.ndarray, kept: pa.Table | None, card: Card,
             schema: pa.Schema) -> pa.Table:
    """The scored rows as an Arrow table in ``schema``'s column order."""
    cols: dict[str, pa.Array] = {"row": pa.array(rows, pa.int64())}
    if kept is not None:
        for name in kept.column_names:
            cols[name] = kept.column(name)
    tiers = pa.array(list(TIER_NAMES), pa.string())
    cols["tier"] = pa.DictionaryArray.from_arrays(pa.array(out.codes["tier"], pa.int8()), tiers)
    for sid in card.streams:
        labels = pa.array(unmet_labels(card, sid), pa.string())
        cols[f"{sid}_unmet"] = pa.DictionaryArray.from_arrays(
            pa.array(out.codes[f"{sid}_unmet"], pa.int32()), labels)
        cols[f"{sid}_eligible"] = pa.array(out.bools[f"{sid}_eligible"], pa.bool_())
        for rid in numeric_rules(card, sid):
            cols[f"{sid}_gap_{rid}"] = pa.array(out.floats[f"{sid}_gap_{rid}"])
        for q in QUANTS:
            cols[f"{sid}_{q}"] = pa.array(out.floats[f"{sid}_{q}"])
    for q in QUANTS:
        cols[f"total_{q}"] = pa.array(out.floats[f"total_{q}"])
    arrays = [cols[f.name] if cols[f.name].type == f.type else cols[f.name].cast(f.type)
              for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)
