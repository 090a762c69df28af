"""Region scores for a whole column at once: per distinct value, never per row.

A creator's region score is the audience-share-weighted mean of the card's region table
(:func:`kreator.core.factors.region_score_one`); without an audience, their country counts
as the whole audience. Here an ``audience`` text column (``US=0.7,GB=0.2``) is scored once per
distinct text, and ``audience_XX`` share columns by one matrix product; the core then reads
the finished ``region_score`` column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kreator.batch.values import Problems, Text
from kreator.core.card import Table
from kreator.core.errors import KreatorError
from kreator.core.factors import Floats, region_score_one
from kreator.core.profile import audience_shares
from kreator.profile_io import parse_audience

SHARE_SLACK = 1e-6
"""Shares may add up to 100% plus rounding, as for one profile."""


@dataclass
class Parsed:
    """Per distinct audience text: its region score, the weighted sum of its shares alone, the
    sum of its shares, and whether it is empty."""

    region: Floats
    score: Floats
    assigned: Floats
    empty: np.ndarray
    errors: dict[int, str]


def parse_texts(values: list[str | None], table: Table) -> Parsed:
    """Parse and validate each distinct audience text (as ``kreator estimate --audience``)."""
    k = len(values)
    region, score, assigned = np.zeros(k), np.zeros(k), np.zeros(k)
    empty = np.ones(k, dtype=bool)
    default = table.default if table.default is not None else 0.0
    errors: dict[int, str] = {}
    for i, text in enumerate(values):
        if text is None or not text.strip():
            continue
        try:
            shares = audience_shares(parse_audience(text))  # the profile's own validation
        except KreatorError as exc:
            errors[i] = exc.message + (f" Fix: {exc.fix}" if exc.fix else "")
            continue
        if shares:
            empty[i] = False
            assigned[i] = sum(shares.values())
            region[i] = region_score_one(shares, None, table)
            score[i] = sum(s * table.rows.get(c, default) for c, s in shares.items())
    return Parsed(region, score, assigned, empty, errors)


def region_scores(text: Text | None, shares: dict[str, Floats], country: Text,
                  table: Table, problems: Problems) -> Floats:
    """The region score per row from audience text and/or share columns, else the country."""
    n = len(country.codes)
    default = table.default if table.default is not None else 0.0
    score, assigned = np.zeros(n), np.zeros(n)
    has = np.zeros(n, dtype=bool)
    by_country = np.array([region_score_one(None, c, table) for c in country.values])
    if text is not None:
        parsed = parse_texts(text.values, table)
        for i, message in parsed.errors.items():
            problems.add(text.codes == i, "audience", message)
        if not shares:  # exactly region_score_one per distinct text
            only: Floats = np.where(parsed.empty[text.codes], by_country[country.codes],
                                    parsed.region[text.codes])
            return only
        score += parsed.score[text.codes]
        assigned += parsed.assigned[text.codes]
        has |= ~parsed.empty[text.codes]
    if shares:
        _add_columns(shares, table, problems, score, assigned, has)
    _check_total(assigned, problems)
    out: Floats = np.where(has, score + np.maximum(0.0, 1.0 - assigned) * default,
                           by_country[country.codes])
    return out


def _check_total(assigned: Floats, problems: Problems) -> None:
    over = assigned > 1.0 + SHARE_SLACK
    if over.any():
        problems.add(over, "audience", [f"country shares add up to {a:.0%}, more than 100%. Fix: "
                                        "make the shares add up to at most 1 (100%)."
                                        for a in assigned[over]])


def _add_columns(shares: dict[str, Floats], table: Table, problems: Problems, score: Floats,
                 assigned: Floats, has: np.ndarray) -> None:
    default = table.default if table.default is not None else 0.0
    for code, col in shares.items():
        lo, hi = np.fmin.reduce(col, initial=np.inf), np.fmax.reduce(col, initial=-np.inf)
        if not (lo >= 0.0 and hi <= 1.0) and (lo <= hi):
            bad = (col < 0.0) | (col > 1.0)
            problems.add(bad, f"audience_{code}", [f"share {v:g} is not between 0 and 1. Fix: "
                                                    "write shares as 0.7 (70%)." for v in col[bad]])
        given = ~np.isnan(col)
        filled = np.where(given, col, 0.0)
        score += filled * table.rows.get(code, default)
        assigned += filled
        has |= given
