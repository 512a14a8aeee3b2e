"""Log in and log out (/login, /logout); every attempt is audited, failures are rate-limited."""

from __future__ import annotations

from fastapi import APIRouter, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from triage.store.models import User
from triage.web.accounts import authenticate, record_logout
from triage.web.context import render, state
from triage.web.security import check_csrf
from triage.web.security import csrf_token as fresh_csrf_token

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_page(request: Request) -> Response:
    return render(request, "login.html", error=None)


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""),
          csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    web = state(request)
    client = f"ip:{request.client.host if request.client else '-'}"
    name_key = f"user:{username[:64]}"
    if web.limiter.blocked(name_key, client):
        return render(request, "login.html", status_code=429,
                      error="Too many failed attempts. Wait a while and try again.")
    with web.app.sessions.begin() as session:
        user = authenticate(session, username, password, web.app.clock.now())
        user_id = user.id if user else None
    if user_id is None:
        web.limiter.failed(name_key, client)
        return render(request, "login.html", status_code=401, error="Wrong username or password.")
    web.limiter.succeeded(name_key)
    request.session.clear()  # a fresh session (and CSRF token) at each login
    request.session["uid"] = user_id
    fresh_csrf_token(request)
    return RedirectResponse("/drafts", status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    web = state(request)
    user_id = request.session.get("uid")
    with web.app.sessions.begin() as session:
        user = session.get(User, user_id) if isinstance(user_id, int) else None
        if user is not None:
            record_logout(session, user.username, web.app.clock.now())
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/")
def home() -> Response:
    return RedirectResponse("/drafts", status_code=303)
