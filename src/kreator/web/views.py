"""Estimates as what a page shows: formatted amounts, progress toward each rule, the breakdown.

Plain data for the templates (which escape every string they print).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kreator.core.estimate import Estimate, Range, StreamEstimate, Unmet
from kreator.i18n import card_name
from kreator.report.estimate import unmet_text
from kreator.web.render import UI


@dataclass(frozen=True)
class RangeView:
    p10: str
    p50: str
    p90: str
    mean: str


@dataclass(frozen=True)
class RuleView:
    text: str
    progress: float | None  # 0..1 toward a numeric rule, None for a list rule
    gap: str | None


@dataclass(frozen=True)
class StreamView:
    id: str
    label: str
    eligible: bool
    monthly: RangeView
    per_unit: str
    unmet: list[RuleView]
    explain: list[tuple[str, str, str, str]]
    potential: RangeView | None = None
    assumes: list[tuple[str, str, str]] = field(default_factory=list)
    """What the potential assumes: field label, value, source."""


@dataclass(frozen=True)
class EstimateView:
    name: str
    card: str
    total_month: RangeView
    total_year: RangeView
    streams: list[StreamView]
    notes: list[str] = field(default_factory=list)
    followers: str = ""
    total_potential: RangeView | None = None
    profile_line: str = ""
    """Followers, tier, views and the engagement rate, as the CLI prints them."""


def money_range(r: Range, ui: UI, currency: str) -> RangeView:
    return RangeView(*(ui.money(v, 0, currency) for v in (r.p10, r.p50, r.p90, r.mean)))


def rule_view(u: Unmet, ui: UI) -> RuleView:
    if isinstance(u.required, list) or u.gap is None:
        return RuleView(unmet_text(u, ui.lang), None, None)
    actual = float(u.actual) if isinstance(u.actual, int | float) else 0.0
    progress = min(1.0, max(0.0, actual / u.required)) if u.required else 0.0
    return RuleView(unmet_text(u, ui.lang), progress, ui.number(u.gap))


def per_unit_text(s: StreamEstimate, ui: UI, k: float, cur: str) -> str:
    u = s.per_unit
    unit = ui.t(f"unit.{u.unit}")
    if not u.money:
        return f"{ui.percent(u.typical)} ({ui.percent(u.low, 0)}–{ui.percent(u.high, 0)}) {unit}"
    d = 3 if u.high * k < 1 else (2 if u.high * k < 20 else 0)
    low, typical, high = (ui.money(v * k, d, cur) for v in (u.low, u.typical, u.high))
    return f"{typical} ({low}–{high}) {unit}"


def stream_view(s: StreamEstimate, ui: UI, k: float, cur: str) -> StreamView:
    explain = [(f.name, "–" if f.value is None else f"{f.value:,.4g}", f.unit, f.source)
               for f in s.explain]
    pot = s.potential
    return StreamView(s.id, ui.t(f"stream.{s.id}"), s.eligible,
                      money_range(s.monthly.scaled(k), ui, cur), per_unit_text(s, ui, k, cur),
                      [rule_view(u, ui) for u in s.unmet], explain,
                      None if pot is None else money_range(pot.monthly.scaled(k), ui, cur),
                      [] if pot is None else [
                          (ui.t(f"web.field.{a.field}"),
                           ui.number(a.value, 0 if a.value >= 10 else 1), a.source)
                          for a in pot.assumes])


def estimate_view(est: Estimate, ui: UI) -> EstimateView:
    k = est.fx.rate if est.fx else 1.0
    p: dict[str, Any] = est.profile
    notes = [ui.t("estimate.range_note", draws=ui.number(est.draws), seed=est.seed)]
    if est.fx:
        notes.append(ui.t("web.results.fx", currency=est.currency, rate=est.fx.rate,
                          source=est.fx.source, date=est.fx.date))
    if est.defaults_used:
        notes.append(ui.t("estimate.defaults", fields=", ".join(est.defaults_used)))
    notes += [ui.t("estimate.warning", text=w.split(": ", 1)[-1]) for w in est.warnings]
    return EstimateView(
        name=str(p.get("display_name") or ui.t("estimate.you")),
        card=ui.t("estimate.card", name=card_name(est.card_id, est.card_name, ui.lang),
                  as_of=est.card_as_of),
        total_month=money_range(est.monthly.scaled(k), ui, est.currency),
        total_year=money_range(est.yearly.scaled(k), ui, est.currency),
        streams=[stream_view(s, ui, k, est.currency) for s in est.streams], notes=notes,
        followers=ui.number(p["followers"]),
        profile_line=ui.t("estimate.profile", followers=ui.number(p["followers"]),
                          tier=ui.t(f"tier.{p['tier']}"), views=ui.number(p["views_30d"]),
                          er=ui.percent(p["engagement_rate"] / 100.0)),
        total_potential=(money_range(est.monthly_potential.scaled(k), ui, est.currency)
                         if est.monthly_potential and any(s.potential for s in est.streams)
                         else None))
