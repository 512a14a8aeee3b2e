"""The draft queue and the draft view: read the message beside its extracted profile; edit, approve,
reject with a reason."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from triage.errors import TriageError
from triage.replies.approval import approve, edit, reject
from triage.store.models import Draft, DraftStatus, Message, MessageCopy, UserRole
from triage.web.context import render, staff_of, state
from triage.web.evidence import applicants_of, highlight, message_text
from triage.web.scoping import draft_clause, visible_draft
from triage.web.security import Staff, WebError, check_csrf

router = APIRouter(include_in_schema=False)
PAGE = 50
CHOICES_SECONDS = 30
MAX_ID = 2**31 - 1


def queue_query(staff: Staff, state_: str, mailbox: str, language: str, category: str) -> Select[Any]:
    """Drafts in *state_* the user may see, with the filters; oldest first."""
    query = select(Draft).where(Draft.state == state_, draft_clause(staff))
    if language:
        query = query.where(Draft.language == language)
    if category:
        query = query.where(Draft.message_pk.in_(select(Message.id).where(Message.category == category)))
    if mailbox:
        query = query.where(Draft.message_pk.in_(select(MessageCopy.message_pk)
                                                 .where(MessageCopy.mailbox == mailbox)))
    return query


def _choices(request: Request, session: Session, staff: Staff, state_: str) -> dict[str, Any]:
    """Filter choices: configured mailboxes (else those seen), languages with their counts in *state_*
    (recounted at most every CHOICES_SECONDS: a scan of the state's drafts)."""
    web = state(request)
    mailboxes = [m.name for m in web.app.settings.mailboxes] or web.cached(
        "mailboxes", CHOICES_SECONDS,
        lambda: sorted(session.scalars(select(MessageCopy.mailbox).distinct().limit(200)).all()))
    scope = ",".join(sorted(staff.embassies or ()))
    languages: dict[str, int] = web.cached(f"languages:{state_}:{scope}", CHOICES_SECONDS, lambda: dict(
        session.execute(select(Draft.language, func.count()).where(Draft.state == state_, draft_clause(staff))
                        .group_by(Draft.language)).tuples().all()))
    return {"languages": sorted(languages), "language_counts": languages, "mailboxes": mailboxes,
            "categories": ["application", "question", "other"]}


@router.get("/drafts")
def queue(request: Request, state_: str = "pending", mailbox: str = "", language: str = "",
          category: str = "", after: int = 0) -> Response:
    if state_ not in set(DraftStatus):
        raise WebError(400, "unknown state")
    after = min(max(after, 0), MAX_ID)
    web = state(request)
    with web.app.sessions() as session:
        staff = staff_of(request, session)
        base = queue_query(staff, state_, mailbox, language, category)
        rows = list(session.scalars(base.where(Draft.id > after).order_by(Draft.id).limit(PAGE + 1)))
        counts = dict(session.execute(select(Draft.state, func.count()).where(draft_clause(staff))
                                      .group_by(Draft.state)).tuples().all())
        choices = _choices(request, session, staff, state_)
        if mailbox or category:
            total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
        else:
            # the language counts may lag by CHOICES_SECONDS; counting them live is a scan per page
            total = choices["language_counts"].get(language, 0) if language else counts.get(state_, 0)
        drafts = [{"id": d.id, "created_at": d.created_at, "to": d.to_address, "language": d.language,
                   "kind": d.kind, "subject": d.subject, "embassy": d.embassy_code,
                   "applicant_id": d.applicant_id} for d in rows[:PAGE]]
        return render(request, "drafts.html", staff=staff, drafts=drafts, total=total, counts=counts,
                      more=rows[PAGE].id - 1 if len(rows) > PAGE else None,
                      filters={"state_": state_, "mailbox": mailbox, "language": language,
                               "category": category},
                      states=[s.value for s in DraftStatus], choices=choices)


def next_pending(session: Session, staff: Staff, after: int) -> int | None:
    query = select(Draft.id).where(Draft.state == DraftStatus.pending, draft_clause(staff))
    return session.scalar(query.where(Draft.id > after).order_by(Draft.id).limit(1)) or session.scalar(
        query.where(Draft.id < after).order_by(Draft.id).limit(1))


@router.get("/drafts/{draft_id}")
def view(request: Request, draft_id: int) -> Response:
    web = state(request)
    with web.app.sessions() as session:
        staff = staff_of(request, session)
        draft = visible_draft(session, staff, draft_id)
        message = session.get(Message, draft.message_pk)
        assert message is not None
        text, source = message_text(message)
        found = applicants_of(message)
        profiles = [{"fields": [(f, e) for f, e in (a.get("evidence") or {}).items() if isinstance(e, dict)]}
                    for a in found]
        evidence: dict[str, list[Any]] = {}
        for person in found:  # every applicant's evidence is marked in the one text
            for name, item in (person.get("evidence") or {}).items():
                evidence.setdefault(name, []).extend(item if isinstance(item, list) else [item])
        pieces = highlight(text, evidence)
        same = select(Draft.id).where(Draft.state == draft.state, draft_clause(staff))
        prev_id = session.scalar(same.where(Draft.id < draft.id).order_by(Draft.id.desc()).limit(1))
        next_id = session.scalar(same.where(Draft.id > draft.id).order_by(Draft.id).limit(1))
        return render(request, "draft.html", staff=staff, draft=draft, message=message, pieces=pieces,
                      source=source, profiles=profiles, prev_id=prev_id, next_id=next_id,
                      attachments=(message.parsed or {}).get("attachments") or [],
                      can_decide=staff.can(UserRole.approver))


@router.post("/drafts/{draft_id}")
def decide(request: Request, draft_id: int, action: str = Form(""), subject: str | None = Form(None),
           body: str | None = Form(None), reason: str = Form(""), csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    web = state(request)
    now = web.app.clock.now()
    with web.app.sessions.begin() as session:
        staff = staff_of(request, session)
        staff.require(UserRole.approver)
        visible_draft(session, staff, draft_id)
        try:
            if action in ("save", "approve") and (subject is not None or body is not None):
                edit(session, draft_id, staff.username, now, subject=subject,
                     body=body.replace("\r\n", "\n") if body is not None else None)
            if action == "approve":
                approve(session, draft_id, staff.username, now)
            elif action == "reject":
                reject(session, draft_id, staff.username, reason, now)
            elif action != "save":
                raise WebError(400, "unknown action")
        except TriageError as exc:
            raise WebError(409, str(exc)) from None
        target = next_pending(session, staff, draft_id) if action != "save" else draft_id
    return RedirectResponse(f"/drafts/{target}" if target else "/drafts", status_code=303)
