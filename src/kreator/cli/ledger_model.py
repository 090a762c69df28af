"""``kreator ledger estimate|compare|calibrate``: the ledger against the model (save an
estimate, compare months with it, learn a creator's own multipliers). Shares options and
helpers with :mod:`kreator.cli.ledger`."""

from __future__ import annotations

import typer

from kreator.cli.framework import command, emit_json
from kreator.cli.ledger import (
    CREATOR,
    DB,
    ESTIMATE,
    FROM_MONTH,
    JSON,
    LANG,
    TO_MONTH,
    _day,
    _lang_of,
    _open,
    audit,
    ledger_app,
)
from kreator.cli.options import CARD_HELP, ProfileInput, with_profile_options


@command("estimate", group=ledger_app)
@with_profile_options
def estimate_cmd(
    profile_input: ProfileInput,
    creator: str | None = CREATOR,
    card: str = typer.Option("default", "--card", help=CARD_HELP),
    draws: int = typer.Option(10_000, "--draws", help="Monte Carlo draws."),
    seed: int = typer.Option(0, "--seed", min=0, help="Random seed."),
    as_of: str | None = typer.Option(None, "--as-of", help="The estimate's date (default today)."),
    label: str = typer.Option("", "--label", help="A name for this estimate."),
    calibrated: bool = typer.Option(True, "--calibrated/--uncalibrated",
                                    help="Use the creator's calibration (default) or not."),
    db: str | None = DB, as_json: bool = JSON, lang: str | None = LANG,
) -> None:
    """Save an estimate for the creator, to compare with the income that comes later.

    With no profile flags, the creator's latest profile snapshot (from an import) is used.

    Examples:

      kreator ledger estimate --creator maja --profile maja.toml --card current

      kreator ledger estimate --creator demo --demo --label "before LIVE"
    """
    from kreator.ledger.snapshots import save_estimate

    given = (profile_input.demo or profile_input.profile_file or profile_input.from_paths
             or any(v is not None for v in profile_input.flags.values()))
    profile = profile_input.resolve() if given else None
    with _open(db) as ledger:
        snap_id, est = save_estimate(ledger, creator, profile, card=card, draws=draws,
                                     seed=seed, as_of=_day(as_of, "as_of"), label=label,
                                     calibrated=calibrated)
        audit(ledger, "ledger.estimate", creator=creator, estimate=snap_id, card=card)
    if as_json:
        emit_json({"id": snap_id, "estimate": est})
        return
    from kreator.ledger.render import estimate_saved

    typer.echo(estimate_saved(snap_id, est, _lang_of(lang)))


@command("compare", group=ledger_app)
def compare_cmd(
    creator: str | None = CREATOR,
    estimate: int | None = ESTIMATE,
    since: str | None = FROM_MONTH, until: str | None = TO_MONTH,
    db: str | None = DB, as_json: bool = JSON, lang: str | None = LANG,
) -> None:
    """Actual income against the estimate's p10-p90, per stream and month: below/within/above.

    Example:  kreator ledger compare --creator maja --from 2026-01
    """
    from kreator.ledger.compare import compare
    from kreator.ledger.render import compare_text

    with _open(db) as ledger:
        result = compare(ledger, creator, estimate_id=estimate, since=_day(since, "from"),
                         until=_day(until, "to", end=True))
    if as_json:
        emit_json(result.to_dict())
        return
    typer.echo(compare_text(result, _lang_of(lang)))


@command("calibrate", group=ledger_app)
def calibrate_cmd(
    creator: str | None = CREATOR,
    estimate: int | None = ESTIMATE,
    since: str | None = FROM_MONTH, until: str | None = TO_MONTH,
    prior_sd: float = typer.Option(0.5, "--prior-sd", help="How far (log-sd) a creator may "
                                   "differ from the model before evidence; larger learns faster."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show, do not save."),
    db: str | None = DB, as_json: bool = JSON, lang: str | None = LANG,
) -> None:
    """Learn the creator's per-stream multipliers from actual income (credibility shrinkage).

    Shows each stream's multiplier and expected monthly income before and after. Later
    estimates for the creator (kreator estimate --creator NAME) use the saved multipliers.
    The rule is in docs/ledger.md.

    Example:  kreator ledger calibrate --creator maja --dry-run
    """
    from kreator.ledger.calibrate import calibrate
    from kreator.ledger.render import calibrate_text

    with _open(db) as ledger:
        result = calibrate(ledger, creator, estimate_id=estimate, since=_day(since, "from"),
                           until=_day(until, "to", end=True), prior_sd=prior_sd,
                           save=not dry_run)
        if not dry_run:
            audit(ledger, "ledger.calibrate", creator=creator, estimate=estimate)
    if as_json:
        emit_json(result.to_dict())
        return
    typer.echo(calibrate_text(result, _lang_of(lang)))
