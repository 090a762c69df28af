"""The profile form: its fields in groups, and form text -> a validated Profile.

The form travels in the query string (GET), so every result page is a link that can be
bookmarked or shared, and the advice, growth and ledger pages see the same creator.
Numbers may be typed the way people type them (:mod:`kreator.web.numbers`): ``4 000``,
``4,000`` (English), ``0,5`` (Swedish), ``45%`` for a rate; what could be two numbers
(``4.000``) is asked about. Numbers are read in the language they were typed in (the form's
``numlang``), so switching the page's language does not re-read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kreator.core.errors import KreatorError
from kreator.core.profile import PROFILE_FIELDS, Profile, parse_profile

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("basics", ("display_name", "followers", "views_30d", "videos_30d", "niche", "audience",
                "country", "age")),
    ("engagement", ("likes_30d", "comments_30d", "shares_30d", "quality", "completion_rate",
                    "avg_watch_seconds", "avg_video_seconds", "follower_growth_per_month")),
    ("live", ("lives_per_month", "live_avg_minutes", "live_avg_viewers", "live_subscribers")),
    ("sales", ("sponsored_posts_per_month", "affiliate_sales_per_month",
               "affiliate_avg_commission", "shop_gmv_per_month", "shop_commission_rate")),
)
FIELDS: tuple[str, ...] = tuple(f for _, names in GROUPS for f in names)
TEXT_FIELDS = frozenset({"display_name", "niche", "country", "audience"})
RATE_FIELDS = frozenset({"completion_rate", "shop_commission_rate"})
INT_FIELDS = frozenset(n for n, f in PROFILE_FIELDS.items() if f.whole)
EXTRA_PARAMS = ("card", "numlang")
MAX_TEXT = 1_000


def form_values(params: Mapping[str, str]) -> dict[str, str]:
    """The profile fields (and card) present and non-empty in ``params``, as typed."""
    out = {}
    for name in (*FIELDS, *EXTRA_PARAMS):
        value = params.get(name)
        if value is not None and value.strip():
            out[name] = value.strip()[:MAX_TEXT]
    return out


def has_profile(values: Mapping[str, str]) -> bool:
    return "followers" in values or "views_30d" in values


def chart_profile(values: Mapping[str, str], lang: str) -> Profile:
    """The creator a chart draws: the one in the address, which a chart cannot do without."""
    from kreator.core.errors import ProfileError

    if not has_profile(values):
        raise ProfileError("no creator in the address.", field="followers",
                           fix="open the chart from the estimate page.",
                           key="web_chart_no_creator")
    return parse_form(values, lang)


def starting_values(params: Mapping[str, str]) -> dict[str, str]:
    """The form's values: what the address carries, and the demo creator only when asked for
    (``?demo=1``): a creator who types their own numbers never gets the demo's deals."""
    values = form_values(params)
    if params.get("demo") and not has_profile(values):
        values = {**demo_values(), **values}
    return values


def as_text(name: str, value: Any) -> str:
    """A profile value as the form shows it (audience as ``US=71.2%, CA=6.4%``)."""
    if name == "audience" and isinstance(value, dict):
        return ", ".join(f"{k}={round(v * 100, 1):g}%" for k, v in value.items())
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.6g}"
    return str(value)


def as_values(data: Mapping[str, Any]) -> dict[str, str]:
    """Profile values -> form text, for the fields the form has."""
    return {k: as_text(k, v) for k, v in data.items() if k in FIELDS and v is not None}


def demo_values() -> dict[str, str]:
    """The demo creator as form text."""
    from kreator.core.demo import DEMO

    return as_values(DEMO.to_dict(exclude_none=True))


def to_number(text: str, name: str, lang: str) -> Any:
    """Form text -> a number as typed by a person, or the text unchanged (the profile
    validator then names the field and says what it expected). Text that could be two
    numbers is a ProfileError naming both."""
    from kreator.core.errors import ProfileError
    from kreator.web.numbers import AmbiguousNumber, format_number, parse_number

    s, factor = text.strip(), 1.0
    if s.endswith("%") and name in RATE_FIELDS:
        s, factor = s[:-1], 0.01
    try:
        value = parse_number(s, lang) * factor
    except AmbiguousNumber as amb:
        big, small = (format_number(v, lang, 3) for v in amb.readings)
        plain = f"{amb.readings[0]:.0f}"
        raise ProfileError(f"'{text}' could be {big} or {small}.", field=name,
                           fix=f"type {plain} or {small} (no thousands separators).",
                           key="number_ambiguous",
                           params={"text": text, "big": big, "small": small,
                                   "plain": plain}) from None
    except ValueError:
        return text
    if name in INT_FIELDS and value.is_integer():
        return int(value)
    return value


def parse_form(values: Mapping[str, str], lang: str = "en") -> Profile:
    """Form text -> a Profile; a bad value is a ProfileError naming the field (the first one;
    :func:`check_form` finds them all)."""
    profile, errors = check_form(values, lang)
    if profile is None:
        raise errors[0]
    return profile


def check_form(values: Mapping[str, str], lang: str = "en"
               ) -> tuple[Profile | None, list[KreatorError]]:
    """Form text -> a Profile, or every invalid field at once (in form order): each field is
    read on its own, then the profile is validated again without each field found wrong, so
    one mistake never hides the next."""
    lang = values.get("numlang", lang) if values.get("numlang") in ("en", "sv") else lang
    data: dict[str, Any] = {}
    errors: list[KreatorError] = []
    for name in FIELDS:
        if name in values:
            try:
                data[name] = _read(name, values[name], lang)
            except KreatorError as exc:
                errors.append(exc)
    for _ in range(len(FIELDS) + 1):
        try:
            profile = parse_profile(data)
        except KreatorError as exc:
            errors.append(exc)
            if not _set_aside(data, (exc.field or "").split(".")[0]):
                break
            continue
        return (profile, []) if not errors else (None, _in_form_order(errors))
    return None, _in_form_order(errors)


def _set_aside(data: dict[str, Any], field: str) -> bool:
    """Drop a field found wrong, or stand in for a missing required one, so that validating
    again finds the next problem; False when neither is possible."""
    if field in data and data[field] is not PROBE.get(field):
        del data[field]
        return True
    if field in PROBE and field not in data:
        data[field] = PROBE[field]
        return True
    return False


PROBE: dict[str, Any] = {"followers": 1, "views_30d": 1}
"""Stand-ins for a required field that is missing, so the other fields are still checked."""


def _read(name: str, text: str, lang: str) -> Any:
    from kreator.profile_io import parse_audience

    if name == "audience":
        return parse_audience(text.replace(";", ","))
    if name in TEXT_FIELDS:
        return text
    return to_number(text, name, lang)


def field_of(field: str | None) -> str:
    """The form field an error is about (``audience.US`` -> ``audience``)."""
    return (field or "").split(".")[0]


_base = field_of


def _in_form_order(errors: list[KreatorError]) -> list[KreatorError]:
    order = {name: i for i, name in enumerate(FIELDS)}
    seen: set[str | None] = set()
    out = []
    for exc in sorted(errors, key=lambda e: order.get(_base(e.field), len(order))):
        if _base(exc.field) not in seen:
            seen.add(_base(exc.field))
            out.append(exc)
    return out
