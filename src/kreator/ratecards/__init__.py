"""Built-in rate cards (TOML package data), the loader for user cards, and exchange rates.

Card ids: ``seed`` (the seed article's figures, exact), ``current`` (always the newest base
card, now ``current-2025``) and ``default`` (:data:`DEFAULT_CARD`, the card that validates
best). A path to a ``.toml`` file loads a user's own card.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kreator.core.card import Card, build_card
from kreator.core.codes import closest, suggest
from kreator.core.errors import CardError, CurrencyError
from kreator.core.estimate import FxRate

BUILTIN = {"seed": "seed.toml", "current-2025": "current-2025.toml"}
DEFAULT_CARD = "current-2025"
"""The card that scores best on the public validation cases (coverage, then sharpness:
``python benchmarks/validation.py --rank-cards``, docs/model.md); ``seed`` keeps the seed
article's figures exactly, one flag away."""
ALIASES = {"current": "current-2025", "default": DEFAULT_CARD}
FX_LIMITS = (1e-6, 1e6)
"""The smallest and largest --fx-rate (units per US dollar): real rates lie well inside, and
money outside it cannot be shown."""


def card_ids() -> list[str]:
    """Every id `load_card` accepts without a path."""
    return sorted([*BUILTIN, *ALIASES])


def load_card(ref: str | Path | Card = DEFAULT_CARD) -> Card:
    """A built-in card by id, or a user's card from a TOML file."""
    if isinstance(ref, Card):
        return ref
    text = str(ref)
    key = ALIASES.get(text, text)
    if key in BUILTIN:
        return _builtin(key)
    path = Path(text)
    if not text.strip() or (path.suffix.lower() != ".toml" and not path.exists()):
        raise CardError(f"unknown card '{text}'.{suggest(text, card_ids())}", field="card",
                        fix=f"use one of {', '.join(card_ids())}, or a path to a .toml card.",
                        key="unknown_card", params={"value": text, "close": closest(text, card_ids()),
                                                    "choices": ", ".join(card_ids())})
    return _from_file(path)


@lru_cache(maxsize=8)
def _builtin(key: str) -> Card:
    data = resources.files("kreator.ratecards").joinpath(BUILTIN[key]).read_text("utf-8")
    return build_card(tomllib.loads(data), path=f"kreator/ratecards/{BUILTIN[key]}")


def _from_file(path: Path) -> Card:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CardError(f"cannot read the card ({exc.strerror}).", where=str(path),
                        fix="check the path.", key="card_unreadable",
                        params={"reason": exc.strerror}) from None
    return build_card(parse_toml(raw, str(path)), path=str(path))


def parse_toml(raw: bytes, where: str) -> dict[str, Any]:
    """Decode and parse TOML, naming the file and line on error."""
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CardError("is not UTF-8 text.", where=where, fix="save it as UTF-8.",
                        key="not_utf8") from None
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        detail = "it nests lists or tables too deeply" if isinstance(exc, RecursionError) \
            else str(exc)
        raise CardError(f"is not valid TOML ({detail}).", where=where,
                        fix="fix the syntax at that line.", key="toml_invalid",
                        params={"detail": detail}) from None


@lru_cache(maxsize=1)
def fx_table() -> dict[str, Any]:
    """Exchange rates: units of each currency per US dollar, with source and date."""
    text = resources.files("kreator.ratecards").joinpath("fx.toml").read_text("utf-8")
    return tomllib.loads(text)


def fx_rate(currency: str, base: str = "USD", rate: float | None = None) -> FxRate | None:
    """The conversion from ``base`` to ``currency``; ``rate`` overrides the table."""
    cur = currency.strip().upper()
    if cur == base and rate is None:
        return None
    if rate is not None:
        if not rate > 0 or rate != rate or rate == float("inf"):
            raise CurrencyError(f"--fx-rate must be a positive number (got {rate}).",
                                field="fx_rate", fix="e.g. --fx-rate 10.5",
                                key="fx_rate_invalid", params={"value": rate})
        if not FX_LIMITS[0] <= rate <= FX_LIMITS[1]:
            raise CurrencyError(f"--fx-rate must be from 0.000001 to 1,000,000 (got {rate:g}).",
                                field="fx_rate", fix="give units of the currency per US dollar, "
                                "e.g. --fx-rate 10.5", key="fx_rate_range",
                                params={"value": f"{rate:g}"})
        return FxRate(cur, rate, "given with --fx-rate", "as given")
    table = fx_table()
    rates = table["rates"]
    if base != "USD":
        raise CurrencyError(f"no exchange rates from {base}.", field="currency",
                            fix="give --fx-rate.", key="fx_no_base", params={"base": base})
    if cur not in rates:
        raise CurrencyError(f"no exchange rate for '{currency}'.{suggest(cur, list(rates))}",
                            field="currency",
                            fix=f"use one of {', '.join(sorted(rates))}, or give --fx-rate.",
                            key="unknown_currency",
                            params={"value": currency, "close": closest(cur, list(rates)),
                                    "choices": ", ".join(sorted(rates))})
    row = rates[cur]
    return FxRate(cur, float(row["per_usd"]), row["source"], row["source_date"])
