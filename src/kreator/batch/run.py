"""``kreator batch``: a file of creators in, a file of scores and a file of rejects out.

Reading, scoring and writing go one record batch at a time, so memory is bounded by the batch
size, not the file. The output and rejects files appear only when the run completes. Every
row read is either scored or rejected: ``rows_in == scored + rejected``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from kreator.batch.fields import REJECTS_SCHEMA
from kreator.batch.io import BATCH_SIZE, BadLine, columns_of, detect, open_writer, read
from kreator.batch.mapping import resolve
from kreator.batch.scorer import Options
from kreator.batch.table import Plan, make_plan, score_part
from kreator.core.card import Card
from kreator.core.errors import InputFileError
from kreator.core.files import check_output

Progress = Callable[[int, int | None, float], None]
Part = tuple[pa.Table, pa.Table, int]  # scored, rejects, rows read


@dataclass
class Summary:
    """What a run did."""

    input: str
    output: str
    rejects_file: str
    rows_in: int = 0
    scored: int = 0
    rejected: int = 0
    seconds: float = 0.0
    engine: str = "local"
    method: str = ""
    card: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return self.rows_in / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"input": self.input, "output": self.output, "rejects_file": self.rejects_file,
                "rows_in": self.rows_in, "scored": self.scored, "rejected": self.rejected,
                "seconds": round(self.seconds, 3), "rows_per_second": round(self.rows_per_second),
                "engine": self.engine, "card": self.card, "total_method": self.method}


def default_rejects(output: Path) -> Path:
    """``out.parquet`` -> ``out.rejects.csv`` next to it."""
    return output.with_name(f"{output.stem}.rejects.csv")


def plan_for(path: Path, fmt: str, card: Card, *, columns: Mapping[str, str] | None = None,
             keep: Sequence[str] | None = None, mc: int | None = None, seed: int = 0) -> Plan:
    """Resolve the columns against the file's header and fix the output schema."""
    present = columns_of(path, fmt)
    cmap = resolve(present, columns, keep, where=str(path))
    if fmt == "parquet":
        import pyarrow.parquet as pq

        schema = pq.ParquetFile(path).schema_arrow
    else:  # CSV and JSON Lines: kept columns are carried as text
        schema = pa.schema([pa.field(c, pa.string()) for c in present])
    return make_plan(cmap, Options(card, mc, seed), schema, where=str(path))


def run(input: Path, output: Path, card: Card, *, fmt: str | None = None,
        out_fmt: str | None = None, columns: Mapping[str, str] | None = None,
        keep: Sequence[str] | None = None, mc: int | None = None, seed: int = 0,
        batch_size: int = BATCH_SIZE, rejects: Path | None = None, engine: str = "local",
        scheduler: str | None = None, progress: Progress | None = None) -> Summary:
    """Score ``input`` into ``output``; rejected rows go to ``rejects``."""
    in_fmt = detect(input, fmt)
    rejects = _outputs(input, output, out_fmt, rejects)
    if batch_size < 1:
        raise InputFileError(f"batch size must be at least 1 (got {batch_size}).",
                             field="--batch-size", fix="use --batch-size 262144.",
                             key="batch_rows_size", params={"value": batch_size})
    plan = plan_for(input, in_fmt, card, columns=columns, keep=keep, mc=mc, seed=seed)
    total = _known_rows(input, in_fmt)
    summary = Summary(str(input), str(output), str(rejects), engine=engine,
                      method=plan.opts.method, card=card.id)
    if engine == "dask":
        from kreator.batch.engine_dask import parts as dask_parts

        source = dask_parts(input, in_fmt, plan, batch_size, scheduler)
    else:
        source = local_parts(input, in_fmt, plan, batch_size)
    started = time.perf_counter()
    with open_writer(output, out_fmt, plan.schema) as out, \
            open_writer(rejects, None, REJECTS_SCHEMA) as bad:
        for scored, rejected, n in source:
            out.write(scored)
            if rejected.num_rows:
                bad.write(rejected)
            summary.rows_in += n
            summary.scored += scored.num_rows
            summary.rejected += rejected.num_rows
            if progress:
                progress(summary.rows_in, total, time.perf_counter() - started)
    summary.seconds = time.perf_counter() - started
    return summary


def _outputs(input: Path, output: Path, out_fmt: str | None, rejects: Path | None) -> Path:
    """Check the output and rejects paths before anything is read; the rejects path."""
    detect(output, out_fmt)
    check_output(output, field="--output")
    rejects = rejects or default_rejects(output)
    detect(rejects, None)
    check_output(rejects, field="--rejects")
    if output.resolve() in (input.resolve(), rejects.resolve()):
        raise InputFileError("the output would overwrite the input or the rejects file.",
                             where=str(output), fix="give a different -o path.",
                             key="batch_output_clash")
    if rejects.resolve() == input.resolve():
        raise InputFileError("the rejects file would overwrite the input.", where=str(rejects),
                             field="--rejects", fix="give a different --rejects path.",
                             key="batch_rejects_clash")
    return rejects


def local_parts(path: Path, fmt: str, plan: Plan, batch_size: int) -> Iterator[Part]:
    """Read, score and yield each record batch in this process."""
    offset = 0
    for table, lines in read(path, fmt, plan.cmap.columns, batch_size):
        scored, rejected = score_part(table, plan, offset)
        offset += table.num_rows
        if lines:
            rejected = pa.concat_tables([line_rejects(lines), rejected])
        yield scored, rejected, table.num_rows + len(lines)


def line_rejects(lines: list[BadLine]) -> pa.Table:
    """Lines the reader could not split into a row, as rejects (by line number)."""
    return pa.table({"row": pa.nulls(len(lines), pa.int64()),
                     "line": pa.array([b.line for b in lines], pa.int64()),
                     "field": pa.array(["(line)"] * len(lines), pa.string()),
                     "reason": pa.array([b.reason for b in lines], pa.string()),
                     "record": pa.array([b.text for b in lines], pa.string())}, schema=REJECTS_SCHEMA)


def _known_rows(path: Path, fmt: str) -> int | None:
    if fmt != "parquet":
        return None
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)
