"""Load ``levers.toml`` (or a user's own levers file) into the core's plain typed objects.

Every number must carry ``source``, ``source_date`` and ``note`` (a number no public source
gives says ``source = "assumption: ..."``). Any problem is a :class:`CardError` naming the
file and the key.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kreator.core.advise import DERIVED, OPS, TESTS, TIPS, Change, Lever, LeverSet, SkipRule
from kreator.core.card import Figure, SourcedReader
from kreator.core.columns import NUMERIC
from kreator.core.errors import CardError
from kreator.core.growth import GrowthAssumptions
from kreator.core.pricing import PricingAssumptions
from kreator.core.profile import TIERS

BUILTIN = "levers.toml"
EFFORTS = ("low", "medium", "high")
CHANGE_FIELDS = (*NUMERIC, "engagement")
HOURS_A_MONTH = 744  # 31 days
LIMITS = {"growth.rate_cv": 10.0, "growth.shock_cv": 10.0, "growth.min_rate_sd": 1e6,
          "growth.views_elasticity": 5.0, "growth.followers_per_1k_views": 1000.0,
          "pricing.bundle_three": 100.0,
          "pricing.usage_rights": 100.0, "pricing.exclusivity": 100.0,
          "pricing.fair_band": 99.0, "benchmarks.engagement": 100.0}
"""The largest value each assumption may take (beyond it, money and dates cannot be shown):
a spread is at most 10x its trend, a price multiplier 100x, percentiles and rates below 100."""


def load_levers(ref: str | Path | None = None) -> LeverSet:
    """The built-in levers, or a user's levers file (same format)."""
    if ref is None:
        return _builtin()
    path = Path(ref)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CardError(f"cannot read the levers file ({exc.strerror}).", where=str(path),
                        fix="check the path.", key="levers_unreadable",
                        params={"reason": exc.strerror}) from None
    from kreator.ratecards import parse_toml

    return build_levers(parse_toml(raw, str(path)), str(path))


@lru_cache(maxsize=1)
def _builtin() -> LeverSet:
    import tomllib

    text = resources.files("kreator.ratecards").joinpath(BUILTIN).read_text("utf-8")
    return build_levers(tomllib.loads(text), f"kreator/ratecards/{BUILTIN}")


def build_levers(data: Mapping[str, Any], path: str = "<memory>") -> LeverSet:
    """Validate a parsed levers mapping into a :class:`LeverSet`."""
    r = SourcedReader(path, doc="docs/advice.md", what="levers")
    meta = r.table(data, "", "meta")
    raw = r.table(data, "", "levers")
    if not raw:
        raise r.fail("levers", "one_lever")
    levers = tuple(_lever(r, r.table(raw, "levers", lid), f"levers.{lid}", lid) for lid in raw)
    missing = [tip for tip in TIPS if tip not in {lv.tip for lv in levers}]
    if missing:
        raise r.fail("levers", "every_tip", missing=", ".join(missing))
    g = r.table(data, "", "growth")
    p = r.table(data, "", "pricing")
    rate_cv, shock_cv, min_sd, views_el = (_assumption(r, g, "growth", n) for n in
                                           ("rate_cv", "shock_cv", "min_rate_sd",
                                            "views_elasticity"))
    per_1k = (_assumption(r, g, "growth", "followers_per_1k_views")
              if "followers_per_1k_views" in g else None)
    growth = GrowthAssumptions(rate_cv, shock_cv, min_sd, views_el, per_1k)
    pricing = PricingAssumptions(*(_assumption(r, p, "pricing", n) for n in
                                   ("bundle_three", "usage_rights", "exclusivity", "fair_band")))
    bench_raw = r.table(r.table(data, "", "benchmarks"), "benchmarks", "engagement")
    bench = {tier: _assumption(r, bench_raw, "benchmarks.engagement", tier) for tier, _ in TIERS}
    return LeverSet(r.text(meta, "meta", "id"), r.text(meta, "meta", "as_of"),
                    r.text(meta, "meta", "source"), levers, growth, pricing, bench, path)


def _lever(r: SourcedReader, data: Mapping[str, Any], key: str, lid: str) -> Lever:
    streams = data.get("streams", [])
    if not isinstance(streams, list) or not all(isinstance(s, str) for s in streams):
        raise r.fail(f"{key}.streams", "stream_list", streams)
    changes_raw = data.get("changes")
    if not isinstance(changes_raw, list) or not changes_raw:
        raise r.fail(f"{key}.changes", "change_list", changes_raw)
    skips_raw = data.get("skip_if", [])
    if not isinstance(skips_raw, list):
        raise r.fail(f"{key}.skip_if", "test_list", skips_raw)
    return Lever(
        id=lid, tip=r.choice(data, key, "tip", TIPS), title=r.text(data, key, "title"),
        effort=r.choice(data, key, "effort", EFFORTS),
        hours=_hours(r, r.table(data, key, "hours"), f"{key}.hours"),
        streams=tuple(streams),
        changes=tuple(_change(r, c, f"{key}.changes[{i}]") for i, c in enumerate(changes_raw)),
        skip_if=tuple(_skip(r, s, f"{key}.skip_if[{i}]") for i, s in enumerate(skips_raw)),
    )


def _points(r: SourcedReader, raw: Any, key: str) -> tuple[tuple[float, float], ...]:
    """[posts a week, views per post] pairs: at least two, positive, posts rising."""
    ok = isinstance(raw, list) and len(raw) >= 2 and all(
        isinstance(p, list) and len(p) == 2 and all(
            isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in p)
        for p in raw)
    if not ok or any(b[0] <= a[0] for a, b in itertools.pairwise(raw)):
        raise r.fail(key, "posting_points", raw)
    return tuple((float(a), float(b)) for a, b in raw)


def _hours(r: SourcedReader, data: Mapping[str, Any], key: str) -> Figure:
    """The hours a month a lever takes: more than a month has is no lever."""
    return _within(r, r.figure(data, key, positive=True), key, HOURS_A_MONTH)


def _assumption(r: SourcedReader, data: Mapping[str, Any], section: str, name: str) -> Figure:
    """A growth, pricing or benchmark assumption, within what the model can use."""
    key = f"{section}.{name}"
    limit = LIMITS.get(key, LIMITS.get(section, 0.0))
    return _within(r, r.figure(r.table(data, section, name), key, positive=True), key, limit)


def _within(r: SourcedReader, fig: Figure, key: str, limit: float) -> Figure:
    for part, v in (("value", fig.value), ("low", fig.low), ("high", fig.high)):
        if v is not None and v > limit:
            raise r.fail(f"{key}.{part}", "number_from", v, lo=0, hi=f"{limit:,.0f}")
    return fig


def _change(r: SourcedReader, data: Any, key: str) -> Change:
    if not isinstance(data, Mapping):
        raise r.fail(key, "change_table", data)
    op = r.choice(data, key, "op", OPS)
    of = r.choice(data, key, "of", NUMERIC) if op in ("elasticity", "posting") else None
    fig = r.figure(data, key, positive=True)
    if fig.value is None:
        raise r.fail(f"{key}.value", "change_value")
    points: tuple[tuple[float, float], ...] = ()
    if op == "posting":
        points = _points(r, data.get("points"), f"{key}.points")
    return Change(r.choice(data, key, "field", CHANGE_FIELDS), op, fig, of, points)


def _skip(r: SourcedReader, data: Any, key: str) -> SkipRule:
    if not isinstance(data, Mapping):
        raise r.fail(key, "test_table", data)
    fig = r.figure(data, key, positive=True)
    return SkipRule(r.choice(data, key, "field", (*NUMERIC, *DERIVED)),
                    r.choice(data, key, "op", TESTS), fig, r.text(data, key, "reason"))
