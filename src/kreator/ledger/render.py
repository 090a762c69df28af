"""Terminal text for the ledger commands, in English or Swedish (amounts exact, Babel-formatted)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kreator.i18n import LOCALES, t
from kreator.ledger.calibrate import CalibrationResult
from kreator.ledger.compare import TOTAL, Comparison
from kreator.ledger.entries import EventView
from kreator.ledger.importing import ImportSummary
from kreator.ledger.reports import MonthlyReport
from kreator.report.text import table


def money(amount: Decimal, currency: str, lang: str) -> str:
    """Exact amount with the currency's own decimals, in the locale's pattern."""
    from babel.numbers import format_currency

    return str(format_currency(amount, currency, locale=LOCALES[lang]))


def stream_name(sid: str, lang: str) -> str:
    if sid == TOTAL:
        return t("ledger.total", lang)
    name = t(f"stream.{sid}", lang)
    return sid if name == f"stream.{sid}" else name


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def events_table(events: list[EventView], lang: str) -> str:
    if not events:
        return t("ledger.no_events", lang)
    heads = ["id", "date", "creator", "stream", "amount", "source", "key", "note"]
    rows = [[str(e.id), e.date.isoformat(), e.creator, stream_name(e.stream, lang),
             money(e.amount, e.currency, lang), e.source, _short(e.natural_key, 28),
             _short(e.note)] for e in events]
    return table([t(f"ledger.col_{h}", lang) for h in heads], rows, right=[0, 4])


def added(view: EventView, created: bool, lang: str) -> str:
    key = "ledger.added" if created else "ledger.exists"
    return t(key, lang, amount=money(view.amount, view.currency, lang),
             stream=stream_name(view.stream, lang), date=view.date.isoformat(),
             creator=view.creator, id=view.id, ref=view.natural_key)


def import_summary(s: ImportSummary, lang: str) -> str:
    lines = [t("ledger.imported", lang, run=s.run_id, creator=s.creator, new=s.new,
               unchanged=s.unchanged, updated=s.updated, events=s.events, files=len(s.files)),
             t("ledger.rows", lang, rows_in=s.rows_in, rows_ok=s.rows_ok,
               rows_rejected=s.rows_rejected)]
    if s.duplicates:
        lines.append(t("ledger.duplicates", lang, count=s.duplicates))
    if s.profiles:
        lines.append(t("ledger.profile_saved", lang, creator=s.creator))
    return "\n".join(lines)


def report_text(rep: MonthlyReport, lang: str) -> str:
    if not rep.currencies:
        return t("ledger.no_events", lang)
    parts = []
    for cur in rep.currencies:
        streams = cur.streams
        heads = [t("ledger.col_month", lang), *(stream_name(s, lang) for s in streams),
                 t("ledger.total", lang)]
        rows = [[m, *(money(cur.cells[m].get(s, Decimal(0)), cur.currency, lang)
                      for s in streams), money(cur.month_total(m), cur.currency, lang)]
                for m in cur.months]
        rows.append([t("ledger.total", lang),
                     *(money(cur.stream_total(s), cur.currency, lang) for s in streams),
                     money(cur.total, cur.currency, lang)])
        parts.append(t("ledger.report_title", lang, creator=rep.creator, currency=cur.currency)
                     + "\n\n" + table(heads, rows, right=list(range(1, len(heads)))))
    return "\n\n".join(parts)


def compare_text(c: Comparison, lang: str) -> str:
    head = t("ledger.compare_title", lang, creator=c.creator, id=c.estimate_id, card=c.card_id,
             as_of=c.estimate_as_of)
    if len(c.estimates) > 1:  # each month against the estimate in force then
        head += "\n" + t("ledger.compare_estimates", lang, estimates="; ".join(
            t("ledger.compare_estimate", lang, id=e["id"], card=e["card"], as_of=e["as_of"],
              first=e["months"][0], last=e["months"][-1]) for e in c.estimates))
    if not c.cells:
        return head + "\n" + t("ledger.no_events", lang)
    rows = [[x.month, stream_name(x.stream, lang), money(x.actual, c.currency, lang),
             f"{money(x.p10, c.currency, lang)} – {money(x.p90, c.currency, lang)}",
             t(f"ledger.{x.verdict}", lang)] for x in c.cells]
    heads = [t(f"ledger.col_{h}", lang) for h in ("month", "stream", "actual", "range",
                                                   "verdict")]
    lines = [head, "", table(heads, rows, right=[2, 3])]
    if c.no_data:
        lines.append(t("ledger.no_data", lang,
                       streams=", ".join(stream_name(s, lang) for s in c.no_data)))
    if c.not_estimated:
        lines.append(t("ledger.not_estimated", lang,
                       streams=", ".join(stream_name(s, lang) for s in c.not_estimated)))
    lines.extend(t("ledger.fx", lang, **{"from": f["from"], "to": f["to"], "rate": f["rate"],
                                         "source": f["source"], "date": f["date"]})
                 for f in c.fx)
    return "\n".join(lines)


def calibrate_text(r: CalibrationResult, lang: str) -> str:
    head = t("ledger.calibrate_title", lang, creator=r.creator, months=len(r.months),
             id=r.estimate_id)
    rows = [[stream_name(s.stream, lang), t(f"ledger.status_{s.status}", lang), str(s.before),
             str(s.after), str(s.months or ""), str(s.credibility) if s.months else "",
             money(s.expected_before, r.currency, lang) if s.expected_before else "",
             money(s.expected_after, r.currency, lang) if s.expected_after else ""]
            for s in r.streams]
    heads = [t(f"ledger.col_{h}", lang) for h in ("stream", "status", "before", "after",
                                                   "months", "credibility", "expected_before",
                                                   "expected_after")]
    tail = t("ledger.calibration_saved", lang, creator=r.creator) if r.saved \
        else t("ledger.dry_run", lang)
    return "\n".join([head, "", table(heads, rows, right=[2, 3, 4, 5, 6, 7]), "", tail])


def runs_table(runs: list[dict[str, Any]], lang: str) -> str:
    if not runs:
        return t("ledger.no_runs", lang)
    heads = ["id", "creator", "status", "started", "new", "unchanged", "updated", "error"]
    rows = [[str(r["id"]), r["creator"], r["status"], r["started_at"], str(r["events_new"]),
             str(r["events_unchanged"]), str(r["events_updated"]), _short(r["error"], 60)]
            for r in runs]
    return table([t(f"ledger.col_{h}", lang) for h in heads], rows, right=[0, 4, 5, 6])


def estimate_saved(snap_id: int, est: dict[str, Any], lang: str) -> str:
    m, cur = est["total"]["monthly"], est["currency"]
    shown = {k: money(Decimal(str(round(m[k], 2))), cur, lang) for k in ("p10", "p50", "p90")}
    return t("ledger.estimate_saved", lang, id=snap_id, **shown)
