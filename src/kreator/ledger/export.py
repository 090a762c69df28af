"""Export events to CSV or XLSX, safe to open in a spreadsheet.

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab, a carriage return or a line feed, or their full-width forms) get a leading apostrophe,
the OWASP "CSV injection" defence; amounts are written as exact numbers, never as text.
Writing goes to a temporary file that is renamed into place, so a failed export leaves no
half-written file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from kreator.atomic import atomic_path
from kreator.core.errors import LedgerError
from kreator.ledger.entries import EventView
from kreator.ledger.money import digits

COLUMNS = ("id", "creator", "date", "stream", "amount", "currency", "source", "natural_key",
           "note", "original_amount", "original_currency", "fx_rate", "fx_source", "fx_date",
           "import_run_id")
NUMERIC = {"id", "amount", "original_amount", "fx_rate", "import_run_id"}
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
FORMATS = ("csv", "xlsx")


def neutralise(text: str) -> str:
    """``text`` that a spreadsheet shows as text, never evaluates."""
    return "'" + text if text.startswith(TRIGGERS) else text


def _cells(ev: EventView) -> list[Any]:
    d = ev.to_dict()
    return [d[c] if c in NUMERIC else neutralise("" if d[c] is None else str(d[c]))
            for c in COLUMNS]


def fmt_of(path: Path, fmt: str | None) -> str:
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise LedgerError(f"cannot export as '{chosen or path.name}'.", field="format",
                          fix="name the file .csv or .xlsx, or give --format csv|xlsx.",
                          key="export_format", params={"value": chosen or path.name})
    return chosen


def export(events: list[EventView], path: Path, fmt: str | None = None) -> dict[str, Any]:
    """Write ``events`` to ``path``; returns what was written."""
    chosen = fmt_of(path, fmt)
    with atomic_path(path, field="output") as tmp:
        (_csv if chosen == "csv" else _xlsx)(events, tmp)
    return {"path": str(path), "format": chosen, "events": len(events)}


def _csv(events: list[EventView], path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for ev in events:
            w.writerow(["" if v is None else v for v in _cells(ev)])


def _xlsx(events: list[EventView], path: Path) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("income")
    ws.append(list(COLUMNS))
    amount_at = COLUMNS.index("amount")
    for ev in events:
        row: list[Any] = []
        for i, value in enumerate(_cells(ev)):
            cell = WriteOnlyCell(ws, value=_number(value) if COLUMNS[i] in NUMERIC else value)
            if i == amount_at:
                places = digits(ev.currency)
                cell.number_format = "0." + "0" * places if places else "0"
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text is text: never a formula, whatever it starts with
            row.append(cell)
        ws.append(row)
    buffer = io.BytesIO()  # built in memory: a full disk then fails one plain write, not openpyxl
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())


def _number(value: Any) -> Any:
    from decimal import Decimal

    return Decimal(value) if isinstance(value, str) and value else value
