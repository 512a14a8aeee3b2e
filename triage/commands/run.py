"""`triage run`: the daemon."""

from __future__ import annotations

import argparse
import signal
import threading
from types import FrameType

from triage.commands.loading import app_from
from triage.daemon import Daemon


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "run", help="run the daemon: poll mailboxes and process mail until stopped",
        description="Run until SIGTERM or SIGINT: poll every mailbox on its interval (and at once on IMAP "
                    "IDLE), and run the pipeline. On SIGTERM the message at hand is finished and the "
                    "process exits.")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with app_from(args) as app:
        Daemon(app, stop).run_until_stopped()
        return 0
