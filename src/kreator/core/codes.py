"""Controlled vocabularies: niches and ISO 3166-1 alpha-2 countries, with "did you mean"."""

from __future__ import annotations

import difflib

from kreator.core.errors import ProfileError

NICHES: tuple[str, ...] = (
    "beauty", "fashion", "tech", "fitness", "health", "finance", "business", "gaming", "food",
    "education", "lifestyle", "entertainment", "comedy", "travel", "pets", "parenting", "music",
    "dance", "sports", "art", "automotive", "home", "other",
)

NICHE_ALIASES: dict[str, str] = {
    "technology": "tech", "skincare": "beauty", "makeup": "beauty", "health_wellness": "health",
    "wellness": "health", "money": "finance", "personal_finance": "finance", "cooking": "food",
    "games": "gaming", "diy": "home", "cars": "automotive", "animals": "pets",
}

_ISO = (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR "
    "BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ "
    "EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW "
    "GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY "
    "KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV "
    "MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY "
    "QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG "
    "TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA "
    "ZM ZW"
)
COUNTRIES: frozenset[str] = frozenset(_ISO.split())
COUNTRY_ALIASES: dict[str, str] = {"UK": "GB", "EL": "GR", "USA": "US"}


def closest(value: str, choices: list[str] | tuple[str, ...] | frozenset[str]) -> str:
    """The closest choice, or '' when nothing is close."""
    close = difflib.get_close_matches(value, sorted(choices), n=1, cutoff=0.5)
    return close[0] if close else ""


def suggest(value: str, choices: list[str] | tuple[str, ...] | frozenset[str]) -> str:
    """Return ' Did you mean X?' for the closest choice, or '' when nothing is close."""
    close = closest(value, choices)
    return f" Did you mean '{close}'?" if close else ""


def normalise_niche(value: str, field: str = "niche") -> str:
    """Lower-case, map aliases, and reject unknown niches with a suggestion."""
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    key = NICHE_ALIASES.get(key, key)
    if key not in NICHES:
        raise ProfileError(
            f"unknown niche '{value}'.{suggest(key, NICHES)}",
            field=field, fix=f"use one of: {', '.join(NICHES)}.", key="unknown_niche",
            params={"value": value, "close": closest(key, NICHES), "choices": ", ".join(NICHES)},
        )
    return key


def normalise_country(value: str, field: str = "country") -> str:
    """Upper-case ISO 3166-1 alpha-2 code (UK is accepted for GB); unknown codes are rejected."""
    key = value.strip().upper()
    key = COUNTRY_ALIASES.get(key, key)
    if key not in COUNTRIES:
        raise ProfileError(
            f"unknown country code '{value}'.{suggest(key, COUNTRIES)}",
            field=field, fix="use a two-letter ISO 3166-1 code such as US, GB, SE or DE.",
            key="unknown_country", params={"value": value, "close": closest(key, COUNTRIES)},
        )
    return key
