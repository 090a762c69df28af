"""``kreator cards``: the rate cards and every figure on them, with sources."""

from typing import Any

import typer

from kreator.cli.framework import app, command, emit_json

cards_app = typer.Typer(help="Rate cards: list them, show every figure with its source.",
                        no_args_is_help=True)
app.add_typer(cards_app, name="cards")


@command("list", group=cards_app)
def list_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON."),
             lang: str | None = typer.Option(None, "--lang", help="Language: en or sv.")) -> None:
    """List the built-in rate cards (``current`` names the newest base card)."""
    from kreator.i18n import card_description, card_name, pick_lang, t
    from kreator.ratecards import ALIASES, BUILTIN, load_card
    from kreator.report.text import table

    language = pick_lang(lang)
    rows: list[dict[str, Any]] = []
    for cid in BUILTIN:
        c = load_card(cid)
        aliases = [a for a, target in ALIASES.items() if target == cid]
        rows.append({"id": c.id, "aliases": ", ".join(aliases), "name": c.name, "as_of": c.as_of,
                     "currency": c.currency, "streams": list(c.streams),
                     "description": c.description})
    if as_json:
        emit_json({"cards": rows})
        return
    headers = [t(f"cards.col_{k}", language) for k in ("id", "name", "as_of", "streams")]
    body = [[f"{r['id']} ({r['aliases']})" if r["aliases"] else str(r["id"]),
             card_name(str(r["id"]), str(r["name"]), language),
             str(r["as_of"]), ", ".join(c for c in r["streams"])] for r in rows]
    typer.echo(table(headers, body))
    for r in rows:
        typer.echo(f"\n{r['id']}: {card_description(str(r['id']), str(r['description']), language)}")


@command("show", group=cards_app)
def show_cmd(card: str = typer.Argument(..., help="Card id (seed, current) or a .toml file."),
             as_json: bool = typer.Option(False, "--json", help="Print JSON."),
             lang: str | None = typer.Option(None, "--lang", help="Language: en or sv.")
             ) -> None:
    """Show every figure on a card with its unit, source, date and note."""
    from kreator.i18n import card_description, card_name, pick_lang, t
    from kreator.ratecards import load_card
    from kreator.report.text import table

    language = pick_lang(lang)
    c = load_card(card)
    items = [_item(key, obj) for key, obj in c.figures()]
    fit = fit_provenance(card)
    if as_json:
        emit_json({"card": {"id": c.id, "name": c.name, "as_of": c.as_of, "currency": c.currency,
                            "description": c.description, "fit": fit}, "figures": items})
        return
    typer.echo(t("cards.heading", language, name=card_name(c.id, c.name, language), id=c.id,
                 as_of=c.as_of, currency=c.currency))
    typer.echo(card_description(c.id, c.description, language) + "\n")
    if fit:
        typer.echo(t("cards.provenance", language, source=fit.get("source", "")) + "\n")
    shown = [_item(key, obj, language) for key, obj in c.figures()]
    rows = [[i["key"], i["value"], i["source"] + (f" ({i['source_date']})" if i["source_date"]
                                                  else "")] for i in shown]
    typer.echo(table([t(f"cards.{k}", language) for k in ("figure", "value", "source_date")],
                     rows))


def _item(key: str, obj: Any, lang: str = "en") -> dict[str, Any]:
    """One figure as data (JSON: the card's own English) or, with ``lang``, as a table row
    (Swedish units and decimal commas)."""
    from kreator.core.card import Figure, Rule, Table
    from kreator.i18n import card_unit, figure

    base = {"key": key, "source": obj.source, "source_date": obj.source_date, "note": obj.note}
    if isinstance(obj, Figure):
        def num(v: float | None) -> str:
            return f"{v:g}" if lang == "en" or v is None else figure(v, lang)

        value = num(obj.value) if obj.value is not None else f"{num(obj.low)}-{num(obj.high)}"
        unit = card_unit(obj.unit, lang) if obj.unit else ""
        return {**base, "value": f"{value} {unit}".strip(), "from_seed": obj.from_seed}
    if isinstance(obj, Rule):
        req = f">= {obj.min:g}" if obj.min is not None else "one of " + ", ".join(obj.one_of)
        return {**base, "value": f"{obj.field} {req}", "from_seed": obj.from_seed}
    assert isinstance(obj, Table)
    if obj.points:
        val = "; ".join(f"{x:g}%->{y:g}" for x, y in obj.points)
    else:
        val = ", ".join(f"{k}={v:g}" for k, v in obj.rows.items())
        if obj.default is not None:
            val += f"; default={obj.default:g}"
    return {**base, "value": val, "from_seed": False}


def fit_provenance(ref: str) -> dict[str, Any] | None:
    """A fitted card's ``[card.fit]`` table (None for a card typed in from sources)."""
    from pathlib import Path

    from kreator.ratecards import BUILTIN, card_ids, parse_toml

    if ref in card_ids() or ref in BUILTIN:
        return None
    fit = parse_toml(Path(ref).read_bytes(), ref).get("card", {}).get("fit")
    return dict(fit) if isinstance(fit, dict) else None


def figure_values(card: Any) -> dict[str, float]:
    """Every numeric figure of a card by key (``low``/``high``/``value``/``upper`` suffixes)."""
    from kreator.core.card import Figure

    out: dict[str, float] = {}
    for key, obj in card.figures():
        if isinstance(obj, Figure):
            for name in ("value", "low", "high"):
                if (v := getattr(obj, name, None)) is not None:
                    out[f"{key}.{name}"] = float(v)
    for sid, spec in card.streams.items():
        out[f"streams.{sid}.spread.upper"] = float(spec.spread_upper)
    return out
