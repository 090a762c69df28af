"""Advice, what-if, sensitivity, growth and pricing as readable text, in English or Swedish."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from kreator.core.advise import Advice, AdviceReport
from kreator.core.growth import Opening, Projection
from kreator.core.pricing import OfferCheck, RateSheet
from kreator.core.sensitivity import Comparison, Tornado
from kreator.i18n import catalog, date, money, number, percent, t
from kreator.report.estimate import unmet_text
from kreator.report.text import table


def cash(amount: float, cur: str, lang: str, *, sign: bool = False) -> str:
    """Money with cents under 10, whole units above; ``sign`` adds + to gains."""
    text = money(amount, cur, lang, decimals=2 if abs(amount) < 10 else 0)
    return f"+{text}" if sign and amount >= 0.005 else text


def input_label(name: str, lang: str) -> str:
    return t("sensitivity.engagement", lang) if name == "engagement" else name.replace("_", " ")


def lever_title(a: Advice, lang: str) -> str:
    key = f"lever.{a.lever.id}"
    return t(key, lang) if key in catalog(lang) else a.lever.title


def effort_text(a: Advice, lang: str) -> str:
    """The lever's effort and hours a month, in ``lang``."""
    return _effort(a, lang)


def change_text(field: str, before: float | None, after: float | None, lang: str) -> str:
    """One change of a lever, its numbers shown the language's way at sensible precision."""
    def show(v: float | None) -> str:
        if v is None:
            return "–"
        return number(v, lang, decimals=0 if abs(v) >= 100 or float(v).is_integer() else 2)

    label = t(f"web.field.{field}", lang) if f"web.field.{field}" in catalog(lang) else field
    return f"{label}: {show(before)} → {show(after)}"


def _effort(a: Advice, lang: str) -> str:
    return t("effort.hours", lang, level=t(f"effort.{a.lever.effort}", lang),
             hours=number(a.lever.hours.typical, lang))


def _streams(ids: Sequence[str], lang: str) -> str:
    return ", ".join(t(f"stream.{s}", lang) for s in ids)


def skip_text(a: Advice, lang: str, cur: str, k: float = 1.0) -> str:
    assert a.skip is not None
    v = a.skip.values
    value = v.get("value", 0.0)
    shown = cash(value * k, cur, lang) if a.skip.reason == "already_shop" else number(value, lang,
                                                                                   decimals=0)
    unmet = "; ".join(unmet_text(u, lang) for u in a.skip.unmet)
    return t(f"advice.skip.{a.skip.reason}", lang, value=shown, unmet=unmet,
             streams=_streams(v.get("streams", []), lang), card=v.get("card", ""))


def months_text(m: float | None, lang: str) -> str:
    if m is None or not math.isfinite(m):
        return t("opens.later", lang, n=60)
    n = max(1, round(m))
    return t("opens.month_one", lang) if n == 1 else t("opens.month_many", lang, n=n)


def opening_text(o: Opening, lang: str) -> str:
    name = t(f"stream.{o.stream}", lang)
    if o.status == "not_at_trend":
        return t("opens.not_at_trend", lang, stream=name)
    if o.status == "blocked":
        rules = ", ".join(f"{r.field.replace('_', ' ')} ≥ {number(r.min, lang)}" if r.min is not None
                          else f"{r.field}: {', '.join(r.one_of)}" for r in o.blockers)
        return t("opens.blocked", lang, stream=name, rules=rules)
    if o.status == "open":
        return f"{name}: {t('opens.open', lang)}"
    low = months_text(o.p10, lang)
    high = months_text(o.p90, lang)
    about = months_text(o.p50, lang)
    if o.date is None:
        return t("opens.months", lang, stream=name, months=about, low=low, high=high)
    return t("opens.date", lang, stream=name, months=about, low=low, high=high,
             date=date(o.date, lang))


def render_advice(rep: AdviceReport, lang: str, cur: str, k: float, *, name: str,
                  growth: float, top: int = 3) -> str:
    m = rep.before.monthly.scaled(k)
    lines = [t("advice.title", lang, name=name),
             t("advice.now", lang, p50=cash(m.p50, cur, lang), p10=cash(m.p10, cur, lang),
               p90=cash(m.p90, cur, lang), card=rep.before.card_id), ""]
    applied = [a for a in rep.items if a.skip is None]
    rows = [[str(a.rank), t(f"tip.{a.lever.tip}", lang), lever_title(a, lang),
             cash(a.gain.p50 * k, cur, lang, sign=True),
             f"{cash(a.gain.p10 * k, cur, lang, sign=True)} … {cash(a.gain.p90 * k, cur, lang, sign=True)}",
             "" if a.later is None else cash(a.later.p50 * k, cur, lang, sign=True),
             _effort(a, lang), _opens_cell(a, lang)] for a in applied]
    if rows:
        headers = [t(f"advice.col_{c}", lang) for c in ("rank", "tip", "action", "gain", "range",
                                                         "later", "effort", "unlocks")]
        lines.append(table(headers, rows, right=(0, 3, 5)))
    else:
        lines.append(t("advice.nothing", lang))
    skipped = [a for a in rep.items if a.skip is not None]
    if skipped:
        lines += ["", t("advice.skipped_title", lang) + ":"]
        lines += ["  - " + t("advice.skipped_line", lang, tip=t(f"tip.{a.lever.tip}", lang),
                             action=lever_title(a, lang), reason=skip_text(a, lang, cur, k))
                  for a in skipped]
    if applied:
        lines += ["", t("advice.top_title", lang) + ":"]
        lines += [f"  {a.rank}. {sentence(a, lang, cur, k)}" for a in applied[:top]]
    lines += _unused_lines(rep, lang, cur, k)
    locked = [o for o in rep.openings if o.status != "open"]
    if locked:
        lines += ["", t("advice.opens_title", lang, growth=number(growth, lang)) + ":"]
        lines += [f"  - {opening_text(o, lang)}" for o in locked]
    lines += ["", t("advice.rank_note", lang),
              t("advice.range_note", lang, draws=number(rep.before.draws, lang),
                seed=rep.before.seed)]
    return "\n".join(lines)


def _unused_lines(rep: AdviceReport, lang: str, cur: str, k: float) -> list[str]:
    """Streams open to the creator but unused, with what each could pay (tip 4: use the
    monetization tools): the estimate's potential at typical activity for this size."""
    unused = [s for s in rep.before.streams if s.potential is not None]
    if not unused:
        return []
    out = ["", t("advice.unused_title", lang) + ":"]
    for s in unused:
        assert s.potential is not None
        m, a = s.potential.monthly.scaled(k), s.potential.assumes[0]
        out.append("  - " + t("advice.unused_line", lang, stream=t(f"stream.{s.id}", lang),
                               p50=cash(m.p50, cur, lang), p10=cash(m.p10, cur, lang),
                               p90=cash(m.p90, cur, lang), field=t(f"web.field.{a.field}", lang),
                               value=number(a.value, lang, decimals=0 if a.value >= 10 else 1)))
    return out


def _opens_cell(a: Advice, lang: str) -> str:
    parts = [t(f"stream.{s}", lang) for s in a.unlocks]
    parts += [t("advice.sooner_cell", lang, stream=t(f"stream.{sid}", lang),
                before=_months_num(b, lang), after=_months_num(af, lang))
              for sid, (b, af) in a.sooner().items()]
    return ", ".join(parts)


def sentence(a: Advice, lang: str, cur: str, k: float) -> str:
    """One plain sentence per action, with the gain's range, unlocks and earlier openings."""
    g = a.gain
    text = t("advice.sentence", lang, action=lever_title(a, lang),
             gain=cash(g.p50 * k, cur, lang, sign=True), low=cash(g.p10 * k, cur, lang, sign=True),
             high=cash(g.p90 * k, cur, lang, sign=True), effort=_effort(a, lang))
    if a.later is not None:
        text += " " + t("advice.sentence_later", lang, gain=cash(a.later.p50 * k, cur, lang,
                                                                  sign=True))
    if a.unlocks:
        text += " " + t("advice.sentence_unlock", lang, streams=_streams(a.unlocks, lang))
    for sid, (before, after) in a.sooner().items():
        key = "advice.sentence_growth" if abs(g.p50 * k) < 1 else "advice.sentence_sooner"
        text += " " + t(key, lang, stream=t(f"stream.{sid}", lang),
                        before=_months_num(before, lang), after=_months_num(after, lang))
    return text


def _months_num(m: float | None, lang: str) -> str:
    return ">60" if m is None or not math.isfinite(m) else number(m, lang)


def render_whatif(c: Comparison, settings: Mapping[str, Any], lang: str, cur: str, k: float) -> str:
    changes = ", ".join(f"{f}={v}" for f, v in settings.items())
    rows = []
    for s in c.after.streams:
        b, a = c.before.stream(s.id).monthly.p50 * k, s.monthly.p50 * k
        rows.append([t(f"stream.{s.id}", lang), cash(b, cur, lang), cash(a, cur, lang),
                     cash(a - b, cur, lang, sign=True)])
    b, a = c.before.monthly.p50 * k, c.after.monthly.p50 * k
    rows.append([t("whatif.total", lang), cash(b, cur, lang), cash(a, cur, lang),
                 cash(a - b, cur, lang, sign=True)])
    headers = [t(f"whatif.col_{x}", lang) for x in ("stream", "before", "after", "change")]
    g = c.gain
    lines = [t("whatif.title", lang, changes=changes), "", table(headers, rows, right=(1, 2, 3)), "",
             t("whatif.gain", lang, p50=cash(g.p50 * k, cur, lang, sign=True),
               p10=cash(g.p10 * k, cur, lang, sign=True), p90=cash(g.p90 * k, cur, lang, sign=True))]
    if c.unlocks:
        lines.append(t("whatif.unlocks", lang, streams=_streams(c.unlocks, lang)))
    closed = [s.id for s in c.before.streams if s.eligible and not c.after.stream(s.id).eligible]
    if closed:
        lines.append(t("whatif.locks", lang, streams=_streams(closed, lang)))
    return "\n".join(lines)


def render_tornado(tor: Tornado, lang: str, cur: str, k: float) -> str:
    step = percent(tor.step, lang, decimals=0)
    rows = [[input_label(s.input, lang), number(s.value, lang, decimals=0 if s.value >= 10 else 2),
             cash(s.low_total * k, cur, lang), cash(s.high_total * k, cur, lang),
             cash(s.width * k, cur, lang)] for s in tor.swings]
    headers = [t("sensitivity.col_input", lang), t("sensitivity.col_value", lang),
               t("sensitivity.col_low", lang, step=step), t("sensitivity.col_high", lang, step=step),
               t("sensitivity.col_swing", lang)]
    return "\n".join([t("sensitivity.title", lang, step=step),
                      t("sensitivity.base", lang, p50=cash(tor.base_total * k, cur, lang)), "",
                      table(headers, rows, right=(1, 2, 3, 4)), "",
                      t("sensitivity.note", lang, draws=number(tor.draws, lang), seed=tor.seed)])


def render_projection(p: Projection, lang: str, cur: str, k: float, *, source: str) -> str:
    def rng(q: tuple[float, float, float], money_: bool = False) -> str:
        def f(v: float) -> str:
            return cash(v * k, cur, lang) if money_ else number(v, lang)
        return f"{f(q[1])} ({f(q[0])}–{f(q[2])})"

    rows = [[date(m.date, lang), rng(m.followers), rng(m.views_30d), rng(m.income, True)]
            for m in p.months]
    headers = [t(f"growth.col_{c}", lang) for c in ("month", "followers", "views", "income")]
    lines = [t("growth.title", lang, months=len(p.months) - 1),
             t("growth.trend", lang, growth=number(p.trend.per_month, lang), source=source), "",
             table(headers, rows, right=(1, 2, 3))]
    locked = [o for o in p.openings if o.status != "open"]
    if locked:
        lines += ["", t("growth.opens_title", lang) + ":"]
        lines += [f"  - {opening_text(o, lang)}" for o in locked]
    lines += ["", t("growth.note", lang, paths=number(p.paths, lang), seed=p.seed)]
    return "\n".join(lines)


def render_rate_sheet(sheet: RateSheet, lang: str, cur: str, k: float) -> str:
    lo, hi = sheet.band
    rows = []
    for ln in sheet.lines:
        label = t(f"pricing.{ln.item}", lang)
        if ln.multiplier and ln.item in ("usage_rights", "exclusivity"):
            label += " (" + t("pricing.addon", lang, low=_plus(ln.multiplier[0] - 1, lang),
                              high=_plus(ln.multiplier[1] - 1, lang)) + ")"
        rows.append([label, cash(ln.floor * k, cur, lang),
                     f"{cash(ln.low * k, cur, lang)}–{cash(ln.high * k, cur, lang)}",
                     cash(ln.suggested * k, cur, lang)])
    headers = [t("pricing.col_item", lang), t("pricing.col_floor", lang),
               t("pricing.col_fair", lang, lo=f"{lo:g}", hi=f"{hi:g}"),
               t("pricing.col_suggested", lang)]
    p = sheet.price
    return "\n".join([t("pricing.title", lang),
                      t("pricing.basis", lang, typical=cash(p.typical * k, cur, lang),
                        low=cash(p.card_low * k, cur, lang), high=cash(p.card_high * k, cur, lang),
                        sigma=number(p.sigma, lang, decimals=2)), "",
                      table(headers, rows, right=(1, 2, 3))])


def _plus(fraction: float, lang: str) -> str:
    return "+" + percent(fraction, lang, decimals=0)


def render_offer(c: OfferCheck, lang: str, cur: str, k: float, *, extras: Sequence[str]) -> str:
    what = t(f"pricing.{c.deliverable}", lang)
    what = what[:1].lower() + what[1:]
    if extras:
        what += " " + t("pricing.extras", lang, extras=", ".join(
            t(f"pricing.{e}", lang).lstrip("+ ") for e in extras))
    lines = [t("pricing.offer_title", lang, amount=cash(c.amount * k, cur, lang), deliverable=what),
             t("pricing.percentile", lang, pct=number(c.percentile, lang, decimals=0),
               typical=cash(c.expected * k, cur, lang))]
    counter = cash((c.counter or 0) * k, cur, lang)
    lines.append(t(f"pricing.{c.verdict}", lang, counter=counter))
    return "\n".join(lines)
