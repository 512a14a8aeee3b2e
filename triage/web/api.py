"""The JSON API: the same actions as the pages, the same session login, roles, scoping and CSRF check
(send the token from GET /api/me as the X-CSRF-Token header). Described at /api/openapi.json."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from pydantic import BaseModel, Field
from sqlalchemy import select
from starlette.requests import Request

from triage.applicants.actions import ActionError, decide_suggestion, reopen_suggestion, split
from triage.commands.drafts import record
from triage.errors import TriageError
from triage.pipeline import requeue
from triage.replies.approval import approve, edit, reject
from triage.store.models import (
    Applicant,
    AuditEvent,
    Draft,
    DraftStatus,
    MergeSuggestion,
    Message,
    MessageStatus,
    SuggestionStatus,
    UserRole,
)
from triage.web.applicants import search_query
from triage.web.context import staff_of, state
from triage.web.drafts import queue_query
from triage.web.scoping import (
    applicant_clause,
    message_clause,
    visible_applicant,
    visible_draft,
    visible_suggestion,
)
from triage.web.security import CSRF_HEADER, Staff, WebError, check_csrf, csrf_token

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "not logged in"}, 403: {"description": "role or CSRF check refused"},
    404: {"description": "not found or outside the user's embassies"},
    409: {"description": "the action is not allowed in the current state"},
}
router = APIRouter(prefix="/api", responses=ERRORS)
Limit = Query(50, ge=1, le=500)
MAX_ID = 2**31 - 1


class Me(BaseModel):
    username: str
    role: str
    embassies: list[str] | None
    csrf_token: str


class RejectBody(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class EditBody(BaseModel):
    subject: str | None = Field(None, max_length=998)
    body: str | None = Field(None, max_length=100_000)
    approve: bool = False


class IdsBody(BaseModel):
    message_ids: list[int] = Field(min_length=1, max_length=1000)


class SuggestionBody(BaseModel):
    merge: bool


def _decider(request: Request, session: Any, token: str | None) -> Staff:
    check_csrf(request, token)
    staff = staff_of(request, session)
    staff.require(UserRole.approver)
    return staff


def _id(value: int) -> int:
    if not 0 < value <= MAX_ID:
        raise WebError(404, "no such id")
    return value


@router.get("/me")
def me(request: Request) -> Me:
    with state(request).app.sessions() as session:
        staff = staff_of(request, session)
    return Me(username=staff.username, role=staff.role,
              embassies=sorted(staff.embassies) if staff.embassies is not None else None,
              csrf_token=csrf_token(request))


@router.get("/drafts")
def drafts(request: Request, state_: Annotated[DraftStatus, Query(alias="state")] = DraftStatus.pending,
           mailbox: str = "", language: str = "", category: str = "",
           after: int = Query(0, ge=0, le=MAX_ID), limit: int = Limit) -> list[dict[str, Any]]:
    with state(request).app.sessions() as session:
        staff = staff_of(request, session)
        query = queue_query(staff, state_, mailbox, language, category)
        rows = session.scalars(query.where(Draft.id > after).order_by(Draft.id).limit(limit))
        return [record(d) for d in rows]


@router.get("/drafts/{draft_id}")
def draft(request: Request, draft_id: int) -> dict[str, Any]:
    with state(request).app.sessions() as session:
        found = visible_draft(session, staff_of(request, session), _id(draft_id))
        return {**record(found), "body": found.body, "reject_reason": found.reject_reason}


def _decide(request: Request, draft_id: int, token: str | None, action: str, **kw: Any) -> dict[str, Any]:
    web = state(request)
    now = web.app.clock.now()
    with web.app.sessions.begin() as session:
        staff = _decider(request, session, token)
        visible_draft(session, staff, _id(draft_id))
        try:
            if action == "edit":
                found = edit(session, draft_id, staff.username, now, subject=kw.get("subject"),
                             body=kw.get("body"))
                if kw.get("approve"):
                    found = approve(session, draft_id, staff.username, now)
            elif action == "approve":
                found = approve(session, draft_id, staff.username, now)
            else:
                found = reject(session, draft_id, staff.username, kw["reason"], now)
        except TriageError as exc:
            raise WebError(409, str(exc)) from None
        return record(found)


@router.post("/drafts/{draft_id}/approve")
def approve_draft(request: Request, draft_id: int,
                  x_csrf_token: str | None = Header(None, alias=CSRF_HEADER)) -> dict[str, Any]:
    return _decide(request, draft_id, x_csrf_token, "approve")


@router.post("/drafts/{draft_id}/reject")
def reject_draft(request: Request, draft_id: int, body: RejectBody,
                 x_csrf_token: str | None = Header(None, alias=CSRF_HEADER)) -> dict[str, Any]:
    return _decide(request, draft_id, x_csrf_token, "reject", reason=body.reason)


@router.post("/drafts/{draft_id}/edit")
def edit_draft(request: Request, draft_id: int, body: EditBody,
               x_csrf_token: str | None = Header(None, alias=CSRF_HEADER)) -> dict[str, Any]:
    return _decide(request, draft_id, x_csrf_token, "edit", subject=body.subject, body=body.body,
                   approve=body.approve)


def _applicant(a: Applicant) -> dict[str, Any]:
    return {"applicant_id": a.id, "status": a.status, "merged_into": a.merged_into_id,
            "full_name": a.full_name, "email": a.email, "phone": a.phone, "nationality": a.nationality,
            "military_experience": a.military_experience, "message_count": a.message_count,
            "fields": {k: (v or {}).get("value") for k, v in a.fields.items()}}


@router.get("/applicants")
def applicants(request: Request, q: str = "", nationality: str = "", military: str = "", embassy: str = "",
               after: int = Query(0, ge=0, le=MAX_ID), limit: int = Limit) -> list[dict[str, Any]]:
    with state(request).app.sessions() as session:
        staff = staff_of(request, session)
        query = search_query(staff, q=q, nationality=nationality, military=military, embassy=embassy)
        rows = session.scalars(query.where(Applicant.id > after).order_by(Applicant.id).limit(limit))
        return [_applicant(a) for a in rows]


@router.get("/applicants/{applicant_id}")
def applicant(request: Request, applicant_id: int) -> dict[str, Any]:
    with state(request).app.sessions() as session:
        found = visible_applicant(session, staff_of(request, session), _id(applicant_id))
        return {**_applicant(found), "message_ids": [m.message_pk for m in found.messages]}


@router.post("/applicants/{applicant_id}/split")
def split_applicant(request: Request, applicant_id: int, body: IdsBody,
                    x_csrf_token: str | None = Header(None, alias=CSRF_HEADER)) -> dict[str, Any]:
    web = state(request)
    with web.app.sessions.begin() as session:
        staff = _decider(request, session, x_csrf_token)
        visible_applicant(session, staff, _id(applicant_id))
        try:
            new = split(session, applicant_id, body.message_ids, staff.username, web.app.clock.now())
            return _applicant(new)
        except ActionError as exc:
            raise WebError(409, str(exc)) from None


@router.get("/suggestions")
def suggestions(request: Request, limit: int = Limit) -> list[dict[str, Any]]:
    with state(request).app.sessions() as session:
        staff = staff_of(request, session)
        visible = select(Applicant.id).where(applicant_clause(staff))
        rows = session.scalars(select(MergeSuggestion).where(
            MergeSuggestion.status == SuggestionStatus.open, MergeSuggestion.applicant_a_id.in_(visible),
            MergeSuggestion.applicant_b_id.in_(visible)).order_by(MergeSuggestion.id).limit(limit))
        return [{"suggestion_id": s.id, "applicants": [s.applicant_a_id, s.applicant_b_id], "score": s.score,
                 "reasons": s.reasons} for s in rows]


@router.post("/suggestions/{suggestion_id}")
def decide(request: Request, suggestion_id: int, body: SuggestionBody,
           x_csrf_token: str | None = Header(None, alias=CSRF_HEADER)) -> dict[str, Any]:
    web = state(request)
    with web.app.sessions.begin() as session:
        staff = _decider(request, session, x_csrf_token)
        visible_suggestion(session, staff, suggestion_id)
        try:
            done = decide_suggestion(session, suggestion_id, body.merge, staff.username, web.app.clock.now())
        except ActionError as exc:
            raise WebError(409, str(exc)) from None
        return {"suggestion_id": done.id, "status": done.status}


@router.post("/suggestions/{suggestion_id}/reopen")
def reopen(request: Request, suggestion_id: int,
           x_csrf_token: str | None = Header(None, alias=CSRF_HEADER)) -> dict[str, Any]:
    """Take a rejection back: the pair is open for a decision again."""
    web = state(request)
    with web.app.sessions.begin() as session:
        staff = _decider(request, session, x_csrf_token)
        visible_suggestion(session, staff, suggestion_id)
        try:
            done = reopen_suggestion(session, suggestion_id, staff.username, web.app.clock.now())
        except ActionError as exc:
            raise WebError(409, str(exc)) from None
        return {"suggestion_id": done.id, "status": done.status}


@router.get("/failed")
def failed(request: Request, limit: int = Limit) -> list[dict[str, Any]]:
    with state(request).app.sessions() as session:
        staff = staff_of(request, session)
        rows = session.scalars(select(Message).where(Message.status == MessageStatus.failed,
                                                     message_clause(staff))
                               .order_by(Message.id).limit(limit))
        return [{"message_id": m.id, "stage": m.failed_stage, "error": m.last_error, "attempts": m.attempts}
                for m in rows]


@router.post("/failed/requeue")
def requeue_failed(request: Request, body: IdsBody,
                   x_csrf_token: str | None = Header(None, alias=CSRF_HEADER)) -> dict[str, list[int]]:
    web = state(request)
    with web.app.sessions.begin() as session:
        staff = _decider(request, session, x_csrf_token)
        allowed = list(session.scalars(select(Message.id).where(
            Message.id.in_([i for i in body.message_ids if 0 < i <= MAX_ID]), message_clause(staff))))
        done = requeue(session, web.app.clock, allowed)
        for message_pk in done:
            session.add(AuditEvent(at=web.app.clock.now(), actor=staff.username, action="requeue",
                                   subject_type="message", subject_id=str(message_pk), details={}))
        return {"requeued": done}
