"""The sd_notify protocol: tell systemd we are ready, alive, busy with what, or stopping ($NOTIFY_SOCKET).

Each state change is one datagram of ``KEY=value`` lines sent to the AF_UNIX socket systemd names in
``$NOTIFY_SOCKET`` (a path, or an abstract socket when it starts with ``@``); see sd_notify(3). Without
``$NOTIFY_SOCKET`` (not started by systemd, or ``Type=simple``) every call does nothing. A failed send is
logged and otherwise ignored: reporting to the service manager must never stop the daemon.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)

#: systemd ignores STATUS texts longer than this; we cut ours instead of losing them.
MAX_STATUS_CHARS = 1000


class Notifier:
    """Sends sd_notify messages to one socket address; a Notifier without an address is a no-op."""

    def __init__(self, address: str | None, *, watchdog_usec: int | None = None) -> None:
        self.address = address or None
        self._watchdog_usec = watchdog_usec
        self._warned = False

    @classmethod
    def from_environ(cls, environ: Mapping[str, str], *, pid: int | None = None) -> Notifier:
        """Read ``$NOTIFY_SOCKET``, ``$WATCHDOG_USEC`` and ``$WATCHDOG_PID`` from *environ*.

        The watchdog applies only when ``$WATCHDOG_PID`` is unset or names this process (*pid*, default
        the current one): a child that inherited the environment must not ping for its parent.
        """
        address = environ.get("NOTIFY_SOCKET") or None
        usec: int | None = None
        try:
            usec = int(environ.get("WATCHDOG_USEC", ""))
        except ValueError:
            usec = None
        watchdog_pid = environ.get("WATCHDOG_PID")
        if watchdog_pid and watchdog_pid != str(os.getpid() if pid is None else pid):
            usec = None
        if usec is not None and usec <= 0:
            usec = None
        return cls(address, watchdog_usec=usec)

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def watchdog_interval(self) -> float | None:
        """Return the watchdog timeout in seconds, or None when systemd expects no pings from us."""
        if self.address is None or self._watchdog_usec is None:
            return None
        return self._watchdog_usec / 1_000_000

    def ready(self, status: str | None = None) -> None:
        """Startup is finished (``READY=1``), optionally with a first status line."""
        self._send("READY=1", *([_status(status)] if status is not None else []))

    def status(self, text: str) -> None:
        """Set the one-line status ``systemctl status`` shows."""
        self._send(_status(text))

    def watchdog(self) -> None:
        """Ping the watchdog (``WATCHDOG=1``): the service is alive."""
        self._send("WATCHDOG=1")

    def stopping(self) -> None:
        """Shutdown has begun (``STOPPING=1``)."""
        self._send("STOPPING=1")

    def _send(self, *lines: str) -> None:
        if self.address is None:
            return
        target = "\0" + self.address[1:] if self.address.startswith("@") else self.address
        payload = "\n".join(lines).encode("utf-8")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.sendto(payload, target)
        except OSError as exc:
            # Logged once at warning, then at debug: a dead socket would otherwise flood the journal.
            level = logging.DEBUG if self._warned else logging.WARNING
            self._warned = True
            log.log(level, "sd_notify to %s failed: %s", self.address, exc.strerror or exc)


def _status(text: str) -> str:
    return "STATUS=" + " ".join(text.split())[:MAX_STATUS_CHARS]
