"""Closed-form percentiles of the total: a sum of independent log-normals, without sampling.

Each stream's monthly amount is ``X_k = m_k exp(s_k Z_k)`` (see :mod:`kreator.core.simulate`);
the total ``S = sum X_k`` has no closed-form distribution. :func:`total` approximates its
p10/p50/p90 from the first three moments of S, which *are* closed-form::

    E[X_k]      = m_k w_k^(1/2)                       with w_k = exp(s_k^2)
    Var[X_k]    = m_k^2 w_k (w_k - 1)
    mu3[X_k]    = m_k^3 w_k^(3/2) (w_k - 1)^2 (w_k + 2)   (third central moment)

and for independent streams the mean, variance and third central moment of S are the sums.

Two moment-matched log-normals are fitted to S:

* **Fenton-Wilkinson** (FW, 1960): ``S ~ exp(mu + sigma Z)`` with the same mean and variance,
  ``sigma^2 = ln(1 + Var/E^2)``, ``mu = ln E - sigma^2 / 2``.
* **Shifted log-normal** (SLN): ``S ~ tau + exp(mu + sigma Z)`` with the same mean, variance and
  skewness ``g``. With ``w = exp(sigma^2)`` the skewness is ``(w + 2) sqrt(w - 1)``; writing
  ``y = sqrt(w - 1)`` gives ``y^3 + 3y = g``, whose one real root is Cardano's
  ``y = c - 1/c`` with ``c = cbrt(g/2 + sqrt(g^2/4 + 1))``. Then
  ``exp(mu) = sqrt(Var / (w (w - 1)))`` and ``tau = E - exp(mu) sqrt(w)``.

Both are exact when one stream carries the whole total (the total *is* log-normal then).
For several streams FW is too skewed in the body (it overstates the median and understates
p10), SLN slightly too little (it understates the median): on the rows we tested the true
median lies between the two (the few exceptions are within the Monte Carlo's own noise).
The approximation used is therefore:

* p10, p90: SLN;
* p50: the geometric mean of the FW and SLN medians (clipped into [p10, p90]);
* mean: exact.

Measured against the core's 200,000-draw Monte Carlo on 2,000 synthetic creators
(``kreator synth``, seed 21; ``python benchmarks/batch.py --accuracy``; ``docs/batch.md``): on the seed card
p50 within 1.2% (mean error 0.3%), p90 within 0.8%, p10 within 4.8%; on the current card p50
within 1.1%, p90 within 1.0%, p10 within 5.0%. On a grid of 1-5 streams with medians spread
over six orders of magnitude and log-sds 0.2-0.75 (the cards' range, including the halved
spreads of known rates): p50 within 1.2%, p10 within 4.5%, p90 within 1.3%. The error grows
with the spread: with log-sds up to 1.0 the p50 error reaches about 3%. Everything is
elementwise, so a creator's numbers do not depend on the batch or its chunking. Streams are
independent, as in the Monte Carlo.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from kreator.core.factors import Floats
from kreator.core.simulate import Z10, Z90, Quantiles, mean_factor


@dataclass
class Moments:
    """Mean, variance and skewness of the total, per creator (zero variance -> skew 0)."""

    mean: Floats
    var: Floats
    skew: Floats


def moments(medians: Sequence[Floats], sigmas: Sequence[Floats],
            uppers: Sequence[Floats] | None = None) -> Moments:
    """Closed-form mean, variance and skewness of ``sum m_k exp(s_k(Z_k) Z_k)``, Z_k
    independent (``uppers``: the spreads above the medians, None for the same as ``sigmas``).

    Raw power sums are safe: a monthly amount is at most about 1e10, its cube 1e30. A stream
    that pays nobody in the batch adds exactly nothing and is skipped."""
    n = len(medians[0]) if medians else 0
    mean, var, third, tmp = np.zeros(n), np.zeros(n), np.zeros(n), np.empty(n)
    ups = sigmas if uppers is None else uppers
    for m, s, u in zip(medians, sigmas, ups, strict=True):
        if not m.any():
            continue
        if u is s or np.array_equal(u, s):
            w, root = _weights(s)
            c2 = w * (w - 1.0)  # Var of exp(sZ)
            c3 = c2 * root * (w - 1.0) * (w + 2.0)  # its third central moment
        else:
            root, c2, c3 = _two_piece(s, u)
        mean += np.multiply(m, root, out=tmp)
        np.multiply(m, m, out=tmp)
        var += tmp * c2
        tmp *= m
        third += np.multiply(tmp, c3, out=tmp)
    with np.errstate(divide="ignore", invalid="ignore"):
        skew = np.where(var > 0, third / (var * np.sqrt(var)), 0.0)
    return Moments(mean, var, skew)


def _weights(s: Floats) -> tuple[Floats | float, Floats | float]:
    """``exp(s^2)`` and its square root; once when a stream's spread is the same for everyone
    (the usual case). The same kernel runs either way, so the numbers are identical."""
    if s.size and s.min() == s.max():
        w = np.exp(s[:1] * s[:1])
        return float(w[0]), float(np.sqrt(w)[0])
    w = np.exp(s * s)
    return w, np.sqrt(w)


def _two_piece(s: Floats, u: Floats) -> tuple[Floats | float, Floats | float, Floats | float]:
    """Mean, variance and third central moment of ``exp(s(Z) Z)`` for a two-piece spread,
    from its raw moments ``E[exp(k s(Z) Z)]`` (:func:`~kreator.core.simulate.mean_factor`)."""
    if s.size and s.min() == s.max() and u.min() == u.max():
        s, u = s[:1], u[:1]
    m1, m2, m3 = (mean_factor(s, u, float(k)) for k in (1, 2, 3))
    c2, c3 = m2 - m1 * m1, m3 - 3.0 * m1 * m2 + 2.0 * m1**3
    if m1.size == 1:
        return float(m1[0]), float(c2[0]), float(c3[0])
    return m1, c2, c3


def fenton_wilkinson(mom: Moments) -> Quantiles:
    """The log-normal with the total's mean and variance (FW)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        s2 = np.log1p(np.where(mom.mean > 0, mom.var / (mom.mean * mom.mean), 0.0))
    s = np.sqrt(s2)
    median = mom.mean * np.exp(-s2 / 2.0)
    return Quantiles(median * np.exp(s * Z10), median, median * np.exp(s * Z90), mom.mean.copy())


def shifted_lognormal(mom: Moments) -> Quantiles:
    """The shifted log-normal with the total's mean, variance and skewness (SLN).

    Rows with no variance come out as NaN; :func:`total` replaces them with the mean."""
    g = mom.skew
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.exp(np.log(g / 2.0 + np.sqrt(g * g / 4.0 + 1.0)) / 3.0)  # cube root (arg >= 1)
        y2 = c - 1.0 / c
        y2 *= y2  # y^2 = w - 1
        w = 1.0 + y2
        s = np.sqrt(np.log(w))
        scale = np.sqrt(mom.var / (w * y2))
        tau = mom.mean - scale * np.sqrt(w)
        return Quantiles(tau + scale * np.exp(s * Z10), tau + scale, tau + scale * np.exp(s * Z90),
                         mom.mean)


def total(medians: Sequence[Floats], sigmas: Sequence[Floats],
          uppers: Sequence[Floats] | None = None) -> Quantiles:
    """Approximate p10/p50/p90 (and the exact mean) of the sum of the streams.

    p10 and p90 from the shifted log-normal, p50 the geometric mean of the Fenton-Wilkinson
    and shifted log-normal medians; a creator with no income gets zeros, one whose total is
    certain gets that amount."""
    mom = moments(medians, sigmas, uppers)
    q = _blend(mom)
    if uppers is not None:
        _shape_correction(q, mom, medians, sigmas, uppers)
    exact = mom.var <= 0.0
    e = mom.mean
    return Quantiles(np.where(exact, e, np.maximum(q.p10, 0.0)), np.where(exact, e, q.p50),
                     np.where(exact, e, q.p90), e)


def _blend(mom: Moments) -> Quantiles:
    """p10, p90 of the shifted log-normal; p50 between it and Fenton-Wilkinson's."""
    sln = shifted_lognormal(mom)
    e, v = mom.mean, mom.var
    with np.errstate(divide="ignore", invalid="ignore"):
        fw_median = e / np.sqrt(1.0 + v / (e * e))  # E / sqrt(1 + Var/E^2)
        p50 = np.minimum(np.maximum(np.sqrt(fw_median * sln.p50), sln.p10), sln.p90)
    return Quantiles(sln.p10, p50, sln.p90, e)


def _shape_correction(q: Quantiles, mom: Moments, medians: Sequence[Floats],
                      sigmas: Sequence[Floats], uppers: Sequence[Floats]) -> None:
    """Two-piece streams are not log-normal, so the moment fit misses their shape: add, for
    each, the gap between its exact percentiles and the fit's for it alone, weighted by its
    share of the total's variance squared (the whole gap when it carries the total, little when
    many streams add up). A stream alone scales with its median, so with a shared spread the
    gap and the variance are its median times constants worked out once."""
    for m, s, u in zip(medians, sigmas, uppers, strict=True):
        if u is s or np.array_equal(u, s) or not m.any():
            continue
        if s.size and s.min() == s.max() and u.min() == u.max():
            gaps, c2 = _unit_gaps(float(s[0]), float(u[0]))
            var_k = m * m * c2
        else:
            alone = moments([m], [s], [u])
            fit = _blend(alone)
            var_k = alone.var
            with np.errstate(divide="ignore", invalid="ignore"):
                gaps = {n: np.nan_to_num(m * np.exp(sd * z) / np.where(m > 0, m, 1.0)
                                         - getattr(fit, n) / np.where(m > 0, m, 1.0))
                        for n, z, sd in (("p10", Z10, s), ("p50", 0.0, s), ("p90", Z90, u))}
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(mom.var > 0, var_k / mom.var, 0.0) ** WEIGHT_POWER
        w *= m
        for name in ("p10", "p50", "p90"):
            getattr(q, name)[...] += w * gaps[name]


@lru_cache(maxsize=64)
def _unit_gaps(s: float, u: float) -> tuple[dict[str, float], float]:
    """For a stream of median 1: exact percentile minus the moment fit's, and its variance."""
    one = np.ones(1)
    alone = moments([one], [np.full(1, s)], [np.full(1, u)])
    fit = _blend(alone)
    exact = {"p10": math.exp(s * Z10), "p50": 1.0, "p90": math.exp(u * Z90)}
    return {n: exact[n] - float(getattr(fit, n)[0]) for n in exact}, float(alone.var[0])


WEIGHT_POWER = 2.0
