"""Loopback port helpers: pick a free port, wait until a server accepts connections."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

LOOPBACK = "127.0.0.1"
_ATTEMPT_SECONDS = 0.5


def free_port() -> int:
    """Return a TCP port on the loopback address that nothing listens on right now.

    The port is only free at the moment of the call; a server that loses the race fails to bind
    and its fixture retries with another port.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_greeting(
    port: int,
    *,
    timeout: float,
    greeting: bytes = b"",
    still_running: Callable[[], bool] = lambda: True,
) -> bool:
    """Poll *port* until it accepts a connection and, if given, sends a line starting with *greeting*.

    Return False if *still_running* turns false or *timeout* seconds pass first.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and still_running():
        try:
            # Short attempts, so that a server that died meanwhile is noticed between them.
            attempt = min(max(deadline - time.monotonic(), 0.01), _ATTEMPT_SECONDS)
            with socket.create_connection((LOOPBACK, port), timeout=attempt) as conn:
                if not greeting or conn.recv(len(greeting)).startswith(greeting):
                    return True
        except OSError:
            pass
        time.sleep(0.005)  # a poll interval, not a wait for readiness
    return False
