"""applicants

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 16:27:55.481903
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "applicant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("full_name", sa.String(length=320), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("nationality", sa.String(length=2), nullable=True),
        sa.Column("country_of_residence", sa.String(length=2), nullable=True),
        sa.Column("date_of_birth", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=128), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("military_experience", sa.Boolean(), nullable=True),
        sa.Column("message_count", sa.Integer(), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["applicant.id"], name=op.f("fk_applicant_merged_into_id_applicant")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicant")),
    )
    with op.batch_alter_table("applicant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applicant_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_applicant_full_name"), ["full_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_applicant_merged_into_id"), ["merged_into_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_applicant_military_experience"), ["military_experience"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_applicant_nationality"), ["nationality"], unique=False)
        batch_op.create_index(batch_op.f("ix_applicant_phone"), ["phone"], unique=False)
        batch_op.create_index(batch_op.f("ix_applicant_status"), ["status"], unique=False)

    op.create_table(
        "applicant_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["applicant_id"],
            ["applicant.id"],
            name=op.f("fk_applicant_key_applicant_id_applicant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicant_key")),
        sa.UniqueConstraint("applicant_id", "key", name="uq_applicant_key_applicant_key"),
    )
    with op.batch_alter_table("applicant_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applicant_key_applicant_id"), ["applicant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_applicant_key_key"), ["key"], unique=False)

    op.create_table(
        "applicant_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("message_pk", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("extracted", sa.JSON(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["applicant_id"], ["applicant.id"], name=op.f("fk_applicant_message_applicant_id_applicant")
        ),
        sa.ForeignKeyConstraint(
            ["message_pk"],
            ["message.id"],
            name=op.f("fk_applicant_message_message_pk_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicant_message")),
        sa.UniqueConstraint("message_pk", "position", name="uq_applicant_message_position"),
    )
    with op.batch_alter_table("applicant_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applicant_message_applicant_id"), ["applicant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_applicant_message_message_pk"), ["message_pk"], unique=False)

    op.create_table(
        "cannot_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_a_id", sa.Integer(), nullable=False),
        sa.Column("applicant_b_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["applicant_a_id"], ["applicant.id"], name=op.f("fk_cannot_link_applicant_a_id_applicant")
        ),
        sa.ForeignKeyConstraint(
            ["applicant_b_id"], ["applicant.id"], name=op.f("fk_cannot_link_applicant_b_id_applicant")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cannot_link")),
        sa.UniqueConstraint("applicant_a_id", "applicant_b_id", name="uq_cannot_link_pair"),
    )
    with op.batch_alter_table("cannot_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cannot_link_applicant_a_id"), ["applicant_a_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cannot_link_applicant_b_id"), ["applicant_b_id"], unique=False)

    op.create_table(
        "link_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_pk", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["applicant_id"], ["applicant.id"], name=op.f("fk_link_decision_applicant_id_applicant")
        ),
        sa.ForeignKeyConstraint(
            ["message_pk"],
            ["message.id"],
            name=op.f("fk_link_decision_message_pk_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_decision")),
    )
    with op.batch_alter_table("link_decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_decision_applicant_id"), ["applicant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_link_decision_message_pk"), ["message_pk"], unique=False)

    op.create_table(
        "merge_suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_a_id", sa.Integer(), nullable=False),
        sa.Column("applicant_b_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["applicant_a_id"], ["applicant.id"], name=op.f("fk_merge_suggestion_applicant_a_id_applicant")
        ),
        sa.ForeignKeyConstraint(
            ["applicant_b_id"], ["applicant.id"], name=op.f("fk_merge_suggestion_applicant_b_id_applicant")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_suggestion")),
        sa.UniqueConstraint("applicant_a_id", "applicant_b_id", name="uq_merge_suggestion_pair"),
    )
    with op.batch_alter_table("merge_suggestion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_merge_suggestion_applicant_a_id"), ["applicant_a_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_merge_suggestion_applicant_b_id"), ["applicant_b_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_merge_suggestion_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("merge_suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_merge_suggestion_status"))
        batch_op.drop_index(batch_op.f("ix_merge_suggestion_applicant_b_id"))
        batch_op.drop_index(batch_op.f("ix_merge_suggestion_applicant_a_id"))

    op.drop_table("merge_suggestion")
    with op.batch_alter_table("link_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_decision_message_pk"))
        batch_op.drop_index(batch_op.f("ix_link_decision_applicant_id"))

    op.drop_table("link_decision")
    with op.batch_alter_table("cannot_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cannot_link_applicant_b_id"))
        batch_op.drop_index(batch_op.f("ix_cannot_link_applicant_a_id"))

    op.drop_table("cannot_link")
    with op.batch_alter_table("applicant_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applicant_message_message_pk"))
        batch_op.drop_index(batch_op.f("ix_applicant_message_applicant_id"))

    op.drop_table("applicant_message")
    with op.batch_alter_table("applicant_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applicant_key_key"))
        batch_op.drop_index(batch_op.f("ix_applicant_key_applicant_id"))

    op.drop_table("applicant_key")
    with op.batch_alter_table("applicant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applicant_status"))
        batch_op.drop_index(batch_op.f("ix_applicant_phone"))
        batch_op.drop_index(batch_op.f("ix_applicant_nationality"))
        batch_op.drop_index(batch_op.f("ix_applicant_military_experience"))
        batch_op.drop_index(batch_op.f("ix_applicant_merged_into_id"))
        batch_op.drop_index(batch_op.f("ix_applicant_full_name"))
        batch_op.drop_index(batch_op.f("ix_applicant_email"))

    op.drop_table("applicant")
