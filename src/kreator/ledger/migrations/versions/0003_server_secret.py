"""Server secrets kept in the database (the CSRF signing key), so that every server process,
and a restarted one, signs and checks forms with the same key.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "server_secret",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(128), nullable=False),
    )
    op.create_index("ix_web_session_user", "web_session", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_web_session_user", "web_session")
    op.drop_table("server_secret")
