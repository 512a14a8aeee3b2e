"""link indexes: a covering (key, applicant_id) index; indexes that a unique constraint duplicates dropped

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 19:00:00.000000

The link stage reads a key's holders from ``ix_applicant_key_key_applicant_id`` alone. The single
column indexes on ``applicant_key.applicant_id`` and ``applicant_message.message_pk`` were the leading
columns of the unique constraints (applicant_id, key) and (message_pk, position), which serve the same
lookups; each link wrote them for nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_applicant_key_key_applicant_id", "applicant_key", ["key", "applicant_id"])
    op.drop_index("ix_applicant_key_key", table_name="applicant_key")
    op.drop_index("ix_applicant_key_applicant_id", table_name="applicant_key")
    op.drop_index("ix_applicant_message_message_pk", table_name="applicant_message")


def downgrade() -> None:
    op.create_index("ix_applicant_message_message_pk", "applicant_message", ["message_pk"])
    op.create_index("ix_applicant_key_applicant_id", "applicant_key", ["applicant_id"])
    op.create_index("ix_applicant_key_key", "applicant_key", ["key"])
    op.drop_index("ix_applicant_key_key_applicant_id", table_name="applicant_key")
