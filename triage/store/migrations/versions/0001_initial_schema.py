"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 15:37:45.450286
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)

    op.create_table(
        "folder_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mailbox", sa.String(length=64), nullable=False),
        sa.Column("folder", sa.String(length=255), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=True),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("last_poll_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_folder_state")),
        sa.UniqueConstraint("mailbox", "folder", name="uq_folder_state_mailbox_folder"),
    )
    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("message_id_header", sa.String(length=512), nullable=True),
        sa.Column("raw", sa.LargeBinary(), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("is_oversized", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("failed_stage", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("parsed", sa.JSON(), nullable=True),
        sa.Column("parser", sa.String(length=16), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("date_sent", sa.DateTime(timezone=True), nullable=True),
        sa.Column("author_email", sa.String(length=320), nullable=True),
        sa.Column("author_name", sa.String(length=320), nullable=True),
        sa.Column("is_forward", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=True),
        sa.Column("category_rule", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("embassy_code", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_message_dedupe_key")),
    )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_author_email"), ["author_email"], unique=False)
        batch_op.create_index(batch_op.f("ix_message_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_message_embassy_code"), ["embassy_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_message_message_id_header"), ["message_id_header"], unique=False)
        batch_op.create_index(batch_op.f("ix_message_sha256"), ["sha256"], unique=False)
        batch_op.create_index("ix_message_status_id", ["status", "id"], unique=False)

    op.create_table(
        "message_copy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_pk", sa.Integer(), nullable=False),
        sa.Column("mailbox", sa.String(length=64), nullable=False),
        sa.Column("folder", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=True),
        sa.Column("uid", sa.BigInteger(), nullable=True),
        sa.Column("embassy_code", sa.String(length=32), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_flagged", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_pk"],
            ["message.id"],
            name=op.f("fk_message_copy_message_pk_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_copy")),
        sa.UniqueConstraint("mailbox", "folder", "key", name="uq_message_copy_key"),
        sa.UniqueConstraint("mailbox", "folder", "uidvalidity", "uid", name="uq_message_copy_uid"),
    )
    with op.batch_alter_table("message_copy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_copy_embassy_code"), ["embassy_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_message_copy_message_pk"), ["message_pk"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("message_copy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_copy_message_pk"))
        batch_op.drop_index(batch_op.f("ix_message_copy_embassy_code"))

    op.drop_table("message_copy")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index("ix_message_status_id")
        batch_op.drop_index(batch_op.f("ix_message_sha256"))
        batch_op.drop_index(batch_op.f("ix_message_message_id_header"))
        batch_op.drop_index(batch_op.f("ix_message_embassy_code"))
        batch_op.drop_index(batch_op.f("ix_message_category"))
        batch_op.drop_index(batch_op.f("ix_message_author_email"))

    op.drop_table("message")
    op.drop_table("folder_state")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))

    op.drop_table("audit_event")
