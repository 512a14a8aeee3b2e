"""Read-only queries shared by the CLI and the web UI."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from triage.clock import as_utc
from triage.store.models import (
    Applicant,
    ApplicantStatus,
    Draft,
    FolderState,
    MergeSuggestion,
    Message,
    MessageCopy,
    MessageStatus,
    SuggestionStatus,
)


def status_summary(session: Session, mailbox_names: list[str]) -> dict[str, Any]:
    """The counts of `triage status --json` (DESIGN §12)."""
    by_status = dict(session.execute(select(Message.status, func.count()).group_by(Message.status)).all())
    by_category = dict(
        session.execute(
            select(Message.category, func.count())
            .where(Message.category.is_not(None))
            .group_by(Message.category)
        ).all()
    )
    failed_by_stage = dict(
        session.execute(
            select(Message.failed_stage, func.count())
            .where(Message.status == MessageStatus.failed)
            .group_by(Message.failed_stage)
        ).all()
    )
    per_mailbox = dict(
        session.execute(
            select(MessageCopy.mailbox, func.count(func.distinct(MessageCopy.message_pk))).group_by(
                MessageCopy.mailbox
            )
        ).all()
    )
    states: dict[str, list[FolderState]] = {}
    for state in session.scalars(select(FolderState).order_by(FolderState.id)):
        states.setdefault(state.mailbox, []).append(state)
    mailboxes = {}
    for name in [*mailbox_names, *sorted(set(per_mailbox) - set(mailbox_names))]:
        folders = states.get(name, [])
        polls = [as_utc(s.last_poll_at) for s in folders if s.last_poll_at is not None]
        errors = [s.last_error for s in folders if s.last_error]
        mailboxes[name] = {
            "messages": int(per_mailbox.get(name, 0)),
            "last_poll_at": max(p for p in polls if p is not None).isoformat() if polls else None,
            "last_error": errors[0] if errors else None,
        }
    return {
        "messages_total": int(sum(by_status.values())),
        "by_status": {str(k): int(v) for k, v in sorted(by_status.items())},
        "by_category": {str(k): int(v) for k, v in sorted(by_category.items())},
        "failed": int(by_status.get(MessageStatus.failed, 0)),
        "failed_by_stage": {str(k): int(v) for k, v in sorted(failed_by_stage.items(), key=str)},
        "drafts": {
            str(k): int(v)
            for k, v in sorted(session.execute(select(Draft.state, func.count()).group_by(Draft.state)).all())
        },
        "applicants_total": int(
            session.scalar(
                select(func.count()).select_from(Applicant).where(Applicant.status == ApplicantStatus.active)
            )
            or 0
        ),
        "suggestions_open": int(
            session.scalar(
                select(func.count())
                .select_from(MergeSuggestion)
                .where(MergeSuggestion.status == SuggestionStatus.open)
            )
            or 0
        ),
        "mailboxes": mailboxes,
    }


# --- cheap counts for the service status line and the metrics collector (one GROUP BY each) ---


def queue_depths(session: Session) -> dict[str, int]:
    """Messages per status, every status present (0 where none), in pipeline order."""
    counts = dict(session.execute(select(Message.status, func.count()).group_by(Message.status)).all())
    return {str(status): int(counts.get(status, 0)) for status in MessageStatus}


def mailbox_polls(session: Session) -> dict[str, tuple[datetime | None, bool]]:
    """Per mailbox: the oldest of its folders' last successful polls (None if one never succeeded) and
    whether every folder's last poll succeeded."""
    result: dict[str, tuple[datetime | None, bool]] = {}
    rows = session.execute(select(FolderState.mailbox, FolderState.last_success_at, FolderState.last_error))
    for mailbox, success_at, error in rows:
        previous, ok = result.get(mailbox, (as_utc(success_at), True))
        success = as_utc(success_at)
        oldest = None if previous is None or success is None else min(previous, success)
        result[mailbox] = (oldest, ok and success is not None and not error)
    return result


def draft_counts(session: Session) -> dict[str, int]:
    """Drafts per state (only the states that have drafts)."""
    rows = session.execute(select(Draft.state, func.count()).group_by(Draft.state))
    return {str(state): int(count) for state, count in rows}
