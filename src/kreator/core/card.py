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

from kreator.core.errors import CardError, Phrase

FACTORS = ("engagement", "niche", "region", "quality")
PROVENANCE = ("source", "source_date", "note")
EXPECT = {
    "table": "a table", "finite_number": "a finite number", "positive": "a number above 0",
    "text": "a text value", "non_empty_text": "a non-empty text", "one_of": "one of {choices}",
    "low_le_high": "low <= high ({high})", "number_from": "a number from {lo} to {hi}",
    "one_stream": "at least one stream", "currency": "a three-letter ISO 4217 code such as USD",
    "points": "a list of at least two [engagement %, score] pairs",
    "points_rising": "rates rising and scores never falling",
    "pair": "a pair [engagement %, score 0-1]", "stream_id": "a known stream id ({choices}).{hint}",
    "range": "a range with low and high", "spread": "a log-scale spread from 0 to 3",
    "rule_list": "a list of rule tables",
    "weights": "weights {factors} from 0 to 1 adding up to 1", "rule_table": "a rule table",
    "country_list": "a list of country codes", "tier_kind": "'reach_power' or 'cpm_on_views'",
    "one_lever": "at least one lever", "every_tip": "a lever for every tip (missing: {missing})",
    "stream_list": "a list of stream ids", "change_list": "a list of at least one change table",
    "test_list": "a list of tests", "change_table": "a change table",
    "change_value": "a single value for a change", "test_table": "a test table",
}
"""What a card or levers file should have held, by id (``error.expect.<id>`` in the catalogs)."""


@dataclass(frozen=True)
class Figure:
    """One sourced number (``value``) or range (``low``..``high``), with its provenance."""

    key: str
    unit: str
    source: str
    source_date: str
    note: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    from_seed: bool = False

    @property
    def typical(self) -> float:
        if self.value is not None:
            return self.value
        assert self.low is not None and self.high is not None
        return math.sqrt(self.low * self.high)


@dataclass(frozen=True)
class Table:
    """A sourced lookup: names -> numbers (scores, weights, multipliers)."""

    key: str
    rows: dict[str, float]
    source: str
    source_date: str
    note: str
    default: float | None = None
    points: tuple[tuple[float, float], ...] = ()


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
class StreamSpec:
    """One stream's parameters on a card."""

    id: str
    rate: Figure
    weights: Table
    spread: Figure
    rules: tuple[Rule, ...]
    tier_rule: TierRule
    extras: dict[str, Figure] = field(default_factory=dict)


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

    def figures(self) -> list[tuple[str, Figure | Table | Rule]]:
        """Every sourced item on the card, keyed by its dotted path."""
        out: list[tuple[str, Figure | Table | Rule]] = []
        out += [(f"defaults.{k}", f) for k, f in self.defaults.items()]
        out += [(f"factors.{k}", t) for k, t in self.factors.items()]
        for sid, s in self.streams.items():
            out += [(f"streams.{sid}.rate", s.rate), (f"streams.{sid}.weights", s.weights),
                    (f"streams.{sid}.spread", s.spread)]
            out += [(f"streams.{sid}.{k}", f) for k, f in s.extras.items()]
            out += [(f"streams.{sid}.rules.{r.id}", r) for r in s.rules]
            if s.tier_rule.cpm is not None:
                out.append((f"streams.{sid}.tier_rule.cpm", s.tier_rule.cpm))
        return out


class SourcedReader:
    """Typed access to a parsed data file (a rate card, the levers) that names the file and
    the key on every error, with the fix pointing at the file's format documentation."""

    def __init__(self, path: str, doc: str = "docs/ratecards.md", what: str = "card") -> None:
        self.path, self.doc = path, doc
        self.fix = f"correct the {what} file; see {doc} for the format."
        self.key = "levers_expected" if what == "levers" else "card_expected"

    def fail(self, key: str, expect: str, got: object = None, **values: Any) -> CardError:
        """The error for ``key``: it should hold :data:`EXPECT` ``[expect]`` (with ``values``)."""
        expected = Phrase(EXPECT[expect].format(**values), f"expect.{expect}", values)
        got_txt = "" if got is None else Phrase(f" (got {got!r})", "got", {"value": repr(got)})
        return CardError(f"expected {expected}{got_txt}.", field=key, where=self.path, fix=self.fix,
                         key=self.key, params={"expected": expected, "got": got_txt,
                                               "doc": self.doc})

    def table(self, data: Mapping[str, Any], key: str, name: str) -> Mapping[str, Any]:
        value = data.get(name)
        if not isinstance(value, Mapping):
            raise self.fail(f"{key}.{name}".lstrip("."), "table", value)
        return value

    def number(self, data: Mapping[str, Any], key: str, name: str, *, required: bool = True,
               positive: bool = False) -> float | None:
        value = data.get(name)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(f"{key}.{name}", "finite_number", value)
        if positive and value <= 0:
            raise self.fail(f"{key}.{name}", "positive", value)
        return float(value)

    def text(self, data: Mapping[str, Any], key: str, name: str, *, allow_empty: bool = False) -> str:
        value = data.get(name)
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise self.fail(f"{key}.{name}", "text" if allow_empty else "non_empty_text",
                            value)
        return value

    def choice(self, data: Mapping[str, Any], key: str, name: str, options: tuple[str, ...]) -> str:
        value = self.text(data, key, name)
        if value not in options:
            raise self.fail(f"{key}.{name}", "one_of", value, choices=", ".join(options))
        return value

    def provenance(self, data: Mapping[str, Any], key: str) -> tuple[str, str, str]:
        return (self.text(data, key, "source"), self.text(data, key, "source_date"),
                self.text(data, key, "note", allow_empty=True))

    def figure(self, data: Mapping[str, Any], key: str, *, positive: bool = False) -> Figure:
        source, date, note = self.provenance(data, key)
        value = self.number(data, key, "value", required=False)
        low = self.number(data, key, "low", required=value is None, positive=positive)
        high = self.number(data, key, "high", required=value is None, positive=positive)
        if value is None and low is not None and high is not None and low > high:
            raise self.fail(f"{key}.low", "low_le_high", low, high=high)
        unit = data.get("unit", "")
        return Figure(key=key, unit=str(unit), source=source, source_date=date, note=note,
                      value=value, low=low, high=high, from_seed=bool(data.get("from_seed", False)))

    def scores(self, data: Mapping[str, Any], key: str, *, lo: float = 0.0, hi: float = 1.0,
               field_name: str = "rows") -> dict[str, float]:
        rows = self.table(data, key, field_name)
        out: dict[str, float] = {}
        for name in rows:
            v = self.number(rows, f"{key}.{field_name}", name)
            assert v is not None
            if not lo <= v <= hi:
                raise self.fail(f"{key}.{field_name}.{name}", "number_from", v, lo=lo, hi=hi)
            out[str(name)] = v
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
    factors = {name: _factor(r, factors_raw, name) for name in FACTORS}
    streams_raw = r.table(data, "", "streams")
    if not streams_raw:
        raise r.fail("streams", "one_stream")
    streams = {sid: _stream(r, streams_raw, sid) for sid in streams_raw}
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
        defaults=defaults, factors=factors, streams=streams, path=path,
    )


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


def _factor(r: SourcedReader, factors: Mapping[str, Any], name: str) -> Table:
    key = f"factors.{name}"
    data = r.table(factors, "factors", name)
    source, date, note = r.provenance(data, key)
    if name == "engagement":
        pts = data.get("points")
        if not isinstance(pts, list) or len(pts) < 2:
            raise r.fail(f"{key}.points", "points", pts)
        points = tuple(_pair(r, f"{key}.points[{i}]", p) for i, p in enumerate(pts))
        if any(b[0] <= a[0] or b[1] < a[1] for a, b in itertools.pairwise(points)):
            raise r.fail(f"{key}.points", "points_rising", pts)
        return Table(key, {}, source, date, note, points=points)
    if name == "quality":
        return Table(key, {}, source, date, note)
    rows = r.scores(data, key)
    default = r.number(data, key, "default")
    assert default is not None
    if not 0 <= default <= 1:
        raise r.fail(f"{key}.default", "number_from", default, lo=0, hi=1)
    return Table(key, rows, source, date, note, default=default)


def _pair(r: SourcedReader, key: str, value: Any) -> tuple[float, float]:
    ok = isinstance(value, list) and len(value) == 2 and all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        for v in value)
    if not ok or not 0 <= value[1] <= 1:
        raise r.fail(key, "pair", value)
    return float(value[0]), float(value[1])


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
              if name not in ("rate", "weights", "spread", "rules", "tier_rule")
              and isinstance(v, Mapping)}
    return StreamSpec(sid, rate, weights, spread, rules, tier_rule, extras)


def _weights(r: SourcedReader, data: Mapping[str, Any], key: str) -> Table:
    raw = r.table(data, key, "weights")
    source, date, note = r.provenance(raw, f"{key}.weights")
    rows = {f: r.number(raw, f"{key}.weights", f) for f in FACTORS}
    clean = {f: float(v or 0.0) for f, v in rows.items()}
    if any(v < 0 for v in clean.values()) or abs(sum(clean.values()) - 1) > 1e-6:
        raise r.fail(f"{key}.weights", "weights", clean, factors=", ".join(FACTORS))
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
