"""The pipeline runner: claims messages stage by stage, one transaction each; retries, then parks.

The database is the queue. A stage takes messages in the status it ``takes`` and leaves them in the
status it ``gives``. A message whose stage raises is retried after a growing delay; after
``max_attempts`` (or at once on Quarantine) it is parked as ``failed`` with the stage and the error,
and the pipeline goes on. On PostgreSQL rows are claimed with ``FOR UPDATE SKIP LOCKED`` so several
processes can drain one database; on SQLite the write lock of each transaction serialises them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from triage.clock import Clock
from triage.errors import Quarantine
from triage.stages.base import Stage
from triage.store.models import Message, MessageStatus

log = logging.getLogger(__name__)

#: The one place the stage order is declared; the composition root builds stages in this order.
STAGE_ORDER = ("parse", "classify", "extract", "link", "draft")
#: The status each stage takes; a message parked by a stage goes back to it on requeue.
STAGE_INPUT = dict(zip(STAGE_ORDER, (MessageStatus.stored, MessageStatus.parsed, MessageStatus.classified,
                                     MessageStatus.extracted, MessageStatus.linked), strict=True))

CLAIM_BATCH = 100
MAX_ERROR_CHARS = 2000


@dataclass(slots=True)
class DrainReport:
    done: dict[str, int] = field(default_factory=dict)
    retried: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return sum(self.done.values())


class Pipeline:
    """Runs *stages* (in STAGE_ORDER) over the messages waiting for them."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, stages: Sequence[Stage], *,
                 max_attempts: int = 3, retry_delay_seconds: float = 30) -> None:
        names = [s.name for s in stages]
        if names != [n for n in STAGE_ORDER if n in names]:
            raise ValueError(f"stages out of order: {names}")
        for stage in stages:
            if stage.takes != STAGE_INPUT[stage.name]:
                raise ValueError(f"stage {stage.name} takes {stage.takes}, not {STAGE_INPUT[stage.name]}")
        self._sessions = sessions
        self._clock = clock
        self.stages = tuple(stages)
        self._max_attempts = max_attempts
        self._retry_delay = retry_delay_seconds

    def drain(self, *, stop: threading.Event | None = None, burst: bool = False) -> DrainReport:
        """Run every stage until no message is waiting; with *burst*, retries do not wait their delay.

        Returns between messages as soon as *stop* is set.
        """
        report = DrainReport()
        progress = True
        while progress:
            progress = False
            for stage in self.stages:
                while True:
                    if stop is not None and stop.is_set():
                        return report
                    ids = self._waiting(stage, burst)
                    if not ids:
                        break
                    for message_pk in ids:
                        if stop is not None and stop.is_set():
                            return report
                        outcome = self.run_one(stage, message_pk)
                        if outcome == "done":
                            report.done[stage.name] = report.done.get(stage.name, 0) + 1
                            progress = True
                        elif outcome == "retry":
                            report.retried += 1
                            progress = True
                        elif outcome == "failed":
                            report.failed += 1
        return report

    def _waiting(self, stage: Stage, burst: bool) -> list[int]:
        query = select(Message.id).where(Message.status == stage.takes)
        if not burst:
            now = self._clock.now()
            query = query.where(or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= now))
        with self._sessions() as session:
            return list(session.scalars(query.order_by(Message.id).limit(CLAIM_BATCH)))

    def run_one(self, stage: Stage, message_pk: int) -> str:
        """Run *stage* on one message in its own transaction; return done, retry, failed or skipped."""
        try:
            with self._sessions.begin() as session:
                message = _claim(session, message_pk, stage.takes)
                if message is None:
                    return "skipped"  # another worker has it, or it moved on
                stage.handle(session, message)
                message.status = stage.gives
                message.attempts = 0
                message.next_attempt_at = None
                message.last_error = None
                message.updated_at = self._clock.now()
            return "done"
        except Exception as exc:  # noqa: BLE001 - one bad message never stops the pipeline
            return self._fail(stage, message_pk, exc)

    def _fail(self, stage: Stage, message_pk: int, exc: Exception) -> str:
        error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
        with self._sessions.begin() as session:
            message = _claim(session, message_pk, stage.takes)
            if message is None:
                return "skipped"
            now = self._clock.now()
            message.attempts += 1
            message.last_error = error
            message.updated_at = now
            if isinstance(exc, Quarantine) or message.attempts >= self._max_attempts:
                message.status = MessageStatus.failed
                message.failed_stage = stage.name
                message.next_attempt_at = None
                # The type only: exception texts can quote message content, which logs must not carry.
                log.warning("msg#%d: %s failed, parked (%s, attempt %d)", message_pk, stage.name,
                            type(exc).__name__, message.attempts)
                return "failed"
            delay = self._retry_delay * 2 ** (message.attempts - 1)
            message.next_attempt_at = now + timedelta(seconds=delay)
            log.info("msg#%d: %s failed (%s), retry %d/%d in %.0fs", message_pk, stage.name,
                     type(exc).__name__, message.attempts, self._max_attempts - 1, delay)
            return "retry"


def _claim(session: Session, message_pk: int, status: MessageStatus) -> Message | None:
    query = select(Message).where(Message.id == message_pk, Message.status == status)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query).one_or_none()


def requeue(session: Session, clock: Clock, message_pks: Sequence[int] | None = None) -> list[int]:
    """Put failed messages (all, or those in *message_pks*) back before the stage that failed them.

    Messages that failed in fetch (oversized) go back to parse, which reads the stored header.
    Returns the ids requeued.
    """
    query = select(Message).where(Message.status == MessageStatus.failed)
    if message_pks is not None:
        query = query.where(Message.id.in_(list(message_pks)))
    done = []
    for message in session.scalars(query.order_by(Message.id)):
        message.status = STAGE_INPUT.get(message.failed_stage or "parse", MessageStatus.stored)
        message.attempts = 0
        message.next_attempt_at = None
        message.failed_stage = None
        message.updated_at = clock.now()
        done.append(message.id)
    return done
