"""An Estimate as readable text, in English or Swedish."""

from __future__ import annotations

from collections.abc import Mapping

from kreator.core.estimate import Estimate, Range, StreamEstimate, Unmet
from kreator.i18n import card_name, catalog, date, money, number, percent, t
from kreator.report.text import table


def render(est: Estimate, lang: str = "en", *, explain: bool = False, name: str | None = None,
           seed: Mapping[str, tuple[float, float]] | None = None) -> str:
    """The estimate as text; ``seed``: the seed article's per-unit range by stream, shown next
    to the card's (see :func:`seed_ranges`)."""
    k = est.fx.rate if est.fx else 1.0
    cur = est.currency
    p = est.profile
    who = name or p.get("display_name") or t("estimate.you", lang)
    parts = [
        t("estimate.title", lang, name=who),
        t("estimate.card", lang, name=card_name(est.card_id, est.card_name, lang),
          as_of=_as_of(est.card_as_of, lang)),
        t("estimate.profile", lang, followers=number(p["followers"], lang),
          tier=t(f"tier.{p['tier']}", lang), views=number(p["views_30d"], lang),
          er=percent(p["engagement_rate"] / 100.0, lang)),
        "",
    ]
    rows = [_row(s, lang, cur, k, seed) for s in est.streams]
    m, y = est.monthly.scaled(k), est.yearly.scaled(k)
    could = (_could(est.monthly_potential, lang, cur, k)
             if est.monthly_potential and any(s.potential for s in est.streams) else "")
    rows.append([t("estimate.total_month", lang), "", money(m.p10, cur, lang),
                 money(m.p50, cur, lang), money(m.p90, cur, lang), could, ""])
    rows.append([t("estimate.total_year", lang), "", money(y.p10, cur, lang),
                 money(y.p50, cur, lang), money(y.p90, cur, lang), "", ""])
    headers = [t(f"estimate.col_{c}", lang) for c in ("stream", "status", "p10", "p50", "p90",
                                                        "could", "unit")]
    parts.append(table(headers, rows, right=(2, 3, 4, 5)))
    parts += _could_lines(est, lang)
    parts += _unmet_lines(est, lang)
    if explain:
        parts += _explain(est, lang, cur, k)
    parts.append("")
    parts.append(t("estimate.range_note", lang, draws=number(est.draws, lang), seed=est.seed))
    if est.fx:
        parts.append(t("estimate.fx", lang, currency=cur, rate=est.fx.rate, source=est.fx.source,
                       date=est.fx.date))
    if est.defaults_used:
        parts.append(t("estimate.defaults", lang, fields=", ".join(est.defaults_used)))
    parts += [t("estimate.warning", lang, text=w.split(": ", 1)[-1]) for w in est.warnings]
    return "\n".join(parts)


def _as_of(text: str, lang: str) -> str:
    """An ISO date in the locale's format; other text (e.g. "2024") as it is."""
    import datetime as dt

    try:
        return date(dt.date.fromisoformat(text), lang)
    except ValueError:
        return text


def _row(s: StreamEstimate, lang: str, cur: str, k: float,
         seed: Mapping[str, tuple[float, float]] | None) -> list[str]:
    m = s.monthly.scaled(k)
    status = t("estimate.eligible" if s.eligible else "estimate.not_eligible", lang)
    could = _could(s.potential.monthly, lang, cur, k) if s.potential else ""
    unit = _per_unit(s, lang, cur, k)
    if seed and s.id in seed:
        lo, hi = seed[s.id]
        unit += " " + t("estimate.seed_range", lang, range=_span(lo, hi, s, lang, cur, k))
    return [t(f"stream.{s.id}", lang), status, money(m.p10, cur, lang), money(m.p50, cur, lang),
            money(m.p90, cur, lang), could, unit]


def _could(r: Range, lang: str, cur: str, k: float) -> str:
    q = r.scaled(k)
    return (f"{money(q.p50, cur, lang)} ({money(q.p10, cur, lang)}-"
            f"{money(q.p90, cur, lang)})")


def _could_lines(est: Estimate, lang: str) -> list[str]:
    """What the "could earn" column assumes, one line per stream."""
    assumed = [(s.id, a) for s in est.streams if s.potential for a in s.potential.assumes]
    unknown = [t(f"stream.{s.id}", lang) for s in est.streams
               if s.eligible and s.potential is None and s.monthly.p90 == 0]
    out = ["", t("estimate.could_note", lang)] if assumed else []
    out += [f"  - {t(f'stream.{sid}', lang)}: " + t("estimate.could_assumes", lang,
            field=t(f"web.field.{a.field}", lang),
            value=number(a.value, lang, decimals=0 if a.value >= 10 else 1))
            for sid, a in assumed]
    if unknown:
        out += ["", t("estimate.could_unknown", lang, streams=", ".join(unknown))]
    return out


def _decimals(high: float) -> int:
    return 3 if high < 1 else (2 if high < 20 else 0)


def _span(lo: float, hi: float, s: StreamEstimate, lang: str, cur: str, k: float) -> str:
    if not s.per_unit.money:
        return f"{percent(lo, lang, decimals=0)}-{percent(hi, lang, decimals=0)}"
    d = _decimals(hi * k)
    return f"{money(lo * k, cur, lang, decimals=d)}-{money(hi * k, cur, lang, decimals=d)}"


def _per_unit(s: StreamEstimate, lang: str, cur: str, k: float) -> str:
    u = s.per_unit
    unit = t(f"unit.{u.unit}", lang)
    if not u.money:
        return f"{percent(u.typical, lang)} ({_span(u.low, u.high, s, lang, cur, k)}) {unit}"
    d = _decimals(u.high * k)
    return f"{money(u.typical * k, cur, lang, decimals=d)} ({_span(u.low, u.high, s, lang, cur, k)}) {unit}"


def seed_ranges(card_id: str) -> dict[str, tuple[float, float]]:
    """The seed article's per-unit range for every stream the seed card has (empty when the
    estimate is on the seed card itself: its ranges are already the seed's)."""
    from kreator.ratecards import load_card

    seed = load_card("seed")
    if card_id == seed.id:
        return {}
    return {sid: (float(s.rate.low or 0), float(s.rate.high or 0))
            for sid, s in seed.streams.items() if s.rate.from_seed}


def _unmet_lines(est: Estimate, lang: str) -> list[str]:
    out = []
    for s in est.streams:
        if s.unmet:
            out.append("")
            out.append(t("estimate.needs", lang, stream=t(f"stream.{s.id}", lang)))
            out += [f"  - {unmet_text(u, lang)}" for u in s.unmet]
    return out


def unmet_text(u: Unmet, lang: str) -> str:
    """One unmet rule as a sentence with the gap."""
    if isinstance(u.required, list):
        actual = u.actual if u.actual is not None else t("rule.unknown", lang)
        return t("rule.country", lang, required=", ".join(u.required), actual=actual)
    actual = u.actual if isinstance(u.actual, int | float) else 0.0
    return t(f"rule.{u.rule}", lang, required=number(u.required, lang),
             actual=number(actual, lang), gap=number(u.gap or 0, lang))


def _explain(est: Estimate, lang: str, cur: str, k: float) -> list[str]:
    out = []
    for s in est.streams:
        out += ["", t("estimate.explain_title", lang, stream=t(f"stream.{s.id}", lang))]
        rows = [[t(f"explain.{f.name}", lang) if f"explain.{f.name}" in catalog(lang) else f.name,
                 "-" if f.value is None else number(f.value, lang, decimals=4).rstrip("0").rstrip(",."),
                 f.unit, f.source] for f in s.explain]
        headers = [t(f"explain.col_{c}", lang) for c in ("factor", "value", "meaning", "source")]
        out.append(table(headers, rows, right=(1,)))
        out.append(t("estimate.explain_result", lang, amount=money(s.monthly.p50 * k, cur, lang,
                                                                    decimals=2)))
    return out
