"""One record batch to the core's raw columns, rejecting the rows one creator could not be.

Every check is over whole columns; text (niche, country, audience) is checked once per
distinct value with the profile's own validators, so messages match ``kreator estimate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from kreator.batch.audience import region_scores
from kreator.batch.fields import TEXT, Limit, limits
from kreator.batch.mapping import ColumnMap
from kreator.batch.values import Problems, Text, distinct, floats
from kreator.core.card import Card
from kreator.core.codes import normalise_country, normalise_niche
from kreator.core.errors import KreatorError
from kreator.core.factors import Floats, niche_score


@dataclass
class Converted:
    """The good rows' raw columns (for ``kreator.core.estimate.score``) and the rejects."""

    raw: dict[str, Any]
    good: np.ndarray  # indices of the good rows in the batch
    problems: Problems


def convert(batch: pa.RecordBatch | pa.Table, cmap: ColumnMap, card: Card,
            where: str) -> Converted:
    """Numbers checked against the profile's limits, text normalised, region and niche scored."""
    n = batch.num_rows
    problems = Problems(n)
    raw: dict[str, Any] = {}
    for name, column in cmap.fields.items():
        if name not in TEXT:
            raw[name] = _number(batch.column(column), limits()[name], column, where, problems)
    niche = _text(batch, cmap, "niche", normalise_niche, problems)
    country = _text(batch, cmap, "country", normalise_country, problems)
    niche_values = np.array(["other" if v is None else v for v in niche.values], dtype=object)
    raw["niche"] = niche_values[niche.codes]
    raw["niche_score"] = niche_score(niche_values, card.factors["niche"])[niche.codes]
    for sid, spec in card.streams.items():
        if "niche" in spec.own:
            raw[f"niche_score.{sid}"] = niche_score(niche_values, spec.own["niche"])[niche.codes]
    raw["country"] = np.array(country.values, dtype=object)[country.codes]
    text = (_text(batch, cmap, "audience", None, problems) if "audience" in cmap.fields
            else None)
    shares = {code: _number(batch.column(col), None, col, where, problems)
              for code, col in cmap.audience.items()}
    raw["region_score"] = region_scores(text, shares, country, card.factors["region"], problems)
    for sid, spec in card.streams.items():
        if "region" in spec.own:  # its problems are the card table's, already recorded
            raw[f"region_score.{sid}"] = region_scores(text, shares, country, spec.own["region"],
                                                       Problems(n))
    good = np.flatnonzero(~problems.bad)
    if len(good) < n:
        raw = {k: v[good] for k, v in raw.items()}
    return Converted(raw, good, problems)


def _number(arr: pa.Array | pa.ChunkedArray, limit: Limit | None, column: str, where: str,
            problems: Problems) -> Floats:
    values, whole, bad_text, texts = floats(arr, column, where)
    name = limit.field if limit else column
    if bad_text is not None:
        problems.add(bad_text, name, [f"'{t}' is not a number. Fix: write a plain number such as "
                                      "1200." for t in texts])
    if limit is None:
        return values
    if limit.required and np.isnan(values).any():  # rows with bad text are already rejected
        problems.add(np.isnan(values), name, f"is required. Fix: give {name} on every row.")
    lo, hi = np.fmin.reduce(values, initial=np.inf), np.fmax.reduce(values, initial=-np.inf)
    low_ok = lo >= limit.low if limit.low_inclusive else lo > limit.low
    if not (low_ok and hi <= limit.high):
        out = ((values < limit.low) if limit.low_inclusive else (values <= limit.low)) | (
            values > limit.high)
        problems.add(out, name, [f"{v:g} is out of range. Fix: give {limit.describe()}."
                                 for v in values[out]])
    if limit.whole and not whole:
        with np.errstate(invalid="ignore"):  # inf - inf: already out of range
            frac = (values - np.floor(values)) > 0
        if frac.any():
            problems.add(frac, name, [f"{v:g} is not a whole number. Fix: give "
                                      f"{limit.describe()}." for v in values[frac]])
    return values


def _text(batch: pa.RecordBatch | pa.Table, cmap: ColumnMap, name: str, check: Any,
          problems: Problems) -> Text:
    if name not in cmap.fields:
        return Text([None], np.zeros(batch.num_rows, dtype=np.intp))
    text = distinct(batch.column(cmap.fields[name]))
    if check is None:
        return text
    values: list[str | None] = []
    for i, value in enumerate(text.values):
        if value is None or not value.strip():
            values.append(None)
            continue
        try:
            values.append(check(value, field=name))
        except KreatorError as exc:
            values.append(None)
            problems.add(text.codes == i, name, exc.message + (f" Fix: {exc.fix}" if exc.fix
                                                               else ""))
    return Text(values, text.codes)
