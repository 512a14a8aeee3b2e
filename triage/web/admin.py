"""For admins: the audit log and user management (add, disable, enable)."""

from __future__ import annotations

from fastapi import APIRouter, Form
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from triage.store.models import AuditEvent, UserRole
from triage.web.accounts import AccountError, add_user, list_users, set_active
from triage.web.context import render, staff_of, state
from triage.web.security import WebError, check_csrf

router = APIRouter(include_in_schema=False)
PAGE = 200


@router.get("/admin/audit")
def audit(request: Request, before: int = 0) -> Response:
    web = state(request)
    with web.app.sessions() as session:
        staff = staff_of(request, session)
        staff.require(UserRole.admin)
        query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(PAGE)
        if before:
            query = query.where(AuditEvent.id < before)
        return render(request, "audit.html", staff=staff, events=list(session.scalars(query)))


@router.get("/admin/users")
def users(request: Request) -> Response:
    web = state(request)
    with web.app.sessions() as session:
        staff = staff_of(request, session)
        staff.require(UserRole.admin)
        return render(request, "users.html", staff=staff, users=list_users(session),
                      roles=[r.value for r in UserRole], error=None)


@router.post("/admin/users")
def change_user(request: Request, action: str = Form(""), username: str = Form(""), role: str = Form(""),
                password: str = Form(""), embassies: str = Form(""), csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    web = state(request)
    now = web.app.clock.now()
    with web.app.sessions.begin() as session:
        staff = staff_of(request, session)
        staff.require(UserRole.admin)
        codes = [c for c in embassies.replace(",", " ").split() if c]
        try:
            if set(codes) - set(web.app.embassy_addresses):
                raise AccountError("unknown embassy code")
            if action == "add":
                add_user(session, username, password, role, codes, staff.username, now)
            elif action in ("disable", "enable"):
                if username == staff.username:
                    raise AccountError("you cannot disable yourself")
                set_active(session, username, action == "enable", staff.username, now)
            else:
                raise WebError(400, "unknown action")
        except AccountError as exc:
            raise WebError(409, str(exc)) from None
    return RedirectResponse("/admin/users", status_code=303)
