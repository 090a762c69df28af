"""``kreator cards fit`` and ``kreator cards diff``: learn a card from real payouts, compare two."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer

from kreator.cli.cards import cards_app
from kreator.cli.framework import command, emit_json


@command("fit", group=cards_app)
def fit_cmd(
    obs: list[Path] = typer.Argument(None, help="Observation files (.csv, .parquet, "  # noqa: B008
                                     ".jsonl, .yaml, or validation cases)."),
    base: str = typer.Option("current", "--base", help="The card to start from (the prior)."),
    out: Path | None = typer.Option(None, "-o", "--out",  # noqa: B008
                                    help="Where to write the fitted card."),
    date: str | None = typer.Option(None, "--date", help="Date of the fit (default: today, UTC)."),
    db: str | None = typer.Option(None, "--db", help="Also read a ledger database (SQLite path "
                                  "or URL, e.g. postgresql+psycopg://...)."),
    prior_sd: float = typer.Option(0.25, "--prior-sd", help="Prior sd of the log multiplier."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Report, write nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    lang: str | None = typer.Option(None, "--lang", help="Language of error messages: en or sv."),
) -> None:
    """Fit each stream's rate level and spread to observed payouts, with the base card as prior."""
    from kreator.cardfit.run import Source, fit_run, save_card
    from kreator.core.errors import InputFileError

    if not obs and db is None:
        raise InputFileError("no observation files given.", field="OBS", key="fit_no_obs",
                             fix="give one or more files, e.g. kreator cards fit payouts.csv "
                             "-o fitted.toml")
    if out is None and not dry_run:
        raise InputFileError("no output file given.", field="-o", key="fit_no_out",
                             fix="give -o fitted.toml, or --dry-run to report only.")
    when = date or dt.datetime.now(dt.UTC).date().isoformat()
    run = fit_run(Source(tuple(obs or ()), db), base, when, prior_sd)
    if not dry_run and out is not None:
        save_card(run.toml, out)  # the written card must load like any other
        if db is not None:
            _audit_fit(db, run.base_id, out, run.result.rows)
    if as_json:
        emit_json({"base": run.base_id, "date": when, "written": None if dry_run else str(out),
                   **run.result.to_dict()})
        return
    typer.echo(report_text(run.result.to_dict(), run.base_id, None if dry_run else out))


def _audit_fit(db: str, base: str, out: Path, rows: int) -> None:
    """A fit that read a ledger is logged in that ledger's audit log (docs/accounts.md)."""
    from kreator.ledger import open_ledger
    from kreator.ledger.accounts import audit

    with open_ledger(db) as ledger:
        audit(ledger, "cli", "cards.fit", base=base, out=str(out), observations=rows)


def report_text(data: dict[str, Any], base: str, out: Path | None) -> str:
    """The fit report: per stream the rows, the fit and the held-out scores."""
    from kreator.report.text import table

    rows = []
    for s in data["streams"]:
        f, c, sh, n = s["fit"], s["coverage"], s["sharpness"], s["rows"]
        rows.append([s["stream"], f"{n['paid']}/{n['zero']}/{n['ineligible']}/{n['no_activity']}",
                     f"x{f['multiplier']:.2f} ({f['multiplier_90'][0]:.2f}-"
                     f"{f['multiplier_90'][1]:.2f})" if f else "-",
                     f"{f['sigma_lo']:.2f}/{f['sigma_hi']:.2f}" if f else "-",
                     _pct(c.get("base")), _pct(c.get("fitted")),
                     _x(sh.get("base")), _x(sh.get("fitted"))])
    head = (f"{data['rows']} observations of {data['creators']} creators, base {base}. "
            "Rows paid/zero/ineligible/no activity; coverage and p90/p10 leave creators out."
            + (f" {data['skipped']} left out (unusable validation cases, a stream the base "
               "card lacks, ledger creators with no saved estimate)." if data.get("skipped")
               else ""))
    body = table(["stream", "rows", "multiplier (90%)", "spread lo/hi", "cover base",
                  "cover fitted", "p90/p10 base", "p90/p10 fitted"], rows)
    tail = f"wrote {out}" if out else "dry run: nothing written"
    return f"{head}\n{body}\n{tail}"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def _x(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


@command("diff", group=cards_app)
def diff_cmd(a: str = typer.Argument(..., help="The first card (id or .toml)."),
             b: str = typer.Argument(..., help="The second card (id or .toml)."),
             as_json: bool = typer.Option(False, "--json", help="Print JSON."),
             lang: str | None = typer.Option(None, "--lang",
                                             help="Language of error messages: en or sv.")
             ) -> None:
    """Every figure that differs between two cards, and by how much."""
    from kreator.cli.cards import figure_values
    from kreator.ratecards import load_card
    from kreator.report.text import table

    va, vb = figure_values(load_card(a)), figure_values(load_card(b))
    rows: list[dict[str, Any]] = [
        {"key": k, "a": va.get(k), "b": vb.get(k), "ratio": _ratio(va.get(k), vb.get(k))}
        for k in sorted(set(va) | set(vb)) if va.get(k) != vb.get(k)]
    if as_json:
        emit_json({"a": a, "b": b, "changed": rows})
        return
    if not rows:
        typer.echo("no figure differs")
        return
    typer.echo(table(["figure", a, b, "b/a"], [[r["key"], _show(r["a"]), _show(r["b"]),
                                                 "-" if r["ratio"] is None else f"x{r['ratio']:.3g}"]
                                                for r in rows]))


def _ratio(x: float | None, y: float | None) -> float | None:
    return y / x if x and y is not None else None


def _show(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"
