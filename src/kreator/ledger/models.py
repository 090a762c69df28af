"""The ledger's tables (SQLAlchemy 2 declarative models).

Money columns are integer minor units (``amount_minor``) beside an ISO 4217 ``currency``; exact
non-money decimals (exchange rates, original amounts in diamonds, multipliers) are stored as
canonical decimal text, so no value ever passes through a float. The schema itself is created
and changed only by the Alembic migrations in ``kreator/ledger/migrations``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

#: A 64-bit id that is still SQLite's rowid alias (INTEGER PRIMARY KEY).
BigId = BigInteger().with_variant(Integer(), "sqlite")


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal stored as its exact text (portable, never a float)."""

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else format(Decimal(value), "f")

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


def utcnow() -> dt.datetime:
    """Naive UTC (stored the same way on SQLite and PostgreSQL)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Creator(Base):
    """A creator whose income is kept (an agency's ledger holds many)."""

    __tablename__ = "creator"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ImportRun(Base):
    """One ``kreator ledger import``: its files, status and counts."""

    __tablename__ = "import_run"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creator.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))  # running | done | failed | aborted
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    heartbeat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    host: Mapped[str] = mapped_column(String(255), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    batch_size: Mapped[int] = mapped_column(Integer, default=0)
    batches_done: Mapped[int] = mapped_column(Integer, default=0)
    rows_in: Mapped[int] = mapped_column(Integer, default=0)
    rows_ok: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    events_total: Mapped[int] = mapped_column(Integer, default=0)
    events_new: Mapped[int] = mapped_column(Integer, default=0)
    events_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    events_updated: Mapped[int] = mapped_column(Integer, default=0)
    events_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        CheckConstraint("status in ('running', 'done', 'failed', 'aborted')",
                        name="ck_import_run_status"),
        Index("ix_import_run_status", "status"),
    )


class ImportFile(Base):
    """A file read by an import run, with its hash and row counts."""

    __tablename__ = "import_file"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("import_run.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    importer: Mapped[str] = mapped_column(String(64))
    rows_in: Mapped[int] = mapped_column(Integer, default=0)
    rows_ok: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    events: Mapped[int] = mapped_column(Integer, default=0)


class Event(Base):
    """One income event. The same (creator, stream, natural key) is the same earning."""

    __tablename__ = "income_event"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creator.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    stream: Mapped[str] = mapped_column(String(32))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(String(64))
    natural_key: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    original_amount: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    original_currency: Mapped[str | None] = mapped_column(String(16))
    fx_rate: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    fx_source: Mapped[str | None] = mapped_column(String(255))
    fx_date: Mapped[str | None] = mapped_column(String(32))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    import_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_run.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (
        UniqueConstraint("creator_id", "stream", "natural_key", name="uq_event_key"),
        Index("ix_event_creator_date", "creator_id", "date"),
        CheckConstraint("length(currency) = 3", name="ck_event_currency"),
    )


class ProfileSnapshot(Base):
    """A creator's metrics at a date (from an analytics import or typed in)."""

    __tablename__ = "profile_snapshot"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creator.id", ondelete="CASCADE"))
    taken_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(64))
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON)
    import_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_run.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("creator_id", "taken_on", "source",
                                       name="uq_profile_snapshot"),)


class EstimateSnapshot(Base):
    """A saved Estimate (the JSON contract), to compare with the income that came later."""

    __tablename__ = "estimate_snapshot"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creator.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    as_of: Mapped[dt.date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(200), default="")
    card_id: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    calibration: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    estimate: Mapped[dict[str, Any]] = mapped_column(JSON)


class Calibration(Base):
    """A creator's multiplier on one stream's typical rate, learned from actual income."""

    __tablename__ = "calibration"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    creator_id: Mapped[int] = mapped_column(ForeignKey("creator.id", ondelete="CASCADE"))
    stream: Mapped[str] = mapped_column(String(32))
    multiplier: Mapped[Decimal] = mapped_column(ExactDecimal)
    months: Mapped[int] = mapped_column(Integer)
    ratio: Mapped[Decimal] = mapped_column(ExactDecimal)
    credibility: Mapped[Decimal] = mapped_column(ExactDecimal)
    estimate_id: Mapped[int | None] = mapped_column(
        ForeignKey("estimate_snapshot.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("creator_id", "stream", name="uq_calibration"),)
