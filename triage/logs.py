"""Logging for an operator: one line per event, subject first; journald priorities when under systemd."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping

# syslog priorities journald reads from a "<N>" line prefix (sd-daemon(3)).
PRIORITY = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3, logging.CRITICAL: 2}


class JournalFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"<{PRIORITY.get(record.levelno, 6)}>{super().format(record)}"


def _expected_skips(record: logging.LogRecord) -> bool:
    """Drop APScheduler's warning that a job is still running when its next run is due: with
    max_instances=1 that is how a long drain or poll is meant to behave, not a problem."""
    return not (record.name.startswith("apscheduler") and "maximum number of running instances" in record.msg)


def setup_logging(level: str, environ: Mapping[str, str]) -> None:
    """Send log lines to stderr: with a time stamp on a terminal, with journald priorities under systemd."""
    handler = logging.StreamHandler(sys.stderr)
    if environ.get("JOURNAL_STREAM"):
        handler.setFormatter(JournalFormatter("%(message)s"))
    elif sys.stderr.isatty():
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(message)s", "%H:%M:%S"))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler.addFilter(_expected_skips)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Library chatter (imapclient logs protocol lines at DEBUG, which could carry mail content).
    for noisy in ("imapclient", "apscheduler.executors", "alembic", "sqlalchemy"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
