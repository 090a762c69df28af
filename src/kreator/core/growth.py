"""Growth projection: followers, views and income month by month, and when each stream opens.

Model (assumptions in ``ratecards/levers.toml`` ``[growth]``, see docs/advice.md):

- Followers come from views: the creator gains ``k`` followers per 1,000 views, where ``k`` is
  their own (``--growth``, a follower history, or ``follower_growth_per_month`` from an import,
  divided by their views) or, when they gave none, the sourced ``followers_per_1k_views`` of
  ``[growth]`` (never silently zero). ``g = k x views(0) / 1000`` is today's growth a month.
- Each simulated path has its own trend ``G = g x L``, ``L`` log-normal with mean 1 and
  coefficient of variation ``rate_cv`` (or, from a follower history, ``G ~ Normal(g, se)``).
- Month by month the step ``s(t) = G x M(t)``, with ``M(t)`` log-normal (mean 1, cv
  ``shock_cv``): a gain scales with the month's views, ``F(t) = F(t-1) + s x views(t-1) /
  views(0)``, so growth compounds as reach grows; a loss scales with the followers, ``F(t) =
  F(t-1) x (1 + s / F(0))``; then ``a(t) ~ Normal(0, min_rate_sd)`` is added, never below
  zero. Every random factor multiplies ``g`` by a positive number or adds a term free of ``g``,
  so on every path a higher ``g`` gives at least as many followers in every month.
- Views follow followers: ``views(t) = views(0) x (F(t) / F(0)) ^ views_elasticity``; likes,
  comments and shares keep their rate per view. Everything else stays as it is.
- Income at month t runs the one model over every path; its percentiles pool the paths, each
  with its own slice of the estimate's Monte Carlo draws (so month 0 is the estimate itself).
- A stream opens on a path in the first month all of its follower and view rules are met.
  Rules that growth cannot change (age, country, video length) are reported as blockers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from kreator.core.card import Card, Figure, Rule
from kreator.core.columns import NUMERIC, profiles_to_columns
from kreator.core.errors import ProfileError
from kreator.core.estimate import score, upper
from kreator.core.factors import Floats, region_score_one
from kreator.core.profile import MAX_FOLLOWERS, Profile
from kreator.core.sensitivity import resolve
from kreator.core.simulate import normals

GROWING_FIELDS = ("followers", "views_30d")
MAX_MONTHS = 60
"""How far ahead an opening date is searched for; later counts as 'not at the current trend'."""
MAX_MONTH_DRAWS = 130_000_000
"""Most simulated months a projection holds (draws x months): 10,000,000 draws a month for a
year take about 3.5 GB; more fail for want of memory."""


@dataclass(frozen=True)
class GrowthAssumptions:
    rate_cv: Figure
    shock_cv: Figure
    min_rate_sd: Figure
    views_elasticity: Figure
    followers_per_1k_views: Figure | None = None
    """Followers gained per 1,000 views when the creator's own rate is unknown."""


@dataclass(frozen=True)
class Trend:
    """Follower growth a month (today) and its uncertainty, with where it came from.

    ``kind``: ``profile`` (the creator's own figure, typed or imported), ``flag``
    (``--growth``), ``history`` (a follower history) or ``default`` (the sourced followers per
    1,000 views of ``[growth]``, named in ``source``)."""

    per_month: float
    sd: float | None = None
    source: str = "profile"
    per_1k_views: float | None = None
    kind: str = "profile"


@dataclass(frozen=True)
class Opening:
    """When a locked stream opens: months from now (p10, p50, p90; None = not within reach)."""

    stream: str
    status: str  # "open" | "date" | "not_at_trend" | "blocked"
    p10: float | None = None
    p50: float | None = None
    p90: float | None = None
    date: dt.date | None = None
    blockers: list[Rule] = field(default_factory=list)
    share_by_horizon: float = 0.0
    followers_needed: float | None = None

    def to_dict(self) -> dict[str, object]:
        return {"stream": self.stream, "status": self.status,
                "months": {"p10": self.p10, "p50": self.p50, "p90": self.p90},
                "date": self.date.isoformat() if self.date else None,
                "blockers": [r.id for r in self.blockers],
                "followers_needed": self.followers_needed,
                "share_open_by_horizon": round(self.share_by_horizon, 4)}


@dataclass(frozen=True)
class MonthRow:
    month: int
    date: dt.date
    followers: tuple[float, float, float]
    views_30d: tuple[float, float, float]
    income: tuple[float, float, float]


@dataclass(frozen=True)
class Projection:
    start: dt.date
    trend: Trend
    months: list[MonthRow]
    openings: list[Opening]
    paths: int
    seed: int

    def to_dict(self, k: float = 1.0) -> dict[str, object]:
        def q(t: tuple[float, float, float], s: float = 1.0, nd: int = 0) -> dict[str, float]:
            return {"p10": round(t[0] * s, nd), "p50": round(t[1] * s, nd), "p90": round(t[2] * s, nd)}
        return {
            "start": self.start.isoformat(),
            "trend": {"followers_per_month": self.trend.per_month, "sd": self.trend.sd,
                      "followers_per_1k_views": self.trend.per_1k_views,
                      "kind": self.trend.kind, "source": self.trend.source},
            "months": [{"month": m.month, "date": m.date.isoformat(), "followers": q(m.followers),
                        "views_30d": q(m.views_30d), "income": q(m.income, k, 2)}
                       for m in self.months],
            "openings": [o.to_dict() for o in self.openings],
            "simulation": {"paths": self.paths, "seed": self.seed},
        }


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (clamped to the month's last day)."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(start.day, last))


def trend_from_history(points: Sequence[tuple[dt.date, float]]) -> Trend:
    """Least-squares follower trend a month (30 days) and its standard error."""
    pts = sorted(points)
    if len(pts) < 2 or (pts[-1][0] - pts[0][0]).days < 1:
        raise ProfileError("needs at least two follower counts on different days.",
                           field="history", fix="give a longer follower history.",
                           key="history_too_short")
    x = np.array([(d - pts[0][0]).days / 30.0 for d, _ in pts])
    y = np.array([float(v) for _, v in pts])
    slope, intercept = np.polyfit(x, y, 1)
    sd = None
    if len(pts) > 2:
        resid = y - (slope * x + intercept)
        sxx = float(np.sum((x - x.mean()) ** 2))
        sd = float(math.sqrt(float(np.sum(resid**2)) / (len(pts) - 2) / sxx))
    return Trend(round(float(slope), 2), sd, f"history: {len(pts)} counts {pts[0][0]}..{pts[-1][0]}",
                 kind="history")


def with_rate(trend: Trend, views: float) -> Trend:
    """The trend with its followers per 1,000 of today's views filled in (None: no views)."""
    if trend.per_1k_views is not None or views <= 0:
        return trend
    return replace(trend, per_1k_views=trend.per_month / (views / 1000.0))


def trend_for(base: Profile, a: GrowthAssumptions) -> Trend:
    """The creator's own growth when known, else the sourced followers per 1,000 views."""
    views = float(base.views_30d)
    if base.follower_growth_per_month is not None or a.followers_per_1k_views is None:
        return with_rate(Trend(float(base.follower_growth_per_month or 0.0)), views)
    fig = a.followers_per_1k_views
    k = float(fig.value or 0.0)
    return Trend(round(k * views / 1000.0, 2), None, f"{fig.source} ({fig.source_date})", k,
                 "default")


def follower_paths(followers: float, trend: Trend, a: GrowthAssumptions, *, months: int,
                   paths: int, seed: int, views0: float = 0.0) -> Floats:
    """Simulated follower counts, shape (paths, months + 1); column 0 is today. With today's
    views ``views0`` each month's gain scales with that month's views (docs/advice.md)."""
    g = trend.per_month
    rng = np.random.default_rng([seed, 7])
    z_rate, z_month = rng.standard_normal(paths), rng.standard_normal((paths, months))
    z_abs = rng.standard_normal((paths, months))
    if trend.sd is not None:
        rates = g + trend.sd * z_rate
    else:
        rates = g * _unit_lognormal(float(a.rate_cv.value or 0.0), z_rate)
    steps = rates[:, None] * _unit_lognormal(float(a.shock_cv.value or 0.0), z_month)
    noise = float(a.min_rate_sd.value or 0.0) * z_abs
    elasticity = float(a.views_elasticity.value or 1.0)
    out = np.empty((paths, months + 1))
    out[:, 0] = followers
    for t in range(months):
        out[:, t + 1] = _step(out[:, t], steps[:, t], followers, views0, elasticity) + noise[:, t]
        np.maximum(out[:, t + 1], 0.0, out=out[:, t + 1])
    return out


def _step(f: Floats, gain: Floats, f0: float, views0: float, elasticity: float) -> Floats:
    """Next month's followers before the noise: a gain scales with the month's views, a loss with
    the month's followers (unfollows come from followers), so more followers never end lower."""
    scale = views_for(views0, f0, f, elasticity) / views0 if views0 > 0 else 1.0
    kept = np.maximum(0.0, 1.0 + np.minimum(gain, 0.0) / max(f0, 1.0))
    out: Floats = f * kept + np.maximum(gain, 0.0) * scale
    return out


def _unit_lognormal(cv: float, z: Floats) -> Floats:
    """Log-normal factors with mean 1 and coefficient of variation ``cv`` from normals ``z``."""
    s = math.sqrt(math.log1p(cv * cv))
    out: Floats = np.exp(s * z - 0.5 * s * s)
    return out


def views_for(views0: float, f0: float, followers: Floats, elasticity: float) -> Floats:
    if f0 <= 0:
        return np.full_like(followers, views0)
    ratio: Floats = np.maximum(followers, 0.0) / f0
    return views0 * ratio**elasticity


def openings(profile: Profile, card: Card, followers: Floats, views: Floats,
             start: dt.date | None, horizon: int) -> list[Opening]:
    """For every stream on the card: open now, a date range, not at the trend, or blocked."""
    out = []
    for sid, spec in card.streams.items():
        numeric = [r for r in spec.rules if r.field in GROWING_FIELDS]
        met_now = _met(spec.rules, profile, followers[:, :1], views[:, :1])[:, 0]
        if bool(met_now.all()):
            out.append(Opening(sid, "open"))
            continue
        blockers = [r for r in spec.rules if r.field not in GROWING_FIELDS
                    and not bool(_met([r], profile, followers[:, :1], views[:, :1]).all())]
        if blockers or not numeric:
            out.append(Opening(sid, "blocked", blockers=blockers))
            continue
        need = max((float(r.min or 0) for r in numeric if r.field == "followers"), default=None)
        ok = _met(numeric, profile, followers, views)
        first = np.where(ok.any(axis=1), ok.argmax(axis=1), np.inf)
        p10, p50, p90 = (float(v) for v in np.percentile(first, [10, 50, 90], method="nearest"))
        share = float(np.mean(first <= horizon))
        if not math.isfinite(p50):
            out.append(Opening(sid, "not_at_trend", share_by_horizon=share,
                               followers_needed=need))
            continue
        out.append(Opening(sid, "date", p10, p50, None if not math.isfinite(p90) else p90,
                           add_months(start, int(p50)) if start else None,
                           share_by_horizon=share, followers_needed=need))
    return out


def _met(rules: Sequence[Rule], p: Profile, followers: Floats, views: Floats) -> np.ndarray:
    ok = np.ones(followers.shape, dtype=bool)
    for r in rules:
        if r.field == "followers":
            ok &= followers >= float(r.min or 0)
        elif r.field == "views_30d":
            ok &= views >= float(r.min or 0)
        elif r.field == "country":
            ok &= p.country in r.one_of
        else:
            value = getattr(p, r.field)
            ok &= value is not None and float(value) >= float(r.min or 0)
    return ok


def project(profile: Profile, card: Card, a: GrowthAssumptions, *, trend: Trend | None = None,
            start: dt.date, months: int = 12, paths: int = 400, draws: int = 10_000,
            seed: int = 0) -> Projection:
    """Project ``months`` ahead; dates of openings are searched up to :data:`MAX_MONTHS`."""
    if not 1 <= months <= MAX_MONTHS:
        raise ProfileError(f"months must be from 1 to {MAX_MONTHS} (got {months}).",
                           field="months", fix="use --months 12.", key="months_range",
                           params={"max": MAX_MONTHS, "value": months})
    _check_draws(draws, months)
    base = resolve(profile, card)
    tr = with_rate(trend, float(base.views_30d)) if trend else trend_for(base, a)
    _check_trend(tr)
    f, v = paths_for(base, tr, a, paths=paths, seed=seed)
    opens = openings(base, card, f, v, start, months)
    inc = _income(base, card, f[:, : months + 1], v[:, : months + 1], draws=draws, seed=seed)
    rows = [MonthRow(t, add_months(start, t), _q(f[:, t]), _q(v[:, t]), _q(inc[t]))
            for t in range(months + 1)]
    return Projection(start, tr, rows, opens, paths, seed)


def _check_draws(draws: int, months: int) -> None:
    """As many draws as an estimate takes, and no more simulated months than fit in memory."""
    if not 100 <= draws <= 10_000_000:
        raise ProfileError(f"draws must be from 100 to 10,000,000 (got {draws}).", field="draws",
                           fix="use --draws 10000.", key="draws_range", params={"value": draws})
    if draws * (months + 1) > MAX_MONTH_DRAWS:
        raise ProfileError(f"{draws:,} draws for each of {months + 1} months are more than "
                           f"{MAX_MONTH_DRAWS:,} simulated months.", field="draws",
                           fix="use fewer --draws (10,000 is plenty) or fewer --months.",
                           key="project_draws", params={"draws": draws, "months": months + 1,
                                                        "limit": MAX_MONTH_DRAWS})


def _check_trend(trend: Trend) -> None:
    """A trend (from --growth or a history) no creator could have is an error, not a chart."""
    if not (math.isfinite(trend.per_month) and abs(trend.per_month) <= MAX_FOLLOWERS):
        raise ProfileError(f"the follower trend must be from -2,000,000,000 to 2,000,000,000 a "
                           f"month (got {trend.per_month:g}).", field="growth",
                           fix="check --growth or the follower history.", key="growth_range",
                           params={"value": f"{trend.per_month:g}"})


def paths_for(base: Profile, trend: Trend, a: GrowthAssumptions, *, paths: int,
              seed: int) -> tuple[Floats, Floats]:
    """Followers and views paths up to :data:`MAX_MONTHS` for a resolved profile."""
    f = follower_paths(base.followers, trend, a, months=MAX_MONTHS, paths=paths, seed=seed,
                       views0=float(base.views_30d))
    return f, views_for(base.views_30d, base.followers, f, float(a.views_elasticity.value or 1.0))


def opening_months(base: Profile, card: Card, a: GrowthAssumptions, *, start: dt.date | None = None,
                   horizon: int = 12, paths: int = 400, seed: int = 0) -> list[Opening]:
    """When each stream opens for a resolved profile at its own growth (no income run)."""
    f, v = paths_for(base, trend_for(base, a), a, paths=paths, seed=seed)
    return openings(base, card, f, v, start, horizon)


def income_at(base: Profile, card: Card, a: GrowthAssumptions, *, month: int, paths: int,
              draws: int, seed: int) -> Floats:
    """Monthly income draws ``month`` months ahead at the creator's own growth (a resolved
    profile): the same paths and draws for the same seed, so two profiles compare draw by
    draw."""
    trend = trend_for(base, a)
    f = follower_paths(base.followers, trend, a, months=month, paths=paths, seed=seed,
                       views0=float(base.views_30d))[:, month:]
    v = views_for(base.views_30d, base.followers, f, float(a.views_elasticity.value or 1.0))
    out: Floats = _income(base, card, f, v, draws=draws, seed=seed)[0]
    return out


def _q(values: Floats) -> tuple[float, float, float]:
    p10, p50, p90 = np.percentile(values, [10, 50, 90])
    return float(p10), float(p50), float(p90)


def _income(base: Profile, card: Card, f: Floats, v: Floats, *, draws: int, seed: int) -> Floats:
    """Monthly income draws per month, shape (months + 1, draws): paths pooled."""
    paths, months = f.shape
    n = paths * months
    one = profiles_to_columns([base])
    cols: dict[str, object] = {k: np.repeat(one[k], n) for k in NUMERIC}
    per_view = {k: float(getattr(base, k) or 0) / base.views_30d if base.views_30d else 0.0
                for k in ("likes_30d", "comments_30d", "shares_30d")}
    cols["followers"] = f.reshape(n)
    cols["views_30d"] = v.reshape(n)
    for name, rate in per_view.items():
        cols[name] = v.reshape(n) * rate
    cols["niche"] = np.repeat(one["niche"], n)
    cols["country"] = np.repeat(one["country"], n)
    cols["region_score"] = np.full(n, region_score_one(base.audience, base.country,
                                                       card.factors["region"]))
    for sid, spec in card.streams.items():
        if "region" in spec.own:
            cols[f"region_score.{sid}"] = np.full(n, region_score_one(base.audience, base.country,
                                                                      spec.own["region"]))
    results = score(cols, card, monte_carlo=False).results
    per = max(1, draws // paths)
    z = normals(seed, per * paths, len(results)).reshape(paths, per, len(results))
    acc: Floats = np.zeros((paths, months, per))
    for k, r in enumerate(results):
        m = r.median.reshape(paths, months)
        s = r.sigma.reshape(paths, months)[:, :, None]
        u = upper(r).reshape(paths, months)[:, :, None]
        zk = z[:, None, :, k]
        acc += m[:, :, None] * np.exp(np.where(zk < 0.0, s, u) * zk)
    return acc.transpose(1, 0, 2).reshape(months, paths * per)
