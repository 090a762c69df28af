"""What the API and the pages both do: pick a card, estimate, compare, read a card's figures.

Only built-in cards are reachable over HTTP: a request never names a file on the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kreator.core.card import Card, Figure, Rule, Table
from kreator.core.errors import CardError, ProfileError
from kreator.core.estimate import Estimate, FxRate, estimate
from kreator.core.profile import PROFILE_FIELDS, Profile, parse_profile
from kreator.web.schemas import CardSummary, FigureOut


def card_ids() -> list[str]:
    from kreator.ratecards import card_ids as ids

    return ids()


def builtin_card(ref: str) -> Card:
    """A built-in card by id or alias; anything else is a CardError naming the choices."""
    from kreator.core.codes import closest, suggest
    from kreator.ratecards import load_card

    ids = card_ids()
    if ref not in ids:
        raise CardError(f"unknown card '{ref[:64]}'.{suggest(ref, ids)}", field="card",
                        fix=f"use one of {', '.join(ids)}.", key="unknown_builtin_card",
                        params={"value": ref[:64], "close": closest(ref, ids),
                                "choices": ", ".join(ids)})
    return load_card(ref)


def currencies() -> list[str]:
    """Currencies the built-in exchange-rate table converts to."""
    from kreator.ratecards import fx_table

    return sorted(fx_table()["rates"])


def run_estimate(profile: Profile, card: str, currency: str = "USD", *,
                 fx_rate: float | None = None, draws: int = 10_000, seed: int = 0) -> Estimate:
    """Estimate on a built-in card, converted to ``currency``."""
    the_card = builtin_card(card)
    fx = fx_for(the_card, currency, fx_rate)
    est = estimate(profile, the_card, draws=draws, seed=seed)
    return est.in_currency(fx) if fx is not None else est


def fx_for(card: Card, currency: str, fx_rate: float | None) -> FxRate | None:
    """The conversion from ``card``'s currency to ``currency`` (None when they are the same)."""
    from kreator.ratecards import fx_rate as get_fx

    return get_fx(currency, card.currency, fx_rate)


def changed_profile(profile: Profile, changes: Mapping[str, Any]) -> Profile:
    """``profile`` with ``changes`` applied and validated (errors name the changed field)."""
    from kreator.web.schemas import prefixed

    unknown = sorted(set(changes) - set(PROFILE_FIELDS))
    if unknown:
        raise ProfileError(f"'{unknown[0][:64]}' is not a profile field.",
                           field=f"changes.{unknown[0][:64]}",
                           fix="change fields of the profile, e.g. videos_30d.",
                           key="not_profile_field", params={"value": unknown[0][:64]})
    data = profile.to_dict(exclude_none=True)
    data.update(changes)
    try:
        return parse_profile(data)
    except ProfileError as exc:
        raise prefixed(exc, "changes") from None


def whatif(base: Estimate, changed: Estimate) -> dict[str, Any]:
    """The difference the change makes: total and per stream (same seed: common draws)."""
    k = base.fx.rate if base.fx else 1.0
    streams = [{"id": s.id, "p50": round((changed.stream(s.id).monthly.p50 - s.monthly.p50) * k, 4),
                "mean": round((changed.stream(s.id).monthly.mean - s.monthly.mean) * k, 4)}
               for s in base.streams]
    return {"monthly_p50": round((changed.monthly.p50 - base.monthly.p50) * k, 4),
            "monthly_mean": round((changed.monthly.mean - base.monthly.mean) * k, 4),
            "streams": streams}


def card_summary(card: Card) -> CardSummary:
    from kreator.ratecards import ALIASES

    aliases = sorted(a for a, target in ALIASES.items() if target == card.id)
    return CardSummary(id=card.id, aliases=aliases, name=card.name, as_of=card.as_of,
                       currency=card.currency, description=card.description,
                       streams=list(card.streams))


def builtin_cards() -> list[Card]:
    from kreator.ratecards import BUILTIN, load_card

    return [load_card(cid) for cid in BUILTIN]


def figure_out(key: str, item: Figure | Table | Rule) -> FigureOut:
    """One sourced item of a card, as data."""
    base: dict[str, Any] = {"key": key, "source": item.source, "source_date": item.source_date,
                            "note": item.note}
    if isinstance(item, Figure):
        return FigureOut(kind="figure", unit=item.unit, value=item.value, low=item.low,
                         high=item.high, from_seed=item.from_seed, **base)
    if isinstance(item, Rule):
        rule = (f"{item.field} >= {item.min:g}" if item.min is not None
                else f"{item.field} one of {', '.join(item.one_of)}")
        return FigureOut(kind="rule", rule=rule, value=item.min, from_seed=item.from_seed, **base)
    rows = dict(item.rows) or {f"{x:g}%": y for x, y in item.points}
    return FigureOut(kind="table", rows=rows, value=item.default, **base)
