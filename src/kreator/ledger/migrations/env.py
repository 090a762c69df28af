"""Alembic environment for the ledger: run programmatically by ``kreator.ledger.db.migrate``.

The caller passes an open connection (already inside a write transaction that holds the
migration lock) as ``config.attributes["connection"]``; offline (SQL script) mode is not used.
"""

from __future__ import annotations

from alembic import context

from kreator.ledger.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by a misconfigured `alembic` call
    raise RuntimeError("run ledger migrations through kreator.ledger.db.migrate(engine)")

context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
