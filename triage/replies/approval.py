"""Staff decisions on drafts: approve, edit, reject; each checks the state and writes an audit event.

Allowed: pending -> approved | rejected; approved -> pending (edit) | rejected; failed -> approved (staff
looked and want it sent) | rejected. A draft that is sending or sent cannot change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from triage.errors import TriageError
from triage.store.models import AuditEvent, Draft, DraftStatus

APPROVABLE = (DraftStatus.pending, DraftStatus.failed)
REJECTABLE = (DraftStatus.pending, DraftStatus.approved, DraftStatus.failed)
EDITABLE = (DraftStatus.pending, DraftStatus.approved, DraftStatus.failed)


class DraftStateError(TriageError):
    """The draft is not in a state that allows the action."""


def _draft(session: Session, draft_id: int) -> Draft:
    draft = session.get(Draft, draft_id, with_for_update=session.get_bind().dialect.name == "postgresql")
    if draft is None:
        raise DraftStateError(f"draft#{draft_id}: no such draft")
    return draft


def _audit(session: Session, draft: Draft, actor: str, action: str, now: datetime, **details: Any) -> None:
    session.add(
        AuditEvent(
            at=now,
            actor=actor,
            action=action,
            subject_type="draft",
            subject_id=str(draft.id),
            details=details,
        )
    )


def approve(session: Session, draft_id: int, actor: str, now: datetime) -> Draft:
    """Mark the draft approved: the daemon sends it on its next run."""
    draft = _draft(session, draft_id)
    if draft.state not in APPROVABLE:
        raise DraftStateError(f"draft#{draft_id}: cannot approve a {draft.state} draft")
    before = draft.state
    draft.state = DraftStatus.approved
    draft.decided_by, draft.decided_at, draft.updated_at = actor, now, now
    draft.attempts, draft.next_attempt_at, draft.last_error = 0, None, None
    _audit(session, draft, actor, "draft.approve", now, state_before=before)
    return draft


def reject(session: Session, draft_id: int, actor: str, reason: str, now: datetime) -> Draft:
    """Mark the draft rejected with *reason*; it is never sent."""
    if not reason.strip():
        raise DraftStateError("a rejection needs a reason")
    draft = _draft(session, draft_id)
    if draft.state not in REJECTABLE:
        raise DraftStateError(f"draft#{draft_id}: cannot reject a {draft.state} draft")
    before = draft.state
    draft.state = DraftStatus.rejected
    draft.reject_reason = reason.strip()
    draft.decided_by, draft.decided_at, draft.updated_at = actor, now, now
    _audit(session, draft, actor, "draft.reject", now, state_before=before, reason=draft.reject_reason)
    return draft


def edit(
    session: Session,
    draft_id: int,
    actor: str,
    now: datetime,
    *,
    subject: str | None = None,
    body: str | None = None,
) -> Draft:
    """Change the subject and/or body; an approved draft goes back to pending for a fresh approval."""
    draft = _draft(session, draft_id)
    if draft.state not in EDITABLE:
        raise DraftStateError(f"draft#{draft_id}: cannot edit a {draft.state} draft")
    changed: dict[str, Any] = {}
    if subject is not None and " ".join(subject.split()) != draft.subject:
        changed["subject"] = {"before": draft.subject, "after": " ".join(subject.split())}
        draft.subject = " ".join(subject.split())
    if body is not None and body != draft.body:
        changed["body"] = {"before_chars": len(draft.body), "after_chars": len(body)}
        draft.body = body
    if changed:
        before = draft.state
        draft.state = DraftStatus.pending
        draft.updated_at = now
        _audit(session, draft, actor, "draft.edit", now, state_before=before, changed=changed)
    return draft
