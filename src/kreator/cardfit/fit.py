"""Fit every stream of a base card from observations, and score base and fitted card leaving
whole creators out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from kreator.cardfit.baseline import KINDS, Scored, collect
from kreator.cardfit.observations import Observations
from kreator.cardfit.stats import Prior, StreamFit, fit_stream, quantiles
from kreator.core.card import Card

MAX_FOLDS = 10
"""Leave-one-creator-out exactly up to this many creators; above it, this many folds of whole
creators (each creator is held out once either way)."""


@dataclass
class StreamReport:
    """One stream: the rows by kind, the fit (None without paying rows) and held-out scores."""

    stream: str
    counts: dict[str, int]
    fit: StreamFit | None
    coverage: dict[str, float | None] = field(default_factory=dict)
    sharpness: dict[str, float | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"stream": self.stream, "rows": self.counts,
                "fit": self.fit.to_dict() if self.fit else None,
                "coverage": self.coverage, "sharpness": self.sharpness}


@dataclass
class FitResult:
    rows: int
    creators: int
    streams: list[StreamReport]
    fx: dict[str, str]
    skipped: int = 0

    def fitted(self) -> dict[str, StreamFit]:
        return {s.stream: s.fit for s in self.streams if s.fit is not None}

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "creators": self.creators, "fx": self.fx,
                "skipped": self.skipped,
                "streams": [s.to_dict() for s in self.streams]}


def fit_card(data: Observations | Scored | Iterable[Observations], card: Card,
             tau: float = 0.25, kappa: float = 0.25) -> FitResult:
    """Fit each stream of ``card`` that has observations (given at once, in parts, or
    already scored with :func:`kreator.cardfit.baseline.collect`)."""
    if not isinstance(data, Scored):
        data = collect([data] if isinstance(data, Observations) else data, card)
    reports = []
    for i, (sid, spec) in enumerate(card.streams.items()):
        rows = np.flatnonzero(data.stream == i)
        if len(rows) == 0:
            continue
        prior = Prior(float(spec.spread.value or 0.0), spec.spread_upper, tau, kappa)
        reports.append(_stream(sid, rows, data, prior))
    return FitResult(len(data), data.creators, reports, dict(data.fx_used), data.skipped)


def _stream(sid: str, rows: npt.NDArray[np.intp], data: Scored, prior: Prior) -> StreamReport:
    kind, y = data.kind[rows], data.monthly_usd
    paid = y[rows] > 0
    fit, ineligible = KINDS.index("fit"), KINDS.index("ineligible")
    counts = {"in": len(rows), "paid": int(np.sum((kind == fit) & paid)),
              "zero": int(np.sum((kind == fit) & ~paid)),
              "ineligible": int(np.sum(kind == ineligible)),
              "ineligible_but_paid": int(np.sum((kind == ineligible) & paid)),
              "no_activity": int(np.sum(kind == KINDS.index("no_activity"))),
              "own_rate": int(np.sum(kind == KINDS.index("own_rate")))}
    use = rows[kind == fit]
    report = StreamReport(sid, counts, None)
    if counts["paid"] == 0:
        return report
    one = _Data(y[use], data.median[use], np.unique(data.creator[use], return_inverse=True)[1])
    report.fit = one.fit(np.ones(len(use), dtype=bool), prior)
    report.coverage, report.sharpness = one.held_out(prior)
    return report


@dataclass
class _Data:
    y: npt.NDArray[np.float64]
    median: npt.NDArray[np.float64]
    creator: npt.NDArray[np.intp]

    def fit(self, keep: npt.NDArray[np.bool_], prior: Prior) -> StreamFit:
        y = self.y[keep]
        d = np.log(np.where(y > 0, y, 1.0) / self.median[keep])
        who = np.unique(self.creator[keep], return_inverse=True)[1]
        return fit_stream(d, y <= 0, who.astype(np.int64), prior)

    def held_out(self, prior: Prior) -> tuple[dict[str, float | None], dict[str, float | None]]:
        """Coverage (share of held-out rows inside p10-p90) and sharpness (p90/p10)."""
        n_creators = int(self.creator.max()) + 1
        fold = self.creator % min(n_creators, MAX_FOLDS)
        inside = {"base": 0, "fitted": 0}
        widths: list[float] = []
        for k in np.unique(fold):
            out = fold == k
            if out.all():
                continue
            f = self.fit(~out, prior)
            widths.append(f.sigma_lo + f.sigma_hi)
            for name, (m, lo, hi) in {"base": (1.0, prior.sigma_lo, prior.sigma_hi),
                                      "fitted": (f.multiplier, f.sigma_lo, f.sigma_hi)}.items():
                p10, p90 = quantiles(self.median[out], m, lo, hi)
                inside[name] += int(np.sum((self.y[out] >= p10) & (self.y[out] <= p90)))
        if not widths:
            return {"base": None, "fitted": None}, {"base": None, "fitted": None}
        z = 1.2815515655446004
        cover: dict[str, float | None] = {k: v / len(self.y) for k, v in inside.items()}
        sharp: dict[str, float | None] = {
            "base": float(np.exp(z * (prior.sigma_lo + prior.sigma_hi))),
            "fitted": float(np.exp(z * np.median(widths)))}
        return cover, sharp
