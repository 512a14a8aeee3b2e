"""Failed messages: what failed, at which stage and why; requeue them (audited)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from triage.pipeline import requeue
from triage.store.models import AuditEvent, Message, MessageStatus, UserRole
from triage.web.context import render, staff_of, state
from triage.web.scoping import message_clause
from triage.web.security import check_csrf

router = APIRouter(include_in_schema=False)
PAGE = 100


@router.get("/failed")
def failed(request: Request) -> Response:
    web = state(request)
    with web.app.sessions() as session:
        staff = staff_of(request, session)
        rows = list(session.scalars(select(Message).where(Message.status == MessageStatus.failed,
                                                          message_clause(staff))
                                    .order_by(Message.id).limit(PAGE)))
        return render(request, "failed.html", staff=staff, messages=rows,
                      can_decide=staff.can(UserRole.approver))


@router.post("/failed/requeue")
async def requeue_messages(request: Request) -> Response:
    form = await request.form()
    token = form.get("csrf_token")
    check_csrf(request, token if isinstance(token, str) else None)
    wanted = [int(v) for v in form.getlist("message") if isinstance(v, str) and v.isdigit()]
    web = state(request)
    with web.app.sessions.begin() as session:
        staff = staff_of(request, session)
        staff.require(UserRole.approver)
        allowed = list(session.scalars(select(Message.id).where(Message.id.in_(wanted),
                                                                message_clause(staff))))
        for message_pk in requeue(session, web.app.clock, allowed):
            session.add(AuditEvent(at=web.app.clock.now(), actor=staff.username, action="requeue",
                                   subject_type="message", subject_id=str(message_pk), details={}))
    return RedirectResponse("/failed", status_code=303)
