"""The ledger: one object over one database, with the operations every surface uses.

``open_ledger()`` resolves the database (``--db`` / ``KREATOR_DB`` / the default file), upgrades
its schema, and marks import runs whose process died as ``aborted`` (see :meth:`Ledger.recover`).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Engine, Select, delete, false, func, select, update
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kreator.core.errors import LedgerError, Phrase
from kreator.core.events import IncomeEvent
from kreator.ledger import db
from kreator.ledger.entries import EventView, check_stream, event_values, new_key
from kreator.ledger.models import (
    Calibration,
    Creator,
    EstimateSnapshot,
    Event,
    ImportRun,
    ProfileSnapshot,
    utcnow,
)

__all__ = ["EventFilter", "Ledger", "new_key", "open_ledger"]  # new_key: used by kreator.web

S = TypeVar("S", bound=Select[*tuple[Any, ...]])

#: A run on another host is taken as dead when its heartbeat is older than this.
STALE_AFTER = dt.timedelta(minutes=10)
DEFAULT_CREATOR = "me"
MAX_ID = 2**63 - 1  # ids, run numbers and limits are 64-bit integers in the database


@dataclass(frozen=True)
class EventFilter:
    """What ``list``/``export`` select; every field is optional."""

    creator: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    streams: Sequence[str] = ()
    source: str | None = None
    currency: str | None = None
    run_id: int | None = None
    limit: int | None = None


class Ledger:
    """An open ledger database."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self.engine = engine
        self.url = url

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def where(self) -> str:
        return db.shown(self.url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with db.failures(self.url), Session(self.engine) as s:
            yield s

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose transaction holds the write lock from its start and commits at the end."""
        with db.failures(self.url), Session(db.writer(self.engine)) as s, s.begin():
            yield s

    # creators ---------------------------------------------------------------------------------

    def creators(self) -> list[str]:
        with self.read() as s:
            return list(s.scalars(select(Creator.name).order_by(Creator.name)))

    def creator_id(self, name: str | None, *, create: bool = False) -> tuple[int, str]:
        """The id of creator ``name``; with no name, the ledger's only creator (or "me")."""
        with self.read() as s:
            names = dict(s.execute(select(Creator.name, Creator.id)).all())
        if name is None:
            if len(names) > 1:
                raise LedgerError("this ledger holds several creators.", field="creator",
                                  fix=f"give --creator, one of: {', '.join(sorted(names))}.",
                                  key="several_creators",
                                  params={"choices": ", ".join(sorted(names))})
            name = next(iter(names), DEFAULT_CREATOR)
        name = name.strip()
        if name in names:
            return names[name], name
        if not create:
            known = ", ".join(sorted(names)) or Phrase("none yet", "none_yet")
            raise LedgerError(f"no creator '{name}' in the ledger ({known}).", field="creator",
                              fix="check the name, or add income for them first.",
                              key="no_such_creator", params={"name": name, "known": known})
        if not name or len(name) > 120:
            raise LedgerError("a creator name must be 1-120 characters.", field="creator",
                              fix="give --creator NAME.", key="creator_name")
        return self._insert_creator(name), name

    def _insert_creator(self, name: str) -> int:
        try:
            with self.write() as s:
                row = Creator(name=name)
                s.add(row)
                s.flush()
                return row.id
        except IntegrityError:  # created by a concurrent process just now
            with self.read() as s:
                return s.scalars(select(Creator.id).where(Creator.name == name)).one()

    # events -----------------------------------------------------------------------------------

    def add(self, creator: str | None, ev: IncomeEvent) -> tuple[EventView, bool]:
        """Add one event; ``False`` when the same (stream, natural key) was already there."""
        values = event_values(ev)
        cid, name = self.creator_id(creator, create=True)
        now = utcnow()
        table = Event.__table__
        stmt = db.upsert(self.dialect, table).values(
            creator_id=cid, created_at=now, updated_at=now, **values).on_conflict_do_nothing(
            index_elements=["creator_id", "stream", "natural_key"]).returning(table.c.id)
        with self.write() as s:
            new_id = s.execute(stmt).scalar()
            row = s.scalars(select(Event).where(
                Event.creator_id == cid, Event.stream == values["stream"],
                Event.natural_key == values["natural_key"])).one()
            return EventView.from_row(row, name), new_id is not None

    def delete(self, event_id: int, creator: str | None = None) -> bool:
        """Remove one entry (of ``creator``, when given); False when there was no such entry."""
        if not 0 < event_id <= MAX_ID:
            return False
        with self.write() as s:
            stmt = delete(Event).where(Event.id == event_id)
            if creator is not None:
                stmt = stmt.where(Event.creator_id == self.creator_id(creator)[0])
            result: Any = s.execute(stmt)
            return bool(result.rowcount)

    def events(self, flt: EventFilter = EventFilter()) -> list[EventView]:
        with self.read() as s:
            stmt = self._filtered(select(Event, Creator.name), flt)
            stmt = stmt.order_by(Event.date, Event.id)
            if flt.limit:
                stmt = stmt.limit(min(max(flt.limit, 0), MAX_ID))
            return [EventView.from_row(ev, name) for ev, name in s.execute(stmt)]

    def _filtered(self, stmt: S, flt: EventFilter) -> S:
        """``stmt`` joined to the creator and narrowed by ``flt``."""
        stmt = stmt.join(Creator, Creator.id == Event.creator_id)
        if flt.creator is not None:
            stmt = stmt.where(Event.creator_id == self.creator_id(flt.creator)[0])
        if flt.since:
            stmt = stmt.where(Event.date >= flt.since)
        if flt.until:
            stmt = stmt.where(Event.date <= flt.until)
        if flt.streams:
            stmt = stmt.where(Event.stream.in_([check_stream(x) for x in flt.streams]))
        if flt.source:
            stmt = stmt.where(Event.source == flt.source)
        if flt.currency:
            stmt = stmt.where(Event.currency == flt.currency.upper())
        if flt.run_id is not None:  # a number no run can have matches nothing
            stmt = stmt.where(Event.import_run_id == flt.run_id if 0 < flt.run_id <= MAX_ID
                              else false())
        return stmt

    def count(self) -> int:
        with self.read() as s:
            return int(s.scalar(select(func.count()).select_from(Event)) or 0)

    # import runs ------------------------------------------------------------------------------

    def runs(self, creator: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        with self.read() as s:
            stmt = select(ImportRun, Creator.name).join(Creator).order_by(ImportRun.id.desc())
            if creator is not None:
                stmt = stmt.where(ImportRun.creator_id == self.creator_id(creator)[0])
            limit = min(max(limit, 0), MAX_ID)
            return [_run_dict(run, name) for run, name in s.execute(stmt.limit(limit))]

    def recover(self) -> list[int]:
        """Mark runs left ``running`` by a process that no longer exists as ``aborted``.

        A run on this host is dead when its pid is gone; a run on another host (a shared
        PostgreSQL ledger) when its heartbeat is older than ``STALE_AFTER``. Its committed batches
        stay: they are whole, and re-running the same files adds exactly what is missing."""
        host, now = socket.gethostname(), utcnow()
        with self.read() as s:
            running = s.execute(select(ImportRun.id, ImportRun.host, ImportRun.pid,
                                       ImportRun.heartbeat_at)
                                .where(ImportRun.status == "running")).all()
        dead = [rid for rid, h, pid, beat in running
                if (h == host and not _alive(pid)) or (h != host and now - beat > STALE_AFTER)]
        if dead:
            with self.write() as s:
                s.execute(update(ImportRun).where(ImportRun.id.in_(dead),
                                                  ImportRun.status == "running")
                          .values(status="aborted", finished_at=now,
                                  error="the importing process stopped before it finished; "
                                        "re-run the same import to complete it"))
        return dead

    # snapshots and calibration ----------------------------------------------------------------

    def save_profile(self, creator: str | None, metrics: dict[str, Any], taken_on: dt.date,
                     source: str, run_id: int | None = None) -> int:
        """Keep ``metrics`` as the creator's profile on ``taken_on`` (replacing the same day's
        snapshot from the same source)."""
        cid, _ = self.creator_id(creator, create=True)
        stmt = db.upsert(self.dialect, ProfileSnapshot).values(
            creator_id=cid, taken_on=taken_on, source=source, metrics=metrics,
            import_run_id=run_id, created_at=utcnow())
        stmt = stmt.on_conflict_do_update(index_elements=["creator_id", "taken_on", "source"],
                                          set_={"metrics": metrics, "import_run_id": run_id})
        with self.write() as s:
            s.execute(stmt)
            return int(s.scalars(select(ProfileSnapshot.id).where(
                ProfileSnapshot.creator_id == cid, ProfileSnapshot.taken_on == taken_on,
                ProfileSnapshot.source == source)).one())

    def latest_profile(self, creator: str | None) -> dict[str, Any] | None:
        cid, _ = self.creator_id(creator)
        with self.read() as s:
            row = s.scalars(select(ProfileSnapshot).where(ProfileSnapshot.creator_id == cid)
                            .order_by(ProfileSnapshot.taken_on.desc(), ProfileSnapshot.id.desc())
                            ).first()
            return None if row is None else dict(row.metrics)

    def save_estimate(self, creator: str | None, estimate: dict[str, Any], as_of: dt.date,
                      calibration: dict[str, Decimal], label: str = "") -> int:
        cid, _ = self.creator_id(creator, create=True)
        with self.write() as s:
            row = EstimateSnapshot(creator_id=cid, as_of=as_of, label=label,
                                   card_id=str(estimate["card"]["id"]),
                                   currency=str(estimate["currency"]), estimate=estimate,
                                   calibration={k: str(v) for k, v in calibration.items()})
            s.add(row)
            s.flush()
            return row.id

    def estimate_snapshot(self, creator: str | None, snapshot_id: int | None = None
                          ) -> EstimateSnapshot:
        cid, name = self.creator_id(creator)
        with self.read() as s:
            stmt = select(EstimateSnapshot).where(EstimateSnapshot.creator_id == cid)
            if snapshot_id is not None:  # a number no estimate can have matches nothing
                stmt = stmt.where(EstimateSnapshot.id == snapshot_id
                                  if 0 < snapshot_id <= MAX_ID else false())
            row = s.scalars(stmt.order_by(EstimateSnapshot.as_of.desc(),
                                          EstimateSnapshot.id.desc())).first()
            if row is None:
                raise _no_estimate(name, snapshot_id)
            s.expunge(row)
            return row

    def estimate_snapshots(self, creator: str | None) -> list[EstimateSnapshot]:
        """Every estimate saved for the creator, oldest first (at least one, else the error
        :meth:`estimate_snapshot` gives)."""
        cid, _ = self.creator_id(creator)
        with self.read() as s:
            rows = list(s.scalars(select(EstimateSnapshot).where(EstimateSnapshot.creator_id == cid)
                                  .order_by(EstimateSnapshot.as_of, EstimateSnapshot.id)))
            for row in rows:
                s.expunge(row)
        return rows or [self.estimate_snapshot(creator)]

    def calibration(self, creator: str | None) -> dict[str, Decimal]:
        cid, _ = self.creator_id(creator)
        with self.read() as s:
            rows = s.execute(select(Calibration.stream, Calibration.multiplier)
                             .where(Calibration.creator_id == cid)).all()
        return dict(rows)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _run_dict(run: ImportRun, creator: str) -> dict[str, Any]:
    keys = ("id", "status", "batch_size", "batches_done", "rows_in", "rows_ok", "rows_rejected",
            "events_total", "events_new", "events_unchanged", "events_updated",
            "events_duplicate", "error", "host", "pid")
    out: dict[str, Any] = {k: getattr(run, k) for k in keys}
    out["creator"] = creator
    out["started_at"] = run.started_at.isoformat(timespec="seconds")
    out["finished_at"] = run.finished_at.isoformat(timespec="seconds") if run.finished_at else None
    return out


def open_ledger(url: str | None = None, *, recover: bool = True) -> Ledger:
    """Open (creating and migrating if needed) the ledger at ``url`` / ``$KREATOR_DB`` / default."""
    engine, resolved = db.connect(url)
    ledger = Ledger(engine, resolved)
    if recover:
        ledger.recover()
    return ledger


def _no_estimate(name: str, snapshot_id: int | None) -> LedgerError:
    if snapshot_id is None:
        return LedgerError(f"no estimate saved for creator '{name}'.", field="estimate",
                           fix=f"save one first: kreator ledger estimate --creator {name} "
                           "--profile FILE (or --demo).", key="no_estimate", params={"name": name})
    return LedgerError(f"no estimate {snapshot_id} saved for creator '{name}'.", field="estimate",
                       fix="leave out --estimate to use the latest, or give the id kreator "
                       "ledger estimate printed.", key="no_such_estimate",
                       params={"id": str(snapshot_id), "name": name})
