"""SQLAlchemy models: messages and their copies in mailboxes, folder state, audit events."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True), dict[str, Any]: JSON}


class MessageStatus(StrEnum):
    """How far a message has come through the pipeline; each stage moves it one step."""

    stored = "stored"  # raw bytes stored, waiting to be parsed
    parsed = "parsed"
    classified = "classified"
    extracted = "extracted"
    linked = "linked"
    done = "done"
    failed = "failed"  # parked: see failed_stage and last_error; `triage requeue` puts it back


class Message(Base):
    """One email, stored once however many mailboxes it arrived in (see MessageCopy)."""

    __tablename__ = "message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    message_id_header: Mapped[str | None] = mapped_column(String(512), index=True)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(BigInteger)
    is_oversized: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=MessageStatus.stored)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    failed_stage: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    parsed: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    parser: Mapped[str | None] = mapped_column(String(16))
    subject: Mapped[str | None] = mapped_column(Text)
    date_sent: Mapped[datetime | None]
    author_email: Mapped[str | None] = mapped_column(String(320), index=True)
    author_name: Mapped[str | None] = mapped_column(String(320))
    is_forward: Mapped[bool] = mapped_column(Boolean, default=False)
    category: Mapped[str | None] = mapped_column(String(16), index=True)
    category_rule: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))
    extraction: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    embassy_code: Mapped[str | None] = mapped_column(String(32), index=True)

    copies: Mapped[list[MessageCopy]] = relationship(back_populates="message", order_by="MessageCopy.id")

    __table_args__ = (Index("ix_message_status_id", "status", "id"),)


class MessageCopy(Base):
    """One sighting of a message in a mailbox folder; (mailbox, folder, UIDVALIDITY, UID) is unique."""

    __tablename__ = "message_copy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"), index=True)
    mailbox: Mapped[str] = mapped_column(String(64))
    folder: Mapped[str] = mapped_column(String(255))
    key: Mapped[str] = mapped_column(String(255))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    uid: Mapped[int | None] = mapped_column(BigInteger)
    embassy_code: Mapped[str | None] = mapped_column(String(32), index=True)
    fetched_at: Mapped[datetime]
    is_flagged: Mapped[bool] = mapped_column(Boolean, default=False)

    message: Mapped[Message] = relationship(back_populates="copies")

    __table_args__ = (
        UniqueConstraint("mailbox", "folder", "key", name="uq_message_copy_key"),
        UniqueConstraint("mailbox", "folder", "uidvalidity", "uid", name="uq_message_copy_uid"),
    )


class FolderState(Base):
    """Where fetching stands in one mailbox folder: UIDVALIDITY and the highest UID stored."""

    __tablename__ = "folder_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(64))
    folder: Mapped[str] = mapped_column(String(255))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    last_poll_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("mailbox", "folder", name="uq_folder_state_mailbox_folder"),)


class AuditEvent(Base):
    """Who did what to which object, when: every staff and operator decision."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ApplicantStatus(StrEnum):
    active = "active"
    merged = "merged"  # absorbed into merged_into_id; kept so the merge can be undone


class Applicant(Base):
    """One person, across messages, addresses, scripts and embassies."""

    __tablename__ = "applicant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default=ApplicantStatus.active, index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("applicant.id"), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    #: The merged matching profile (triage.linking.profile.Profile.to_mapping()).
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Per field: the chosen value, its confidence and message, and the other values seen.
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    full_name: Mapped[str | None] = mapped_column(String(320), index=True)
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    nationality: Mapped[str | None] = mapped_column(String(2), index=True)
    country_of_residence: Mapped[str | None] = mapped_column(String(2))
    date_of_birth: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(128))
    language: Mapped[str | None] = mapped_column(String(8))
    military_experience: Mapped[bool | None] = mapped_column(Boolean, index=True)
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    last_message_at: Mapped[datetime | None]

    messages: Mapped[list[ApplicantMessage]] = relationship(back_populates="applicant",
                                                            order_by="ApplicantMessage.id")


class ApplicantKey(Base):
    """A blocking key of an applicant: a new profile finds its candidates through these, never a scan."""

    __tablename__ = "applicant_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicant.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))

    __table_args__ = (
        # also the index of the applicant's own keys (merges, splits, cascading deletes)
        UniqueConstraint("applicant_id", "key", name="uq_applicant_key_applicant_key"),
        # covering: a key's holders are read from the index alone, never from the table
        Index("ix_applicant_key_key_applicant_id", "key", "applicant_id"),
    )


class ApplicantMessage(Base):
    """One applicant of one message (a message may hold several), with what was extracted for them."""

    __tablename__ = "applicant_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicant.id"), index=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    extracted: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    linked_at: Mapped[datetime]

    applicant: Mapped[Applicant] = relationship(back_populates="messages")
    message: Mapped[Message] = relationship()

    # also the index of a message's applicants
    __table_args__ = (UniqueConstraint("message_pk", "position", name="uq_applicant_message_position"),)


class LinkDecision(Base):
    """Why a message's applicant went where it went: the score, the band and the reasons."""

    __tablename__ = "link_decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    action: Mapped[str] = mapped_column(String(16))  # link, new
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicant.id"), index=True)
    score: Mapped[float | None]
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    candidates: Mapped[list[Any]] = mapped_column(JSON, default=list)
    decided_at: Mapped[datetime]


class SuggestionStatus(StrEnum):
    open = "open"
    accepted = "accepted"
    rejected = "rejected"


class MergeSuggestion(Base):
    """Two applicants that may be one person, for staff to merge or keep apart."""

    __tablename__ = "merge_suggestion"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_a_id: Mapped[int] = mapped_column(ForeignKey("applicant.id"), index=True)
    applicant_b_id: Mapped[int] = mapped_column(ForeignKey("applicant.id"), index=True)
    score: Mapped[float]
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=SuggestionStatus.open, index=True)
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (UniqueConstraint("applicant_a_id", "applicant_b_id", name="uq_merge_suggestion_pair"),)


class CannotLink(Base):
    """Two applicants staff said are different people: never suggested or linked again."""

    __tablename__ = "cannot_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_a_id: Mapped[int] = mapped_column(ForeignKey("applicant.id"), index=True)
    applicant_b_id: Mapped[int] = mapped_column(ForeignKey("applicant.id"), index=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (UniqueConstraint("applicant_a_id", "applicant_b_id", name="uq_cannot_link_pair"),)


class DraftStatus(StrEnum):
    """pending -> approved -> sending -> sent; rejected and failed on the side (DESIGN §7)."""

    pending = "pending"
    approved = "approved"
    sending = "sending"  # committed before SMTP; found here after a crash it goes to staff, never resent
    sent = "sent"
    rejected = "rejected"
    failed = "failed"


class Draft(Base):
    """A reply drafted for staff to approve; the daemon sends it at most once."""

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"), index=True)
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicant.id"), index=True)
    embassy_code: Mapped[str | None] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # the template category: application, question, follow_up
    template: Mapped[str] = mapped_column(String(64))  # e.g. application/uk
    template_sha256: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    from_address: Mapped[str] = mapped_column(String(320))
    to_address: Mapped[str] = mapped_column(String(320), index=True)
    to_name: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    outbound_message_id: Mapped[str] = mapped_column(String(255), unique=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(512))
    references: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default=DraftStatus.pending, index=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None]
    reject_reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    sent_at: Mapped[datetime | None]
    smtp_reply: Mapped[str | None] = mapped_column(Text)
    last_error: Mapped[str | None] = mapped_column(Text)

    message: Mapped[Message] = relationship()

    __table_args__ = (Index("ix_draft_state_id", "state", "id"),)


class UserRole(StrEnum):
    """What a staff account may do: viewers read, approvers decide, admins also manage accounts."""

    viewer = "viewer"
    approver = "approver"
    admin = "admin"


class User(Base):
    """A staff account of the web UI; *embassies* empty means every embassy."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=UserRole.viewer)
    embassies: Mapped[list[Any]] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]
