"""`triage run`: APScheduler jobs that poll each mailbox and drain the pipeline until SIGTERM.

Jobs (APScheduler 3, a thread pool): ``poll:<mailbox>`` on an interval, ``drain`` on a shorter one.
A poll that stores mail wakes the drain at once, and an IDLE watcher per IMAP mailbox wakes its poll
when the server reports new mail. Every job checks the stop flag between items, so SIGTERM finishes
the message at hand and exits.
"""

from __future__ import annotations

import functools
import gc
import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from prometheus_client import CollectorRegistry

from triage.app import App
from triage.errors import MailboxError, TriageError
from triage.metrics import DatabaseCollector, Metrics, MetricsServer, parse_listen, start_metrics_server
from triage.notify import Notifier
from triage.service import ServiceReporter, queue_status
from triage.settings import MailboxSettings

log = logging.getLogger(__name__)

DRAIN_JOB = "drain"
SEND_JOB = "send"
#: The sd_notify watchdog job; it has an executor of its own so that busy polls cannot delay the pings.
WATCHDOG_JOB = "watchdog"


class Backoff:
    """Exponential delay after consecutive failures, capped."""

    def __init__(self, cap_seconds: float, base_seconds: float = 5) -> None:
        self._cap = cap_seconds
        self._base = base_seconds
        self.failures = 0
        self.not_before = 0.0

    def failed(self) -> float:
        self.failures += 1
        delay = min(self._cap, self._base * 2.0 ** (self.failures - 1))
        self.not_before = time.monotonic() + delay
        return delay

    def succeeded(self) -> None:
        self.failures = 0
        self.not_before = 0.0

    def ready(self) -> bool:
        return time.monotonic() >= self.not_before


def settle_heap() -> None:
    """Leave the objects alive now out of every later full garbage collection.

    After start-up the process holds the NLP models, some 450,000 objects that live as long as it
    does; each full collection walked them again, a pause of about a quarter of a second in whatever
    job was running. Garbage is collected first, so none is kept for good (`gc.freeze`).
    """
    gc.collect()
    gc.freeze()


class JobsAtWork:
    """Counts the scheduler's jobs while they run, so that shutdown can wait for them itself.

    APScheduler 3's ``shutdown(wait=True)`` holds the job-store lock while it waits for running jobs, and
    a job that wakes another (``modify_job``) needs that lock: a poll that stored mail just as SIGTERM
    came would wait for the lock and the shutdown for the poll, for ever. So the daemon pauses the
    scheduler, waits here until the jobs at work are done, and only then shuts the scheduler down.
    """

    def __init__(self) -> None:
        self._done = threading.Condition()
        self._count = 0

    def track(self, function: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(function)
        def job(*args: Any, **kwargs: Any) -> None:
            with self._done:
                self._count += 1
            try:
                function(*args, **kwargs)
            finally:
                with self._done:
                    self._count -= 1
                    self._done.notify_all()

        return job

    @property
    def count(self) -> int:
        with self._done:
            return self._count

    def wait_idle(self) -> None:
        """Return once no tracked job is running (jobs check the stop flag between items)."""
        with self._done:
            self._done.wait_for(lambda: self._count == 0)


class Daemon:
    """The long-running process: scheduler, jobs and IDLE watchers around one App."""

    def __init__(self, app: App, stop: threading.Event) -> None:
        self.app = app
        self.stop = stop
        daemon = app.settings.daemon
        self.metrics: Metrics | None = None
        self._metrics_server: MetricsServer | None = None
        listen = parse_listen(app.settings.metrics.listen)
        if listen is not None:
            registry = CollectorRegistry()
            self.metrics = Metrics(registry)
            names = [m.name for m in app.settings.mailboxes]
            registry.register(DatabaseCollector(app.readers, names, app.clock))
            self._metrics_server = start_metrics_server(*listen, registry)
        self._pipeline = app.pipeline(observer=self.metrics)
        self._backoff = {m.name: Backoff(daemon.reconnect_max_seconds) for m in app.settings.mailboxes}
        self._again = {name: threading.Event() for name in [*self._backoff, DRAIN_JOB]}
        self._watchers: list[threading.Thread] = []
        self.at_work = JobsAtWork()
        self.scheduler = BackgroundScheduler(
            executors={
                "default": ThreadPoolExecutor(max_workers=min(8, len(app.settings.mailboxes) + 2)),
                WATCHDOG_JOB: ThreadPoolExecutor(max_workers=1),
            },
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": daemon.misfire_grace_seconds,
            },
            timezone="UTC",
        )
        self.service = ServiceReporter(
            Notifier.from_environ(app.environ),
            queue_status(app.readers, [m.name for m in app.settings.mailboxes]),
        )

    def start(self) -> None:
        daemon = self.app.settings.daemon
        now = self.app.clock.now()
        for config in self.app.settings.mailboxes:
            self.scheduler.add_job(
                self.at_work.track(self.poll_job),
                "interval",
                args=[config],
                id=f"poll:{config.name}",
                seconds=daemon.poll_interval_seconds,
                next_run_time=now,
            )
        self.scheduler.add_job(
            self.at_work.track(self.drain_job),
            "interval",
            id=DRAIN_JOB,
            seconds=daemon.drain_interval_seconds,
            next_run_time=now + timedelta(seconds=0.5),
        )
        if self.app.settings.retention.days > 0:
            self.scheduler.add_job(
                self.at_work.track(self.retention_job),
                "interval",
                id="retention",
                hours=self.app.settings.retention.run_interval_hours,
                next_run_time=now + timedelta(seconds=5),
            )
        if self.app.settings.smtp is not None:
            self.scheduler.add_job(
                self.at_work.track(self.send_job),
                "interval",
                id=SEND_JOB,
                seconds=self.app.settings.replies.send_interval_seconds,
                next_run_time=now + timedelta(seconds=1),
            )
        self.scheduler.start()
        if daemon.idle:
            for config in self.app.settings.mailboxes:
                if config.scheme in ("imap", "imaps"):
                    thread = threading.Thread(
                        target=self._watch, args=[config], name=f"idle:{config.name}", daemon=True
                    )
                    thread.start()
                    self._watchers.append(thread)
        log.info("daemon started: %d mailboxes", len(self.app.settings.mailboxes))

    def run_until_stopped(self) -> None:
        # The models load before the jobs start: a SIGTERM then waits for one message, not for a load.
        self._pipeline.prepare()
        settle_heap()
        self.start()
        try:
            self.report_ready()
            while not self.stop.wait(1.0):
                pass
        finally:
            self.shutdown()

    def shutdown(self) -> None:
        self.stop.set()
        self.service.stopping()
        log.info("daemon stopping: finishing the items at hand")
        # No new runs; the jobs at work finish their item (see JobsAtWork for why not shutdown(wait=True)
        # alone). A job submitted after this sees the stop flag and returns at once, waking nothing.
        self.scheduler.pause()
        self.at_work.wait_idle()
        self.scheduler.shutdown(wait=True)
        if self._metrics_server is not None:
            self._metrics_server.close()
        for thread in self._watchers:
            thread.join(timeout=5)
        log.info("daemon stopped")

    def report_ready(self) -> None:
        """Tell systemd we are up (READY=1, after a database count) and start the watchdog pings."""
        self.service.ready()
        interval = self.service.tick_seconds()
        if interval is not None:
            self.scheduler.add_job(
                self.service.tick,
                "interval",
                id=WATCHDOG_JOB,
                executor=WATCHDOG_JOB,
                seconds=interval,
                next_run_time=self.app.clock.now(),
                misfire_grace_time=max(1, int(interval)),
            )

    def wake(self, job_id: str) -> None:
        """Run *job_id* now; if it is running, make it go round once more. Nothing once stopping."""
        if self.stop.is_set():
            return
        self._again[job_id.removeprefix("poll:")].set()
        try:
            self.scheduler.modify_job(job_id, next_run_time=self.app.clock.now())
        except JobLookupError:
            pass

    def poll_job(self, config: MailboxSettings) -> None:
        backoff = self._backoff[config.name]
        again = self._again[config.name]
        if not backoff.ready():
            return
        while not self.stop.is_set():
            again.clear()
            try:
                report = self.app.poll(config, self.stop)
            except MailboxError as exc:
                delay = backoff.failed()
                log.error("%s (retry in %.0fs)", exc, delay)
                return
            except TriageError as exc:
                log.error("mailbox=%s: %s", config.name, exc)
                return
            backoff.succeeded()
            if self.metrics is not None:
                self.metrics.fetched(config.name, report.stored)
            if report.stored:
                self.wake(DRAIN_JOB)
            if not again.is_set():
                return

    def send_job(self) -> None:
        """Send approved drafts (staff approve in the web UI or the CLI; only the daemon sends)."""
        try:
            report = self.app.send_approved(stop=self.stop)
        except TriageError as exc:
            log.error("send: %s", exc)
            return
        if report is not None and (report.sent or report.failed or report.retried or report.stale):
            log.info(
                "send: sent %d, retry later %d, failed %d, interrupted %d",
                report.sent,
                report.retried,
                report.failed,
                report.stale,
            )

    def retention_job(self) -> None:
        from triage.retention import purge

        if self.stop.is_set():
            return
        with self.app.sessions.begin() as session:
            purge(session, self.app.clock.now(), self.app.settings.retention.days)

    def drain_job(self) -> None:
        again = self._again[DRAIN_JOB]
        while not self.stop.is_set():
            again.clear()
            report = self._pipeline.drain(stop=self.stop)
            if report.total or report.failed:
                log.info(
                    "drain: %s; %d failed",
                    ", ".join(f"{k} {v}" for k, v in report.done.items()) or "-",
                    report.failed,
                )
            if not again.is_set():
                return

    def _watch(self, config: MailboxSettings) -> None:
        """Hold an IDLE connection on the mailbox's first folder; wake its poll on new mail."""
        from triage.adapters.imap import ImapIdleWaiter, ImapMailbox

        backoff = Backoff(self.app.settings.daemon.reconnect_max_seconds)
        timeout = self.app.settings.daemon.idle_timeout_seconds
        while not self.stop.is_set():
            waiter = None
            try:
                mailbox = self.app.mailbox(config)
                assert isinstance(mailbox, ImapMailbox)
                waiter = ImapIdleWaiter(mailbox, config.folder_names[0])
                if not waiter.supported():
                    log.info("mailbox=%s: server has no IDLE; polling only", config.name)
                    return
                backoff.succeeded()
                while not self.stop.is_set():
                    if waiter.wait(timeout, self.stop):
                        log.debug("mailbox=%s: IDLE reports new mail", config.name)
                        self.wake(f"poll:{config.name}")
            except TriageError as exc:
                delay = backoff.failed()
                log.warning("%s; IDLE paused for %.0fs", exc, delay)
                self.stop.wait(delay)
            finally:
                if waiter is not None:
                    waiter.close()
