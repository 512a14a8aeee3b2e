"""What every web handler needs: the App, the templates, the logged-in user, rendering."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from triage.app import App
from triage.store.models import User
from triage.web.security import LoginLimiter, NotLoggedIn, Staff, csrf_token

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
T = TypeVar("T")


@dataclass
class WebState:
    """Held on the Starlette app: the composition root's App, templates and the login limiter."""

    app: App
    templates: Jinja2Templates
    limiter: LoginLimiter
    _cache: dict[str, tuple[datetime, Any]] = field(default_factory=dict)

    def cached(self, key: str, seconds: float, compute: Callable[[], T]) -> T:
        """*compute()*, reused for *seconds*: for figures that may lag a little (filter choices)."""
        now = self.app.clock.now()
        hit = self._cache.get(key)
        if hit is not None and (now - hit[0]).total_seconds() < seconds:
            value: T = hit[1]
            return value
        fresh = compute()
        self._cache[key] = (now, fresh)
        return fresh


def show(value: object) -> str:
    """A profile value for people: lists joined, booleans as yes/no, nothing as blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(show(v) for v in value)
    return str(value)


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.filters["show"] = show
    return templates


def state(request: Request) -> WebState:
    web: WebState = request.app.state.web
    return web


def staff_of(request: Request, session: Session) -> Staff:
    """The logged-in, still active user; raise NotLoggedIn otherwise (a disabled account is out at once)."""
    user_id = request.session.get("uid")
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active:
        request.session.pop("uid", None)
        raise NotLoggedIn()
    return Staff.of(user)


def current(request: Request) -> Staff:
    with state(request).app.sessions() as session:
        return staff_of(request, session)


def render(request: Request, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page; templates get the user (if any), the CSRF token and the embassy names."""
    web = state(request)
    context.setdefault("staff", None)
    context["csrf"] = csrf_token(request)
    context["embassy_names"] = {e.code: e.name for e in web.app.settings.embassies}
    return web.templates.TemplateResponse(request, name, context, status_code=status_code)
