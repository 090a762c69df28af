"""Read and write CSV, Parquet and JSON Lines in record batches, with bounded memory.

Readers yield ``(batch, lines)``: an Arrow record batch of at most ``batch_size`` rows, and
the rejected lines found while reading it (a CSV line with the wrong number of fields, a JSON
line that is not an object). Numbers in CSV are read as text and checked per row later, so one
bad value rejects its row instead of failing the file. A file that is not what its name says
fails at once, naming the file.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from kreator.atomic import atomic_path
from kreator.core.errors import InputFileError

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl",
           ".ndjson": "jsonl", ".json": "jsonl"}
BATCH_SIZE = 262_144
JSON_BLOCK = 16 << 20
ROW_GROUP = 131_072
"""Rows per Parquet row group written: a reader's memory follows the row group, so keep it small."""
MAX_DEPTH = 1_000
"""Deepest nesting of a JSON line handed to Arrow's reader (a creator's row nests 1-2 levels)."""


@dataclass
class BadLine:
    """A line the reader could not turn into a row."""

    line: int
    reason: str
    text: str


def detect(path: Path, fmt: str | None) -> str:
    """The format from ``--format`` or the file name."""
    if fmt:
        if fmt not in ("csv", "parquet", "jsonl"):
            raise InputFileError(f"unknown format '{fmt}'.", field="--format",
                                 fix="use csv, parquet or jsonl.", key="batch_format",
                                 params={"value": fmt})
        return fmt
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise InputFileError(f"cannot tell the format from the name '{path.name}'.", where=str(path),
                             fix="name it .csv, .parquet or .jsonl, or give --format.",
                             key="batch_format_name", params={"name": path.name})
    return found


@contextmanager
def quiet_undecodable() -> Iterator[None]:
    """Arrow's CSV reader reports a malformed line that is not UTF-8 to ``sys.unraisablehook``
    (a traceback on stderr) before it fails the read; the failure is the one error shown."""
    previous = sys.unraisablehook

    def hook(info: Any) -> None:
        if not isinstance(info.exc_value, UnicodeDecodeError):
            previous(info)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous


def columns_of(path: Path, fmt: str) -> list[str]:
    """The column names, read from the header/footer/first line only."""
    _exists(path)
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return list(pq.ParquetFile(path).schema_arrow.names)
        if fmt == "csv":
            from pyarrow import csv

            skip = csv.ParseOptions(invalid_row_handler=lambda row: "skip")
            with quiet_undecodable(), csv.open_csv(
                    path, read_options=csv.ReadOptions(block_size=1 << 20),
                    parse_options=skip) as r:
                return list(r.schema.names)
        first = next(_json_blocks(path, 1 << 20), None)
        return [] if first is None else list(first[0].column_names)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputFileError(f"is not a readable {fmt} file ({_short(exc)}).", where=str(path),
                             fix=f"check that it is {fmt}, or give --format.",
                             key="batch_unreadable",
                             params={"format": fmt, "detail": _short(exc)}) from None


def read(path: Path, fmt: str, columns: list[str],
         batch_size: int = BATCH_SIZE) -> Iterator[tuple[pa.Table, list[BadLine]]]:
    """Record batches of the wanted columns, at most ``batch_size`` rows each."""
    readers = {"parquet": _parquet, "csv": _csv, "jsonl": _jsonl}
    try:
        with quiet_undecodable():
            yield from readers[fmt](path, columns, batch_size)
    except pa.ArrowException as exc:
        raise InputFileError(f"cannot be read any further ({_short(exc)}).", where=str(path),
                             fix="repair the file; rows before this point were read fine.",
                             key="batch_truncated", params={"detail": _short(exc)}) from None


def _parquet(path: Path, columns: list[str], size: int) -> Iterator[tuple[pa.Table, list[BadLine]]]:
    import pyarrow.parquet as pq

    f = pq.ParquetFile(path)
    for batch in f.iter_batches(batch_size=size, columns=columns):
        yield pa.Table.from_batches([batch]), []


def _csv(path: Path, columns: list[str], size: int) -> Iterator[tuple[pa.Table, list[BadLine]]]:
    from pyarrow import csv

    bad: list[BadLine] = []
    opts = csv_options(columns, bad)
    with csv.open_csv(path, read_options=opts[0], parse_options=opts[1],
                      convert_options=opts[2]) as reader, path.open("rb") as raw:
        numbers = LineNumbers(raw)
        for batch in reader:
            found, bad[:] = numbers.fix(bad), []
            for part in _split(pa.Table.from_batches([batch]), size):
                yield part, found
                found = []
        if bad:  # bad lines after the last row (Arrow yields no batch for them)
            yield reader.schema.empty_table(), numbers.fix(bad)


def csv_options(columns: list[str], bad: list[BadLine]) -> tuple[Any, Any, Any]:
    """Read, parse and convert options of the CSV reader: the wanted columns as text, a line
    with the wrong number of fields appended to ``bad`` (numbered as Arrow numbers it: without
    the empty lines before it, see :class:`LineNumbers`)."""
    from pyarrow import csv

    def handler(row: Any) -> str:
        bad.append(BadLine(row.number or 0, f"has {row.actual_columns} fields; the header has "
                           f"{row.expected_columns}. Fix: quote values that contain commas.",
                           row.text or ""))
        return "skip"

    conv = csv.ConvertOptions(include_columns=columns, column_types=dict.fromkeys(columns, pa.string()),
                              strings_can_be_null=True, null_values=[""])
    return (csv.ReadOptions(block_size=8 << 20, use_threads=False),
            csv.ParseOptions(invalid_row_handler=handler), conv)


class LineNumbers:
    """Arrow's CSV reader skips empty lines and does not count them; this turns its line
    numbers into the file's, reading the lines once, forward, only when a bad line is found."""

    def __init__(self, lines: Iterable[bytes]) -> None:
        self._lines = iter(lines)
        self._counted = 0  # lines Arrow counts (not empty)
        self._physical = 0

    def fix(self, bad: list[BadLine]) -> list[BadLine]:
        """``bad`` (in file order) with the file's line numbers."""
        return [BadLine(self._line(b.line), b.reason, b.text) for b in bad]

    def _line(self, counted: int) -> int:
        for line in self._lines:
            if self._counted >= counted:
                self._lines = itertools.chain([line], self._lines)
                break
            self._physical += 1
            if line.strip(b"\r\n"):
                self._counted += 1
        return self._physical + max(0, counted - self._counted)


def parse_lines(data: bytes, fmt: str, columns: list[str], header: bytes,
                first_line: int) -> tuple[pa.Table, list[BadLine]]:
    """Whole lines of a CSV (after its ``header`` line) or JSON Lines file, parsed as the
    reader above parses them; ``first_line`` lines of the file come before ``data``."""
    if fmt == "jsonl":
        table, bad_json, _ = _parse_json(data, first_line)
        return _select(table, columns), bad_json
    import io

    from pyarrow import csv

    bad: list[BadLine] = []
    opts = csv_options(columns, bad)
    text = header + data
    table = csv.read_csv(io.BytesIO(text), read_options=opts[0], parse_options=opts[1],
                         convert_options=opts[2])
    fixed = LineNumbers(io.BytesIO(text)).fix(bad)  # numbered from the header line, 1
    return table, [BadLine(b.line + first_line - 1, b.reason, b.text) for b in fixed]


def _split(table: pa.Table, size: int) -> Iterator[pa.Table]:
    for start in range(0, max(table.num_rows, 1), size):
        yield table.slice(start, size)


def _jsonl(path: Path, columns: list[str], size: int) -> Iterator[tuple[pa.Table, list[BadLine]]]:
    for table, bad in _json_blocks(path, JSON_BLOCK):
        for i, part in enumerate(_split(_select(table, columns), size)):
            yield part, bad if i == 0 else []


def _select(table: pa.Table, columns: list[str]) -> pa.Table:
    """The wanted columns, all-null for those a JSON block does not have."""
    present = [c for c in columns if c in table.column_names]
    table = table.select(present)
    for c in columns:
        if c not in present:
            table = table.append_column(c, pa.nulls(table.num_rows))
    return table


def _json_blocks(path: Path, block: int) -> Iterator[tuple[pa.Table, list[BadLine]]]:
    """Whole lines, about ``block`` bytes at a time, parsed by Arrow (or line by line)."""
    line_no = 0
    rest = b""
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(block)
            data = rest + chunk
            if not chunk:
                rest = b""
            else:
                cut = data.rfind(b"\n") + 1
                data, rest = data[:cut], data[cut:]
            if data:
                table, bad, lines = _parse_json(data, line_no)
                line_no += lines
                yield table, bad
            if not chunk:
                return


def _parse_json(data: bytes, first: int) -> tuple[pa.Table, list[BadLine], int]:
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    try:
        from pyarrow import json as pj

        if all(ln.strip() for ln in lines) and not _maybe_deep(lines):
            import io

            return pj.read_json(io.BytesIO(data)), [], len(lines)
    except pa.ArrowInvalid:
        pass
    return _json_slow(lines, first)


def _maybe_deep(lines: list[bytes]) -> bool:
    """Whether a line may nest more than :data:`MAX_DEPTH` levels. Arrow's JSON reader recurses
    on the C stack and crashes the process (a segmentation fault) near 20,000 levels; such lines
    go to the line-by-line reader, which rejects them. Only lines long enough are counted."""
    return any(ln.count(b"[") + ln.count(b"{") > MAX_DEPTH
               for ln in lines if len(ln) > 2 * MAX_DEPTH)


def _json_slow(lines: list[bytes], first: int) -> tuple[pa.Table, list[BadLine], int]:
    """Line by line: bad lines are reported; mixed-type columns become text."""
    rows: list[dict[str, Any]] = []
    bad: list[BadLine] = []
    for i, raw in enumerate(lines):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            why = exc.msg if isinstance(exc, json.JSONDecodeError) else \
                "nested too deeply" if isinstance(exc, RecursionError) else "not UTF-8"
            bad.append(BadLine(first + i + 1, f"is not valid JSON ({why}). Fix: write one "
                               "JSON object per line.", raw.decode("utf-8", "replace")[:200]))
            continue
        if not isinstance(value, dict):
            bad.append(BadLine(first + i + 1, "is not a JSON object. Fix: write one JSON object "
                               "per line, e.g. {\"followers\": 4000}.", raw.decode("utf-8", "replace")[:200]))
            continue
        rows.append(value)
    names = list(dict.fromkeys(k for r in rows for k in r))
    cols = {}
    for name in names:
        values = [r.get(name) for r in rows]
        try:
            cols[name] = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            cols[name] = pa.array([None if v is None else _text(v) for v in values], pa.string())
    return pa.table(cols) if cols else pa.table({"_": pa.nulls(len(rows))}).drop(["_"]), bad, len(lines)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _exists(path: Path) -> None:
    if path.exists() and not path.is_file():
        raise InputFileError("is not a regular file.", where=str(path),
                             fix="give a CSV, Parquet or JSON Lines file (not a folder or a pipe).",
                             key="batch_not_file")
    if not path.is_file():
        raise InputFileError("no such file.", where=str(path), fix="check the path.",
                             key="batch_no_file")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


class Writer:
    """Writes tables of one schema to CSV, Parquet or JSON Lines."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path, self.fmt = path, fmt
        self._w: Any = None
        self._fh: Any = None

    def write(self, table: pa.Table) -> None:
        if self.fmt == "parquet":
            import pyarrow.parquet as pq

            if self._w is None:
                self._w = pq.ParquetWriter(self.path, table.schema, compression="snappy")
            self._w.write_table(table, row_group_size=ROW_GROUP)
        elif self.fmt == "csv":
            from pyarrow import csv

            table = _plain_strings(table)
            if self._w is None:
                self._w = csv.CSVWriter(self.path, table.schema)
            self._w.write_table(table)
        else:
            if self._fh is None:
                self._fh = self.path.open("w", encoding="utf-8")
            for row in table.to_pylist():
                self._fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")

    def close(self, empty: pa.Schema | None = None) -> None:
        if self._w is None and self._fh is None and empty is not None:
            self.write(empty.empty_table())
        for obj in (self._w, self._fh):
            if obj is not None:
                obj.close()
        if self._w is None and self._fh is None:
            self.path.touch()


def _plain_strings(table: pa.Table) -> pa.Table:
    """CSV has no dictionaries: write their values."""
    fields = [pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f
              for f in table.schema]
    return table.cast(pa.schema(fields, metadata=table.schema.metadata))


@contextmanager
def open_writer(path: Path, fmt: str | None = None,
                schema: pa.Schema | None = None) -> Iterator[Writer]:
    """A writer to ``path`` that appears only when complete (see :mod:`kreator.atomic`)."""
    fmt = detect(path, fmt)
    with atomic_path(path) as part:
        writer = Writer(part, fmt)
        try:
            yield writer
            writer.close(schema)
        except BaseException:
            for obj in (writer._w, writer._fh):
                if obj is not None:
                    with suppress(Exception):  # already failing: keep the first error
                        obj.close()
            raise
