"""The fit of one stream: partial pooling towards the base card (SciPy).

For observation i of a stream, d_i = ln(monthly_i / median_i), the base card's median for that
creator. The model (docs/model.md section 7) says d_i = ln m + s(Z) Z with Z ~ N(0, 1) and
s = sigma_lo below the median, sigma_hi above; ``m`` is the fitted multiplier on the stream's
rate range (low and high move together). Priors from the base card: ln m ~ N(0, tau^2),
ln sigma_lo ~ N(ln base_lo, kappa^2), ln sigma_hi ~ N(ln base_hi, kappa^2). Each creator's rows
weigh 1 in all (weights 1/rows), so a creator with many months counts once. The maximum a
posteriori is found with scipy.optimize.minimize (Powell: the two-piece density jumps at the
median, so gradient methods stall), started at the weighted median of d; the interval is the
Laplace approximation from the observed information of each parameter (its diagonal).

Zero payouts from an eligible stream cannot come from a log-normal: they are a hurdle, a share
``p0`` of months that paid nothing, fitted with a Jeffreys Beta prior and reported; the level
and spreads are fitted on the months that paid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Z90 = 1.6448536269514722
"""90% intervals."""


@dataclass(frozen=True)
class Prior:
    """The base card's figures and how firmly the fit holds to them."""

    sigma_lo: float
    sigma_hi: float
    tau: float = 0.25
    kappa: float = 0.25


@dataclass(frozen=True)
class StreamFit:
    """One stream's posterior: multiplier and spreads with 90% intervals, the zero share."""

    rows: int
    creators: int
    multiplier: float
    multiplier_90: tuple[float, float]
    sigma_lo: float
    sigma_lo_90: tuple[float, float]
    sigma_hi: float
    sigma_hi_90: tuple[float, float]
    zero_share: float
    zero_share_90: tuple[float, float]

    def to_dict(self) -> dict[str, object]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


class Sums:
    """The rows sorted by d with running sums of w, w·d and w·d², so the likelihood at any
    ln m takes O(log n): below it, sum w·(d − mu)² = S2 − 2·mu·S1 + mu²·W."""

    def __init__(self, d: Floats, w: Floats) -> None:
        order = np.argsort(d)
        self.d = d[order]
        ws = w[order]
        zero = np.zeros(1)
        self.w = np.concatenate([zero, np.cumsum(ws)])
        self.s1 = np.concatenate([zero, np.cumsum(ws * self.d)])
        self.s2 = np.concatenate([zero, np.cumsum(ws * self.d ** 2)])

    def sides(self, mu: float) -> tuple[tuple[float, float], tuple[float, float]]:
        """(weight, weighted sum of (d − mu)²) below and at-or-above ``mu``."""
        k = int(np.searchsorted(self.d, mu))
        out = []
        for a, b in ((0, k), (k, len(self.d))):
            w, s1, s2 = (float(c[b] - c[a]) for c in (self.w, self.s1, self.s2))
            out.append((w, max(s2 - 2 * mu * s1 + mu * mu * w, 0.0)))
        return out[0], out[1]


def neg_log_post(theta: Floats, sums: Sums, prior: Prior) -> float:
    """-ln posterior of (ln m, ln sigma_lo, ln sigma_hi), up to a constant."""
    mu, llo, lhi = (float(x) for x in theta)
    (w_lo, q_lo), (w_hi, q_hi) = sums.sides(mu)
    nll = w_lo * llo + 0.5 * q_lo * math.exp(-2 * llo) + w_hi * lhi + 0.5 * q_hi * math.exp(-2 * lhi)
    pri = 0.5 * ((mu / prior.tau) ** 2 + ((llo - math.log(prior.sigma_lo)) / prior.kappa) ** 2
                 + ((lhi - math.log(prior.sigma_hi)) / prior.kappa) ** 2)
    return nll + pri


def fit_stream(d: Floats, zero: npt.NDArray[np.bool_], creator: npt.NDArray[np.int64],
               prior: Prior) -> StreamFit:
    """Fit one stream from its log ratios ``d`` (ignored where ``zero``)."""
    from scipy import optimize, stats

    counts = np.bincount(creator)
    w = 1.0 / counts[creator]
    pos = ~zero
    start = np.array([_weighted_median(d[pos], w[pos]), math.log(prior.sigma_lo),
                      math.log(prior.sigma_hi)])
    sums = Sums(d[pos], w[pos])
    res = optimize.minimize(neg_log_post, start, args=(sums, prior), method="Powell",
                            bounds=[(-10, 10), (-5, 1.09), (-5, 1.09)])
    theta = res.x
    sd = _laplace_sd(theta, sums, prior)
    a, b = 0.5 + float(w[zero].sum()), 0.5 + float(w[pos].sum())
    beta = stats.beta(a, b)
    return StreamFit(
        rows=len(d), creators=int(np.count_nonzero(counts)),
        multiplier=math.exp(theta[0]), multiplier_90=_band(theta[0], sd[0]),
        sigma_lo=math.exp(theta[1]), sigma_lo_90=_band(theta[1], sd[1]),
        sigma_hi=math.exp(theta[2]), sigma_hi_90=_band(theta[2], sd[2]),
        zero_share=a / (a + b), zero_share_90=(float(beta.ppf(0.05)), float(beta.ppf(0.95))))


def _band(centre: float, sd: float) -> tuple[float, float]:
    return math.exp(centre - Z90 * sd), math.exp(centre + Z90 * sd)


def _weighted_median(d: Floats, w: Floats) -> float:
    order = np.argsort(d)
    cum = np.cumsum(w[order])
    return float(d[order][np.searchsorted(cum, cum[-1] / 2)])


def _laplace_sd(theta: Floats, sums: Sums, prior: Prior) -> Floats:
    """Posterior standard deviations from the observed information at the mode: for ln m the
    weighted rows over their side's sigma² plus the prior's 1/tau²; for each ln sigma twice
    its side's weighted sum of (z/sigma)² plus 1/kappa²."""
    mu, llo, lhi = (float(x) for x in theta)
    (w_lo, q_lo), (w_hi, q_hi) = sums.sides(mu)
    lo2, hi2 = math.exp(2 * llo), math.exp(2 * lhi)
    info = np.array([w_lo / lo2 + w_hi / hi2 + 1 / prior.tau ** 2,
                     2 * q_lo / lo2 + 1 / prior.kappa ** 2,
                     2 * q_hi / hi2 + 1 / prior.kappa ** 2])
    out: Floats = info ** -0.5
    return out


def quantiles(median: Floats, m: float, lo: float, hi: float) -> tuple[Floats, Floats]:
    """p10 and p90 of the two-piece log-normal at ``median x m``."""
    z = 1.2815515655446004
    return median * m * math.exp(-z * lo), median * m * math.exp(z * hi)
