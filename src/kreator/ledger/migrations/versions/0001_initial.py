"""Initial schema: creators, income events, import runs and files, snapshots, calibration.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Kept local so this migration never changes when the models do.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
EXACT = sa.String(64)  # an exact decimal as text (kreator.ledger.models.ExactDecimal)


def _id() -> sa.Column[int]:
    return sa.Column("id", ID, primary_key=True)


def _creator() -> sa.Column[int]:
    return sa.Column("creator_id", ID, sa.ForeignKey("creator.id", ondelete="CASCADE"),
                     nullable=False)


def _run_ref(name: str = "import_run_id") -> sa.Column[int]:
    return sa.Column(name, ID, sa.ForeignKey("import_run.id", ondelete="SET NULL"), nullable=True)


def upgrade() -> None:
    op.create_table(
        "creator", _id(),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    counts = ("batch_size", "batches_done", "rows_in", "rows_ok", "rows_rejected", "events_total",
              "events_new", "events_unchanged", "events_updated", "events_duplicate")
    op.create_table(
        "import_run", _id(), _creator(),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        *(sa.Column(c, sa.Integer(), nullable=False) for c in counts),
        sa.Column("error", sa.Text(), nullable=False),
        sa.CheckConstraint("status in ('running', 'done', 'failed', 'aborted')",
                           name="ck_import_run_status"),
    )
    op.create_index("ix_import_run_status", "import_run", ["status"])
    op.create_table(
        "import_file", _id(),
        sa.Column("run_id", ID, sa.ForeignKey("import_run.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("importer", sa.String(64), nullable=False),
        *(sa.Column(c, sa.Integer(), nullable=False)
          for c in ("rows_in", "rows_ok", "rows_rejected", "events")),
    )
    op.create_index("ix_import_file_sha256", "import_file", ["sha256"])
    op.create_table(
        "income_event", _id(), _creator(),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("stream", sa.String(32), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("natural_key", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("original_amount", EXACT, nullable=True),
        sa.Column("original_currency", sa.String(16), nullable=True),
        sa.Column("fx_rate", EXACT, nullable=True),
        sa.Column("fx_source", sa.String(255), nullable=True),
        sa.Column("fx_date", sa.String(32), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        _run_ref(),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("creator_id", "stream", "natural_key", name="uq_event_key"),
        sa.CheckConstraint("length(currency) = 3", name="ck_event_currency"),
    )
    op.create_index("ix_event_creator_date", "income_event", ["creator_id", "date"])
    op.create_table(
        "profile_snapshot", _id(), _creator(),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        _run_ref(),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("creator_id", "taken_on", "source", name="uq_profile_snapshot"),
    )
    op.create_table(
        "estimate_snapshot", _id(), _creator(),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("card_id", sa.String(64), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("calibration", sa.JSON(), nullable=False),
        sa.Column("estimate", sa.JSON(), nullable=False),
    )
    op.create_table(
        "calibration", _id(), _creator(),
        sa.Column("stream", sa.String(32), nullable=False),
        sa.Column("multiplier", EXACT, nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("ratio", EXACT, nullable=False),
        sa.Column("credibility", EXACT, nullable=False),
        sa.Column("estimate_id", ID, sa.ForeignKey("estimate_snapshot.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("creator_id", "stream", name="uq_calibration"),
    )


def downgrade() -> None:
    for table in ("calibration", "estimate_snapshot", "profile_snapshot", "income_event",
                  "import_file", "import_run", "creator"):
        op.drop_table(table)
