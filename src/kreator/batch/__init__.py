"""Score whole tables of creators with the same model one creator sees.

>>> import pyarrow as pa, kreator.batch
>>> out = kreator.batch.score(pa.table({"followers": [4000, 25000], "views_30d": [40000, 400000]}))
>>> out.column("creator_fund_eligible").to_pylist()
[False, True]

:func:`score` works on Arrow tables and pandas DataFrames in memory; :func:`kreator.batch.run.run`
streams CSV, Parquet and JSON Lines files in record batches (``kreator batch``), locally or on
Dask; :func:`kreator.batch.synth.synth` makes a synthetic population. See docs/batch.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kreator.core.errors import InputFileError

if TYPE_CHECKING:
    import pyarrow as pa

    from kreator.core.card import Card

__all__ = ["score", "score_with_rejects"]


def score_with_rejects(table: Any, card: str | Path | Card = "default", *,
                       columns: Mapping[str, str] | None = None, keep: Sequence[str] | None = None,
                       mc: int | None = None, seed: int = 0) -> tuple[pa.Table, pa.Table]:
    """Score an Arrow table or pandas DataFrame; returns (scored, rejects) as Arrow tables.

    ``columns`` maps profile fields to column names (``{"followers": "follower_count"}``);
    ``keep`` lists columns to carry into the output (default: id, creator_id, handle,
    display_name when present); ``mc`` forces a Monte Carlo with that many draws for the
    total (default: the closed form of :mod:`kreator.core.approx`)."""
    import pyarrow as pa

    from kreator.batch.mapping import resolve
    from kreator.batch.table import score_table
    from kreator.ratecards import load_card

    arrow = table if isinstance(table, pa.Table) else _to_arrow(table)
    cmap = resolve(arrow.column_names, columns, keep, where="table")
    return score_table(arrow, load_card(card), cmap=cmap, mc=mc, seed=seed)


def score(table: Any, card: str | Path | Card = "default", *, columns: Mapping[str, str] | None = None,
          keep: Sequence[str] | None = None, mc: int | None = None, seed: int = 0,
          rejects: str = "raise") -> Any:
    """Score a table of creators; returns the same kind (Arrow table or pandas DataFrame).

    One output row per creator: ``row`` (1-based input row), kept columns, ``tier``, then per
    stream ``<id>_p10/_p50/_p90/_mean``, ``<id>_eligible``, ``<id>_unmet`` and
    ``<id>_gap_<rule>``, and ``total_p10/_p50/_p90/_mean``. A row one creator's estimate would
    refuse raises :class:`InputFileError` naming it (``rejects="drop"`` leaves such rows out;
    :func:`score_with_rejects` returns them)."""
    scored, bad = score_with_rejects(table, card, columns=columns, keep=keep, mc=mc, seed=seed)
    if bad.num_rows and rejects != "drop":
        first = bad.slice(0, 1).to_pylist()[0]
        raise InputFileError(f"{bad.num_rows:,} row(s) rejected; the first: {first['field']}: "
                             f"{first['reason']}", where=f"table row {first['row']}",
                             fix="correct the rows, or pass rejects='drop' (or use "
                                 "score_with_rejects) to get the rest scored.")
    return scored if _is_arrow(table) else scored.to_pandas()


def _is_arrow(table: Any) -> bool:
    import pyarrow as pa

    return isinstance(table, pa.Table | pa.RecordBatch)


def _to_arrow(table: Any) -> pa.Table:
    import pyarrow as pa

    if isinstance(table, pa.RecordBatch):
        return pa.Table.from_batches([table])
    try:
        return pa.Table.from_pandas(table, preserve_index=False)
    except (TypeError, pa.ArrowException) as exc:
        raise InputFileError(f"cannot read the table ({exc}).", where="table",
                             fix="pass a pyarrow Table or a pandas DataFrame of columns.") from None
