"""Build the web application: middleware, routes, templates, static files, error pages."""

from __future__ import annotations

import secrets

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from triage.app import App
from triage.web import admin, api, applicants, auth, drafts, failed, suggestions
from triage.web.context import STATIC, WebState, make_templates, render
from triage.web.security import (
    SESSION_COOKIE,
    SESSION_SECONDS,
    LoginLimiter,
    NotLoggedIn,
    SecurityHeaders,
    WebError,
)


def create_app(app: App, *, secure_cookies: bool = False, secret_key: str | None = None) -> FastAPI:
    """The ASGI application over *app*; the session key is random per process unless given (so a restart
    logs everyone out)."""
    web = FastAPI(
        title="triage staff API",
        version="1",
        docs_url=None,  # the interactive docs load scripts from other origins
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    web.state.web = WebState(app=app, templates=make_templates(),
                             limiter=LoginLimiter(app.clock))
    web.add_middleware(SessionMiddleware, secret_key=secret_key or secrets.token_urlsafe(32),
                       session_cookie=SESSION_COOKIE, max_age=SESSION_SECONDS, same_site="strict",
                       https_only=secure_cookies)
    web.add_middleware(SecurityHeaders)
    web.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for module in (auth, drafts, applicants, suggestions, failed, admin, api):
        web.include_router(module.router)
    web.add_exception_handler(WebError, _on_error)  # type: ignore[arg-type]
    return web


async def _on_error(request: Request, exc: WebError) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": exc.reason}, status_code=exc.status)
    if isinstance(exc, NotLoggedIn):
        return RedirectResponse("/login", status_code=303)
    return render(request, "error.html", status_code=exc.status, status=exc.status, reason=exc.reason)
