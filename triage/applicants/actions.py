"""Staff decisions on applicants: merge, undo a merge, split, accept or reject a suggestion; all audited.

Each function takes the caller's session, checks what it is asked, changes the rows and writes an
audit event; the caller commits. Errors that the user can fix raise ActionError with the reason.

Every decision can be taken back. A merge is undone by `unmerge`; a split, an unmerge and a rejected
suggestion keep two applicants apart (a cannot-link mark), and are undone by `merge` with
``override`` (the two are one person after all: the mark is lifted and the messages join again) or,
for a suggestion, by `reopen_suggestion`. A lifted mark is named in the audit event that lifted it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from triage.applicants.matching import add_keys, cannot_link
from triage.applicants.profile import refresh
from triage.errors import TriageError
from triage.store.models import (
    Applicant,
    ApplicantKey,
    ApplicantMessage,
    ApplicantStatus,
    AuditEvent,
    CannotLink,
    MergeSuggestion,
    SuggestionStatus,
)


class ActionError(TriageError):
    """A staff action that cannot be done as asked (unknown id, wrong state, forbidden pair)."""


def _active(session: Session, applicant_id: int) -> Applicant:
    applicant = session.get(Applicant, applicant_id)
    if applicant is None:
        raise ActionError(f"applicant#{applicant_id}: no such applicant")
    if applicant.status != ApplicantStatus.active:
        raise ActionError(f"applicant#{applicant_id}: merged into applicant#{applicant.merged_into_id}")
    return applicant


def audit(
    session: Session,
    now: datetime,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: int,
    details: dict[str, Any],
) -> None:
    session.add(
        AuditEvent(
            at=now,
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            details=details,
        )
    )


def forbid(session: Session, a: int, b: int, actor: str, now: datetime) -> None:
    """Remember that *a* and *b* are different people."""
    if not cannot_link(session, a, b):
        session.add(
            CannotLink(applicant_a_id=min(a, b), applicant_b_id=max(a, b), created_at=now, created_by=actor)
        )


def _lift(session: Session, a: int, b: int) -> dict[str, Any] | None:
    """Forget that *a* and *b* are different people; return who said so and when, None if nobody did."""
    mark = session.scalars(
        select(CannotLink).where(
            CannotLink.applicant_a_id == min(a, b), CannotLink.applicant_b_id == max(a, b)
        )
    ).first()
    if mark is None:
        return None
    said = {"applicants": [mark.applicant_a_id, mark.applicant_b_id], "by": mark.created_by,
            "at": mark.created_at.isoformat()}
    session.delete(mark)
    session.flush()
    return said


def merge(
    session: Session,
    survivor_id: int,
    absorbed_id: int,
    actor: str,
    now: datetime,
    *,
    override: bool = False,
) -> Applicant:
    """Merge *absorbed_id* into *survivor_id*: its messages and keys move; it stays as a pointer.

    Refused when staff said the two are different people (a split, an unmerge, a rejected suggestion),
    unless *override*: then that mark is lifted, and the audit event says whose it was.
    """
    if survivor_id == absorbed_id:
        raise ActionError("cannot merge an applicant with itself")
    survivor, absorbed = _active(session, survivor_id), _active(session, absorbed_id)
    lifted = None
    if cannot_link(session, survivor_id, absorbed_id):
        if not override:
            raise ActionError(
                f"applicant#{survivor_id} and applicant#{absorbed_id} were marked as different people "
                "(override to merge them anyway)"
            )
        lifted = _lift(session, survivor_id, absorbed_id)
    moved = [row.id for row in absorbed.messages]
    session.execute(
        update(ApplicantMessage)
        .where(ApplicantMessage.applicant_id == absorbed_id)
        .values(applicant_id=survivor_id)
    )
    session.execute(delete(ApplicantKey).where(ApplicantKey.applicant_id == absorbed_id))
    # Staff decisions about the absorbed applicant now hold for the survivor.
    for pair in session.scalars(
        select(CannotLink).where(
            (CannotLink.applicant_a_id == absorbed_id) | (CannotLink.applicant_b_id == absorbed_id)
        )
    ):
        other = pair.applicant_b_id if pair.applicant_a_id == absorbed_id else pair.applicant_a_id
        forbid(session, survivor_id, other, actor, now)
    absorbed.status = ApplicantStatus.merged
    absorbed.merged_into_id = survivor_id
    absorbed.updated_at = now
    session.flush()
    session.expire(survivor, ["messages"])
    session.expire(absorbed, ["messages"])
    refresh(session, survivor)
    survivor.updated_at = now
    session.flush()
    add_keys(session, survivor)
    for suggestion in session.scalars(
        select(MergeSuggestion).where(
            MergeSuggestion.status == SuggestionStatus.open,
            MergeSuggestion.applicant_a_id.in_([survivor_id, absorbed_id]),
            MergeSuggestion.applicant_b_id.in_([survivor_id, absorbed_id]),
        )
    ):
        suggestion.status = SuggestionStatus.accepted
        suggestion.decided_at, suggestion.decided_by = now, actor
    audit(
        session,
        now,
        actor,
        "applicant.merge",
        "applicant",
        survivor_id,
        {"absorbed": absorbed_id, "applicant_messages": moved}
        | ({"lifted_keep_apart": lifted} if lifted else {}),
    )
    return survivor


def unmerge(session: Session, absorbed_id: int, actor: str, now: datetime) -> Applicant:
    """Undo a merge: *absorbed_id* comes back with the messages it brought, and the two are kept apart."""
    absorbed = session.get(Applicant, absorbed_id)
    if absorbed is None or absorbed.status != ApplicantStatus.merged or absorbed.merged_into_id is None:
        raise ActionError(f"applicant#{absorbed_id}: not a merged applicant")
    survivor = _active(session, absorbed.merged_into_id)
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "applicant.merge", AuditEvent.subject_id == str(survivor.id))
        .order_by(AuditEvent.id.desc())
    ).first()
    rows = [
        r
        for r in (event.details.get("applicant_messages", []) if event else [])
        if event and event.details.get("absorbed") == absorbed_id
    ]
    if not rows:
        raise ActionError(f"applicant#{absorbed_id}: the merge record is missing")
    moved = _move(session, survivor, absorbed, rows, now)
    absorbed.status = ApplicantStatus.active
    absorbed.merged_into_id = None
    forbid(session, survivor.id, absorbed.id, actor, now)
    audit(
        session,
        now,
        actor,
        "applicant.unmerge",
        "applicant",
        absorbed_id,
        {"from": survivor.id, "applicant_messages": moved},
    )
    return absorbed


def split(
    session: Session, applicant_id: int, message_pks: Sequence[int], actor: str, now: datetime
) -> Applicant:
    """Move the given messages of *applicant_id* to a new applicant, and keep the two apart."""
    source = _active(session, applicant_id)
    rows = [row.id for row in source.messages if row.message_pk in set(message_pks)]
    missing = set(message_pks) - {row.message_pk for row in source.messages}
    if missing:
        raise ActionError(f"applicant#{applicant_id} has no message(s) {sorted(missing)}")
    if len(rows) == len(source.messages):
        raise ActionError("a split must leave the applicant at least one message")
    target = Applicant(
        status=ApplicantStatus.active, created_at=now, updated_at=now, profile={}, fields={}, message_count=0
    )
    session.add(target)
    session.flush()
    moved = _move(session, source, target, rows, now)
    forbid(session, source.id, target.id, actor, now)
    audit(
        session,
        now,
        actor,
        "applicant.split",
        "applicant",
        applicant_id,
        {"new_applicant": target.id, "applicant_messages": moved},
    )
    return target


def _move(
    session: Session, source: Applicant, target: Applicant, rows: Sequence[int], now: datetime
) -> list[int]:
    session.execute(
        update(ApplicantMessage).where(ApplicantMessage.id.in_(list(rows))).values(applicant_id=target.id)
    )
    session.flush()
    for applicant in (source, target):
        session.expire(applicant, ["messages"])
        refresh(session, applicant)
        applicant.updated_at = now
        session.execute(delete(ApplicantKey).where(ApplicantKey.applicant_id == applicant.id))
        session.flush()
        add_keys(session, applicant)
    return list(rows)


def root(session: Session, applicant_id: int) -> int:
    """The active applicant *applicant_id* was merged into (itself when active)."""
    seen = set()
    current = session.get(Applicant, applicant_id)
    while current is not None and current.merged_into_id is not None and current.id not in seen:
        seen.add(current.id)
        current = session.get(Applicant, current.merged_into_id)
    if current is None:
        raise ActionError(f"applicant#{applicant_id}: no such applicant")
    return current.id


def decide_suggestion(
    session: Session, suggestion_id: int, accept: bool, actor: str, now: datetime
) -> MergeSuggestion:
    """Accept (merge the pair, the older applicant surviving) or reject (remember them as different)."""
    suggestion = session.get(MergeSuggestion, suggestion_id)
    if suggestion is None:
        raise ActionError(f"suggestion#{suggestion_id}: no such suggestion")
    if suggestion.status != SuggestionStatus.open:
        raise ActionError(f"suggestion#{suggestion_id}: already {suggestion.status}")
    a, b = sorted((root(session, suggestion.applicant_a_id), root(session, suggestion.applicant_b_id)))
    if accept:
        if a != b:  # not merged meanwhile by another decision
            merge(session, a, b, actor, now)
        suggestion.status = SuggestionStatus.accepted
    else:
        forbid(session, a, b, actor, now)
        suggestion.status = SuggestionStatus.rejected
        audit(session, now, actor, "suggestion.reject", "suggestion", suggestion_id, {"applicants": [a, b]})
    suggestion.decided_at, suggestion.decided_by = now, actor
    return suggestion


def reopen_suggestion(session: Session, suggestion_id: int, actor: str, now: datetime) -> MergeSuggestion:
    """Take a rejection back: the pair is no longer kept apart, and the suggestion is open again.

    An accepted suggestion is taken back by unmerging the applicant it absorbed.
    """
    suggestion = session.get(MergeSuggestion, suggestion_id)
    if suggestion is None:
        raise ActionError(f"suggestion#{suggestion_id}: no such suggestion")
    if suggestion.status != SuggestionStatus.rejected:
        hint = " (undo the merge with unmerge)" if suggestion.status == SuggestionStatus.accepted else ""
        raise ActionError(f"suggestion#{suggestion_id}: {suggestion.status}, not rejected{hint}")
    a, b = sorted((root(session, suggestion.applicant_a_id), root(session, suggestion.applicant_b_id)))
    lifted = _lift(session, a, b)
    suggestion.status = SuggestionStatus.open
    suggestion.decided_at, suggestion.decided_by = None, None
    audit(
        session,
        now,
        actor,
        "suggestion.reopen",
        "suggestion",
        suggestion_id,
        {"applicants": [a, b]} | ({"lifted_keep_apart": lifted} if lifted else {}),
    )
    return suggestion
