"""``kreator batch`` and ``kreator synth``: score a file of creators; make a synthetic one."""

import sys
import time
from pathlib import Path

import typer

from kreator.cli.framework import command, emit_json
from kreator.cli.options import CARD_HELP


@command("batch")
def batch_cmd(
    input: str = typer.Argument(..., help="CSV, Parquet or JSON Lines file of creators."),
    output: str = typer.Option(..., "-o", "--output", help="Scores file (.parquet, .csv, .jsonl)."),
    card: str = typer.Option("default", "--card", help=CARD_HELP),
    maps: list[str] = typer.Option([], "--map", help="FIELD=COLUMN when a column has "  # noqa: B008
                                   "another name (repeat, or comma-separate)."),
    keep: str | None = typer.Option(None, "--keep", help="Columns to carry into the output, "
                                    "comma-separated (default: id, creator_id, handle, display_name)."),
    fmt: str | None = typer.Option(None, "--format", help="Input format: csv, parquet or jsonl "
                                   "(default: from the name)."),
    out_fmt: str | None = typer.Option(None, "--output-format", help="Output format (default: "
                                       "from the name)."),
    rejects: str | None = typer.Option(None, "--rejects", help="Rejected rows file (default: "
                                        "OUTPUT's name + .rejects.csv)."),
    mc: int | None = typer.Option(None, "--mc", help="Monte Carlo draws for the total instead of "
                                  "the closed form (slower; e.g. 10000)."),
    seed: int = typer.Option(0, "--seed", min=0, help="Seed for --mc: same seed, same numbers."),
    batch_size: int = typer.Option(262_144, "--batch-size", help="Rows per record batch (memory "
                                   "is bounded by this, not by the file)."),
    engine: str = typer.Option("local", "--engine", help="local, or dask for a cluster."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address "
                                         "(default with --engine dask: a local 2-worker cluster)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary."),
    as_json: bool = typer.Option(False, "--json", help="Print the run summary as JSON."),
) -> None:
    """Score every creator in a table: each stream's range, eligibility, the total and tier.

    Per stream p10/p50/p90/mean, eligibility and gaps, the total, and the tier. Rows that
    cannot be scored go to a rejects file with their row number and the reason; rows in =
    scored + rejected.

    Examples:

      kreator synth --n 100000 -o creators.parquet

      kreator batch creators.parquet -o scores.parquet

      kreator batch export.csv -o scores.csv --map followers=follower_count --keep handle

      kreator batch creators.parquet -o scores.parquet --mc 10000 --seed 7

      kreator batch creators.parquet -o scores.parquet --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from kreator.batch.mapping import parse_map
    from kreator.batch.run import run
    from kreator.core.errors import InputFileError
    from kreator.ratecards import load_card

    if engine not in ("local", "dask"):
        raise InputFileError(f"unknown engine '{engine}'.", field="--engine",
                             fix="use --engine local or --engine dask.", key="batch_engine",
                             params={"value": engine})
    if mc is not None and not 100 <= mc <= 1_000_000:
        raise InputFileError(f"--mc must be from 100 to 1,000,000 draws (got {mc}).", field="--mc",
                             fix="use --mc 10000, or leave it out for the closed form.",
                             key="batch_mc", params={"value": mc})
    bar = None if quiet or as_json or not sys.stderr.isatty() else _bar
    summary = run(Path(input), Path(output), load_card(card), fmt=fmt, out_fmt=out_fmt,
                  columns=parse_map(maps),
                  keep=[k.strip() for k in keep.split(",") if k.strip()] if keep else None,
                  mc=mc, seed=seed, batch_size=batch_size,
                  rejects=Path(rejects) if rejects else None, engine=engine,
                  scheduler=scheduler, progress=bar)
    if bar:
        typer.echo("", err=True)
    if as_json:
        emit_json(summary.to_dict())
    elif not quiet:
        from kreator.i18n import t

        typer.echo(t("batch.summary", rows_in=f"{summary.rows_in:,}", scored=f"{summary.scored:,}",
                     rejected=f"{summary.rejected:,}", rejects=summary.rejects_file,
                     output=summary.output, rate=f"{summary.rows_per_second:,.0f}"))


def _bar(done: int, total: int | None, seconds: float) -> None:
    rate = done / seconds if seconds > 0 else 0.0
    if total:
        filled = int(30 * done / total)
        text = f"[{'#' * filled}{'.' * (30 - filled)}] {done:,}/{total:,} rows"
    else:
        text = f"{done:,} rows"
    sys.stderr.write(f"\r{text}  {rate:,.0f} rows/s ")
    sys.stderr.flush()


@command("synth")
def synth_cmd(
    n: int = typer.Option(10_000, "--n", help="How many creators."),
    output: str = typer.Option(..., "-o", "--output", help="File to write (.parquet, .csv, .jsonl)."),
    seed: int = typer.Option(0, "--seed", min=0, help="Same seed, same population."),
    card: str = typer.Option("default", "--card", help="Card whose benchmarks drive engagement."),
    fmt: str | None = typer.Option(None, "--format", help="csv, parquet or jsonl (default: from "
                                   "the name)."),
    as_json: bool = typer.Option(False, "--json", help="Print what was written as JSON."),
) -> None:
    """Write a synthetic population of creators, for tests, demos and benchmarks.

    Tiers, niches, regions and engagement follow the card's benchmarks.

    Examples:

      kreator synth --n 10000 -o creators.parquet

      kreator synth --n 10000000 -o creators.parquet --seed 1

      kreator synth --n 1000 -o creators.csv
    """
    from kreator.batch.synth import write
    from kreator.core.errors import InputFileError
    from kreator.ratecards import load_card

    if not 0 <= n <= 2_000_000_000:
        raise InputFileError(f"--n must be from 0 to 2,000,000,000 (got {n}).", field="--n",
                             fix="use --n 10000.", key="synth_n", params={"value": n})
    started = time.perf_counter()
    write(Path(output), n, load_card(card), seed=seed, fmt=fmt)
    seconds = time.perf_counter() - started
    if as_json:
        emit_json({"output": str(output), "rows": n, "seed": seed, "card": card,
                   "seconds": round(seconds, 3)})
    else:
        from kreator.i18n import t

        typer.echo(t("batch.synth_done", rows=f"{n:,}", output=str(output), seed=seed))
