"""``kreator estimate``: a creator's monthly income, per stream and in total."""


from typing import Any

import typer

from kreator.cli.framework import command, emit_json
from kreator.cli.options import CARD_HELP, ProfileInput, with_profile_options


@command("estimate")
@with_profile_options
def estimate_cmd(
    profile_input: ProfileInput,
    card: str = typer.Option("default", "--card", help=CARD_HELP),
    draws: int = typer.Option(10_000, "--draws", help="Monte Carlo draws for the total's range."),
    seed: int = typer.Option(0, "--seed", min=0, help="Random seed: same seed, same numbers."),
    explain: bool = typer.Option(False, "--explain", help="Show how every stream was computed."),
    seed_ranges: bool = typer.Option(False, "--seed-ranges", help="Show the seed article's own "
                                     "per-unit range next to the card's (also in --json)."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON contract (DESIGN.md)."),
    lang: str | None = typer.Option(None, "--lang", help="Language: en or sv."),
    currency: str = typer.Option("USD", "--currency", help="Show amounts in this currency."),
    fx_rate: float | None = typer.Option(None, "--fx-rate",
                                            help="Units of --currency per USD (overrides the table)."),
    creator: str | None = typer.Option(None, "--creator", help="Use this creator's calibration "
                                       "from the ledger (kreator ledger calibrate)."),
    db: str | None = typer.Option(None, "--db", help="Ledger for --creator (default: "
                                  "$KREATOR_DB, else the default ledger)."),
) -> None:
    """Estimate monthly income from every stream, with p10-p90 ranges.

    Examples:

      kreator estimate --demo

      kreator estimate --followers 4000 --views-30d 40000 --niche beauty --audience US=0.7,GB=0.2

      kreator estimate --profile me.toml --card current --explain --lang sv --currency SEK

      kreator estimate --profile me.toml --creator maja   (with maja's ledger calibration)
    """
    from kreator.core.estimate import estimate
    from kreator.i18n import pick_lang
    from kreator.ratecards import fx_rate as get_fx
    from kreator.ratecards import load_card

    language = pick_lang(lang)
    the_card = load_card(card)
    profile = profile_input.resolve()
    calibration = None
    if creator is not None:
        from kreator.ledger import calibration_for

        calibration = calibration_for(db, creator)
    est = estimate(profile, the_card, draws=draws, seed=seed, calibration=calibration)
    fx = get_fx(currency, the_card.currency, fx_rate)
    if fx is not None:
        est = est.in_currency(fx)
    from kreator.report.estimate import seed_ranges as seed_of

    seed_map = seed_of(the_card.id) if seed_ranges else None
    if as_json:
        emit_json(with_seed_ranges(est.to_dict(), seed_map, fx.rate if fx else 1.0))
        return
    from kreator.i18n import t
    from kreator.report.estimate import render

    name = t("estimate.demo_name", language) if profile_input.demo else None
    typer.echo(render(est, language, explain=explain, name=name, seed=seed_map))


def with_seed_ranges(data: dict[str, Any], seed: dict[str, tuple[float, float]] | None,
                     k: float) -> dict[str, Any]:
    """``per_unit.seed_range`` ({low, high} in the shown currency, or null) on every stream."""
    if seed is None:
        return data
    for s in data["streams"]:
        rng = seed.get(s["id"])
        money = s["per_unit"].get("money", True)
        s["per_unit"]["seed_range"] = None if rng is None else {
            "low": round(rng[0] * (k if money else 1.0), 6),
            "high": round(rng[1] * (k if money else 1.0), 6), "source": "seed article"}
    return data
