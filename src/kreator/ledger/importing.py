"""Import runs: events from the importers into the ledger, idempotent and crash safe.

The order of work, and what it guarantees:

1. **Validate everything first.** Every event of every file is checked (date, stream, currency,
   amount in whole minor units, natural key). A bad row fails the whole run, naming the file, the
   row and the field, with **0 rows kept**; the run is recorded as ``failed`` with the message.
2. **Record the run** (``running``, with pid, host and a heartbeat) and its files (path, SHA-256,
   importer, row counts) in their own transaction.
3. **Write in batches**, each one transaction: insert with ``ON CONFLICT DO NOTHING`` on the
   event's identity (creator, stream, natural key), then compare the rows that were already there:
   identical ones count as *unchanged*, different ones are *updated* in place. The run's counters
   and heartbeat move in the same transaction, so a crash leaves only whole batches.
4. **Finish**: profile snapshots from the files' metrics, status ``done``, in one transaction.

A run killed part-way stays ``running`` until the next :func:`~kreator.ledger.open_ledger`,
which marks it ``aborted``. Re-running the same files adds what is missing and nothing else, so
any number of interrupted runs followed by one whole run ends in exactly the state of one
uninterrupted run. Two imports of the same file at once leave one copy of each event: the
database's unique key decides, not a read-then-write in Python.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kreator.core.errors import InputFileError, KreatorError, LedgerError, Phrase
from kreator.core.events import IncomeEvent
from kreator.ledger import crashpoints
from kreator.ledger.db import upsert
from kreator.ledger.entries import UPDATED, event_values, same
from kreator.ledger.models import Event, ImportFile, ImportRun, ProfileSnapshot, utcnow
from kreator.ledger.repo import Ledger

DEFAULT_BATCH = 5_000
MAX_BATCH = 1_000_000
LOOKUP_CHUNK = 1_000  # (stream, key) pairs per lookup: well under SQLite's bound-variable limit


class FileResult(Protocol):
    """What the ledger needs from one importer result (``kreator.importers.FileResult``)."""

    path: Any
    sha256: str
    importer: str
    rows_in: int
    rows_ok: int
    rows_rejected: int
    events: list[IncomeEvent]


@dataclass
class ImportSummary:
    run_id: int
    creator: str
    status: str = "running"
    files: list[dict[str, Any]] = field(default_factory=list)
    rows_in: int = 0
    rows_ok: int = 0
    rows_rejected: int = 0
    events: int = 0
    new: int = 0
    unchanged: int = 0
    updated: int = 0
    duplicates: int = 0
    batches: int = 0
    profiles: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Row:
    where: str
    values: dict[str, Any]


def import_files(ledger: Ledger, creator: str | None, files: Sequence[FileResult], *,
                 events: Sequence[IncomeEvent] | None = None,
                 profile: dict[str, Any] | None = None, taken_on: dt.date | None = None,
                 batch_size: int = DEFAULT_BATCH,
                 after_batch: Callable[[int], None] | None = None) -> ImportSummary:
    """Import ``events`` (by default every file's events) for ``creator`` as one run.

    ``profile`` (the profile values the files describe) is kept as the creator's profile
    snapshot on ``taken_on`` (default today). ``after_batch`` is called after each committed
    batch with the number of batches so far."""
    if not 1 <= batch_size <= MAX_BATCH:
        raise LedgerError("batch size must be from 1 to 1,000,000.", field="batch_size",
                          fix="use 5000.", key="batch_size")
    cid, name = ledger.creator_id(creator, create=True)
    summary = ImportSummary(0, name)
    chosen = list(events) if events is not None else [e for f in files for e in f.events]
    try:
        rows, summary.duplicates = _validate(files, chosen)
    except KreatorError as exc:
        summary.run_id = _record_failed(ledger, cid, files, exc)
        raise
    summary.run_id = _start(ledger, cid, files, batch_size)
    point = crashpoints.armed()
    crashpoints.reach(point, "start")
    _counts(summary, files)
    summary.events = len(rows)
    for start in range(0, len(rows), batch_size):
        _write_batch(ledger, cid, summary, rows[start:start + batch_size], point)
        crashpoints.reach(point, "between", summary.batches)
        if after_batch is not None:
            after_batch(summary.batches)
    crashpoints.reach(point, "finish")
    _finish(ledger, cid, summary, profile, taken_on or dt.date.today())
    return summary


def _row_label(ev: IncomeEvent, index: int) -> str:
    details = ev.details or {}
    row = Phrase(f"row {details['row']}", "row", {"number": details["row"]}) \
        if details.get("row") else Phrase(f"event {index + 1}", "event", {"number": index + 1})
    file = details.get("file", "import")
    return Phrase(f"{file}, {row} (key {ev.natural_key!r})", "event_label",
                  {"file": file, "place": row, "key": repr(ev.natural_key)})


def _refuse_rejects(files: Sequence[FileResult]) -> None:
    for f in files:
        if f.rows_rejected:
            rejects = getattr(f, "rejects", None) or []
            first = Phrase(f" The first: {rejects[0].render()}", "first_reject",
                           {"reject": rejects[0].phrase()}) if rejects else ""
            raise InputFileError(f"{f.rows_rejected} of {f.rows_in} rows were rejected by the "
                                 f"{f.importer} importer.{first} Nothing was imported.",
                                 where=str(f.path), fix="correct or remove those rows and import "
                                 "again.", key="ledger_rows_rejected", params={
                                     "rejected": f.rows_rejected, "rows": f.rows_in,
                                     "importer": f.importer, "first": first})


def _validate(files: Sequence[FileResult], events: Sequence[IncomeEvent]
              ) -> tuple[list[_Row], int]:
    """All rows, checked and de-duplicated; the first bad one raises InputFileError."""
    _refuse_rejects(files)
    rows: dict[tuple[str, str], _Row] = {}
    duplicates = 0
    for i, ev in enumerate(events):
        where = _row_label(ev, i)
        try:
            values = event_values(ev)
        except KreatorError as exc:
            raise InputFileError(f"{exc.message} Nothing was imported.", field=exc.field,
                                 fix=exc.fix_phrase(), where=where, key="nothing_imported",
                                 params={"message": exc.phrase()}) from None
        key = (values["stream"], values["natural_key"])
        seen = rows.get(key)
        if seen is None:
            rows[key] = _Row(where, values)
        elif same(seen.values, values):
            duplicates += 1
        else:
            raise InputFileError(f"the same {key[0]} key {key[1]!r} comes twice with "
                                 f"different values (first at {seen.where}). Nothing was "
                                 "imported.", field="natural_key", where=where,
                                 fix="remove one of the two rows.", key="ledger_same_key",
                                 params={"stream": key[0], "key": repr(key[1]),
                                         "first": seen.where})
    return list(rows.values()), duplicates


def _file_rows(run_id: int, files: Sequence[FileResult]) -> list[ImportFile]:
    return [ImportFile(run_id=run_id, path=str(f.path), sha256=f.sha256, importer=f.importer,
                       rows_in=f.rows_in, rows_ok=f.rows_ok, rows_rejected=f.rows_rejected,
                       events=len(f.events)) for f in files]


def _record_failed(ledger: Ledger, cid: int, files: Sequence[FileResult],
                   exc: KreatorError) -> int:
    with ledger.write() as s:
        run = ImportRun(creator_id=cid, status="failed", finished_at=utcnow(),
                        host=socket.gethostname(), pid=os.getpid(), error=exc.render(),
                        rows_in=sum(f.rows_in for f in files), rows_ok=0,
                        rows_rejected=sum(f.rows_in for f in files))
        s.add(run)
        s.flush()
        s.add_all(_file_rows(run.id, files))
        return run.id


def record_failure(ledger: Ledger, creator: str | None, exc: KreatorError) -> KreatorError:
    """Keep a ``failed`` run for an import whose files could not be read; the error to show.

    The importers' own advice to drop ``--strict`` does not apply: the ledger is always strict."""
    if exc.fix and "--strict" in exc.fix:
        exc = type(exc)(f"{exc.message} Nothing was imported.", field=exc.field, where=exc.where,
                        fix="correct or remove that row, then import again (the ledger imports "
                        "all rows or none).", key="ledger_all_or_none",
                        params={"message": exc.phrase()})
    cid, _ = ledger.creator_id(creator, create=True)
    _record_failed(ledger, cid, (), exc)
    return exc


def _start(ledger: Ledger, cid: int, files: Sequence[FileResult], batch_size: int) -> int:
    with ledger.write() as s:
        run = ImportRun(creator_id=cid, status="running", host=socket.gethostname(),
                        pid=os.getpid(), batch_size=batch_size,
                        rows_in=sum(f.rows_in for f in files),
                        rows_ok=sum(f.rows_ok for f in files),
                        rows_rejected=sum(f.rows_rejected for f in files))
        s.add(run)
        s.flush()
        s.add_all(_file_rows(run.id, files))
        return run.id


def _counts(summary: ImportSummary, files: Sequence[FileResult]) -> None:
    summary.files = [{"path": str(f.path), "sha256": f.sha256, "importer": f.importer,
                      "rows_in": f.rows_in, "rows_ok": f.rows_ok,
                      "rows_rejected": f.rows_rejected, "events": len(f.events)} for f in files]
    summary.rows_in = sum(f.rows_in for f in files)
    summary.rows_ok = sum(f.rows_ok for f in files)
    summary.rows_rejected = sum(f.rows_rejected for f in files)


def _insert(s: Session, dialect: str, rows: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """Insert what is new; the (stream, natural key) of each row actually inserted."""
    table = Event.__table__
    stmt = upsert(dialect, table).on_conflict_do_nothing(
        index_elements=["creator_id", "stream", "natural_key"])
    result = s.connection().execute(stmt.returning(table.c.stream, table.c.natural_key), rows)
    return {(a, b) for a, b in result}


def _write_batch(ledger: Ledger, cid: int, summary: ImportSummary, batch: list[_Row],
                 point: crashpoints.Point = None) -> None:
    now = utcnow()
    rows = [{**r.values, "creator_id": cid, "import_run_id": summary.run_id, "created_at": now,
             "updated_at": now} for r in batch]
    with ledger.write() as s:
        inserted = _insert(s, ledger.dialect, rows)
        crashpoints.reach(point, "batch", summary.batches + 1)
        rest = {(r["stream"], r["natural_key"]): r for r in rows
                if (r["stream"], r["natural_key"]) not in inserted}
        changed = _changed(s, cid, rest)
        for event_id, values in changed:
            s.execute(update(Event).where(Event.id == event_id).values(
                **{k: values[k] for k in UPDATED}, import_run_id=summary.run_id,
                updated_at=now))
        summary.new += len(inserted)
        summary.updated += len(changed)
        summary.unchanged += len(rest) - len(changed)
        summary.batches += 1
        s.execute(update(ImportRun).where(ImportRun.id == summary.run_id).values(
            heartbeat_at=now, batches_done=summary.batches, events_new=summary.new,
            events_unchanged=summary.unchanged, events_updated=summary.updated))
        crashpoints.reach(point, "commit", summary.batches)


def _changed(s: Session, cid: int, rest: dict[tuple[str, str], dict[str, Any]]
             ) -> list[tuple[int, dict[str, Any]]]:
    """Rows already in the ledger whose stored values differ from the incoming ones."""
    by_stream: dict[str, list[str]] = {}
    for stream, key in rest:
        by_stream.setdefault(stream, []).append(key)
    cols = [getattr(Event, k) for k in UPDATED]
    out = []
    for stream, keys in by_stream.items():  # (creator, stream, key IN ...) uses the unique index
        for start in range(0, len(keys), LOOKUP_CHUNK):
            stmt = select(Event.id, Event.stream, Event.natural_key, *cols).where(
                Event.creator_id == cid, Event.stream == stream,
                Event.natural_key.in_(keys[start:start + LOOKUP_CHUNK]))
            for row in s.execute(stmt):
                incoming = rest[(row.stream, row.natural_key)]
                if not same(dict(row._mapping), incoming):
                    out.append((row.id, incoming))
    return out


def _finish(ledger: Ledger, cid: int, summary: ImportSummary, profile: dict[str, Any] | None,
            taken_on: dt.date) -> None:
    with ledger.write() as s:
        if profile:
            metrics = json.loads(json.dumps(profile, default=str))
            stmt = upsert(ledger.dialect, ProfileSnapshot).values(
                creator_id=cid, taken_on=taken_on, source="import", metrics=metrics,
                import_run_id=summary.run_id, created_at=utcnow())
            s.execute(stmt.on_conflict_do_update(
                index_elements=["creator_id", "taken_on", "source"],
                set_={"metrics": metrics, "import_run_id": summary.run_id}))
            summary.profiles = 1
        s.execute(update(ImportRun).where(ImportRun.id == summary.run_id).values(
            status="done", finished_at=utcnow(), heartbeat_at=utcnow(),
            events_total=summary.events, events_duplicate=summary.duplicates))
    summary.status = "done"
