"""``kreator project``: followers, views and income months ahead, and when each locked stream
opens (the growth model: docs/advice.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer

from kreator.cli.creator_run import (
    AS_OF,
    CARD,
    CURRENCY,
    DRAWS,
    FX,
    JSON,
    LANG,
    LEVERS,
    SEED,
    setup,
    today,
    write_chart,
)
from kreator.cli.framework import command, emit_json
from kreator.cli.options import PATH, ProfileInput, with_profile_options

HISTORY = typer.Option(None, "--history", **PATH, help="Follower history CSV "
                       "(date,followers) to take the trend from.")
GROWTH_CHART = typer.Option(None, "--chart", **PATH,
                            help="Also write the projection chart (.svg or .png).")
OUT = typer.Option(Path("mediakit.html"), "-o", "--output", "--out", **PATH,
                   help="HTML file to write (the PDF goes beside it); --out is the old spelling.")


def read_history(path: Path) -> list[tuple[dt.date, float]]:
    """A follower history CSV: one ``date,followers`` row per count (a header row is allowed)."""
    import csv

    from kreator.core.errors import InputFileError

    try:
        text = path.read_text("utf-8-sig")
    except OSError as exc:
        raise InputFileError(f"cannot read the history ({exc.strerror}).", where=str(path),
                             fix="give a UTF-8 CSV file of date,followers rows.",
                             key="history_unreadable", params={"reason": exc.strerror}) from None
    except UnicodeDecodeError:
        raise InputFileError("is not UTF-8 text.", where=str(path), fix="save it as UTF-8.",
                             key="not_utf8") from None
    out = []
    for i, row in enumerate(csv.reader(text.splitlines()), start=1):
        if not row or (i == 1 and not row[0][:1].isdigit()):
            continue
        point = _history_point(row)
        if point is None:
            raise InputFileError(f"row {i}: expected YYYY-MM-DD,followers with 0 to "
                                 f"2,000,000,000 followers (got {','.join(row)!r}).",
                                 where=str(path), field="history",
                                 fix="write one date,followers pair a row.", key="history_row",
                                 params={"row": i, "value": repr(",".join(row))})
        out.append(point)
    return out


def _history_point(row: list[str]) -> tuple[dt.date, float] | None:
    """``(day, followers)`` from a history row, or None when it is not one."""
    import math

    from kreator.core.profile import MAX_FOLLOWERS

    try:
        day, followers = dt.date.fromisoformat(row[0].strip()), float(row[1].replace(",", ""))
    except (ValueError, IndexError):
        return None
    return (day, followers) if math.isfinite(followers) and 0 <= followers <= MAX_FOLLOWERS \
        else None


@command("project")
@with_profile_options
def project_cmd(profile_input: ProfileInput, card: str = CARD, seed: int = SEED,
                draws: int = DRAWS, as_json: bool = JSON, lang: str | None = LANG,
                currency: str = CURRENCY, fx_rate: float | None = FX,
                growth: float | None = typer.Option(None, "--growth", help="Followers gained a "
                                                    "month (negative if shrinking)."),
                history: Path | None = HISTORY,
                months: int = typer.Option(12, "--months", help="Months to project (1-60)."),
                paths: int = typer.Option(400, "--paths", min=20, max=20_000,
                                          help="Simulated growth paths."),
                levers: Path | None = LEVERS, as_of: str | None = AS_OF,
                chart: Path | None = GROWTH_CHART) -> None:
    """Followers, views and income month by month, and when each locked stream opens.

    The trend comes from --history, else --growth, else your profile (an import of your
    TikTok export fills it from your follower history).

    Examples:

      kreator project --demo

      kreator project --followers 9500 --views-30d 150000 --growth 600

      kreator project --demo --growth -50 --json
    """
    from kreator.core.growth import Trend, project, trend_from_history
    from kreator.ratecards.levers import load_levers
    from kreator.report.advice import render_projection

    r = setup(profile_input, card, lang, currency, fx_rate)
    trend = None
    if history is not None:
        trend = trend_from_history(read_history(history))
    elif growth is not None:
        trend = Trend(float(growth), None, "--growth", kind="flag")
    proj = project(r.profile, r.card, load_levers(levers).growth, trend=trend,
                   start=today(as_of), months=months, paths=paths, draws=draws, seed=seed)
    source = trend_source(proj.trend, r.lang)
    if chart is not None:
        from kreator.report.charts import growth_chart

        write_chart(growth_chart(proj, r.currency, r.lang, k=r.k), chart)
    if as_json:
        emit_json({"currency": r.currency, "projection": proj.to_dict(r.k)})
        return
    typer.echo(render_projection(proj, r.lang, r.currency, r.k, source=source))


def trend_source(trend: Any, lang: str) -> str:
    """Where the projection's growth came from, in words."""
    from kreator.i18n import number, t

    if trend.kind == "history":
        return str(trend.source)
    if trend.kind == "default":
        return t("growth.source_default", lang, rate=number(trend.per_1k_views, lang, decimals=1),
                 source=trend.source)
    return t("growth.source_flag" if trend.kind == "flag" else "growth.source_profile", lang)
