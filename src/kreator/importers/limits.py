"""Fixed bounds on what an import reads. Every refusal says the limit it hit (sizes in MB)
and what to do; the constants are listed in docs/importers.md.

They are generous for real exports (a 365-day Studio download is a few kilobytes; a heavy
personal export is tens of megabytes) and small enough that a hostile file cannot exhaust
memory or time: sizes are checked before anything is read or unpacked.
"""

from __future__ import annotations

import datetime as dt

from kreator.core.errors import ProfileError

MIB = 1024 * 1024

MAX_FILE_BYTES = 256 * MIB
"""Largest single file (or zip member, once unpacked) Kreator reads."""

MAX_TOTAL_BYTES = 1024 * MIB
"""Largest amount of data one import run reads, all files and unpacked members together."""

MAX_ZIP_MEMBERS = 10_000
"""Most entries a zip (or XLSX) may hold."""

MAX_ZIP_RATIO = 200
"""Highest compression ratio accepted for an entry larger than ``RATIO_FLOOR_BYTES``
(text exports compress 5-30x; zip bombs compress 1,000x and more)."""

RATIO_FLOOR_BYTES = 1 * MIB
"""Entries smaller than this are not ratio-checked (tiny files compress oddly)."""

MAX_ZIP_DEPTH = 2
"""How deep zips inside zips are opened (a zip of Studio zips is depth 2)."""

MAX_FILES = 10_000
"""Most files one import run looks at (folders are walked recursively)."""

MAX_ROWS = 2_000_000
"""Most data rows read from one table or one JSON list."""

MAX_XML_PROLOG_BYTES = 64 * 1024
"""How much of an XLSX part is read to find its root element when checking for a DTD."""

YEAR_SLACK_DAYS = 7
"""A date without a year may lie this many days after the reference date (download time or
--as-of) and still be placed in the reference year."""

FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
"""The days an import accepts: a row dated outside is rejected, an --as-of outside refused.
TikTok exports hold none, and a window or a year placed near year 1 or 9999 would overflow."""


def megabytes(size: int) -> float:
    """A size in bytes as MB (MiB) with one decimal, for messages."""
    return round(size / MIB, 1)


def limit_text(value: int, name: str, unit: str = "") -> str:
    """``"256 MB"`` (bytes) or ``"2,000,000 rows"`` for messages; ``name`` (the constant) is
    kept out of what the user reads."""
    del name
    if unit == "bytes":
        return f"{megabytes(value):,g} MB"
    return f"{value:,}{' ' + unit if unit else ''}"


def check_as_of(as_of: dt.date | None) -> None:
    """Refuse an --as-of outside :data:`FIRST_DAY` .. :data:`LAST_DAY` (naming the option)."""
    if as_of is not None and not FIRST_DAY <= as_of <= LAST_DAY:
        raise ProfileError(f"{as_of} is not between {FIRST_DAY} and {LAST_DAY}.", field="as_of",
                           fix="give a day between them, e.g. --as-of 2026-05-18.",
                           key="as_of_range", params={"value": str(as_of),
                                                      "first": str(FIRST_DAY),
                                                      "last": str(LAST_DAY)})
