"""``kreator import``: read a creator's own TikTok data and build the profile from it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kreator.cli.framework import command, emit_json
from kreator.cli.options import PATH, file_path

if TYPE_CHECKING:
    from kreator.importers import ImportBatch, Metric

SHOWN_EVENTS = 20


@command("import")
def import_cmd(
    paths: list[Path] = typer.Argument(..., metavar="PATH...", parser=file_path,  # noqa: B008
                                       help="Files, zips or folders: TikTok Studio "
                                       "downloads, the personal data export, saved API "
                                       "responses, Shop order exports, Kreator profiles."),
    window: int = typer.Option(30, "--window", help="Days the profile describes (counts are "
                               "normalised to 30 days)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Last day of the window, "
                                        "YYYY-MM-DD (default: the latest day with data)."),
    output: Path | None = typer.Option(None, "--output", "-o", **PATH,  # noqa: B008
                                       help="Write the profile to this file (.toml, .json "
                                       "or .yaml)."),
    card: str = typer.Option("default", "--card", help="Rate card that values LIVE diamonds."),
    strict: bool = typer.Option(False, "--strict", help="Fail on the first rejected row "
                                "instead of importing the rest."),
    events: bool = typer.Option(False, "--events", help="List every income event."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    lang: str | None = typer.Option(None, "--lang", help="Language: en or sv."),
) -> None:
    """Import your own TikTok data and derive your profile from it.

    Give the zips TikTok Studio downloads (Overview, Viewers, Followers,
    Content), the "Download your data" JSON export, saved Display or
    Business API responses, or TikTok Shop affiliate orders: files, zips
    or whole folders. Kreator says what each file is and what it ignored,
    and shows every profile value next to the file and column it came from.

    Examples:

      kreator import ~/Downloads/Overview_*.zip ~/Downloads/Followers_*.zip

      kreator import exports/ --output me.toml

      kreator import exports/ --as-of 2026-05-18 --window 30 --json

      kreator estimate --from exports/          # import and estimate in one step
    """
    from kreator.cli.options import parse_as_of
    from kreator.i18n import pick_lang
    from kreator.importers import extract_paths

    language = pick_lang(lang)
    day = None if as_of is None else parse_as_of(as_of)
    batch = extract_paths(paths, window_days=window, as_of=day, card=card, strict=strict)
    if output is not None:
        write_profile(batch, output)
    if as_json:
        data = batch.to_dict()
        data["output"] = None if output is None else str(output)
        emit_json(data)
        return
    typer.echo(render(batch, language, show_events=events, output=output))


def write_profile(batch: ImportBatch, path: Path) -> None:
    """Write the imported values (only those) after validating them; atomic replace."""
    import json

    from kreator.atomic import write_text

    batch.check()
    values = batch.profile_values()
    suffix = path.suffix.lower()
    if suffix == ".json":
        text = json.dumps(values, indent=2, ensure_ascii=False) + "\n"
    elif suffix in (".yaml", ".yml"):
        import yaml

        text = yaml.safe_dump(values, allow_unicode=True, sort_keys=False)
    else:
        from kreator.profile_io import to_toml

        text = (f"# Imported by kreator import: {batch.window.start} to {batch.window.end}, "
                f"{len(batch.files)} files.\n" + to_toml(values))
    write_text(path, text, field="output")


def short(provenance: str, limit: int = 2) -> str:
    """``a/b/Overview.csv:Video Views + ...`` -> ``Overview.csv:Video Views (+2 more)``."""
    parts = provenance.split(" + ")
    names = []
    for part in parts[:limit]:
        file, sep, col = part.rpartition(":")
        names.append(f"{file.rsplit('/', 1)[-1]}{sep}{col}" if sep else part)
    more = f" (+{len(parts) - limit} more)" if len(parts) > limit else ""
    return " + ".join(names) + more


def _value(value: Any, lang: str) -> str:
    from babel.numbers import format_decimal

    from kreator.i18n import LOCALES, percent

    if isinstance(value, dict):
        return ", ".join(f"{k} {percent(v, lang)}" if isinstance(v, float) else f"{k} {v}"
                         for k, v in value.items())
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return str(format_decimal(value, format="#,##0.####", locale=LOCALES[lang]))


def render(batch: ImportBatch, lang: str, *, show_events: bool = False,
           output: Path | None = None) -> str:
    from kreator.i18n import phrase, t
    from kreator.report.text import table

    out = [t("import.summary", lang, files=len(batch.files), rows_in=batch.rows_in,
             rows_ok=batch.rows_ok, rows_rejected=batch.rows_rejected), ""]
    rows = [[f.file, f.title, f"{f.rows_in} = {f.rows_ok} + {f.rows_rejected}"]
            for f in batch.files]
    out.append(table([t(f"import.col_{k}", lang) for k in ("file", "what", "rows")], rows))
    if batch.ignored:
        out += ["", t("import.ignored", lang)] + [f"  {n}: {phrase(r, lang)}"
                                                   for n, r in batch.ignored]
    w = batch.window
    out += ["", t("import.profile_title", lang, start=w.start.isoformat(), end=w.end.isoformat(),
                  days=w.days, basis=t(f"import.basis_{_basis(w.basis)}", lang))]
    out.append(_metric_table(batch.metrics, lang))
    if batch.info:
        out += ["", t("import.derived", lang), _metric_table(batch.info, lang)]
    out += ["", _events(batch, lang, show_events)]
    out += _problems(batch, lang)
    out += ["", _next(batch, lang, output)]
    return "\n".join(out)


def _basis(text: str) -> str:
    if text == "--as-of":
        return "as_of"
    if text.startswith("the files hold no dated data:"):
        return "saved"
    return "today" if text.startswith("today") else "latest"


def _metric_table(metrics: dict[str, Metric], lang: str) -> str:
    """Field, value, source; how it was derived on the line below."""
    from kreator.i18n import t
    from kreator.report.text import table

    rows: list[list[str]] = []
    for key, m in metrics.items():
        rows.append([key, _value(m.value, lang), short(m.provenance)])
        if m.note:
            rows.append(["", "", f"  {m.note}"])
    return table([t(f"import.col_{k}", lang) for k in ("field", "value", "from")], rows)


def _events(batch: ImportBatch, lang: str, show: bool) -> str:
    from collections import defaultdict
    from decimal import Decimal

    from kreator.i18n import t

    if not batch.events:
        return t("import.no_events", lang)
    sums: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for e in batch.events:
        sums[(e.stream, e.currency)].append(e.amount)
    summary = "; ".join(f"{len(v)} {t(f'stream.{s}', lang)} ({sum(v, Decimal(0))} {c})"
                        for (s, c), v in sums.items())
    lines = [t("import.events", lang, summary=summary)]
    if show:
        lines += [f"  {e.date}  {e.stream:<12} {e.amount:>10} {e.currency}  {e.natural_key}"
                  for e in batch.events]
    elif len(batch.events) <= SHOWN_EVENTS:
        lines.append(t("import.events_hint", lang))
    return "\n".join(lines)


def _problems(batch: ImportBatch, lang: str) -> list[str]:
    from kreator.i18n import phrase, t

    out: list[str] = []
    rejects = batch.rejects
    if rejects:
        out += ["", t("import.rejected", lang, count=len(rejects))]
        out += [f"  {phrase(r.phrase(), lang)}" for r in rejects]
    notes = batch.notes + [f"{f.file}: {n}" for f in batch.files for n in f.notes]
    if notes:
        out += ["", t("import.notes", lang)] + [f"  {n}" for n in notes]
    return out


def _next(batch: ImportBatch, lang: str, output: Path | None) -> str:
    from kreator.i18n import t

    missing = batch.missing()
    lines = [t("import.missing", lang, fields=", ".join(missing))] if missing else []
    if output is not None:
        lines.append(t("import.written", lang, path=str(output)))
        lines.append(t("import.next_profile", lang, path=str(output)))
    elif not missing:
        lines.append(t("import.next_from", lang))
    return "\n".join(lines)
