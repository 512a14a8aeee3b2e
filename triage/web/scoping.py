"""Embassy scoping: which drafts, messages and applicants a user may see (applied to every query).

An applicant is visible to an embassy when any copy of any of its messages was written to it, so an
applicant who wrote to two embassies is visible to both.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, select, true
from sqlalchemy.orm import Session

from triage.store.models import Applicant, ApplicantMessage, Draft, MergeSuggestion, Message, MessageCopy
from triage.web.security import Staff, WebError

MAX_ID = 2**31 - 1


def draft_clause(staff: Staff) -> ColumnElement[bool]:
    if staff.embassies is None:
        return true()
    return Draft.embassy_code.in_(sorted(staff.embassies))


def message_clause(staff: Staff) -> ColumnElement[bool]:
    if staff.embassies is None:
        return true()
    return exists().where(MessageCopy.message_pk == Message.id,
                          MessageCopy.embassy_code.in_(sorted(staff.embassies)))


def applicant_clause(staff: Staff) -> ColumnElement[bool]:
    if staff.embassies is None:
        return true()
    return exists(
        select(ApplicantMessage.id)
        .join(MessageCopy, MessageCopy.message_pk == ApplicantMessage.message_pk)
        .where(ApplicantMessage.applicant_id == Applicant.id,
               MessageCopy.embassy_code.in_(sorted(staff.embassies)))
    )


def check_id(value: int) -> None:
    if not 0 < value <= MAX_ID:  # beyond the column's range PostgreSQL would raise, not answer
        raise WebError(404, f"no #{value}")


def visible_applicant(session: Session, staff: Staff, applicant_id: int) -> Applicant:
    """The applicant, or 404 (the same answer for one that exists out of scope: no probing by URL)."""
    check_id(applicant_id)
    applicant = session.scalars(select(Applicant).where(Applicant.id == applicant_id,
                                                        applicant_clause(staff))).first()
    if applicant is None:
        raise WebError(404, f"no applicant #{applicant_id}")
    return applicant


def visible_draft(session: Session, staff: Staff, draft_id: int) -> Draft:
    check_id(draft_id)
    draft = session.scalars(select(Draft).where(Draft.id == draft_id, draft_clause(staff))).first()
    if draft is None:
        raise WebError(404, f"no draft #{draft_id}")
    return draft


def visible_suggestion(session: Session, staff: Staff, suggestion_id: int) -> MergeSuggestion:
    """The merge suggestion, if *staff* may see both its applicants; else 404."""
    check_id(suggestion_id)
    item = session.get(MergeSuggestion, suggestion_id)
    ids = {item.applicant_a_id, item.applicant_b_id} if item else set()
    if item is None or set(session.scalars(select(Applicant.id).where(Applicant.id.in_(ids),
                                                                      applicant_clause(staff)))) != ids:
        raise WebError(404, f"no suggestion #{suggestion_id}")
    return item


def check_message(session: Session, staff: Staff, message_pk: int) -> None:
    found = session.scalar(select(Message.id).where(Message.id == message_pk, message_clause(staff)))
    if found is None:
        raise WebError(404, f"no message #{message_pk}")
