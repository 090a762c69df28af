"""What a batch table holds: the input fields (with the profile's own limits) and the output.

Input fields are the profile's (:class:`kreator.core.profile.Profile`): their limits, which are
required and which are whole numbers are read from the model itself, so a row the single-creator
estimate would refuse is rejected here too, with the same field name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa

from kreator.core.card import Card
from kreator.core.columns import NUMERIC
from kreator.core.profile import PROFILE_FIELDS, TIERS
from kreator.core.streams.base import Bools

TEXT = ("niche", "country", "audience")
"""Text inputs: niche and country names, and an audience in the CLI form ``US=0.7,GB=0.2``."""

AUDIENCE_PREFIX = "audience_"
"""Columns ``audience_US``, ``audience_GB``, ... hold one country's audience share each."""

FIELDS = (*NUMERIC, *TEXT)
REQUIRED = ("followers", "views_30d")


@dataclass(frozen=True)
class Limit:
    """A numeric field's limits from the Profile model."""

    field: str
    low: float
    low_inclusive: bool
    high: float
    whole: bool
    required: bool

    def describe(self) -> str:
        lo = _num(self.low) if math.isfinite(self.low) else ""
        hi = _num(self.high) if math.isfinite(self.high) else ""
        kind = "a whole number" if self.whole else "a number"
        if lo and hi:
            return f"{kind} from {lo}{'' if self.low_inclusive else ' (exclusive)'} to {hi}"
        return kind


def _num(x: float) -> str:
    return f"{int(x):,}" if x.is_integer() else f"{x:,}"


@cache
def limits() -> dict[str, Limit]:
    """Every numeric profile field's limits, read from the profile's field table."""
    out = {}
    for name in NUMERIC:
        spec = PROFILE_FIELDS[name]
        low, low_inc = (float(spec.gt), False) if spec.gt is not None else (
            (-math.inf, True) if spec.ge is None else (float(spec.ge), True))
        high = math.inf if spec.le is None else float(spec.le)
        out[name] = Limit(name, low, low_inc, high, spec.whole, spec.required)
    return out


TIER_NAMES = tuple(name for name, _ in TIERS)
TIER_LOWER = np.array([lower for _, lower in TIERS], dtype=np.float64)


def tier_codes(followers: np.ndarray) -> np.ndarray:
    """Index into :data:`TIER_NAMES` per creator (same bands as ``tier_of``)."""
    code = np.zeros(len(followers), dtype=np.int8)
    for lower in TIER_LOWER[1:]:
        code += followers >= lower
    return code


def numeric_rules(card: Card, sid: str) -> list[str]:
    """Ids of a stream's rules that have a numeric gap (all but country lists)."""
    return [r.id for r in card.streams[sid].rules if r.field != "country"]


def unmet_labels(card: Card, sid: str) -> list[str]:
    """``;``-joined ids of unmet rules for every bit pattern of a stream's rules."""
    ids = [r.id for r in card.streams[sid].rules]
    return [";".join(i for j, i in enumerate(ids) if code >> j & 1) for code in range(2 ** len(ids))]


def unmet_codes(met: list[Bools]) -> np.ndarray:
    """Bit j set when rule j is not met."""
    code = np.zeros(len(met[0]) if met else 0, dtype=np.int32)
    for j, m in enumerate(met):
        code |= (~m).astype(np.int32) << j
    return code


QUANTS = ("p10", "p50", "p90", "mean")


def float_columns(card: Card) -> list[str]:
    """The output's float columns: per stream quantiles and gaps, then the total's quantiles."""
    names = []
    for sid in card.streams:
        names += [f"{sid}_{q}" for q in QUANTS]
        names += [f"{sid}_gap_{rid}" for rid in numeric_rules(card, sid)]
    return names + [f"total_{q}" for q in QUANTS]
DICT_STR = pa.dictionary(pa.int32(), pa.string())


def output_schema(card: Card, keep: list[pa.Field], meta: dict[str, str]) -> pa.Schema:
    """The scored table: row, kept columns, tier, per stream and total percentiles, eligibility."""
    fields = [pa.field("row", pa.int64(), nullable=False), *keep,
              pa.field("tier", pa.dictionary(pa.int8(), pa.string()))]
    for sid in card.streams:
        fields += [pa.field(f"{sid}_{q}", pa.float64()) for q in QUANTS]
        fields += [pa.field(f"{sid}_eligible", pa.bool_()), pa.field(f"{sid}_unmet", DICT_STR)]
        fields += [pa.field(f"{sid}_gap_{rid}", pa.float64()) for rid in numeric_rules(card, sid)]
    fields += [pa.field(f"total_{q}", pa.float64()) for q in QUANTS]
    return pa.schema(fields, metadata={f"kreator.{k}": v for k, v in meta.items()})


REJECTS_SCHEMA = pa.schema([
    pa.field("row", pa.int64()), pa.field("line", pa.int64()), pa.field("field", pa.string()),
    pa.field("reason", pa.string()), pa.field("record", pa.string()),
])
"""A rejected row: its row number (or, for a CSV line that could not be split, its line), the
field at fault, the reason with the fix, and the row's values as JSON (nothing is lost)."""
