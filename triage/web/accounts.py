"""Staff accounts: create, change password, disable, list, and check a login (argon2 hashes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from triage.errors import TriageError
from triage.store.models import AuditEvent, User, UserRole

HASHER = PasswordHasher()
#: Verified against when the username is unknown, so that a login takes as long either way.
_DUMMY_HASH = HASHER.hash("not a password of anyone")
MIN_PASSWORD_CHARS = 8
MAX_USERNAME_CHARS = 64


class AccountError(TriageError):
    """An account change that cannot be done as asked (duplicate name, unknown user, weak password)."""


def _audit(session: Session, now: datetime, actor: str, action: str, username: str,
           **details: object) -> None:
    session.add(AuditEvent(at=now, actor=actor, action=action, subject_type="user", subject_id=username,
                           details=dict(details)))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")


def add_user(session: Session, username: str, password: str, role: str, embassies: Sequence[str],
             actor: str, now: datetime) -> User:
    """Create an account; raise AccountError if the name is taken or the role unknown."""
    if role not in set(UserRole):
        raise AccountError(f"unknown role {role!r} (viewer, approver, admin)")
    if not username.strip() or len(username) > MAX_USERNAME_CHARS:
        raise AccountError("a username needs 1 to 64 characters")
    if session.scalars(select(User).where(User.username == username)).first() is not None:
        raise AccountError(f"user {username!r} exists")
    _check_password(password)
    user = User(username=username, password_hash=HASHER.hash(password), role=role,
                embassies=sorted(set(embassies)), is_active=True, created_at=now)
    session.add(user)
    _audit(session, now, actor, "user.add", username, role=role, embassies=user.embassies)
    return user


def find_user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise AccountError(f"no user {username!r}")
    return user


def set_password(session: Session, username: str, password: str, actor: str, now: datetime) -> User:
    _check_password(password)
    user = find_user(session, username)
    user.password_hash = HASHER.hash(password)
    _audit(session, now, actor, "user.passwd", username)
    return user


def set_active(session: Session, username: str, active: bool, actor: str, now: datetime) -> User:
    user = find_user(session, username)
    user.is_active = active
    _audit(session, now, actor, "user.enable" if active else "user.disable", username)
    return user


def record_logout(session: Session, username: str, now: datetime) -> None:
    _audit(session, now, username, "logout", username)


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def authenticate(session: Session, username: str, password: str, now: datetime) -> User | None:
    """Return the active user whose password matches, recording the login; None otherwise (audited)."""
    if len(username) > MAX_USERNAME_CHARS:  # never a stored name; keeps the audit row within its column
        username = username[:MAX_USERNAME_CHARS]
        user = None
    else:
        user = session.scalars(select(User).where(User.username == username)).first()
    try:
        HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
        ok = user is not None and user.is_active
    except (VerificationError, InvalidHashError):
        ok = False
    _audit(session, now, username, "login.success" if ok else "login.failure", username)
    if not ok or user is None:
        return None
    user.last_login_at = now
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
    return user
