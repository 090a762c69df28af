"""Messages in English and Swedish, and locale-aware numbers, money and dates (Babel).

Catalogs are TOML files beside this module (``en.toml``, ``sv.toml``) with the same keys;
``tests/test_i18n.py`` checks that every key exists in both and that placeholders match.
Babel is imported only when something is formatted.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

LANGS = ("en", "sv")
LOCALES = {"en": "en_US", "sv": "sv_SE"}


def pick_lang(value: str | None = None) -> str:
    """--lang, else KREATOR_LANG, else LANG (sv_* -> sv), else English."""
    for cand in (value, os.environ.get("KREATOR_LANG"), os.environ.get("LANG")):
        if cand:
            code = cand.split("_")[0].split(".")[0].lower()
            if code in LANGS:
                return code
            if cand is value:
                from kreator.core.errors import ProfileError

                raise ProfileError(f"unknown language '{value}'.", field="lang",
                                   key="unknown_language", params={"value": value},
                                   fix="use --lang en or --lang sv.")
    return "en"


@lru_cache(maxsize=4)
def catalog(lang: str) -> dict[str, str]:
    text = resources.files("kreator.i18n").joinpath(f"{lang}.toml").read_text("utf-8")
    flat: dict[str, str] = {}
    _flatten(tomllib.loads(text), "", flat)
    return flat


def _flatten(data: dict[str, Any], prefix: str, out: dict[str, str]) -> None:
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            _flatten(v, key + ".", out)
        else:
            out[key] = str(v)


def t(key: str, lang: str = "en", **values: Any) -> str:
    """The message ``key`` in ``lang`` (falling back to English), with values filled in."""
    text = catalog(lang).get(key) or catalog("en").get(key) or key
    return text.format(**values) if values else text


def card_name(card_id: str, name: str, lang: str) -> str:
    """A built-in card's name in ``lang`` (``cardname.<id>``); a user's card keeps its own."""
    return catalog(lang).get(f"cardname.{card_id}", name)


def card_description(card_id: str, description: str, lang: str) -> str:
    """A built-in card's description in ``lang`` (``carddesc.<id>``); English, and a user's
    card, keep the card file's own text."""
    return description if lang == "en" else catalog(lang).get(f"carddesc.{card_id}", description)


def card_unit(unit: str, lang: str) -> str:
    """A card figure's unit in ``lang`` (``cardunit.<English unit>``), else as the card says."""
    return unit if lang == "en" else catalog(lang).get(f"cardunit.{unit}", unit)


def error_translator(lang: str, *, web: bool = False) -> Any:
    """A translator for :meth:`KreatorError.render`: ``error.<key>`` from the catalog, with a
    "did you mean" filled in from the ``close`` parameter, a :class:`~kreator.core.errors.Phrase`
    parameter translated too and ``{n:,}`` grouped the language's way; None when the key is
    missing (or a parameter it names is).

    ``web``: for a browser, ``error.web.<key>`` first, the wording without command-line
    options (``give --creator`` becomes "choose the creator"); in English only those, every
    other message staying exactly as raised."""
    from kreator.core.errors import localize

    cat = catalog(lang)

    def lookup(key: str) -> str | None:
        found = cat.get(f"error.web.{key}") if web else None
        if found is None and (lang != "en" or not web):
            found = cat.get(f"error.{key}")
        return found

    def translate(key: str, params: Any) -> str | None:
        text = lookup(key)
        if text is None:
            return None
        values = {k: _in_lang(localize(v, translate), lang) for k, v in dict(params).items()}
        close = values.get("close")
        values["hint"] = (" " + cat["error.did_you_mean"].format(close=close)) if close else ""
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return None

    return translate


def phrase(text: str, lang: str) -> str:
    """A :class:`~kreator.core.errors.Phrase` (a rejected row, a reason) in ``lang``; any
    other text, and any text in English, exactly as it is."""
    from kreator.core.errors import localize

    return str(text) if lang == "en" else str(localize(text, error_translator(lang)))


class _Grouped:
    """A number in a message whose ``{n:,}`` (or ``{n:,.0f}``) groups digits as ``lang`` does."""

    def __init__(self, value: float, lang: str) -> None:
        self.value, self.lang = value, lang

    def __format__(self, spec: str) -> str:
        if spec in (",", ",d") or (spec.startswith(",.") and spec.endswith("f")):
            decimals = int(spec[2:-1]) if spec.startswith(",.") else 0
            return number(self.value, self.lang, decimals=decimals)
        return format(self.value, spec)

    def __str__(self) -> str:
        return str(self.value)


def _in_lang(value: Any, lang: str) -> Any:
    if lang != "en" and isinstance(value, int | float) and not isinstance(value, bool):
        return _Grouped(value, lang)
    return value


def money(amount: float, currency: str, lang: str = "en", *, decimals: int = 0) -> str:
    """Money in the locale's own pattern ("$1,234" / "1 234 US$"), rounded to ``decimals``."""
    from babel import Locale
    from babel.numbers import format_currency

    pattern = Locale.parse(LOCALES[lang]).currency_formats["standard"].pattern
    pattern = pattern.split(";")[0].replace(".00", "." + "0" * decimals if decimals else "")
    return str(format_currency(round(amount, decimals), currency, format=pattern,
                               locale=LOCALES[lang], currency_digits=False))


def number(value: float, lang: str = "en", *, decimals: int = 0) -> str:
    from babel.numbers import format_decimal

    pattern = "#,##0" if decimals == 0 else "#,##0." + "0" * decimals
    return str(format_decimal(value, format=pattern, locale=LOCALES[lang]))


def figure(value: float, lang: str = "en") -> str:
    """A card figure as the card gives it (six significant digits, no trailing zeros), with
    the language's separators: 0.035 / 0,035; 12,000 / 12 000."""
    from babel.numbers import format_decimal

    return str(format_decimal(float(f"{value:.6g}"), format="#,##0.######",
                              locale=LOCALES[lang]))


def months(n: float, lang: str = "en") -> str:
    """A number of months in ``lang``: "35 månader", "2,5 månader", "1 month" (Babel's digits;
    one decimal only where there is one)."""
    shown = number(n, lang, decimals=0 if float(n).is_integer() else 1)
    return t("opens.month_one", lang) if shown == "1" else t("opens.month_many", lang, n=shown)


def percent(value: float, lang: str = "en", *, decimals: int = 1) -> str:
    """``value`` is a fraction: 0.061 -> 6.1 %."""
    from babel.numbers import format_percent

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return str(format_percent(value, format=pattern, locale=LOCALES[lang]))


def date(value: Any, lang: str = "en") -> str:
    from babel.dates import format_date

    return str(format_date(value, format="medium", locale=LOCALES[lang]))
