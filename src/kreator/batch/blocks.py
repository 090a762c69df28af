"""CSV and JSON Lines for the Dask engine: line-aligned byte ranges, parsed by workers with
the local engine's own parser (:func:`kreator.batch.io.parse_lines`).

``dd.read_csv`` and ``dd.read_json`` fail the whole run on one malformed line; here such a
line becomes a reject with its line number, exactly as with ``--engine local``. A first pass
counts each range's rows and lines, so every row and line keeps its number in the whole file.
Like the local reader, a line ends at a newline (no newlines inside quoted values).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from kreator.batch.io import BadLine, parse_lines


@dataclass(frozen=True)
class Block:
    """Bytes ``start``..``end`` of a text file: whole lines. CSV blocks carry the header line."""

    path: str
    fmt: str
    header: bytes
    start: int
    end: int

    def read(self, columns: list[str], first_line: int) -> tuple[pa.Table, list[BadLine]]:
        """The block's rows and bad lines; ``first_line`` lines of the file come before it."""
        return parse_lines(self._bytes(), self.fmt, columns, self.header, first_line)

    def count(self, columns: list[str]) -> tuple[int, int]:
        """(rows, lines) of the block: rows as the reader gives them (bad and empty lines are
        not rows), lines as the file numbers them."""
        data = self._bytes()
        table, _ = parse_lines(data, self.fmt, columns, self.header, 0)
        return table.num_rows, data.count(b"\n")

    def _bytes(self) -> bytes:
        with open(self.path, "rb") as fh:
            fh.seek(self.start)
            return fh.read(self.end - self.start)


def split(path: Path, fmt: str, size: int) -> list[Block]:
    """The file as blocks of about ``size`` bytes, each starting at the start of a line."""
    total = path.stat().st_size
    with path.open("rb") as fh:
        header = fh.readline() if fmt == "csv" else b""
        starts = [len(header)]
        while starts[-1] + size < total:
            fh.seek(starts[-1] + size - 1)
            fh.readline()  # to the end of the line the nominal boundary falls in
            if fh.tell() >= total:
                break
            starts.append(fh.tell())
    ends = [*starts[1:], total]
    return [Block(str(path), fmt, header, s, e) for s, e in zip(starts, ends, strict=True)]


def first_lines(header: bytes, line_counts: list[int]) -> list[int]:
    """For each block, how many lines of the file come before it (the header is one)."""
    out, seen = [], 1 if header else 0
    for n in line_counts:
        out.append(seen)
        seen += n
    return out
