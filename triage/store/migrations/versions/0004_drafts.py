"""drafts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 16:36:35.299785
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_pk", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=True),
        sa.Column("embassy_code", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("template_sha256", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("from_address", sa.String(length=320), nullable=False),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("to_name", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("outbound_message_id", sa.String(length=255), nullable=False),
        sa.Column("in_reply_to", sa.String(length=512), nullable=True),
        sa.Column("references", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=128), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("smtp_reply", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["applicant_id"], ["applicant.id"], name=op.f("fk_draft_applicant_id_applicant")
        ),
        sa.ForeignKeyConstraint(
            ["message_pk"], ["message.id"], name=op.f("fk_draft_message_pk_message"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft")),
        sa.UniqueConstraint("outbound_message_id", name=op.f("uq_draft_outbound_message_id")),
    )
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_applicant_id"), ["applicant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_draft_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_draft_embassy_code"), ["embassy_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_draft_message_pk"), ["message_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_draft_state"), ["state"], unique=False)
        batch_op.create_index("ix_draft_state_id", ["state", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_draft_to_address"), ["to_address"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_to_address"))
        batch_op.drop_index("ix_draft_state_id")
        batch_op.drop_index(batch_op.f("ix_draft_state"))
        batch_op.drop_index(batch_op.f("ix_draft_message_pk"))
        batch_op.drop_index(batch_op.f("ix_draft_embassy_code"))
        batch_op.drop_index(batch_op.f("ix_draft_created_at"))
        batch_op.drop_index(batch_op.f("ix_draft_applicant_id"))

    op.drop_table("draft")
