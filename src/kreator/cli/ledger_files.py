"""``kreator ledger export|backup``: the ledger out of Kreator, as a CSV or XLSX file or a
whole SQLite copy. Shares options and helpers with :mod:`kreator.cli.ledger`."""

from __future__ import annotations

from pathlib import Path

import typer

from kreator.cli.framework import command, emit_json
from kreator.cli.ledger import (
    BACKUP_ARG,
    CREATOR,
    DB,
    EXPORT_ARG,
    FROM_DAY,
    JSON,
    LANG,
    OUTPUT_OPT,
    TO_DAY,
    _day,
    _lang_of,
    _open,
    ledger_app,
)
from kreator.cli.options import output_path


@command("export", group=ledger_app)
def export_cmd(
    path: Path | None = EXPORT_ARG,
    output_opt: Path | None = OUTPUT_OPT,
    fmt: str | None = typer.Option(None, "--format", help="csv or xlsx (default: by suffix)."),
    creator: str | None = CREATOR,
    since: str | None = FROM_DAY, until: str | None = TO_DAY,
    db: str | None = DB, as_json: bool = JSON, lang: str | None = LANG,
) -> None:
    """Export events to CSV or XLSX (text that looks like a formula is neutralised).

    Examples:

      kreator ledger export income-2026.xlsx --creator maja --from 2026-01

      kreator ledger export -o all.csv
    """
    from kreator.ledger import EventFilter
    from kreator.ledger.export import export

    output = output_path(path, output_opt)
    with _open(db) as ledger:
        events = ledger.events(EventFilter(creator, _day(since, "from"),
                                           _day(until, "to", end=True)))
    result = export(events, output, fmt)
    if as_json:
        emit_json(result)
        return
    from kreator.i18n import t

    typer.echo(t("ledger.exported", _lang_of(lang), events=result["events"], path=output))


@command("backup", group=ledger_app)
def backup_cmd(
    path: Path | None = BACKUP_ARG,
    output_opt: Path | None = OUTPUT_OPT,
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing file."),
    db: str | None = DB, as_json: bool = JSON, lang: str | None = LANG,
) -> None:
    """Back the ledger up into one SQLite file (open it later with --db FILE).

    Example:  kreator ledger backup ~/ledger-2026-05-20.sqlite   (or -o FILE)
    """
    from kreator.ledger.backup import backup

    output = output_path(path, output_opt)
    with _open(db) as ledger:
        result = backup(ledger, output, overwrite=overwrite)
    if as_json:
        emit_json(result)
        return
    from kreator.i18n import t

    typer.echo(t("ledger.backup_done", _lang_of(lang), path=result["path"],
                 events=result["tables"]["income_event"],
                 creators=result["tables"]["creator"], bytes=result["bytes"]))
