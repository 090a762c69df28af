"""Score one table (or record batch): the unit every engine runs, locally or on Dask workers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from kreator.batch.convert import convert
from kreator.batch.fields import REJECTS_SCHEMA, output_schema
from kreator.batch.mapping import ColumnMap
from kreator.batch.memory import tune
from kreator.batch.scorer import Options, score_columns, to_table
from kreator.core.card import Card


@dataclass(frozen=True)
class Plan:
    """Everything needed to score any part of an input: mapping, card, method, output schema."""

    cmap: ColumnMap
    opts: Options
    schema: pa.Schema
    where: str = "input"


def make_plan(cmap: ColumnMap, opts: Options, input_schema: pa.Schema,
              where: str = "input") -> Plan:
    """Fix the output schema (kept columns keep their input type) before any row is scored."""
    keep = [pa.field(c, _plain(input_schema.field(c).type)) for c in cmap.keep]
    meta = {"card": opts.card.id, "card_as_of": opts.card.as_of, "currency": opts.card.currency,
            "total_method": opts.method}
    return Plan(cmap, opts, output_schema(opts.card, keep, meta), where)


def _plain(t: pa.DataType) -> pa.DataType:
    return t.value_type if pa.types.is_dictionary(t) else t


def score_part(part: pa.RecordBatch | pa.Table, plan: Plan,
               first_row: int) -> tuple[pa.Table, pa.Table]:
    """Scored rows and rejected rows of one part; ``first_row`` is its offset in the input.

    Rows are numbered from 1 in input order: row = first_row + position + 1."""
    tune()
    conv = convert(part, plan.cmap, plan.opts.card, plan.where)
    layout = score_columns(conv.raw, plan.opts)
    rows = conv.good.astype(np.int64) + first_row + 1
    kept = None
    if plan.cmap.keep:
        table = part if isinstance(part, pa.Table) else pa.Table.from_batches([part])
        kept = table.select(list(plan.cmap.keep))
        if len(conv.good) < part.num_rows:
            kept = kept.take(pa.array(conv.good))
    scored = to_table(layout, rows, kept, plan.opts.card, plan.schema)
    idx, fields, reasons = conv.problems.rows()
    return scored, rejects_table(part, plan.cmap, idx, first_row, fields, reasons)


def rejects_table(part: pa.RecordBatch | pa.Table, cmap: ColumnMap, idx: np.ndarray,
                  first_row: int, fields: list[str], reasons: list[str]) -> pa.Table:
    """Rejected rows with their number, field, reason and their values as JSON."""
    if len(idx) == 0:
        return REJECTS_SCHEMA.empty_table()
    taken = part.select(cmap.columns).take(pa.array(idx)).to_pylist()
    records = [json.dumps(r, ensure_ascii=False, default=str) for r in taken]
    return pa.table({"row": pa.array(idx + first_row + 1, pa.int64()),
                     "line": pa.nulls(len(idx), pa.int64()), "field": pa.array(fields, pa.string()),
                     "reason": pa.array(reasons, pa.string()),
                     "record": pa.array(records, pa.string())}, schema=REJECTS_SCHEMA)


def score_table(table: Any, card: Card, *, cmap: ColumnMap, mc: int | None = None,
                seed: int = 0) -> tuple[pa.Table, pa.Table]:
    """Score a whole in-memory Arrow table; returns (scored, rejects)."""
    plan = make_plan(cmap, Options(card, mc, seed), table.schema)
    return score_part(table, plan, 0)
