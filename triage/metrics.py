"""Prometheus metrics: counters the pipeline increments, gauges read from the database on each scrape.

Counted as it happens (call these from the code that does the work)::

    metrics = Metrics(registry)
    metrics.fetched("warsaw", 12)           # triage_messages_fetched_total{mailbox}
    metrics.stage_seconds("parse", 0.004)   # triage_stage_duration_seconds{stage} (histogram)
    metrics.failed("extract")               # triage_stage_failures_total{stage}

Read from the database when Prometheus scrapes (DatabaseCollector), so they are right whichever process
did the work: ``triage_queue_messages{status}``, ``triage_drafts{state}``,
``triage_mailbox_up{mailbox}``, ``triage_mailbox_seconds_since_success{mailbox}`` and
``triage_database_up``. ``start_metrics_server`` serves a registry over HTTP; keep it on loopback or
behind a proxy: the endpoint has no authentication.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from triage.clock import Clock
from triage.store.queries import draft_counts, mailbox_polls, queue_depths

log = logging.getLogger(__name__)

#: Stage latencies range from a millisecond (classify) to seconds (extraction with NER, a big fetch).
STAGE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
#: Draft states always exported, so a dashboard's "pending" panel shows 0 rather than nothing.
DRAFT_STATES = ("pending", "sent")


class Metrics:
    """The counters and histograms triage updates while it works, registered in one registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self._fetched = Counter("triage_messages_fetched", "Messages fetched and stored, per mailbox.",
                                ["mailbox"], registry=registry)
        self._seconds = Histogram("triage_stage_duration_seconds", "Time one message spends in a stage.",
                                  ["stage"], buckets=STAGE_BUCKETS, registry=registry)
        self._failed = Counter("triage_stage_failures", "Stage attempts that failed, per stage.",
                               ["stage"], registry=registry)

    def fetched(self, mailbox: str, count: int) -> None:
        """*count* new messages were stored from *mailbox*."""
        if count:
            self._fetched.labels(mailbox=mailbox).inc(count)

    def stage_seconds(self, stage: str, seconds: float) -> None:
        """One message took *seconds* in *stage*."""
        self._seconds.labels(stage=stage).observe(seconds)

    def failed(self, stage: str) -> None:
        """One attempt of *stage* failed (retried later or parked)."""
        self._failed.labels(stage=stage).inc()


class DatabaseCollector(Collector):
    """Gauges counted from the database at scrape time (a few GROUP BY queries)."""

    def __init__(self, sessions: sessionmaker[Session], mailbox_names: Sequence[str], clock: Clock) -> None:
        self._sessions = sessions
        self._mailboxes = list(mailbox_names)
        self._clock = clock

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("triage_database_up", "1 if the last scrape could read the database.")
        try:
            with self._sessions() as session:
                depths = queue_depths(session)
                polls = mailbox_polls(session)
                drafts = draft_counts(session)
        except SQLAlchemyError as exc:
            log.warning("metrics: cannot read the database: %s", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        queue = GaugeMetricFamily("triage_queue_messages", "Messages per pipeline status.",
                                  labels=["status"])
        for status, count in depths.items():
            queue.add_metric([status], count)
        yield queue
        family = GaugeMetricFamily("triage_drafts", "Reply drafts per state.", labels=["state"])
        for state in sorted({*DRAFT_STATES, *drafts}):
            family.add_metric([state], drafts.get(state, 0))
        yield family
        yield from self._mailbox_metrics(polls)

    def _mailbox_metrics(self, polls: dict[str, tuple[datetime | None, bool]]) -> Iterator[Metric]:
        now = self._clock.now()
        mailbox_up = GaugeMetricFamily("triage_mailbox_up", "1 if every folder's last poll succeeded.",
                                       labels=["mailbox"])
        age = GaugeMetricFamily("triage_mailbox_seconds_since_success",
                                "Seconds since the last successful poll (of the folder polled longest "
                                "ago); absent until the first one.", labels=["mailbox"])
        for name in self._mailboxes:
            success_at, ok = polls.get(name, (None, False))
            mailbox_up.add_metric([name], 1 if ok else 0)
            if success_at is not None:
                age.add_metric([name], max(0.0, (now - success_at).total_seconds()))
        yield mailbox_up
        yield age


@dataclass
class MetricsServer:
    """A running metrics endpoint; close() stops it."""

    server: WSGIServer

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_metrics_server(host: str, port: int, registry: CollectorRegistry) -> MetricsServer:
    """Serve *registry* at ``http://host:port/metrics`` from a daemon thread (port 0: any free port)."""
    server, _thread = start_http_server(port, addr=host, registry=registry)
    log.info("metrics: serving on %s:%d", host, server.server_port)
    return MetricsServer(server)


def parse_listen(value: str) -> tuple[str, int] | None:
    """Read a ``listen`` setting: "127.0.0.1:9464", "[::1]:9464", or "" (off, None); ValueError if bad."""
    value = value.strip()
    if not value:
        return None
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"expected host:port, got {value!r}")
    return host.removeprefix("[").removesuffix("]"), int(port)
