"""Retention: raw mail and the personal data of closed applicants are purged after a configured time.

After ``retention.days``: every message's raw bytes go; an applicant whose last message is that old and
who has no draft waiting is *closed*, and their personal data goes too — the profile, the extracted
fields and evidence, the parsed text of their messages, and the body and recipient of their drafts.
What stays is what the statistics and the audit need: ids, dates, categories, counts. Passport numbers
are never fields of their own (extraction keeps only whether a passport is held); a number in a matching
profile goes with the profile, and the blocking keys only ever held its hash. Every purge is audited; a
dry run reports what would go and changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, exists, func, select, update
from sqlalchemy.orm import Session

from triage.store.models import (
    Applicant,
    ApplicantKey,
    ApplicantMessage,
    ApplicantStatus,
    AuditEvent,
    Draft,
    DraftStatus,
    Message,
)

log = logging.getLogger(__name__)

PURGED = "[purged]"
WAITING = (DraftStatus.pending, DraftStatus.approved, DraftStatus.sending, DraftStatus.failed)


@dataclass(slots=True)
class PurgeReport:
    raw_messages: int = 0
    applicants: int = 0
    messages_cleared: int = 0
    drafts_cleared: int = 0
    passports_removed: int = 0


def purge(
    session: Session, now: datetime, days: int, *, actor: str = "retention", dry_run: bool = False
) -> PurgeReport:
    """Purge what is older than *days* (see the module docstring); the caller commits (or, for a dry
    run, may roll back — nothing is changed then)."""
    cutoff = now - timedelta(days=days)
    report = PurgeReport()
    old_raw = select(Message.id).where(Message.created_at < cutoff, Message.raw.is_not(None))
    report.raw_messages = int(session.scalar(select(func.count()).select_from(old_raw.subquery())) or 0)
    waiting = exists().where(and_(Draft.applicant_id == Applicant.id, Draft.state.in_(WAITING)))
    closed = list(
        session.scalars(
            select(Applicant).where(
                Applicant.status == ApplicantStatus.active,
                Applicant.updated_at < cutoff,
                Applicant.full_name != PURGED,
                ~waiting,
                func.coalesce(Applicant.last_message_at, Applicant.created_at) < cutoff,
            )
        )
    )
    report.applicants = len(closed)
    for applicant in closed:
        message_pks = list(
            session.scalars(
                select(ApplicantMessage.message_pk).where(ApplicantMessage.applicant_id == applicant.id)
            )
        )
        report.messages_cleared += len(message_pks)
        report.drafts_cleared += int(
            session.scalar(
                select(func.count())
                .select_from(Draft)
                .where(Draft.applicant_id == applicant.id, Draft.body != PURGED)
            )
            or 0
        )
        report.passports_removed += len((applicant.profile or {}).get("passports") or [])
        if dry_run:
            continue
        session.execute(
            update(ApplicantMessage).where(ApplicantMessage.applicant_id == applicant.id).values(extracted={})
        )
        session.execute(
            update(Message)
            .where(Message.id.in_(message_pks))
            .values(raw=None, parsed=None, extraction=None, subject=None, author_name=None, author_email=None)
        )
        session.execute(
            update(Draft)
            .where(Draft.applicant_id == applicant.id)
            .values(body=PURGED, subject=PURGED, to_address=PURGED, to_name="")
        )
        session.execute(delete(ApplicantKey).where(ApplicantKey.applicant_id == applicant.id))
        applicant.profile, applicant.fields = {}, {}
        applicant.full_name = PURGED
        applicant.email = applicant.phone = applicant.date_of_birth = applicant.city = None
        applicant.updated_at = now
        session.add(
            AuditEvent(
                at=now,
                actor=actor,
                action="retention.purge",
                subject_type="applicant",
                subject_id=str(applicant.id),
                details={"messages": len(message_pks)},
            )
        )
    if not dry_run and report.raw_messages:
        session.execute(
            update(Message)
            .where(Message.id.in_(old_raw))
            .values(raw=None)
            .execution_options(synchronize_session=False)
        )
        session.add(
            AuditEvent(
                at=now,
                actor=actor,
                action="retention.purge_raw",
                subject_type="message",
                subject_id="*",
                details={"messages": report.raw_messages, "days": days},
            )
        )
    log.info(
        "retention%s: raw bytes of %d messages, %d closed applicants (%d messages, %d drafts), "
        "%d passport numbers removed",
        " (dry run)" if dry_run else "",
        report.raw_messages,
        report.applicants,
        report.messages_cleared,
        report.drafts_cleared,
        report.passports_removed,
    )
    return report
