"""Declarative column specs and one reader for CSV/TSV and XLSX tables.

A :class:`TableSpec` names a table's columns (with aliases, e.g. Japanese UI headers), their
kinds and which ones identify it. :func:`read_rows` maps a file's header onto the spec (the
error lists the columns found and expected), then parses every row: a cell that is not what
its column needs rejects the row (file, row, column, reason); a row holding ``undefined`` is
"no data yet" and is skipped; rows in = rows used + rows rejected.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kreator.core.errors import ImportFileError, Phrase, reason
from kreator.importers import limits as L
from kreator.importers.formats.dates import (
    MonthDay,
    in_range,
    numeric_order,
    parse_datetime_or_none,
    parse_day,
)
from kreator.importers.formats.text import (
    TextError,
    decode,
    detect_decimal,
    is_blank,
    is_no_data,
    parse_decimal,
    parse_money,
    parse_share,
)
from kreator.importers.model import Reject, row_label
from kreator.importers.sources import Source

Cell = str | int | float | dt.datetime | dt.date | None
KINDS = ("int", "float", "share", "text", "day", "datetime", "money")
"""``share`` reads 0.15, 15% or 15 (a bare number above 1 is a percentage)."""


@dataclass(frozen=True)
class Column:
    """One column: internal ``field``, header ``names`` (first is the canonical English one)."""

    field: str
    names: tuple[str, ...]
    kind: str = "int"
    required: bool = True
    blank_ok: bool = False


@dataclass(frozen=True)
class TableSpec:
    """A table's columns, the fields that identify it, and its usual file-name stems."""

    name: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    stems: tuple[str, ...] = ()
    chronological: bool = False

    def expected(self) -> str:
        return ", ".join(c.names[0] for c in self.columns)


@dataclass
class RawTable:
    """A decoded table: header cells, data rows (with their 1-based row numbers)."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]]
    delimiter: str = ","


@dataclass
class Parsed:
    """The rows of one table as typed dicts, with the rows that were rejected or empty."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    no_data: int = 0
    rows_in: int = 0
    headers: dict[str, str] = field(default_factory=dict)


def norm(name: str) -> str:
    """Header comparison key: case-folded, punctuation and spacing collapsed."""
    return " ".join(re.sub(r"[\W_]+", " ", name.replace("\ufeff", "").casefold()).split())


def raw_table(src: Source) -> RawTable:
    """Read (once, cached) a CSV/TSV/TXT or XLSX source into header + rows."""
    if "table" not in src.cache:
        if src.suffix in (".xlsx", ".xlsm") or (src.is_zip() and src.suffix != ".csv"):
            from kreator.importers.formats.xlsx import read_xlsx

            header, rows = read_xlsx(src)
            src.cache["table"] = RawTable(header, rows)
        else:
            src.cache["table"] = _read_csv(src)
    table: RawTable = src.cache["table"]
    return table


def _read_csv(src: Source) -> RawTable:
    try:
        text = decode(src.data)
    except TextError as exc:
        raise ImportFileError(f"is not a text table: {exc}.", where=src.name,
                              fix="give the CSV as TikTok downloaded it.",
                              key="import_not_text", params={"detail": reason(exc)}) from None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: _count_outside_quotes(first, d))
    reader = csv.reader(text.splitlines(), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[Cell]]] = []
    header: list[str] | None = None
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                continue
            if len(rows) >= L.MAX_ROWS:
                limit = L.limit_text(L.MAX_ROWS, "MAX_ROWS", "rows")
                raise ImportFileError(f"has more than {limit}.", where=src.name,
                                      fix="split the file.", key="import_too_many_rows",
                                      params={"limit": L.MAX_ROWS})
            rows.append((number, list(cells)))
    except csv.Error as exc:
        raise ImportFileError(f"is not valid CSV at row {reader.line_num}: {exc}.",
                              where=src.name, fix="give the file as TikTok downloaded it.",
                              key="import_bad_csv",
                              params={"row": reader.line_num, "detail": str(exc)}) from None
    return RawTable(header or [], rows, delimiter)


def _count_outside_quotes(line: str, delim: str) -> int:
    return sum(part.count(delim) for part in line.split('"')[::2])


def match_header(spec: TableSpec, header: list[str]) -> dict[str, int]:
    """Column index by field, for the spec's columns found in ``header``."""
    keys = [norm(h) for h in header]
    found: dict[str, int] = {}
    for col in spec.columns:
        for alias in col.names:
            if norm(alias) in keys:
                found[col.field] = keys.index(norm(alias))
                break
    return found


def score(spec: TableSpec, src: Source) -> int:
    """How well a source matches a spec: 0 = not this table."""
    table = raw_table(src)
    found = match_header(spec, table.header)
    if all(k in found for k in spec.key):
        return 10 + len(found)
    if any(src.stem.casefold() == s.casefold() for s in spec.stems):
        return 1
    return 0


def read_rows(spec: TableSpec, src: Source) -> Parsed:
    """Map the header onto the spec and parse every row; raise if a column is missing."""
    table = raw_table(src)
    found = match_header(spec, table.header)
    missing = [c for c in spec.columns if c.required and c.field not in found]
    if missing:
        raise missing_columns(spec, src, table.header, missing)
    out = Parsed(rows_in=len(table.rows),
                 headers={f: table.header[i] for f, i in found.items()})
    decimals = _decimals(spec, table, found)
    orders = {c.field: numeric_order([str(r[found[c.field]]) for _, r in table.rows
                                      if found[c.field] < len(r)])
              for c in spec.columns if c.kind == "datetime" and c.field in found}
    for number, cells in table.rows:
        _parse_row(spec, src, found, out, number, cells, decimals, orders)
    return out


def missing_columns(spec: TableSpec, src: Source, header: list[str],
                    missing: list[Column]) -> ImportFileError:
    """The error for a table without a column it needs: the file, row 1, what was found."""
    names = ", ".join(repr(c.names[0]) for c in missing)
    found = ", ".join(header) or Phrase("(none)", "none_found")
    where = Phrase(f"{src.name}, row 1", "file_place", {"file": src.name, "place": row_label(1)})
    return ImportFileError(
        f"has no column {names} for the {spec.title} table. Columns found: {found}; "
        f"expected: {spec.expected()}.", where=where,
        fix="give the file as TikTok downloaded it (columns may not be renamed).",
        key="import_missing_column", params={"columns": names, "table": spec.title,
                                             "found": found, "expected": spec.expected()})


def _decimals(spec: TableSpec, table: RawTable, found: dict[str, int]) -> str:
    default = "," if table.delimiter == ";" else "."
    numeric = {found[c.field] for c in spec.columns
               if c.field in found and c.kind in ("int", "float", "share", "money")}
    values = (str(cells[i]) for _, cells in table.rows for i in numeric
              if i < len(cells) and isinstance(cells[i], str))
    return detect_decimal(values, default)


def _parse_row(spec: TableSpec, src: Source, found: dict[str, int], out: Parsed, number: int,
               cells: list[Cell], decimal: str, orders: dict[str, str]) -> None:
    texts = [c for c in cells if isinstance(c, str)]
    if any(is_no_data(t) for t in texts):
        out.no_data += 1
        return
    values: dict[str, Any] = {}
    for col in spec.columns:
        if col.field not in found:
            continue
        idx = found[col.field]
        cell = cells[idx] if idx < len(cells) else None
        try:
            values[col.field] = parse_cell(cell, col, decimal, orders.get(col.field, "dmy"))
        except ValueError as exc:
            out.rejects.append(Reject(src.name, row_label(number), out.headers[col.field],
                                      "" if cell is None else str(cell), reason(exc)))
            return
    out.rows.append((number, values))


def parse_cell(cell: Cell, col: Column, decimal: str, order: str = "dmy") -> Any:
    """One cell as its column's kind; ValueError (the reason) if it is not that."""
    if cell is None or (isinstance(cell, str) and is_blank(cell)):
        if col.blank_ok or not col.required:
            return None
        raise ValueError(Phrase("is empty", "reason.empty"))
    if col.kind == "text":
        return str(cell).strip()
    if col.kind in ("day", "datetime"):
        return _date_cell(cell, col.kind, order)
    if isinstance(cell, dt.date):
        raise ValueError(Phrase("is a date, not a number", "reason.date_not_number"))
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _number(Decimal(str(cell)), col)
    text = str(cell)
    if col.kind == "int" and text.isascii() and text.isdigit():  # the common case, fast
        return int(text)
    if col.kind == "share":
        return parse_share(text, decimal)
    if col.kind == "money":
        return parse_money(text, None, decimal)
    return _number(parse_decimal(text, decimal), col)


def _number(value: Decimal, col: Column) -> Any:
    if col.kind == "int":
        if value != value.to_integral_value():
            raise ValueError(Phrase("is not a whole number", "reason.not_whole"))
        return int(value)
    if col.kind == "share":
        return parse_share(str(value))
    if col.kind == "money":
        return value, None
    return float(value)


def _date_cell(cell: Cell, kind: str, order: str) -> dt.date | dt.datetime | MonthDay:
    if isinstance(cell, dt.datetime):
        return in_range(cell) if kind == "datetime" else in_range(cell.date())
    if isinstance(cell, dt.date):
        return in_range(cell)
    text = str(cell)
    if kind == "datetime":
        got = parse_datetime_or_none(text, order)
        if got is None:
            raise ValueError(Phrase("is not a date and time (expected DD/MM/YYYY HH:MM:SS or ISO)",
                                    "reason.not_datetime_dmy"))
        return got
    return parse_day(text)


def resolve_days(parsed: Parsed, fld: str, src: Source, *, reference: dt.date,
                 start: dt.date | None = None, chronological: bool = False) -> None:
    """Give every day in column ``fld`` its year (see :func:`dates.resolve_years`); rows
    whose day cannot be placed move to the rejects."""
    from kreator.importers.formats.dates import resolve_years

    days = [row[fld] for _, row in parsed.rows]
    placed = resolve_years(days, reference=reference, start=start, chronological=chronological)
    kept: list[tuple[int, dict[str, Any]]] = []
    for (number, row), day in zip(parsed.rows, placed, strict=True):
        if isinstance(day, str):
            parsed.rejects.append(Reject(src.name, row_label(number), parsed.headers[fld],
                                         f"{row[fld]}", day))
            continue
        row[fld] = day
        kept.append((number, row))
    parsed.rows = kept
