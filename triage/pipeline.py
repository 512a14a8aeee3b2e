"""The pipeline runner: takes each waiting message through the stages, one transaction per message.

The database is the queue. A stage takes messages in the status it ``takes`` and leaves them in the
status it ``gives``. The pure stages at the head of the pipeline (parse, classify, extract) run as one
chain per message: their computing needs no database, so it may run in worker processes while this
process writes the results, each message in its own transaction. A message whose stage raises is
retried after a growing delay; after ``max_attempts`` (or at once on Quarantine) it is parked as
``failed`` with the stage and the error, and the pipeline goes on. On PostgreSQL rows are claimed with
``FOR UPDATE SKIP LOCKED`` so several processes can drain one database; on SQLite each transaction
holds the write lock, which serialises them.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import Integer, String, Table, Update, bindparam, or_, select, update
from sqlalchemy.orm import Session, sessionmaker, undefer

from triage.clock import Clock
from triage.errors import Quarantine
from triage.stages.base import PureStage, Stage, Work
from triage.store.models import Message, MessageStatus

log = logging.getLogger(__name__)

#: The one place the stage order is declared; the composition root builds stages in this order.
STAGE_ORDER = ("parse", "classify", "extract", "link", "draft")
#: The status each stage takes; a message parked by a stage goes back to it on requeue.
STAGE_INPUT = dict(zip(STAGE_ORDER, (MessageStatus.stored, MessageStatus.parsed, MessageStatus.classified,
                                     MessageStatus.extracted, MessageStatus.linked), strict=True))

CLAIM_BATCH = 100
LEASE_SECONDS = 300  # a claimed batch is someone's for this long; a process that dies lets it expire
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True, slots=True)
class StageFailure:
    """Why a stage failed on one message, in a form that crosses process boundaries."""

    stage: str
    error: str
    quarantine: bool


@dataclass(slots=True)
class ChainResult:
    work: Work
    start: int
    completed: int
    failure: StageFailure | None = None
    seconds: list[float] = field(default_factory=list)  # per stage run, in order


def compute_chain(stages: Sequence[PureStage], work: Work, start: int) -> ChainResult:
    """Run ``stages[start:]`` on *work* until one raises; never raises itself."""
    seconds: list[float] = []
    for index in range(start, len(stages)):
        began = time.perf_counter()
        try:
            stages[index].compute(work)
        except Exception as exc:  # the failure is recorded on the message
            failure = StageFailure(stages[index].name, f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS],
                                   isinstance(exc, Quarantine))
            return ChainResult(work, start, index - start, failure, seconds)
        finally:
            seconds.append(time.perf_counter() - began)
    return ChainResult(work, start, len(stages) - start, None, seconds)


class StageObserver(Protocol):
    """Told how long each stage took and which failed (the metrics, when enabled)."""

    def stage_seconds(self, stage: str, seconds: float) -> None: ...

    def failed(self, stage: str) -> None: ...


@dataclass(slots=True)
class DrainReport:
    done: dict[str, int] = field(default_factory=dict)
    retried: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return sum(self.done.values())

    def count(self, stage: str, n: int = 1) -> None:
        if n:
            self.done[stage] = self.done.get(stage, 0) + n

    def add(self, other: DrainReport) -> None:
        for stage, n in other.done.items():
            self.count(stage, n)
        self.retried += other.retried
        self.failed += other.failed


class Pipeline:
    """Runs the stages (in STAGE_ORDER) over the messages waiting for them."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, stages: Sequence[Stage | PureStage], *,
                 max_attempts: int = 3, retry_delay_seconds: float = 30,
                 executor: Executor | None = None,
                 worker_chain: Callable[[Work, int], ChainResult] | None = None,
                 observer: StageObserver | None = None, lease_seconds: float = LEASE_SECONDS) -> None:
        names = [s.name for s in stages]
        if names != [n for n in STAGE_ORDER if n in names]:
            raise ValueError(f"stages out of order: {names}")
        for stage in stages:
            if stage.takes != STAGE_INPUT[stage.name]:
                raise ValueError(f"stage {stage.name} takes {stage.takes}, not {STAGE_INPUT[stage.name]}")
        head = 0
        while head < len(stages) and isinstance(stages[head], PureStage):
            head += 1
        self.chain: tuple[PureStage, ...] = tuple(s for s in stages[:head] if isinstance(s, PureStage))
        self.tail: tuple[Stage, ...] = tuple(s for s in stages[head:] if isinstance(s, Stage))
        self._sessions = sessions
        self._clock = clock
        self._max_attempts = max_attempts
        self._retry_delay = retry_delay_seconds
        self._executor = executor
        self._worker_chain = worker_chain
        self._observer = observer
        self._lease_seconds = lease_seconds
        self._leased: set[int] = set()  # claimed by this process and not finished yet

    def prepare(self) -> None:
        """Load what the stages need (the NLP models) in this process, unless workers compute."""
        if self._executor is None:
            for stage in self.chain:
                prepare = getattr(stage, "prepare", None)
                if callable(prepare):
                    prepare()

    def _release(self) -> None:
        """Give back the messages this process claimed but did not get to (a stop in mid-batch)."""
        if not self._leased:
            return
        ids, self._leased = sorted(self._leased), set()
        with self._sessions.begin() as session:
            session.execute(update(Message).where(Message.id.in_(ids), Message.attempts == 0,
                                                  Message.status != MessageStatus.failed)
                            .values(next_attempt_at=None).execution_options(synchronize_session=False))

    @property
    def stages(self) -> tuple[Stage | PureStage, ...]:
        return (*self.chain, *self.tail)

    def drain(self, *, stop: threading.Event | None = None, burst: bool = False) -> DrainReport:
        """Run every stage until no message is waiting; with *burst*, retries do not wait their delay.

        Returns between messages as soon as *stop* is set.
        """
        report = DrainReport()
        try:
            self._drain(report, stop, burst)
        finally:
            self._release()
        return report

    def _drain(self, report: DrainReport, stop: threading.Event | None, burst: bool) -> None:
        progress = True
        while progress and not _stopped(stop):
            progress = False
            if self.chain:
                while not _stopped(stop) and (batch := self._waiting(
                        [s.takes for s in self.chain], burst, with_raw=True)):
                    self._run_chains(batch, report, stop)
                    progress = True
            for stage in self.tail:
                while not _stopped(stop) and (ids := [m.id for m in self._waiting([stage.takes], burst)]):
                    for message_pk in ids:
                        if _stopped(stop):
                            return
                        self._record(report, stage.name, self.run_one(stage, message_pk))
                    progress = True

    def _waiting(self, statuses: list[MessageStatus], burst: bool, *,
                 with_raw: bool = False) -> list[Message]:
        if not burst:
            ids = self._lease(statuses)
            query = select(Message).where(Message.id.in_(ids), Message.status.in_(statuses))
        else:
            query = select(Message).where(Message.status.in_(statuses))
        if with_raw:
            query = query.options(undefer(Message.raw), undefer(Message.parsed))
        with self._sessions() as session:
            rows = list(session.scalars(query.order_by(Message.id).limit(CLAIM_BATCH)))
            session.expunge_all()
        return rows

    def _lease(self, statuses: list[MessageStatus]) -> list[int]:
        """Claim up to CLAIM_BATCH waiting messages for the lease time and return their ids.

        The lease is the retry time: a message is due when ``next_attempt_at`` is empty or past; claiming
        pushes it into the future, so other processes skip it (on PostgreSQL the rows are picked with
        FOR UPDATE SKIP LOCKED). Finishing a stage clears it; a process that dies leaves it to expire.
        """
        now = self._clock.now()
        is_due = or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= now)
        due = (select(Message.id).where(Message.status.in_(statuses), is_due)
               .order_by(Message.id).limit(CLAIM_BATCH))
        with self._sessions.begin() as session:
            if session.get_bind().dialect.name == "postgresql":
                due = due.with_for_update(skip_locked=True)
            ids = list(session.scalars(due))
            self._leased.update(ids)
            if ids:
                session.execute(update(Message).where(Message.id.in_(ids))
                                .values(next_attempt_at=now + timedelta(seconds=self._lease_seconds))
                                .execution_options(synchronize_session=False))
        return ids

    # -- the pure chain --------------------------------------------------------------------------------

    def _run_chains(self, batch: list[Message], report: DrainReport, stop: threading.Event | None) -> None:
        works, starts = [], []
        statuses = [s.takes for s in self.chain]
        for message in batch:
            start = statuses.index(MessageStatus(message.status))
            work = Work(message_pk=message.id, raw=message.raw if start == 0 else None)
            try:
                for stage in self.chain[:start]:
                    stage.restore(work, message)
            except Exception as exc:
                self._fail_result(ChainResult(work, start, 0, StageFailure(
                    self.chain[start].name, f"{type(exc).__name__}: {exc}", True)), report)
                continue
            works.append(work)
            starts.append(start)
        for result in self._compute(works, starts):
            self._apply(result, report)
            if _stopped(stop):
                break

    def _compute(self, works: list[Work], starts: list[int]) -> Iterator[ChainResult]:
        if self._executor is not None and self._worker_chain is not None and len(works) > 1:
            yield from self._executor.map(self._worker_chain, works, starts, chunksize=4)
        else:
            for work, start in zip(works, starts, strict=True):
                yield compute_chain(self.chain, work, start)

    def _apply(self, result: ChainResult, report: DrainReport) -> None:
        """Write one chain's results with a single conditional UPDATE: if the row is no longer in the
        status the chain started from, another worker got there first and nothing is written."""
        self._leased.discard(result.work.message_pk)
        start_status = self.chain[result.start].takes
        done = self.chain[result.start:result.start + result.completed]
        if self._observer is not None:
            for stage, seconds in zip(self.chain[result.start:], result.seconds, strict=False):
                self._observer.stage_seconds(stage.name, seconds)
        values: dict[str, Any] = {"updated_at": self._clock.now()}
        try:
            for stage in done:
                values.update(stage.values(result.work))
                values["status"] = stage.gives
            if done or result.failure is None:
                values.update(attempts=0, next_attempt_at=None, last_error=None)
            with self._sessions.begin() as session:
                if result.failure is not None:
                    message = _claim(session, result.work.message_pk, start_status)
                    if message is None:
                        return
                    for key, value in values.items():
                        setattr(message, key, value)
                    self._record(report, result.failure.stage, self._failed(message, result.failure))
                else:
                    updated = session.connection().execute(
                        _update_statement(frozenset(values)),
                        {**values, "_id": result.work.message_pk, "_status": str(start_status)})
                    if updated.rowcount == 0:
                        return
        except Exception as exc:
            stage = self.chain[result.start]
            failure = StageFailure(stage.name, f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS], False)
            self._fail_result(ChainResult(result.work, result.start, 0, failure), report)
            return
        for stage in done:
            report.count(stage.name)

    def _fail_result(self, result: ChainResult, report: DrainReport) -> None:
        assert result.failure is not None
        with self._sessions.begin() as session:
            message = _claim(session, result.work.message_pk, self.chain[result.start].takes)
            if message is not None:
                self._record(report, result.failure.stage, self._failed(message, result.failure))

    # -- database stages -------------------------------------------------------------------------------

    def run_one(self, stage: Stage, message_pk: int) -> str:
        """Run a database *stage* on one message in its own transaction; return done, retry, failed
        or skipped."""
        self._leased.discard(message_pk)
        try:
            with self._sessions.begin() as session:
                message = _claim(session, message_pk, stage.takes)
                if message is None:
                    return "skipped"
                began = time.perf_counter()
                stage.handle(session, message)
                if self._observer is not None:
                    self._observer.stage_seconds(stage.name, time.perf_counter() - began)
                # one Core UPDATE, not a flush of the object (the claim's row lock or SQLite's write
                # lock keeps the status as claimed until this commits)
                values = {"status": stage.gives, "attempts": 0, "next_attempt_at": None, "last_error": None,
                          "updated_at": self._clock.now()}
                session.connection().execute(_update_statement(frozenset(values)),
                                             {**values, "_id": message_pk, "_status": str(stage.takes)})
            return "done"
        except Exception as exc:
            failure = StageFailure(stage.name, f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS],
                                   isinstance(exc, Quarantine))
            with self._sessions.begin() as session:
                message = _claim(session, message_pk, stage.takes)
                return "skipped" if message is None else self._failed(message, failure)

    # -- failures ----------------------------------------------------------------------------------------

    def _failed(self, message: Message, failure: StageFailure) -> str:
        """Count a failed attempt on *message* (in the caller's transaction): retry later or park."""
        now = self._clock.now()
        message.attempts += 1
        message.last_error = failure.error
        message.updated_at = now
        kind = failure.error.split(":", 1)[0]
        if failure.quarantine or message.attempts >= self._max_attempts:
            message.status = MessageStatus.failed
            message.failed_stage = failure.stage
            message.next_attempt_at = None
            # The exception type only: exception texts can quote message content, which logs must not.
            log.warning("msg#%d: %s failed, parked (%s, attempt %d)", message.id, failure.stage, kind,
                        message.attempts)
            return "failed"
        delay = self._retry_delay * 2 ** (message.attempts - 1)
        message.next_attempt_at = now + timedelta(seconds=delay)
        log.info("msg#%d: %s failed (%s), retry %d/%d in %.0fs", message.id, failure.stage, kind,
                 message.attempts, self._max_attempts - 1, delay)
        return "retry"

    def _record(self, report: DrainReport, stage: str, outcome: str) -> None:
        if outcome in ("retry", "failed") and self._observer is not None:
            self._observer.failed(stage)
        if outcome == "done":
            report.count(stage)
        elif outcome == "retry":
            report.retried += 1
        elif outcome == "failed":
            report.failed += 1


@functools.lru_cache(maxsize=64)
def _update_statement(columns: frozenset[str]) -> Update:
    """A Core UPDATE of *columns* for one message in one status, built once per set of columns (the
    ORM's bulk UPDATE costs more than the stage work it records)."""
    table = Message.__table__
    assert isinstance(table, Table)
    return (update(table)
            .where(table.c.id == bindparam("_id"), table.c.status == bindparam("_status"))
            .values({name: bindparam(name, type_=table.c[name].type) for name in sorted(columns)}))


def _stopped(stop: threading.Event | None) -> bool:
    return stop is not None and stop.is_set()


# built once: constructing the statement (and its cache key) per claim costs more than running it
_CLAIM = select(Message).where(
    Message.id == bindparam("message_pk", type_=Integer), Message.status == bindparam("status", type_=String)
)
_CLAIM_LOCKED = _CLAIM.with_for_update(skip_locked=True)


def _claim(session: Session, message_pk: int, status: MessageStatus) -> Message | None:
    query = _CLAIM_LOCKED if session.get_bind().dialect.name == "postgresql" else _CLAIM
    return session.scalars(query, {"message_pk": message_pk, "status": str(status)}).one_or_none()


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
