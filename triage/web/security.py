"""Web security: the signed session, the logged-in user and role checks, CSRF tokens, response headers
(Content-Security-Policy and friends) and the login rate limit."""

from __future__ import annotations

import secrets
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from triage.clock import Clock
from triage.store.models import User, UserRole

SESSION_COOKIE = "triage_session"
SESSION_SECONDS = 8 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
#: Nothing from other origins, no inline script or style, no plugins, no framing, forms post to us only.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
RANK = {UserRole.viewer: 0, UserRole.approver: 1, UserRole.admin: 2}


class WebError(Exception):
    """An HTTP-level refusal: *status* with a short reason shown to the user."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class NotLoggedIn(WebError):
    def __init__(self) -> None:
        super().__init__(401, "log in first")


@dataclass(frozen=True)
class Staff:
    """The logged-in user as a request sees it."""

    id: int
    username: str
    role: str
    embassies: frozenset[str] | None  # None: every embassy

    @classmethod
    def of(cls, user: User) -> Staff:
        return cls(user.id, user.username, user.role, frozenset(user.embassies) or None)

    def can(self, role: str) -> bool:
        return RANK[UserRole(self.role)] >= RANK[UserRole(role)]

    def require(self, role: str) -> None:
        if not self.can(role):
            raise WebError(403, f"this needs the {role} role")

    def sees(self, embassy: str | None) -> bool:
        return self.embassies is None or (embassy is not None and embassy in self.embassies)


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse (403) a state change whose token (form field or X-CSRF-Token header) is not the session's."""
    expected = request.session.get("csrf")
    given = submitted or request.headers.get(CSRF_HEADER) or ""
    if not isinstance(expected, str) or not secrets.compare_digest(expected.encode(), given.encode()):
        raise WebError(403, "the form is out of date or was not sent by this site (CSRF check failed)")


class SecurityHeaders:
    """ASGI middleware adding the security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in HEADERS if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LoginLimiter:
    """At most *attempts* failed logins per username (``user:`` keys) and ten times as many per client
    address (``ip:`` keys: staff behind one proxy or NAT share an address) in *window_seconds*."""

    def __init__(self, clock: Clock, attempts: int = 5, window_seconds: float = 900) -> None:
        self.clock, self.attempts, self.window = clock, attempts, window_seconds
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str) -> deque[datetime]:
        now = self.clock.now()
        times = self._failures.setdefault(key, deque())
        while times and (now - times[0]).total_seconds() > self.window:
            times.popleft()
        return times

    def blocked(self, *keys: str) -> bool:
        with self._lock:
            return any(len(self._recent(k)) >= self._limit(k) for k in keys)

    def _limit(self, key: str) -> int:
        return self.attempts * 10 if key.startswith("ip:") else self.attempts

    def failed(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._recent(key).append(self.clock.now())

    def succeeded(self, username_key: str) -> None:
        with self._lock:
            self._failures.pop(username_key, None)
