"""A fake ``$NOTIFY_SOCKET`` for tests: a real AF_UNIX datagram socket that collects sd_notify messages."""

from __future__ import annotations

import os
import secrets
import socket
import tempfile
from types import TracebackType


class NotifySocket:
    """Bound to a short filesystem path (or an abstract name); ``receive()`` returns one message's lines.

    The path lives in its own directory under the system temp folder: pytest's tmp_path can exceed the
    108 bytes an AF_UNIX address allows.
    """

    def __init__(self, *, abstract: bool = False) -> None:
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        if abstract:
            self.address = f"@triage-test-{secrets.token_hex(6)}"
            bind_to = "\0" + self.address[1:]
        else:
            self._dir = tempfile.TemporaryDirectory(prefix="tn-")
            self.address = bind_to = os.path.join(self._dir.name, "notify")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(bind_to)

    def receive(self, timeout: float = 30) -> list[str]:
        """Wait for the next datagram; return its lines. Raise TimeoutError if none comes in *timeout*."""
        self.sock.settimeout(timeout)
        data = self.sock.recv(65536)
        return data.decode("utf-8").split("\n")

    def close(self) -> None:
        self.sock.close()
        if self._dir is not None:
            self._dir.cleanup()

    def __enter__(self) -> NotifySocket:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()
