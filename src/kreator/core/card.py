"""Rate card schema: sourced figures, factor tables, stream parameters and eligibility rules.

A card arrives here as a plain mapping (the loader in :mod:`kreator.ratecards` parses TOML);
:func:`build_card` validates it and names the key and what was expected on any problem.
Every number carries ``source``, ``source_date`` and ``note``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kreator.core.sourced import EXPECT, PROVENANCE, Figure, SourcedReader, Table, read_factor, read_rows

__all__ = ["EXPECT", "FACTORS", "PROVENANCE", "Card", "Figure", "Potential", "Rule", "Size",
           "SourcedReader", "StreamSpec", "Table", "TierRule", "build_card"]

FACTORS = ("engagement", "niche", "region", "quality")
OWN_TABLES = ("niche", "region")
"""Factors a stream may score with its own table (``[streams.<id>.niche]``, ``.region``)."""
SIZE = "size"
"""The weight of the creator's reach in a stream's position (see :class:`Size`)."""
SIZE_KINDS = ("views", "live_audience")
@dataclass(frozen=True)
class Rule:
    """An eligibility rule: ``field`` >= ``min``, or ``field`` one of ``one_of``."""

    id: str
    field: str
    source: str
    source_date: str
    note: str
    min: float | None = None
    one_of: tuple[str, ...] = ()
    from_seed: bool = False


@dataclass(frozen=True)
class TierRule:
    """How per-unit figures scale beyond the tier the card was written for."""

    kind: str  # "none" | "reach_power" | "cpm_on_views"
    source: str = ""
    source_date: str = ""
    note: str = ""
    exponent: float = 0.0
    cpm: Figure | None = None


@dataclass(frozen=True)
class Size:
    """How a stream measures a creator's reach (see docs/model.md, "Size").

    ``views``: the views a post can expect, ``max(views per video, view_rate x followers)``.
    ``live_audience``: who can come to a LIVE, ``max(view_rate x followers,
    sqrt(view_rate x followers x views per video))``. The size score is the reach's log-position
    between the reach of the card's smallest and largest creator (``view_rate x`` the tier's
    follower bounds): 0 and 1 at the tier's edges, below 0 and above 1 outside it."""

    kind: str
    source: str
    source_date: str
    note: str


@dataclass(frozen=True)
class Potential:
    """Typical activity for a stream's volume field: a fixed ``value`` or ``per_1k_views``."""

    field: str
    figure: Figure
    per_1k_views: bool = False


@dataclass(frozen=True)
class StreamSpec:
    """One stream's parameters on a card."""

    id: str
    rate: Figure
    weights: Table
    spread: Figure
    rules: tuple[Rule, ...]
    tier_rule: TierRule
    extras: dict[str, Figure] = field(default_factory=dict)
    size: Size | None = None
    potential: Potential | None = None
    spread_up: float | None = None
    own: dict[str, Table] = field(default_factory=dict)
    """The stream's own ``niche`` or ``region`` scores where its price follows something else
    than the card's table (a commission follows the product category, not the ad market; the
    Creator Fund the pool of its market)."""

    @property
    def size_weight(self) -> float:
        return self.weights.rows.get(SIZE, 0.0)

    @property
    def spread_upper(self) -> float:
        """The log-sd above the median (a heavier right tail when above ``spread``)."""
        assert self.spread.value is not None
        return self.spread_up if self.spread_up is not None else self.spread.value


@dataclass(frozen=True)
class Card:
    """A validated rate card."""

    id: str
    name: str
    as_of: str
    currency: str
    description: str
    tier_min: int
    tier_max: int
    tier_source: str
    defaults: dict[str, Figure]
    factors: dict[str, Table]
    streams: dict[str, StreamSpec]
    path: str = "<memory>"
    view_rate: Figure | None = None
    """Share of followers a typical video reaches ([reach.view_rate]); None: not used."""
    views_weight_fig: Figure | None = None
    """How much the views a post can expect follow the creator's own views per video rather
    than its followers ([reach.views_weight], 0-1)."""

    @property
    def views_weight(self) -> float | None:
        return None if self.views_weight_fig is None else self.views_weight_fig.value

    def figures(self) -> list[tuple[str, Figure | Table | Rule]]:
        """Every sourced item on the card, keyed by its dotted path."""
        out: list[tuple[str, Figure | Table | Rule]] = []
        out += [(f"defaults.{k}", f) for k, f in self.defaults.items()]
        if self.view_rate is not None:
            out.append(("reach.view_rate", self.view_rate))
        if self.views_weight_fig is not None:
            out.append(("reach.views_weight", self.views_weight_fig))
        out += [(f"factors.{k}", t) for k, t in self.factors.items()]
        for sid, s in self.streams.items():
            out += [(f"streams.{sid}.rate", s.rate), (f"streams.{sid}.weights", s.weights),
                    (f"streams.{sid}.spread", s.spread)]
            out += [(f"streams.{sid}.{k}", f) for k, f in s.extras.items()]
            out += [(f"streams.{sid}.rules.{r.id}", r) for r in s.rules]
            if s.tier_rule.cpm is not None:
                out.append((f"streams.{sid}.tier_rule.cpm", s.tier_rule.cpm))
            if s.potential is not None:
                out.append((f"streams.{sid}.potential", s.potential.figure))
            out += [(t.key, t) for t in s.own.values()]
        return out


STREAM_IDS = ("creator_fund", "creator_rewards", "sponsorship", "live_gifts", "affiliate",
              "tiktok_shop", "live_subscriptions")
RULE_FIELDS = ("followers", "views_30d", "age", "avg_video_seconds", "videos_30d", "country")


def build_card(data: Mapping[str, Any], path: str = "<memory>") -> Card:
    """Validate a parsed card mapping into a :class:`Card`; raise CardError naming the key."""
    r = SourcedReader(path)
    head = r.table(data, "", "card")
    cid, name = r.text(head, "card", "id"), r.text(head, "card", "name")
    tier = r.table(head, "card", "tier")
    defaults_raw = r.table(data, "", "defaults")
    defaults = {name: _default(r, defaults_raw, name) for name in defaults_raw}
    factors_raw = r.table(data, "", "factors")
    factors = {name: read_factor(r, factors_raw, name) for name in FACTORS}
    streams_raw = r.table(data, "", "streams")
    if not streams_raw:
        raise r.fail("streams", "one_stream")
    streams = {sid: _stream(r, streams_raw, sid) for sid in streams_raw}
    view_rate, views_weight = _view_rate(r, data, streams)
    eng_table = factors["engagement"]
    for spec in streams.values():
        _check_monotone(r, spec, eng_table)
    currency = r.text(head, "card", "currency")
    if len(currency) != 3 or not currency.isalpha():
        raise r.fail("card.currency", "currency", currency)
    tmin = r.number(tier, "card.tier", "min_followers")
    tmax = r.number(tier, "card.tier", "max_followers", positive=True)
    assert tmin is not None and tmax is not None
    if not 0 <= tmin <= tmax:
        raise r.fail("card.tier.min_followers", "number_from", tmin, lo=0, hi=f"{tmax:g}")
    return Card(
        id=cid, name=name,
        as_of=r.text(head, "card", "as_of"), currency=currency.upper(),
        description=r.text(head, "card", "description", allow_empty=True),
        tier_min=int(tmin), tier_max=int(tmax), tier_source=r.text(tier, "card.tier", "source"),
        defaults=defaults, factors=factors, streams=streams, path=path, view_rate=view_rate,
        views_weight_fig=views_weight,
    )


def _view_rate(r: SourcedReader, data: Mapping[str, Any],
               streams: Mapping[str, StreamSpec]) -> tuple[Figure | None, Figure | None]:
    """[reach]: view_rate (0-1], views_weight [0, 1] (both needed by a stream with a size)."""
    raw = data.get("reach")
    if raw is None:
        if any(s.size is not None for s in streams.values()):
            raise r.fail("reach.view_rate", "reach_table")
        return None, None
    reach = r.table(data, "", "reach")
    out = []
    for name, lo in (("view_rate", 0.0), ("views_weight", 0.0)):
        fig = r.figure(r.table(reach, "reach", name), f"reach.{name}")
        if fig.value is None or not lo <= fig.value <= 1 or (name == "view_rate" and fig.value == 0):
            raise r.fail(f"reach.{name}.value", "number_from", fig.value, lo=lo, hi=1)
        out.append(fig)
    return out[0], out[1]


def engagement_elasticity(table: Table) -> float:
    """The most the engagement score can rise per unit of ln(engagement rate): the largest
    slope x rate over the card's points (at each segment's upper end)."""
    return max(((y1 - y0) / (x1 - x0)) * x1
               for (x0, y0), (x1, y1) in itertools.pairwise(table.points))


VIEW_STREAMS = ("creator_fund", "creator_rewards")
"""Streams whose volume is the views themselves."""


def _check_monotone(r: SourcedReader, spec: StreamSpec, eng: Table) -> None:
    """Refuse weights under which more views (or followers) could earn less.

    The engagement score reads engagements per expected view, which falls as views rise with
    the same likes. Per unit of ln(views), the rate loses at most ``w_e x ln(high/low) x M``
    (M: :func:`engagement_elasticity`); the stream must gain at least that from the views: all
    of it when the views are the volume, ``w_size x ln(high/low) x k / ln 10`` through the size
    score (k = 1 for views, 1/2 for a LIVE audience), nothing otherwise. A CPM floor
    (``cpm_on_views``) is priced on the views, so its own engagement loss must stay below 1."""
    w_e = spec.weights.rows["engagement"]
    if w_e == 0:
        return
    assert spec.rate.low is not None and spec.rate.high is not None
    span, m = math.log(spec.rate.high / spec.rate.low), engagement_elasticity(eng)
    if spec.id in VIEW_STREAMS:
        gain = 1.0
    elif spec.size is not None:
        gain = spec.size_weight * span * (1.0 if spec.size.kind == "views" else 0.5) / math.log(10)
    else:
        gain = 0.0
    cpm = spec.tier_rule.cpm
    if cpm is not None and cpm.low and cpm.high and spec.size_weight < 1:
        cpm_limit = (1.0 - spec.size_weight) / (math.log(cpm.high / cpm.low) * m)
        if w_e > cpm_limit + 1e-9:
            raise r.fail(f"streams.{spec.id}.weights.engagement", "monotone", w_e, what="views",
                         eng=cpm_limit)
    if w_e * span * m > gain + 1e-9:
        raise r.fail(f"streams.{spec.id}.weights.engagement", "monotone", w_e, what="views",
                     eng=gain / (span * m) if span > 0 and m > 0 else 0.0)


def _default(r: SourcedReader, defaults: Mapping[str, Any], name: str) -> Figure:
    """A default for an input; one for a profile field lies in that field's range (a card
    cannot give -12 videos where a creator cannot)."""
    from kreator.core.profile import field_bounds

    fig = r.figure(r.table(defaults, "defaults", name), f"defaults.{name}")
    lo, hi = field_bounds(name)
    for part, v in (("value", fig.value), ("low", fig.low), ("high", fig.high)):
        if v is not None and lo is not None and hi is not None and not lo <= v <= hi:
            raise r.fail(f"defaults.{name}.{part}", "number_from", v, lo=lo, hi=hi)
    return fig


def _stream(r: SourcedReader, streams: Mapping[str, Any], sid: str) -> StreamSpec:
    key = f"streams.{sid}"
    if sid not in STREAM_IDS:
        from kreator.core.codes import closest, suggest

        raise r.fail(key, "stream_id", sid, choices=", ".join(STREAM_IDS),
                     hint=suggest(sid, STREAM_IDS), close=closest(sid, STREAM_IDS))
    data = r.table(streams, "streams", sid)
    rate = r.figure(r.table(data, key, "rate"), f"{key}.rate", positive=True)
    if rate.value is not None:
        raise r.fail(f"{key}.rate", "range")
    weights = _weights(r, data, key)
    spread = r.figure(r.table(data, key, "spread"), f"{key}.spread")
    if spread.value is None or not 0 <= spread.value <= 3:
        raise r.fail(f"{key}.spread.value", "spread", spread.value)
    rules_raw = data.get("rules", [])
    if not isinstance(rules_raw, list):
        raise r.fail(f"{key}.rules", "rule_list", rules_raw)
    rules = tuple(_rule(r, f"{key}.rules[{i}]", x) for i, x in enumerate(rules_raw))
    tier_rule = _tier_rule(r, data, key)
    extras = {name: r.figure(v, f"{key}.{name}") for name, v in data.items()
              if name not in ("rate", "weights", "spread", "rules", "tier_rule", "size",
                              "potential", *OWN_TABLES) and isinstance(v, Mapping)}
    size = _size(r, data, key) if weights.rows.get(SIZE, 0.0) > 0 or "size" in data else None
    spread_up = r.number(r.table(data, key, "spread"), f"{key}.spread", "upper", required=False)
    if spread_up is not None and not 0 <= spread_up <= 3:
        raise r.fail(f"{key}.spread.upper", "upper_spread", spread_up)
    own = {f: read_rows(r, r.table(data, key, f), f"{key}.{f}") for f in OWN_TABLES if f in data}
    return StreamSpec(sid, rate, weights, spread, rules, tier_rule, extras, size,
                      _potential(r, data, key, sid), spread_up, own)


def _size(r: SourcedReader, data: Mapping[str, Any], key: str) -> Size:
    if not isinstance(data.get("size"), Mapping):
        raise r.fail(f"{key}.size", "size_table", data.get("size"), stream=key.split(".")[-1])
    raw = r.table(data, key, "size")
    kind = r.choice(raw, f"{key}.size", "kind", SIZE_KINDS)
    return Size(kind, *r.provenance(raw, f"{key}.size"))


def _potential(r: SourcedReader, data: Mapping[str, Any], key: str, sid: str) -> Potential | None:
    from kreator.core.streams import VOLUME_FIELDS

    raw = data.get("potential")
    if raw is None:
        return None
    table = r.table(data, key, "potential")
    fld = r.text(table, f"{key}.potential", "field")
    if fld != VOLUME_FIELDS.get(sid):
        raise r.fail(f"{key}.potential.field", "potential_field", fld, field=VOLUME_FIELDS.get(sid))
    per_1k = table.get("per_1k_views")
    fig = r.figure({**table, "value": per_1k if per_1k is not None else table.get("value")},
                   f"{key}.potential")
    if fig.value is None or fig.value < 0:
        raise r.fail(f"{key}.potential.value", "finite_number", fig.value)
    return Potential(fld, fig, per_1k is not None)


def _weights(r: SourcedReader, data: Mapping[str, Any], key: str) -> Table:
    raw = r.table(data, key, "weights")
    source, date, note = r.provenance(raw, f"{key}.weights")
    rows = {f: r.number(raw, f"{key}.weights", f) for f in FACTORS}
    rows[SIZE] = r.number(raw, f"{key}.weights", SIZE, required=False)
    clean = {f: float(v or 0.0) for f, v in rows.items()}
    if any(v < 0 for v in clean.values()) or abs(sum(clean.values()) - 1) > 1e-6:
        raise r.fail(f"{key}.weights", "weights", clean, factors=", ".join((*FACTORS, SIZE)))
    return Table(f"{key}.weights", clean, source, date, note)


def _rule(r: SourcedReader, key: str, data: Any) -> Rule:
    if not isinstance(data, Mapping):
        raise r.fail(key, "rule_table", data)
    source, date, note = r.provenance(data, key)
    rid = r.text(data, key, "id")
    fld = r.text(data, key, "field")
    if fld not in RULE_FIELDS:
        raise r.fail(f"{key}.field", "one_of", fld, choices=", ".join(RULE_FIELDS))
    one_of = data.get("one_of")
    if fld == "country":
        if not isinstance(one_of, list) or not all(isinstance(c, str) for c in one_of):
            raise r.fail(f"{key}.one_of", "country_list", one_of)
        return Rule(rid, fld, source, date, note, one_of=tuple(c.upper() for c in one_of),
                    from_seed=bool(data.get("from_seed", False)))
    minimum = r.number(data, key, "min")
    return Rule(rid, fld, source, date, note, min=minimum,
                from_seed=bool(data.get("from_seed", False)))


def _tier_rule(r: SourcedReader, data: Mapping[str, Any], key: str) -> TierRule:
    raw = data.get("tier_rule")
    if raw is None:
        return TierRule("none")
    if not isinstance(raw, Mapping):
        raise r.fail(f"{key}.tier_rule", "table", raw)
    kind = raw.get("kind")
    source, date, note = r.provenance(raw, f"{key}.tier_rule")
    if kind == "reach_power":
        exp = r.number(raw, f"{key}.tier_rule", "exponent", positive=True)
        assert exp is not None
        return TierRule(kind, source, date, note, exponent=exp)
    if kind == "cpm_on_views":
        cpm = r.figure(r.table(raw, f"{key}.tier_rule", "cpm"), f"{key}.tier_rule.cpm",
                       positive=True)
        return TierRule(kind, source, date, note, cpm=cpm)
    raise r.fail(f"{key}.tier_rule.kind", "tier_kind", kind)
