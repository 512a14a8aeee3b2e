"""Send approved drafts by SMTP, each at most once.

A draft is claimed (``approved`` -> ``sending``, with who claimed it) and committed before the SMTP
conversation; only the result is written afterwards. A draft still in ``sending`` after a crash is
never sent again by the daemon: once its claim is stale it is parked as ``failed`` for staff, who can
check whether it arrived and approve it again. Temporary SMTP failures (4xx, connection) go back to
``approved`` with a growing delay; permanent ones (5xx, all recipients refused) fail with the reason.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from triage.clock import Clock, as_utc
from triage.errors import SendError
from triage.replies.compose import Original, compose_reply
from triage.replies.sender import Sender
from triage.replies.templates import RenderedReply
from triage.settings import RepliesSettings
from triage.store.models import Draft, DraftStatus

log = logging.getLogger(__name__)

BATCH = 50


@dataclass(slots=True)
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    stale: int = 0


def claimant() -> str:
    """Who claims a draft: host and process, so a dead claimant on this host is recognised."""
    return f"{socket.gethostname()}:{os.getpid()}"[:128]


def _claim_is_dead(claimed_by: str | None) -> bool:
    host, _, pid = (claimed_by or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False  # our own claim from an interrupted run in this process is not a crash
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


#: Called after a draft was sent, with the message as sent (e.g. to keep a copy in a Sent folder).
AfterSent = Callable[[Draft, bytes], None]


class Outbox:
    """Sends approved drafts through a Sender."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, settings: RepliesSettings,
                 after_sent: AfterSent | None = None) -> None:
        self._sessions = sessions
        self._clock = clock
        self._settings = settings
        self._after_sent = after_sent

    def recover(self) -> int:
        """Park drafts left in ``sending`` by a process that died, or for longer than the timeout."""
        now = self._clock.now()
        cutoff = now - timedelta(seconds=self._settings.sending_timeout_seconds)
        parked = 0
        with self._sessions.begin() as session:
            for draft in session.scalars(select(Draft).where(Draft.state == DraftStatus.sending)):
                updated = as_utc(draft.updated_at)
                if (updated is not None and updated < cutoff) or _claim_is_dead(draft.claimed_by):
                    draft.state = DraftStatus.failed
                    draft.last_error = (
                        "interrupted while sending: it may or may not have been delivered; "
                        "check before approving it again"
                    )
                    draft.updated_at = now
                    parked += 1
                    log.warning("draft#%d: found in sending after an interruption; waits for staff", draft.id)
        return parked

    def send_approved(
        self, sender: Sender, *, stop: threading.Event | None = None, burst: bool = False
    ) -> SendReport:
        """Send every approved draft that is due, each tried once per run; with *burst*, a draft waiting
        for its retry delay is tried now."""
        report = SendReport(stale=self.recover())
        tried: set[int] = set()  # a draft that failed for now is not tried again in the same run
        while not (stop is not None and stop.is_set()):
            ids = [i for i in self._due(burst) if i not in tried]
            if not ids:
                break
            tried.update(ids)
            for draft_id in ids:
                if stop is not None and stop.is_set():
                    break
                draft = self._claim(draft_id)
                if draft is not None:
                    self._send_one(sender, draft, report)
        return report

    def _due(self, burst: bool) -> list[int]:
        query = select(Draft.id).where(Draft.state == DraftStatus.approved)
        if not burst:
            query = query.where(
                or_(Draft.next_attempt_at.is_(None), Draft.next_attempt_at <= self._clock.now())
            )
        with self._sessions() as session:
            return list(session.scalars(query.order_by(Draft.id).limit(BATCH)))

    def _claim(self, draft_id: int) -> Draft | None:
        # Committed before any SMTP traffic: from here on the draft is never picked up again by the
        # daemon, whatever happens to this process.
        with self._sessions.begin() as session:
            query = select(Draft).where(Draft.id == draft_id, Draft.state == DraftStatus.approved)
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            draft = session.scalars(query).one_or_none()
            if draft is None:
                return None
            draft.state = DraftStatus.sending
            draft.claimed_by = claimant()
            draft.updated_at = self._clock.now()
            session.flush()
            session.expunge(draft)
            return draft

    def _send_one(self, sender: Sender, draft: Draft, report: SendReport) -> None:
        reply = RenderedReply(
            subject=draft.subject,
            body=draft.body,
            language=draft.language,
            template=draft.template,
            template_sha256=draft.template_sha256,
        )
        message = compose_reply(
            reply,
            sender=draft.from_address,
            to_address=draft.to_address,
            to_name=draft.to_name,
            # no original subject: the subject is the draft's, as staff saw it
            original=Original(draft.in_reply_to, "", draft.references or ""),
            message_id=draft.outbound_message_id,
            date=self._clock.now(),
            embassy_code=draft.embassy_code or "none",
        )
        try:
            result = sender.send(message, [draft.to_address])
        except SendError as exc:
            self._failed(draft.id, exc, report)
            return
        with self._sessions.begin() as session:
            row = session.get(Draft, draft.id)
            assert row is not None
            row.state = DraftStatus.sent
            row.sent_at = row.updated_at = self._clock.now()
            row.smtp_reply = result.reply[:1000]
            if result.refused:
                row.last_error = "; ".join(f"{r.address}: {r.code} {r.reply}" for r in result.refused)[:2000]
        report.sent += 1
        log.info("draft#%d: sent as %s", draft.id, draft.outbound_message_id)
        if self._after_sent is not None:
            try:
                self._after_sent(draft, message.as_bytes())
            except Exception as exc:
                log.warning("draft#%d: sent, but keeping a copy failed: %s", draft.id, type(exc).__name__)

    def _failed(self, draft_id: int, exc: SendError, report: SendReport) -> None:
        now = self._clock.now()
        with self._sessions.begin() as session:
            row = session.get(Draft, draft_id)
            assert row is not None
            row.attempts += 1
            row.last_error = str(exc)[:2000]
            row.updated_at = now
            if exc.maybe_sent:
                row.state = DraftStatus.failed
                row.last_error = f"may have been delivered, check before approving again: {exc}"[:2000]
                report.failed += 1
                log.warning("draft#%d: connection lost after the data; waits for staff", draft_id)
            elif exc.permanent or row.attempts >= self._settings.max_send_attempts:
                row.state = DraftStatus.failed
                report.failed += 1
                log.warning(
                    "draft#%d: not sent (%s); waits for staff", draft_id, exc.code or type(exc).__name__
                )
            else:
                row.state = DraftStatus.approved
                delay = self._settings.send_retry_seconds * 2 ** (row.attempts - 1)
                row.next_attempt_at = now + timedelta(seconds=delay)
                report.retried += 1
                log.info(
                    "draft#%d: temporary failure (%s), retry in %.0fs",
                    draft_id,
                    exc.code or type(exc).__name__,
                    delay,
                )
