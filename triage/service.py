"""What the daemon tells systemd: ready once started, a watchdog ping and a queue summary on every tick.

The daemon runs ``tick()`` as a scheduler job every half watchdog interval, so the pings come from the
scheduler itself: if the scheduler stalls, the pings stop and systemd restarts the service
(``WatchdogSec=``). The ping is sent before the status is counted, so a slow database delays only the
status line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from triage.errors import StoreError
from triage.notify import Notifier
from triage.store.models import MessageStatus
from triage.store.queries import mailbox_polls, queue_depths

log = logging.getLogger(__name__)

#: Statuses shown in the status line: the queues and the parked, not the finished.
SHOWN = [s for s in MessageStatus if s != MessageStatus.done]


class ServiceReporter:
    """Reports the daemon's life cycle to the service manager through a Notifier."""

    def __init__(self, notifier: Notifier, status_source: Callable[[], str]) -> None:
        self.notifier = notifier
        self._status_source = status_source

    def tick_seconds(self) -> float | None:
        """How often tick() must run: half the watchdog timeout, or None when there is no watchdog."""
        interval = self.notifier.watchdog_interval()
        return None if interval is None else interval / 2

    def ready(self) -> None:
        """Send READY=1 with the first status; the status query doubles as the database check, so a
        database that cannot be counted raises here (StoreError) and the service fails to start."""
        if not self.notifier.enabled:
            return
        self.notifier.ready(self._status_source())

    def tick(self) -> None:
        """Ping the watchdog, then refresh the status line (a failed count is logged, not raised)."""
        if not self.notifier.enabled:
            return
        self.notifier.watchdog()
        try:
            text = self._status_source()
        except StoreError as exc:
            log.warning("service status: %s", exc)
            text = "database unavailable"
        self.notifier.status(text)

    def stopping(self) -> None:
        self.notifier.stopping()
        self.notifier.status("stopping: finishing the items at hand")


def queue_status(sessions: sessionmaker[Session], mailbox_names: Sequence[str]) -> Callable[[], str]:
    """Return a status source counting the queues, e.g. "stored 3, parsed 0, …, failed 2; mailboxes ok
    2/3" (a mailbox is ok when every folder's last poll succeeded); raise StoreError on database errors."""

    def status() -> str:
        try:
            with sessions() as session:
                depths = queue_depths(session)
                polls = mailbox_polls(session)
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreError(f"cannot count the queues: {reason}") from None
        ok = sum(1 for name in mailbox_names if polls.get(name, (None, False))[1])
        queues = ", ".join(f"{status} {depths[status]}" for status in SHOWN)
        return f"{queues}; mailboxes ok {ok}/{len(mailbox_names)}"

    return status
