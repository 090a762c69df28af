"""The ledger in the browser and over HTTP: add income, see it by month against the estimate.

A thin layer over :mod:`kreator.ledger` (the same functions as ``kreator ledger ...``). The
database is ``kreator serve --db`` (else ``$KREATOR_DB``, else the ledger's default file),
opened once per app. Amounts stay exact: decimal strings in JSON, Decimal in Python; they
become floats only as chart pixels.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kreator.core.errors import KreatorError, LedgerError, Phrase
from kreator.core.events import STREAMS, IncomeEvent
from kreator.web import forms, services
from kreator.web.charts import sized_for, svg_response
from kreator.web.errors import ERROR_RESPONSES, kreator_detail
from kreator.web.render import UI, UIDep, page

router = APIRouter()
CREATOR = Query(None, max_length=100, description="Creator name in the ledger (default: me).")
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def day(text: str | None, field: str) -> dt.date | None:
    """``YYYY-MM-DD`` -> a date (a real one: 2026-02-30 is refused, naming the field)."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise LedgerError(f"'{text}' is not a date.", field=field,
                          fix="write it as YYYY-MM-DD, e.g. 2026-04-30.", key="day_date",
                          params={"value": text}) from None


Day = Annotated[str | None, Query(pattern=DATE, json_schema_extra={"format": "date"},
                                  description="A day as YYYY-MM-DD.")]


def ledger_of(request: Request) -> Any:
    """The app's ledger, opened on first use."""
    state = request.app.state
    if getattr(state, "ledger", None) is None:
        from kreator.ledger import open_ledger

        state.ledger = open_ledger(state.settings.db)
    return state.ledger


class NewEvent(BaseModel):
    """One income entry. ``amount`` is an exact decimal string such as "41.20"."""

    model_config = ConfigDict(extra="forbid")

    stream: str = Field(json_schema_extra={"enum": [*STREAMS]})
    amount: str = Field(pattern=r"^-?[0-9]{1,12}(\.[0-9]{1,4})?$", examples=["41.20"])
    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["USD"])
    date: str = Field(pattern=DATE, json_schema_extra={"format": "date"},
                      examples=["2026-04-30"])
    note: str = Field("", max_length=500)
    key: str | None = Field(None, min_length=1, max_length=200,
                            description="Your id for it: adding the same key again adds nothing.")
    creator: str | None = Field(None, min_length=1, max_length=100)


class EventOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: int
    creator: str
    date: str
    stream: str
    amount: str
    currency: str
    source: str
    note: str


class AddedOut(BaseModel):
    created: bool
    event: EventOut


class EventsOut(BaseModel):
    events: list[EventOut]


def add_event(ledger: Any, new: NewEvent, source: str = "web") -> tuple[Any, bool]:
    from kreator.ledger.entries import new_key
    from kreator.ledger.money import parse_amount

    ev = IncomeEvent(day(new.date, "date") or dt.date.today(), new.stream,
                     parse_amount(new.amount), new.currency.upper(), source,
                     new.key or new_key(), new.note)
    return ledger.add(new.creator, ev)  # type: ignore[no-any-return]


@router.post("/api/v1/ledger/events", response_model=AddedOut, status_code=201, tags=["ledger"],
             responses={**ERROR_RESPONSES, 200: {"model": AddedOut,
                                                 "description": "Already there (same key)"}})
def api_add(new: NewEvent, request: Request) -> Any:
    """Add one income entry (idempotent with ``key``: the same key again adds nothing and
    answers 200 with ``created: false``)."""
    view, created = add_event(ledger_of(request), new)
    return JSONResponse({"created": created, "event": view.to_dict()},
                        status_code=201 if created else 200)


@router.get("/api/v1/ledger/events", response_model=EventsOut, tags=["ledger"],
            responses=ERROR_RESPONSES)
def api_events(request: Request, creator: str | None = CREATOR,
               since: Day = None, until: Day = None,
               limit: int = Query(500, ge=1, le=10_000)) -> Any:
    """The income entries, oldest first."""
    from kreator.ledger import EventFilter

    flt = EventFilter(creator, day(since, "since"), day(until, "until"), limit=limit)
    views = ledger_of(request).events(flt)
    return JSONResponse({"events": [v.to_dict() for v in views]})


@router.get("/api/v1/ledger/report", tags=["ledger"], responses=ERROR_RESPONSES)
def api_report(request: Request, creator: str | None = CREATOR,
               since: Day = None, until: Day = None) -> dict[str, Any]:
    """Income by month and stream, one table per currency (amounts as decimal strings)."""
    from kreator.ledger.reports import monthly

    out: dict[str, Any] = monthly(ledger_of(request), creator, since=day(since, "since"),
                                  until=day(until, "until")).to_dict()
    return out


@router.get("/api/v1/ledger/compare", tags=["ledger"], responses=ERROR_RESPONSES)
def api_compare(request: Request, creator: str | None = CREATOR,
                estimate_id: int | None = Query(None, ge=1)) -> dict[str, Any]:
    """Each month's actual income per stream against a saved estimate's p10-p90
    (save one with ``kreator ledger estimate``)."""
    from kreator.ledger.compare import compare

    out: dict[str, Any] = compare(ledger_of(request), creator, estimate_id=estimate_id).to_dict()
    return out


def months_view(request: Request, ui: UI, creator: str | None) -> dict[str, Any]:
    """Monthly actual totals in the visitor's currency, each against the estimate's range."""
    from kreator.ledger.compare import TOTAL, actuals, verdict

    ledger = ledger_of(request)
    try:
        act = actuals(ledger, creator, ui.currency)
    except LedgerError:  # no such creator yet: nothing recorded
        return {"months": [], "band": None, "error": None}
    values = forms.form_values(request.query_params)
    band = None
    if forms.has_profile(values):
        est = services.run_estimate(forms.parse_form(values, ui.lang),
                                    values.get("card", "default"), ui.currency)
        k = est.fx.rate if est.fx else 1.0
        band = {q: Decimal(str(round(getattr(est.monthly, q) * k, 2))) for q in ("p10", "p50",
                                                                                  "p90")}
    rows = []
    running = dt.date.today().strftime("%Y-%m")
    for m in act.months:
        total = act.get(m, TOTAL)
        judged = verdict(total, band["p10"], band["p90"]) if band else None
        rows.append({"month": m, "total": ui.money(float(total), 2),
                     "verdict": "in_progress" if band and m >= running else judged})
    return {"months": rows, "band": band, "error": None}


@router.get("/ledger", include_in_schema=False)
def ledger_page(request: Request, ui: UIDep,
                creator: str | None = CREATOR) -> Response:
    """Add an entry; the monthly chart and the table of actual against estimate."""
    from kreator.ledger import EventFilter

    values = forms.form_values(request.query_params)
    query = urlencode(values)
    try:
        events = ledger_of(request).events(EventFilter(creator))[-50:]
    except LedgerError:
        events = []
    typed = {k[2:]: v for k, v in request.query_params.items() if k.startswith("f_")}
    editing = next((e for e in events if str(e.id) == request.query_params.get("edit")), None)
    if editing is not None:
        typed = {"date": editing.date.isoformat(), "stream": editing.stream,
                 "amount": f"{editing.amount.normalize():f}", "currency": editing.currency,
                 "note": editing.note, "replace": str(editing.id)}
    ctx = {"query": query, "events": list(reversed(events)), "streams": STREAMS,
           "creator": creator or "", "today": dt.date.today().isoformat(), "typed": typed,
           **months_view(request, ui, creator), "error": request.query_params.get("error"),
           "notice": request.query_params.get("notice"), "has_profile": forms.has_profile(values),
           "chart_query": urlencode({**values, **({"creator": creator} if creator else {})})}
    return page(request, ui, "ledger.html", ctx)


@router.post("/ledger/add", include_in_schema=False)
async def ledger_add(request: Request, ui: UIDep) -> Response:
    """The add-entry form (CSRF-checked like every form post)."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    query = form.get("query", "")
    try:
        from kreator.ledger.money import parse_amount

        amount = format(parse_amount(form.get("amount", "")), "f")
        new = NewEvent(stream=form.get("stream", ""), amount=amount,
                       currency=form.get("currency", ui.currency).upper(),
                       date=form.get("date") or dt.date.today().isoformat(),
                       note=form.get("note", ""),
                       creator=form.get("creator") or None)
        await run_in_threadpool(add_event, ledger_of(request), new)
        if form.get("replace", "").isdigit():  # an edit: the new entry is in, the old goes
            await run_in_threadpool(ledger_of(request).delete, int(form["replace"]),
                                    form.get("creator") or None)
    except (KreatorError, ValidationError) as exc:
        err = form_error(exc, form) if isinstance(exc, ValidationError) else exc
        text = kreator_detail(err, ui.lang).message
        kept = {f"f_{k}": form[k] for k in ("date", "stream", "amount", "currency", "note",
                                            "replace") if form.get(k)}
        return RedirectResponse(f"/ledger?{query}&{urlencode({'error': text, **kept})}",
                                status_code=303)
    notice = {"notice": "refund"} if amount.startswith("-") else {}
    return RedirectResponse(f"/ledger?{query}&{urlencode(notice)}".rstrip("&"), status_code=303)


@router.post("/ledger/delete", include_in_schema=False)
async def ledger_delete(request: Request) -> Response:
    """Remove one entry (CSRF-checked like every form post)."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    entry = form.get("id", "")
    if entry.isdigit():
        await run_in_threadpool(ledger_of(request).delete, int(entry),
                                form.get("creator") or None)
    return RedirectResponse(f"/ledger?{form.get('query', '')}", status_code=303)


FORM_FIXES = {
    "amount": "write it like 41.20: at most 12 digits before the point and 4 after.",
    "currency": "use a three-letter code such as USD, EUR or SEK.",
    "date": "write it as YYYY-MM-DD, e.g. 2026-04-30.",
    "note": "keep it to 500 characters.",
    "creator": "keep the name to 100 characters.",
}


def form_error(exc: ValidationError, form: dict[str, str]) -> LedgerError:
    """The add-entry form's first invalid field, named, with what to write instead (never the
    validator's own words, such as a regular expression), quoting what was typed."""
    err = exc.errors()[0]
    name = str(err["loc"][0]) if err["loc"] else "form"
    value = str(form.get(name, err.get("input", "")))[:40]
    how = Phrase(FORM_FIXES.get(name, "check the value."),
                 f"form_fix_{name}" if name in FORM_FIXES else "form_fix_other")
    return LedgerError(f"'{value}' is not valid here.", field=name, fix=str(how),
                       key="form_value", params={"value": value, "how": how})


@router.get("/charts/ledger.svg", include_in_schema=False)
def ledger_chart(request: Request, ui: UIDep,
                 creator: str | None = CREATOR) -> Response:
    """Income by month and stream, with the estimate's band for the profile in the query."""
    from kreator.ledger.compare import TOTAL, actuals
    from kreator.report.charts import monthly_income

    try:
        act = actuals(ledger_of(request), creator, ui.currency)
    except LedgerError:
        act = None
    months = act.months if act else []
    streams = sorted(s for s in (act.streams() if act else set()) if s != TOTAL)
    series = {s: [float(act.get(m, s)) for m in months] for s in streams} if act else {}
    band = months_view(request, ui, creator)["band"]
    est = {k: float(v) for k, v in band.items()} if band else None
    with sized_for(request):
        return svg_response(monthly_income(months, series, ui.currency, ui.lang, estimate=est))
