"""What every creator command shares (``advise``, ``whatif``, ``sensitivity``, ``project``,
``offer``, ``ratesheet``, ``mediakit``): its options, and the language, card, creator and
currency it resolves first. Heavy libraries load inside."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kreator.cli.options import CARD_HELP, PATH, ProfileInput

if TYPE_CHECKING:
    from kreator.core.card import Card
    from kreator.core.profile import Profile

CARD = typer.Option("default", "--card", help=CARD_HELP)
SEED = typer.Option(0, "--seed", min=0, help="Random seed: same seed, same numbers.")
DRAWS = typer.Option(10_000, "--draws", help="Monte Carlo draws (simulated months).")
JSON = typer.Option(False, "--json", help="Print JSON for scripts.")
LANG = typer.Option(None, "--lang", help="Language: en or sv.")
CURRENCY = typer.Option("USD", "--currency", help="Show amounts in this currency.")
FX = typer.Option(None, "--fx-rate", help="Units of --currency per USD (overrides the table).")
LEVERS = typer.Option(None, "--levers", **PATH,
                      help="Your own levers file (format: docs/advice.md).")
AS_OF = typer.Option(None, "--as-of", help="Today's date for projected dates (YYYY-MM-DD).")
ADVICE_CHART = typer.Option(None, "--chart", **PATH,
                            help="Also write the gains chart (.svg or .png).")
TORNADO_CHART = typer.Option(None, "--chart", **PATH,
                             help="Also write the tornado chart (.svg or .png).")
SET = typer.Option([], "--set", help="field=value (repeatable).")


@dataclass
class Run:
    """What every command resolves first: language, card, creator, currency."""

    lang: str
    card: Card
    profile: Profile
    currency: str
    k: float
    name: str


def setup(pi: ProfileInput, card: str, lang: str | None, currency: str = "USD",
          fx_rate: float | None = None) -> Run:
    from kreator.i18n import pick_lang, t
    from kreator.ratecards import fx_rate as get_fx
    from kreator.ratecards import load_card

    language = pick_lang(lang)
    the_card = load_card(card)
    profile = pi.resolve()
    fx = get_fx(currency, the_card.currency, fx_rate)
    name = (t("estimate.demo_name", language) if pi.demo else None) or profile.display_name \
        or t("estimate.you", language)
    return Run(language, the_card, profile, fx.currency if fx else the_card.currency,
               fx.rate if fx else 1.0, name)


def today(as_of: str | None) -> dt.date:
    """--as-of as a date (between the days an import accepts), else today."""
    if as_of is None:
        return dt.date.today()
    from kreator.cli.options import parse_as_of
    from kreator.importers.limits import check_as_of

    day = parse_as_of(as_of)
    check_as_of(day)
    return day


def write_chart(chart: Any, path: Path) -> None:
    """Write a Chart as SVG or PNG, chosen by the file's suffix."""
    from kreator.core.errors import InputFileError

    suffix = path.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise InputFileError(f"cannot tell the chart format from '{path.name}'.", field="chart",
                             fix="end the file name in .svg or .png.", key="chart_suffix",
                             params={"name": path.name})
    from kreator.atomic import write_bytes

    write_bytes(path, chart.svg.encode("utf-8") if suffix == ".svg" else chart.png, field="chart")
