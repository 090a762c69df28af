"""Arrow columns to NumPy: numbers with their problems, text as distinct values and codes."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kreator.core.errors import InputFileError
from kreator.core.factors import Floats

NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$"


@dataclass
class Problems:
    """Rejected rows of one batch: the first problem found for each row wins."""

    n: int
    bad: np.ndarray = field(init=False)
    found: list[tuple[np.ndarray, str, list[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bad = np.zeros(self.n, dtype=bool)

    def add(self, mask: np.ndarray, name: str, reason: str | list[str]) -> None:
        """Reject the rows in ``mask`` (``reason`` one text, or one per masked row)."""
        reasons = [reason] * int(mask.sum()) if isinstance(reason, str) else list(reason)
        fresh = mask & ~self.bad
        if not fresh.any():
            return
        keep = fresh[mask]
        idx = np.flatnonzero(fresh)
        self.found.append((idx, name, [r for r, k in zip(reasons, keep, strict=True) if k]))
        self.bad |= fresh

    def rows(self) -> tuple[np.ndarray, list[str], list[str]]:
        """Row indices (sorted), fields and reasons of every rejected row."""
        if not self.found:
            return np.zeros(0, dtype=np.int64), [], []
        idx = np.concatenate([f[0] for f in self.found])
        names = [f[1] for f in self.found for _ in f[0]]
        reasons = [r for f in self.found for r in f[2]]
        order = np.argsort(idx, kind="stable")
        return idx[order], [names[i] for i in order], [reasons[i] for i in order]


@dataclass
class Text:
    """A text column as its distinct values (None for null) and a code per row."""

    values: list[str | None]
    codes: np.ndarray


def distinct(arr: pa.Array | pa.ChunkedArray) -> Text:
    """Dictionary-encode a column; nulls get their own code whose value is None."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = pc.cast(arr, pa.string()) if not pa.types.is_dictionary(arr.type) else arr
    enc = arr if pa.types.is_dictionary(arr.type) else pc.dictionary_encode(arr)
    values: list[str | None] = [None if v is None else str(v) for v in enc.dictionary.to_pylist()]
    idx = enc.indices
    if idx.null_count:
        idx = pc.fill_null(idx, len(values))
        values.append(None)
    return Text(values, idx.to_numpy(zero_copy_only=False).astype(np.intp, copy=False))


def floats(arr: pa.Array | pa.ChunkedArray, column: str,
           where: str) -> tuple[Floats, bool, np.ndarray | None, list[str]]:
    """A column as float64 (null -> NaN): values, whether they are whole by type, and the rows
    whose text is not a number (with that text)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    t = arr.type
    if pa.types.is_null(t):
        return np.full(len(arr), np.nan), True, None, []
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
        values = arr if t == pa.float64() else pc.cast(arr, pa.float64())
        return values.to_numpy(zero_copy_only=False), pa.types.is_integer(t), None, []
    if pa.types.is_dictionary(t):
        arr = pc.cast(arr, t.value_type)
        t = arr.type
    if not (pa.types.is_string(t) or pa.types.is_large_string(t)):
        raise InputFileError(f"column '{column}' holds {t}, not numbers.", field=column,
                             where=where, fix="give plain numbers in this column.",
                             key="batch_column_type", params={"column": column, "type": str(t)})
    return _parse_text(arr)


def _parse_text(arr: pa.Array) -> tuple[Floats, bool, np.ndarray | None, list[str]]:
    try:
        values = pc.cast(arr, pa.float64())
        return values.to_numpy(zero_copy_only=False), False, None, []
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    trimmed = pc.utf8_trim_whitespace(arr)
    blank = pc.fill_null(pc.equal(trimmed, ""), True)
    good = pc.or_(blank, pc.fill_null(pc.match_substring_regex(
        pc.utf8_lower(trimmed), NUMBER), False))
    usable = pc.if_else(pc.and_(good, pc.invert(blank)), trimmed, pa.scalar(None, pa.string()))
    values = pc.cast(usable, pa.float64()).to_numpy(zero_copy_only=False)
    bad = ~good.to_numpy(zero_copy_only=False)
    texts = [str(v) for v in arr.filter(pa.array(bad)).to_pylist()]
    return values, False, bad, texts
