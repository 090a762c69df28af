"""``kreator advise | whatif | sensitivity``: the five tips as computed gains, what-if and the
tornado (``project`` is in :mod:`kreator.cli.growth`; ``offer``, ``ratesheet`` and ``mediakit``
in :mod:`kreator.cli.pricing`).

Every command takes the same creator as ``kreator estimate`` (flags, ``--profile``, ``--demo``,
``--from``) and ``--card``, ``--seed``, ``--lang``, ``--json``. Heavy libraries load inside.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from kreator.cli.creator_run import (
    ADVICE_CHART,
    AS_OF,
    CARD,
    CURRENCY,
    DRAWS,
    FX,
    JSON,
    LANG,
    LEVERS,
    SEED,
    SET,
    TORNADO_CHART,
    setup,
    today,
    write_chart,
)
from kreator.cli.framework import command, emit_json
from kreator.cli.options import ProfileInput, with_profile_options


@command("advise")
@with_profile_options
def advise_cmd(profile_input: ProfileInput, card: str = CARD, seed: int = SEED, draws: int = DRAWS,
               as_json: bool = JSON, lang: str | None = LANG, currency: str = CURRENCY,
               fx_rate: float | None = FX, levers: Path | None = LEVERS,
               top: int = typer.Option(3, "--top", min=1, help="How many actions to spell out."),
               as_of: str | None = AS_OF,
               chart: Path | None = ADVICE_CHART) -> None:
    """What each of the five tips is worth for you, ranked by the gain a month.

    Each tip becomes one or more levers (a documented change to your profile, with sourced or
    marked assumptions in levers.toml). The estimate is run with and without each lever on the
    same simulated months; levers that cannot apply are skipped with the reason.

    Examples:

      kreator advise --demo

      kreator advise --demo --lang sv --currency SEK

      kreator advise --followers 4000 --views-30d 60000 --niche beauty --json
    """
    from kreator.core.advise import advise
    from kreator.ratecards.levers import load_levers
    from kreator.report.advice import render_advice

    r = setup(profile_input, card, lang, currency, fx_rate)
    rep = advise(r.profile, r.card, load_levers(levers), draws=draws, seed=seed,
                 start=today(as_of))
    if chart is not None:
        from kreator.report.charts import advice_chart

        write_chart(advice_chart(rep, r.currency, r.lang, k=r.k), chart)
    if as_json:
        emit_json({"currency": r.currency, **rep.to_dict(r.k)})
        return
    growth = float(rep.before.profile.get("follower_growth_per_month", 0))
    typer.echo(render_advice(rep, r.lang, r.currency, r.k, name=r.name, growth=growth, top=top))


def parse_settings(items: list[str]) -> dict[str, Any]:
    """``field=value`` pairs from --set; audience takes ``US=0.7,GB=0.2``."""
    from kreator.core.errors import ProfileError
    from kreator.profile_io import parse_audience

    out: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or not name or not value.strip():
            raise ProfileError(f"'{item}' is not field=value.", field="set",
                               fix="write e.g. --set followers=12000.", key="set_not_pair",
                               params={"value": item})
        if name in out:
            raise ProfileError(f"{name} is set twice.", field="set",
                               fix="give each field once, e.g. --set followers=12000.",
                               key="set_twice", params={"name": name})
        out[name] = parse_audience(value) if name == "audience" else value.strip()
    return out


@command("whatif")
@with_profile_options
def whatif_cmd(profile_input: ProfileInput,
               set_: list[str] = SET,
               card: str = CARD, seed: int = SEED, draws: int = DRAWS, as_json: bool = JSON,
               lang: str | None = LANG, currency: str = CURRENCY,
               fx_rate: float | None = FX) -> None:
    """Before and after, per stream: what if some of your numbers changed?

    Examples:

      kreator whatif --demo --set followers=12000 --set lives_per_month=8

      kreator whatif --demo --set views_30d=120000 --set followers=10500 --json
    """
    from kreator.core.errors import ProfileError
    from kreator.core.sensitivity import apply_settings, compare
    from kreator.i18n import t
    from kreator.report.advice import render_whatif

    r = setup(profile_input, card, lang, currency, fx_rate)
    if not set_:
        raise ProfileError(t("whatif.no_changes", r.lang), field="set",
                           fix="e.g. --set followers=12000.")
    settings = parse_settings(set_)
    after = apply_settings(r.profile, settings)
    c = compare(r.profile, after, r.card, draws=draws, seed=seed)
    if as_json:
        emit_json({"currency": r.currency, "set": settings,
                   "before": _streams_json(c.before, r.k), "after": _streams_json(c.after, r.k),
                   "gain": c.gain.to_dict(r.k), "unlocks": c.unlocks})
        return
    typer.echo(render_whatif(c, settings, r.lang, r.currency, r.k))


def _streams_json(est: Any, k: float) -> dict[str, Any]:
    return {"streams": [{"id": s.id, "eligible": s.eligible,
                         "monthly": s.monthly.scaled(k).to_dict()} for s in est.streams],
            "total": {"monthly": est.monthly.scaled(k).to_dict()}}


@command("sensitivity")
@with_profile_options
def sensitivity_cmd(profile_input: ProfileInput, card: str = CARD, seed: int = SEED,
                    draws: int = DRAWS, as_json: bool = JSON, lang: str | None = LANG,
                    currency: str = CURRENCY, fx_rate: float | None = FX,
                    step: float = typer.Option(0.2, "--step", help="How far each input moves "
                                               "down and up (0.2 = ±20%)."),
                    chart: Path | None = TORNADO_CHART) -> None:
    """Which input moves your income most: a tornado table (and chart).

    Examples:

      kreator sensitivity --demo

      kreator sensitivity --demo --step 0.5 --chart tornado.png
    """
    from kreator.core.sensitivity import tornado
    from kreator.report.advice import render_tornado

    r = setup(profile_input, card, lang, currency, fx_rate)
    tor = tornado(r.profile, r.card, step=step, draws=draws, seed=seed)
    if chart is not None:
        from kreator.report.charts import tornado_chart

        write_chart(tornado_chart(tor, r.currency, r.lang, k=r.k), chart)
    if as_json:
        emit_json({"currency": r.currency, "sensitivity": tor.to_dict(r.k)})
        return
    typer.echo(render_tornado(tor, r.lang, r.currency, r.k))


