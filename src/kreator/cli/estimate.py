"""``kreator estimate``: a creator's monthly income, per stream and in total."""


import typer

from kreator.cli.framework import command, emit_json
from kreator.cli.options import ProfileInput, with_profile_options


@command("estimate")
@with_profile_options
def estimate_cmd(
    profile_input: ProfileInput,
    card: str = typer.Option("seed", "--card", help="Rate card id (seed, current) or a .toml file."),
    draws: int = typer.Option(10_000, "--draws", help="Monte Carlo draws for the total's range."),
    seed: int = typer.Option(0, "--seed", min=0, help="Random seed: same seed, same numbers."),
    explain: bool = typer.Option(False, "--explain", help="Show how every stream was computed."),
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
    if as_json:
        emit_json(est.to_dict())
        return
    from kreator.i18n import t
    from kreator.report.estimate import render

    name = t("estimate.demo_name", language) if profile_input.demo else None
    typer.echo(render(est, language, explain=explain, name=name))
