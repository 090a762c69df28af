"""Sourced figures and the reader that validates them: every number a user could question
carries ``source``, ``source_date`` and ``note``; a bad value names the file and the key.

Rate cards (:mod:`kreator.core.card`) and the levers file are read through
:class:`SourcedReader`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kreator.core.errors import CardError, Phrase

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
    "posting_points": "a list of at least two [posts a week, views per post] pairs, rising",
    "weights": "weights {factors} from 0 to 1 adding up to 1", "rule_table": "a rule table",
    "country_list": "a list of country codes", "tier_kind": "'reach_power' or 'cpm_on_views'",
    "size_table": "a [streams.{stream}.size] table (the stream has a size weight)",
    "reach_table": "a [reach.view_rate] figure (a stream has a size weight)",
    "monotone": "weights under which more {what} never earn less (engagement {eng:.3g} at most "
                "here; see docs/model.md, 'More is never less')",
    "potential_field": "the profile field of the stream's volume ({field})",
    "upper_spread": "an upper log-scale spread from 0 to 3",
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


def read_factor(r: SourcedReader, factors: Mapping[str, Any], name: str) -> Table:
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
    return read_rows(r, data, key)


def read_rows(r: SourcedReader, data: Mapping[str, Any], key: str) -> Table:
    """A sourced table of scores 0-1 by name, with a default for names it does not list."""
    source, date, note = r.provenance(data, key)
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
