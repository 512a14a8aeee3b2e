"""Run `triage run` in a child whose scheduler thread hangs after the third watchdog tick.

Usage: python -m tests.stall_child CONFIG

This stands in for a daemon whose scheduler is stuck (a deadlock on a lock, a job store that never
answers): BaseScheduler._process_jobs, the scheduler thread's only work, blocks forever once the third
tick has pinged. Before blocking it sends ``X_TEST_STALLED=1`` to $NOTIFY_SOCKET, so the test knows from
which moment on no more watchdog pings may come. The main thread keeps waiting for SIGTERM as usual; the
test ends the child with SIGKILL, as systemd would after WatchdogSec= (it sends SIGABRT).
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

from apscheduler.schedulers.base import BaseScheduler

from triage import cli
from triage.notify import Notifier
from triage.service import ServiceReporter

STALL_AFTER_TICKS = 3


def main(config: str) -> None:
    stalled = threading.Event()
    ticks = {"n": 0}
    original_tick = ServiceReporter.tick
    original_process = BaseScheduler._process_jobs

    def tick(self: ServiceReporter) -> None:
        original_tick(self)
        ticks["n"] += 1
        if ticks["n"] >= STALL_AFTER_TICKS:
            stalled.set()

    def process_jobs(self: Any) -> Any:
        if stalled.is_set():
            Notifier(os.environ["NOTIFY_SOCKET"])._send("X_TEST_STALLED=1")
            threading.Event().wait()  # forever
        return original_process(self)

    ServiceReporter.tick = tick  # type: ignore[method-assign]
    BaseScheduler._process_jobs = process_jobs  # type: ignore[method-assign]
    sys.exit(cli.main(["--config", config, "run"]))


if __name__ == "__main__":
    main(sys.argv[1])
