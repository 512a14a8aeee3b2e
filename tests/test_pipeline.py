"""The pipeline runner: one transaction per message, retries, parking, requeue, stop between items."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.apps import FrozenClock, config, make_app
from triage.errors import Quarantine
from triage.pipeline import Pipeline, requeue
from triage.ports import FetchedMail, MailRef
from triage.stages.fetch import FetchOptions, store_batch
from triage.store.models import Message, MessageStatus


class RecordingParse:
    """A parse stage that records what it saw and fails on demand."""

    name = "parse"
    takes = MessageStatus.stored
    gives = MessageStatus.parsed

    def __init__(
        self,
        failing: set[int] | None = None,
        quarantine: set[int] | None = None,
        stop_after: tuple[int, threading.Event] | None = None,
    ) -> None:
        self.seen: list[int] = []
        self.failing = failing or set()
        self.quarantine = quarantine or set()
        self.stop_after = stop_after

    def handle(self, session: Session, message: Message) -> None:
        self.seen.append(message.id)
        if message.id in self.quarantine:
            raise Quarantine("cannot be read")
        if message.id in self.failing:
            raise ValueError("boom")
        message.subject = f"seen {message.id}"
        if self.stop_after and len(self.seen) == self.stop_after[0]:
            self.stop_after[1].set()


def _store(app, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    mails = [
        FetchedMail(MailRef(key=f"k{i}"), f"Message-ID: <{i}@x.example>\r\n\r\nbody {i}\r\n".encode(), 30)
        for i in range(count)
    ]
    with app.sessions.begin() as session:
        return store_batch(session, app.clock, "local", "", None, mails, FetchOptions()).message_pks


@pytest.fixture
def app(tmp_path: Path):  # type: ignore[no-untyped-def]
    with make_app(config(f"sqlite:///{tmp_path}/t.db"), clock=FrozenClock()) as app:
        yield app


def test_drain_moves_each_message_once(app) -> None:  # type: ignore[no-untyped-def]
    ids = _store(app, 5)
    stage = RecordingParse()
    report = Pipeline(app.sessions, app.clock, [stage]).drain()
    assert stage.seen == ids
    assert report.done == {"parse": 5}
    assert Pipeline(app.sessions, app.clock, [stage]).drain().total == 0
    with app.sessions() as session:
        assert {m.status for m in session.scalars(select(Message))} == {MessageStatus.parsed}


def test_drain_with_failing_message_retries_then_parks_and_goes_on(app) -> None:  # type: ignore[no-untyped-def]
    ids = _store(app, 3)
    stage = RecordingParse(failing={ids[1]})
    pipeline = Pipeline(app.sessions, app.clock, [stage], max_attempts=3, retry_delay_seconds=10)
    first = pipeline.drain()
    assert first.done == {"parse": 2} and first.retried == 1
    assert pipeline.drain().total == 0  # the retry waits its delay
    app.clock.advance(10)
    assert pipeline.drain().retried == 1
    app.clock.advance(20)
    assert pipeline.drain().failed == 1
    with app.sessions() as session:
        bad = session.get(Message, ids[1])
        assert bad is not None
        assert (bad.status, bad.failed_stage, bad.attempts) == (MessageStatus.failed, "parse", 3)
        assert bad.last_error == "ValueError: boom"


def test_drain_in_burst_mode_does_not_wait_for_retry_delays(app) -> None:  # type: ignore[no-untyped-def]
    ids = _store(app, 2)
    report = Pipeline(app.sessions, app.clock, [RecordingParse(failing={ids[0]})], max_attempts=3).drain(
        burst=True
    )
    assert report.done == {"parse": 1} and report.retried == 2 and report.failed == 1


def test_quarantine_parks_at_once_and_requeue_puts_it_back(app) -> None:  # type: ignore[no-untyped-def]
    ids = _store(app, 2)
    pipeline = Pipeline(app.sessions, app.clock, [RecordingParse(quarantine={ids[0]})])
    assert pipeline.drain().failed == 1
    with app.sessions.begin() as session:
        assert requeue(session, app.clock, [ids[0]]) == [ids[0]]
    report = Pipeline(app.sessions, app.clock, [RecordingParse()]).drain()
    assert report.done == {"parse": 1}
    with app.sessions() as session:
        assert session.get(Message, ids[0]).status == MessageStatus.parsed  # type: ignore[union-attr]


def test_drain_stops_between_items_when_asked(app) -> None:  # type: ignore[no-untyped-def]
    _store(app, 10)
    stop = threading.Event()
    stage = RecordingParse(stop_after=(3, stop))
    report = Pipeline(app.sessions, app.clock, [stage]).drain(stop=stop)
    assert report.done == {"parse": 3}
    with app.sessions() as session:
        statuses = [m.status for m in session.scalars(select(Message).order_by(Message.id))]
    assert statuses == [MessageStatus.parsed] * 3 + [MessageStatus.stored] * 7


def test_pipeline_with_stages_out_of_order_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    class Classify(RecordingParse):
        name = "classify"

    with pytest.raises(ValueError, match="takes"):
        Pipeline(app.sessions, app.clock, [Classify()])
