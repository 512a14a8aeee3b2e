"""A TCP forwarder on loopback that can drop its connections on demand, to test mid-transfer failures."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Callable
from types import TracebackType
from urllib.parse import quote

from tests.servers.ports import LOOPBACK

_CHUNK = 64 * 1024
_JOIN_SECONDS = 5.0


class _Link:
    """One accepted client connection and its connection to the server."""

    def __init__(self, client: socket.socket, upstream: socket.socket) -> None:
        self.client = client
        self.upstream = upstream
        self._lock = threading.Lock()
        self._pumps_left = 2
        self._cut = False

    def cut(self, *, reset: bool) -> None:
        """Shut both sockets down, which also wakes the pump threads blocked on them; once only."""
        with self._lock:
            if self._cut:
                return
            self._cut = True
        how = socket.SHUT_RDWR
        if reset:
            # With linger zero the final close() sends a TCP RST, as when a middlebox drops the
            # connection; shutting down only the reading side keeps a FIN from going out first.
            with contextlib.suppress(OSError):
                self.client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            how = socket.SHUT_RD
        with contextlib.suppress(OSError):
            self.client.shutdown(how)
        with contextlib.suppress(OSError):
            self.upstream.shutdown(socket.SHUT_RDWR)

    def pump_done(self) -> None:
        """Called by each pump thread as it ends; the last one closes the sockets."""
        with self._lock:
            self._pumps_left -= 1
            last = self._pumps_left == 0
        if last:
            self.client.close()
            self.upstream.close()


class FaultyProxy:
    """Forward 127.0.0.1:``port`` to a server port, and cut the connections when told to.

    ``cut()`` drops every open connection now; ``cut_after_bytes(n)`` lets *n* more bytes through
    from server to client (counted over all connections) and then drops every connection. New
    connections are accepted again after a cut, as a reconnecting client expects. Use as a context
    manager, or call start() and stop().
    """

    host = LOOPBACK

    def __init__(self, target_port: int, target_host: str = LOOPBACK) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((LOOPBACK, 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._links: set[_Link] = set()
        self._threads: list[threading.Thread] = []
        self._budget: int | None = None
        self._reset = False
        self._stopping = False
        self.bytes_to_client = 0
        self.connections = 0
        self.cuts = 0

    def __enter__(self) -> FaultyProxy:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Start accepting connections."""
        self._listener.listen()
        self._spawn(self._accept_loop, "accept")

    def stop(self) -> None:
        """Close the listener and every connection, and wait for the threads to end."""
        with self._lock:
            self._stopping = True
        # shutdown() wakes a thread blocked in accept(); close() alone would not.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        if self._threads:
            self._threads[0].join(_JOIN_SECONDS)  # the accept loop: no new links after it ends
        with self._lock:
            links = list(self._links)
        for link in links:
            link.cut(reset=False)
        for thread in self._threads:
            thread.join(_JOIN_SECONDS)
        self._listener.close()
        alive = [t.name for t in self._threads if t.is_alive()]
        if alive:
            raise RuntimeError(f"proxy threads did not stop: {alive}")

    def cut(self, *, reset: bool = False) -> None:
        """Drop every open connection now, with a FIN, or a RST if *reset*."""
        with self._lock:
            links = list(self._links)
            self._budget = None
            self.cuts += 1
        for link in links:
            link.cut(reset=reset)

    def cut_after_bytes(self, count: int, *, reset: bool = False) -> None:
        """Let *count* more bytes through from server to client, then drop every connection."""
        if count < 0:
            raise ValueError("count must not be negative")
        with self._lock:
            self._budget = count
            self._reset = reset

    def url(self, user: str, folder: str = "INBOX", *, tls: bool = False) -> str:
        """Return an ``imap://`` URL through the proxy (``imaps://`` if it forwards an IMAPS port)."""
        scheme = "imaps" if tls else "imap"
        return f"{scheme}://{quote(user, safe='')}@{self.host}:{self.port}/{quote(folder, safe='/')}"

    def _spawn(self, target: Callable[..., None], name: str, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name=f"faulty-proxy-{name}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # listener shut down by stop()
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            link = _Link(client, upstream)
            with self._lock:
                if self._stopping:
                    client.close()
                    upstream.close()
                    return
                self._links.add(link)
                self.connections += 1
                number = self.connections
            self._spawn(self._pump_to_server, f"{number}-up", link)
            self._spawn(self._pump_to_client, f"{number}-down", link)

    def _pump_to_server(self, link: _Link) -> None:
        try:
            while data := link.client.recv(_CHUNK):
                link.upstream.sendall(data)
        except OSError:
            pass
        finally:
            self._end(link)

    def _pump_to_client(self, link: _Link) -> None:
        try:
            while data := link.upstream.recv(_CHUNK):
                with self._lock:
                    budget = self._budget
                    allowed = len(data) if budget is None else min(len(data), budget)
                    exhausted = budget is not None and budget == allowed
                    if budget is not None:
                        self._budget = budget - allowed
                    self.bytes_to_client += allowed
                    reset = self._reset
                if allowed:
                    link.client.sendall(data[:allowed])
                if exhausted:
                    self.cut(reset=reset)
                    return
        except OSError:
            pass
        finally:
            self._end(link)

    def _end(self, link: _Link) -> None:
        """Tear the whole link down when either direction ends, then release it."""
        link.cut(reset=False)
        with self._lock:
            self._links.discard(link)
        link.pump_done()
