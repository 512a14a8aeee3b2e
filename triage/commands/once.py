"""`triage once`: poll every mailbox once, drain every stage, exit (tests, cron, backfills)."""

from __future__ import annotations

import argparse
import logging
import threading

from triage.commands.loading import app_from
from triage.errors import MailboxError
from triage.pipeline import DrainReport

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "once",
        help="poll every mailbox once, run every stage until nothing waits, then exit",
        description="Burst mode: poll each configured mailbox once, process everything waiting in the "
        "pipeline (retries do not wait their delay), send the approved drafts, and exit. Exit code 1 "
        "when a mailbox could not be read; the other mailboxes are still processed.",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        failures: list[str] = []

        def poll_all() -> None:
            for config in app.settings.mailboxes:
                try:
                    app.poll(config)
                except MailboxError as exc:
                    log.error("%s", exc)
                    failures.append(config.name)

        # Poll in a thread while this one drains what is already stored: the pipeline need not wait
        # for the last mailbox, and the fetch overlaps the parsing.
        poller = threading.Thread(target=poll_all, name="poll")
        poller.start()
        pipeline = app.pipeline()
        report = DrainReport()
        while True:
            polling = poller.is_alive()
            report.add(pipeline.drain(burst=True))
            if not polling:
                break
            poller.join(0.2)
        sent = app.send_approved(burst=True)
        if sent is not None and (sent.sent or sent.failed or sent.retried or sent.stale):
            log.info(
                "once: sent %d, retry later %d, failed %d, interrupted %d",
                sent.sent,
                sent.retried,
                sent.failed,
                sent.stale,
            )
        log.info(
            "once: %s; %d failed",
            ", ".join(f"{k} {v}" for k, v in report.done.items()) or "nothing to do",
            report.failed,
        )
        return 1 if failures else 0
