"""``kreator ledger …``: what a creator really earned, kept in a database, against the estimates.

A thin layer over :mod:`kreator.ledger`; every command takes ``--db`` (or ``KREATOR_DB``) and
``--json``. Heavy libraries (SQLAlchemy, Babel, matplotlib) load inside the commands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kreator.cli.framework import app, command, emit_json
from kreator.cli.options import PATH

if TYPE_CHECKING:
    from kreator.ledger import Ledger

ledger_app = typer.Typer(
    help="The income ledger: add and import what was really earned, report it by month, "
    "compare it with the estimate, calibrate, export and back up.\n\n"
    "Start with:  kreator ledger add --stream creator_rewards --amount 41.20 --currency USD",
    no_args_is_help=True)
app.add_typer(ledger_app, name="ledger")

DB_HELP = ("Ledger database: a file path, sqlite:///PATH or postgresql://USER@HOST/DB "
           "(default: $KREATOR_DB, else ledger.sqlite in your data folder).")
CREATOR_HELP = "Creator name (may be left out while the ledger holds one creator)."
STREAMS_OPT = typer.Option(None, "--stream", help="Only this stream (repeat for several).")
PATHS_ARG = typer.Argument(..., **PATH, help="TikTok downloads: files, zips or folders.")
CHART_OPT = typer.Option(None, "--chart", **PATH, help="Also draw a chart (.png or .svg).")
EXPORT_ARG = typer.Argument(None, **PATH, show_default=False,
                            help="File to write: .csv or .xlsx (or give it with -o/--output).")
BACKUP_ARG = typer.Argument(None, **PATH, show_default=False,
                            help="The backup file, a SQLite ledger (or give it with -o/--output).")
OUTPUT_OPT = typer.Option(None, "-o", "--output", **PATH, show_default=False,
                          help="File to write (the same as the PATH argument).")
DB = typer.Option(None, "--db", help=DB_HELP)
CREATOR = typer.Option(None, "--creator", "-c", help=CREATOR_HELP)
JSON = typer.Option(False, "--json", help="Print JSON.")
LANG = typer.Option(None, "--lang", help="Language: en or sv.")
FROM_DAY = typer.Option(None, "--from", help="First day (YYYY-MM-DD or YYYY-MM).")
TO_DAY = typer.Option(None, "--to", help="Last day (YYYY-MM-DD or YYYY-MM).")
FROM_MONTH = typer.Option(None, "--from", help="First month (YYYY-MM).")
TO_MONTH = typer.Option(None, "--to", help="Last month (YYYY-MM).")
ESTIMATE = typer.Option(None, "--estimate", min=1, help="Saved estimate id (default: the "
                        "latest).")


def audit(ledger: Ledger, action: str, **detail: Any) -> None:
    """An audit-log entry for a command-line change (actor ``cli``: docs/accounts.md)."""
    from kreator.ledger.accounts import audit as write

    write(ledger, "cli", action, **detail)


@contextmanager
def _open(db: str | None) -> Iterator[Ledger]:
    from kreator.ledger import open_ledger

    with open_ledger(db) as ledger:
        yield ledger


def _day(text: str | None, name: str, *, end: bool = False) -> dt.date | None:
    from kreator.ledger.entries import parse_day

    return parse_day(text, name, end=end)


def _lang_of(lang: str | None) -> str:
    from kreator.i18n import pick_lang

    return pick_lang(lang)


@command("add", group=ledger_app)
def add_cmd(
    stream: str = typer.Option(..., "--stream", help="creator_rewards, creator_fund, "
                               "sponsorship, live_gifts, affiliate, tiktok_shop, "
                               "live_subscriptions or other."),
    amount: str | None = typer.Option(None, "--amount", help="Amount received, e.g. 41.20 "
                                      "(exact; at most the currency's decimals)."),
    currency: str = typer.Option(..., "--currency", help="ISO code of --amount: USD, EUR, SEK…"),
    date: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default: today)."),
    note: str = typer.Option("", "--note", help="What it was: 'Brand deal with X', 'gift card'."),
    creator: str | None = CREATOR,
    key: str | None = typer.Option(None, "--key", help="Your own id for it (a payout or "
                                   "invoice number): adding the same key again adds nothing."),
    source: str = typer.Option("manual", "--source", help="Where it came from."),
    original_amount: str | None = typer.Option(None, "--original-amount",
                                               help="Amount before conversion."),
    original_currency: str | None = typer.Option(None, "--original-currency",
                                                 help="Currency before conversion."),
    fx_rate: str | None = typer.Option(None, "--fx-rate", help="Units of --currency per unit of "
                                       "--original-currency (computes --amount if left out)."),
    fx_source: str | None = typer.Option(None, "--fx-source", help="Where the rate came from."),
    fx_date: str | None = typer.Option(None, "--fx-date", help="The rate's date."),
    db: str | None = DB, as_json: bool = JSON, lang: str | None = LANG,
) -> None:
    """Add one income entry by hand: a Creator Rewards payout, a brand deal, a gift card.

    Examples:

      kreator ledger add --stream creator_rewards --amount 41.20 --currency USD --date 2026-04-30

      kreator ledger add --creator maja --stream sponsorship --amount 2500 --currency SEK
      --note "Brand deal: Oatly" --key INV-0042

      kreator ledger add --stream sponsorship --currency SEK --original-amount 200
      --original-currency EUR --fx-rate 11.02 --fx-source "bank statement" --fx-date 2026-05-02
    """
    from kreator.ledger.entries import manual_event
    from kreator.ledger.render import added

    ev = manual_event(_day(date, "date"), stream, amount, currency, note=note, key=key,
                      source=source, original_amount=original_amount,
                      original_currency=original_currency, fx_rate=fx_rate,
                      fx_source=fx_source, fx_date=fx_date)
    with _open(db) as ledger:
        view, created = ledger.add(creator, ev)
        audit(ledger, "ledger.add", creator=view.creator, event=view.id, stream=view.stream,
              amount=f"{view.amount:f}", currency=view.currency, created=created)
    if as_json:
        emit_json({"created": created, "event": view.to_dict()})
        return
    typer.echo(added(view, created, _lang_of(lang)))


@command("list", group=ledger_app)
def list_cmd(
    creator: str | None = CREATOR,
    since: str | None = FROM_DAY, until: str | None = TO_DAY,
    stream: list[str] | None = STREAMS_OPT,
    source: str | None = typer.Option(None, "--source", help="Only events from this source."),
    currency: str | None = typer.Option(None, "--currency", help="Only this currency."),
    run: int | None = typer.Option(None, "--run", min=1, help="Only events written by import "
                                   "run N."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most N events."),
    db: str | None = DB, as_json: bool = JSON, lang: str | None = LANG,
) -> None:
    """List income events (all creators unless --creator), oldest first.

    Examples:

      kreator ledger list --creator maja --from 2026-04 --to 2026-05 --stream live_gifts

      kreator ledger list --run 3 --json
    """
    from kreator.ledger import EventFilter
    from kreator.ledger.render import events_table

    flt = EventFilter(creator, _day(since, "from"), _day(until, "to", end=True), stream or (),
                      source, currency, run, limit)
    with _open(db) as ledger:
        events = ledger.events(flt)
    if as_json:
        emit_json({"events": [e.to_dict() for e in events], "count": len(events)})
        return
    typer.echo(events_table(events, _lang_of(lang)))


@command("import", group=ledger_app)
def import_cmd(
    paths: list[Path] = PATHS_ARG,
    creator: str | None = CREATOR,
    as_of: str | None = typer.Option(None, "--as-of", help="End of the profile's 30-day "
                                     "window (default: the latest data)."),
    batch_size: int = typer.Option(5000, "--batch-size", help="Events per committed batch."),
    db: str | None = DB, as_json: bool = JSON, lang: str | None = LANG,
) -> None:
    """Import income (LIVE diamonds per session, Shop commissions) and a profile snapshot.

    All or nothing: a bad row fails the run with the row named and nothing kept. Importing the
    same file again adds nothing ("0 new, N unchanged"); an overlapping export adds only the new
    events.

    Examples:

      kreator ledger import ~/Downloads/user_data_tiktok.json --creator maja

      kreator ledger import affiliate_orders.csv Overview_2026-04-21_*.zip --json
    """
    from kreator.core.errors import KreatorError
    from kreator.importers import extract_paths
    from kreator.ledger.importing import import_files, record_failure
    from kreator.ledger.render import import_summary

    with _open(db) as ledger:
        try:
            batch = extract_paths(list(paths), as_of=_day(as_of, "as_of"), strict=True)
        except KreatorError as exc:
            raise record_failure(ledger, creator, exc) from None
        summary = import_files(ledger, creator, batch.files, events=batch.events,
                               profile=batch.profile_values() or None,
                               taken_on=batch.window.end, batch_size=batch_size)
        audit(ledger, "ledger.import", creator=summary.creator, run=summary.run_id,
              files=[p.name for p in paths], rows_in=summary.rows_in, new=summary.new,
              updated=summary.updated)
    if as_json:
        emit_json(summary.to_dict())
        return
    typer.echo(import_summary(summary, _lang_of(lang)))


@command("runs", group=ledger_app)
def runs_cmd(creator: str | None = CREATOR,
             limit: int = typer.Option(20, "--limit", min=1, help="The last N runs."),
             db: str | None = DB, as_json: bool = JSON,
             lang: str | None = LANG) -> None:
    """List import runs, newest first: status (done, failed, aborted), counts and errors.

    Example:  kreator ledger runs --limit 5
    """
    from kreator.ledger.render import runs_table

    with _open(db) as ledger:
        runs = ledger.runs(creator, limit)
    if as_json:
        emit_json({"runs": runs})
        return
    typer.echo(runs_table(runs, _lang_of(lang)))


@command("creators", group=ledger_app)
def creators_cmd(db: str | None = DB, as_json: bool = JSON,
                 lang: str | None = typer.Option(None, "--lang",
                                                 help="Language of error messages: en or sv.")
                 ) -> None:
    """List the creators in the ledger.

    Example:  kreator ledger creators --db agency.sqlite
    """
    with _open(db) as ledger:
        names = ledger.creators()
    if as_json:
        emit_json({"creators": names})
        return
    typer.echo("\n".join(names))


@command("report", group=ledger_app)
def report_cmd(
    creator: str | None = CREATOR,
    since: str | None = FROM_MONTH, until: str | None = TO_MONTH,
    chart: Path | None = CHART_OPT,
    currency: str | None = typer.Option(None, "--currency", help="Currency to chart "
                                        "(default: the one with most months)."),
    db: str | None = DB, as_json: bool = JSON, lang: str | None = LANG,
) -> None:
    """Income by month and stream, with totals (one table per currency, exact sums).

    Examples:

      kreator ledger report --creator maja --from 2026-01 --chart income.png

      kreator ledger report --json
    """
    from kreator.ledger.render import report_text, stream_name
    from kreator.ledger.reports import chart as draw
    from kreator.ledger.reports import monthly

    language = _lang_of(lang)
    with _open(db) as ledger:
        rep = monthly(ledger, creator, since=_day(since, "from"),
                      until=_day(until, "to", end=True))
    out = rep.to_dict()
    if chart is not None:
        labels = {s: stream_name(s, language) for c in rep.currencies for s in c.streams}
        out["chart"] = str(draw(rep, chart, currency=currency, labels=labels))
    if as_json:
        emit_json(out)
        return
    typer.echo(report_text(rep, language))
    if chart is not None:
        from kreator.i18n import t

        typer.echo("\n" + t("ledger.chart_saved", language, path=chart))
