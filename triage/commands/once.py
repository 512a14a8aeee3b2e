"""`triage once`: poll every mailbox once, drain every stage, exit (tests, cron, backfills)."""

from __future__ import annotations

import argparse
import logging

from triage.commands.loading import app_from
from triage.errors import MailboxError

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "once", help="poll every mailbox once, run every stage until nothing waits, then exit",
        description="Burst mode: poll each configured mailbox once, process everything waiting in the "
                    "pipeline (retries do not wait their delay), and exit. Exit code 1 when a mailbox "
                    "could not be read; the other mailboxes are still processed.")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    app = app_from(args)
    try:
        failures = 0
        for config in app.settings.mailboxes:
            try:
                app.poll(config)
            except MailboxError as exc:
                log.error("%s", exc)
                failures += 1
        report = app.pipeline().drain(burst=True)
        log.info("once: %s; %d failed", ", ".join(f"{k} {v}" for k, v in report.done.items()) or "nothing to do",
                 report.failed)
        return 1 if failures else 0
    finally:
        app.close()
