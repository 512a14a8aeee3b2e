"""Stream applicant records one at a time through the link stage's matcher and a fresh store.

`StoreStream` creates an empty SQLite database with the application's own migrations, stores each
record as a message whose extraction holds that one applicant (its own transaction, untimed, as fetch
and extract would), then links it with `triage.applicants.matching.link_applicant`, the function the
link stage calls, in a transaction of its own (timed, commit included). `StoreStream.clusters` reads
which records ended in one applicant from ``applicant_message``. Used by ``bench/febrl_bench.py``,
``bench/heldout_bench.py`` and the held-out regression test.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import select

from triage.applicants.matching import link_applicant
from triage.linking.score import Scorer
from triage.store.db import make_engine, make_sessions
from triage.store.models import ApplicantMessage, Message, MessageStatus
from triage.store.schema import upgrade

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
Pair = frozenset[str]


class StoreStream:
    """A fresh SQLite store that links records one by one; use as a context manager."""

    def __init__(self, scorer: Scorer | None = None, directory: str | None = None) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="triage-store-stream-", dir=directory)
        self.engine = make_engine(f"sqlite:///{Path(self._tmp.name) / 'stream.db'}")
        upgrade(self.engine)
        self.sessions = make_sessions(self.engine)
        self.scorer = scorer or Scorer()
        self.now = START
        self.latencies: list[float] = []
        self.actions: dict[str, int] = {}

    def __enter__(self) -> StoreStream:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()
        self._tmp.cleanup()

    def link(
        self, record_id: str, extracted: Mapping[str, Any], embassy: str = "pl", language: str = "en"
    ) -> int:
        """Store *extracted* as the one applicant of a new message, link it; return its applicant id."""
        self.now += timedelta(seconds=1)
        with self.sessions.begin() as session:
            message = Message(
                dedupe_key=record_id[:64],
                sha256=record_id[:64],
                message_id_header=f"<{record_id}@stream.example>",
                raw=b"",
                size=0,
                status=MessageStatus.extracted,
                attempts=0,
                created_at=self.now,
                updated_at=self.now,
                date_sent=self.now,
                category="application",
                language=language,
                embassy_code=embassy,
                extraction={"language": language, "applicants": [dict(extracted)], "candidates": []},
            )
            session.add(message)
            session.flush()
            message_pk = message.id
        start = time.perf_counter()
        with self.sessions.begin() as session:
            message = session.get(Message, message_pk)
            assert message is not None
            outcome = link_applicant(session, self.scorer, message, 0, dict(extracted), self.now)
            message.status = MessageStatus.linked
        self.latencies.append(time.perf_counter() - start)
        self.actions[outcome.action] = self.actions.get(outcome.action, 0) + 1
        self.actions["suggestions"] = self.actions.get("suggestions", 0) + outcome.suggestions
        return outcome.applicant_id

    def clusters(self) -> dict[int, list[str]]:
        """Return the record ids of every applicant, read from the stored applicant-message rows."""
        by_applicant: dict[int, list[str]] = {}
        with self.sessions() as session:
            rows = session.execute(
                select(ApplicantMessage.applicant_id, Message.dedupe_key)
                .join(Message, Message.id == ApplicantMessage.message_pk)
                .order_by(ApplicantMessage.id)
            )
            for applicant_id, record_id in rows:
                by_applicant.setdefault(applicant_id, []).append(record_id)
        return by_applicant

    def predicted_pairs(self) -> set[Pair]:
        """Return every pair of records whose messages ended in one applicant."""
        return pairs_of(self.clusters().values())


def pairs_of(groups: Iterable[Iterable[str]]) -> set[Pair]:
    """Return all unordered pairs within each group."""
    return {frozenset(pair) for group in groups for pair in combinations(sorted(group), 2)}


def prf(predicted: set[Pair], truth: set[Pair]) -> tuple[float, float, float]:
    """Return pairwise precision, recall and F1 of *predicted* against *truth*."""
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
