"""IMAP mailboxes via imapclient: read-only, batched UID FETCH of BODY.PEEK[], TLS verified, IDLE."""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from triage.errors import ConfigError, MailboxAuthError, MailboxError
from triage.ports import FetchedMail, FolderReader, MailRef
from triage.settings import MailboxSettings

log = logging.getLogger(__name__)

# What a dropped connection, a TLS failure or a protocol error looks like from imapclient.
NETWORK_ERRORS = (IMAPClientError, OSError, ssl.SSLError, EOFError)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def tls_context(ca_file: Path | None, verify: bool = True) -> ssl.SSLContext:
    """A client TLS context that verifies the server against the system CAs or *ca_file*."""
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class ImapFolder:
    """A selected folder of an open IMAP connection."""

    def __init__(self, mailbox: str, client: IMAPClient, folder: str, uidvalidity: int) -> None:
        self._mailbox = mailbox
        self._client = client
        self._folder = folder
        self._uidvalidity = uidvalidity

    @property
    def uidvalidity(self) -> int | None:
        return self._uidvalidity

    def list_new(self, after_uid: int) -> list[MailRef]:
        with self._errors("SEARCH"):
            uids = self._client.search(["UID", f"{after_uid + 1}:*"])
        # "UID n:*" always matches the highest UID, even when it is below n (RFC 3501 6.4.8).
        return [MailRef(key=str(uid), uid=uid) for uid in sorted(int(u) for u in uids) if uid > after_uid]

    def fetch(self, refs: Sequence[MailRef], max_bytes: int) -> list[FetchedMail]:
        uids = [ref.uid for ref in refs if ref.uid is not None]
        if not uids:
            return []
        with self._errors("FETCH"):
            sizes = {
                int(uid): int(data.get(b"RFC822.SIZE", 0))
                for uid, data in self._client.fetch(uids, ["RFC822.SIZE"]).items()
            }
            small = [uid for uid in uids if uid in sizes and sizes[uid] <= max_bytes]
            large = [uid for uid in uids if uid in sizes and sizes[uid] > max_bytes]
            bodies = self._client.fetch(small, ["BODY.PEEK[]"]) if small else {}
            headers = self._client.fetch(large, ["BODY.PEEK[HEADER]"]) if large else {}
        fetched: list[FetchedMail] = []
        for uid in uids:
            # A UID missing from the answer was expunged by someone else meanwhile: nothing to store.
            ref = MailRef(key=str(uid), uid=uid)
            if uid in bodies and bodies[uid].get(b"BODY[]") is not None:
                fetched.append(FetchedMail(ref=ref, raw=bytes(bodies[uid][b"BODY[]"]), size=sizes[uid]))
            elif uid in headers:
                raw = bytes(headers[uid].get(b"BODY[HEADER]") or b"")
                fetched.append(FetchedMail(ref=ref, raw=raw, size=sizes[uid], is_oversized=True))
        return fetched

    def mark(self, refs: Sequence[MailRef], keyword: str) -> None:
        uids = [ref.uid for ref in refs if ref.uid is not None]
        if uids:
            with self._errors("STORE"):
                self._client.add_flags(uids, [keyword.encode("ascii")], silent=True)

    @contextmanager
    def _errors(self, command: str) -> Iterator[None]:
        try:
            yield
        except NETWORK_ERRORS as exc:
            raise MailboxError(
                self._mailbox, f"{command} in {self._folder!r} failed: {_describe(exc)}"
            ) from exc


class ImapMailbox:
    """An IMAP or IMAPS account; one connection per poll, folders opened read-only unless marking."""

    def __init__(
        self,
        settings: MailboxSettings,
        password: str,
        *,
        timeout: float = 30,
        client_factory: Callable[..., IMAPClient] = IMAPClient,
    ) -> None:
        if settings.scheme == "imap" and not settings.starttls and not is_loopback(settings.host):
            raise ConfigError(
                f"mailboxes.{settings.name}.starttls",
                "plain imap:// without STARTTLS is only allowed to a loopback address",
            )
        self.name = settings.name
        self._settings = settings
        self._password = password
        self._timeout = timeout
        self._factory = client_factory
        self._client: IMAPClient | None = None

    def folders(self) -> Sequence[str]:
        return self._settings.folder_names

    def connect(self) -> IMAPClient:
        """Open, secure and log in a new connection; raise MailboxError or MailboxAuthError."""
        s = self._settings
        context = tls_context(s.ca_file, s.tls_verify)
        try:
            client = self._factory(
                s.host, port=s.port, ssl=s.scheme == "imaps", ssl_context=context, timeout=self._timeout
            )
        except NETWORK_ERRORS as exc:
            raise MailboxError(self.name, f"cannot connect to {s.host}:{s.port}: {_describe(exc)}") from exc
        try:
            if s.scheme == "imap" and s.starttls:
                if client.has_capability("STARTTLS"):
                    client.starttls(context)
                elif not is_loopback(s.host):
                    raise MailboxError(self.name, f"{s.host} does not offer STARTTLS")
            client.login(s.username, self._password)
        except LoginError as exc:
            _close_quietly(client)
            raise MailboxAuthError(self.name, f"login as {s.username!r} refused: {_describe(exc)}") from None
        except NETWORK_ERRORS as exc:
            _close_quietly(client)
            raise MailboxError(self.name, f"cannot log in to {s.host}:{s.port}: {_describe(exc)}") from exc
        except MailboxError:
            _close_quietly(client)
            raise
        return client

    @contextmanager
    def open(self, folder: str) -> Iterator[FolderReader]:
        if self._client is None:
            self._client = self.connect()
        client = self._client
        try:
            info = client.select_folder(folder, readonly=not self._settings.flag_keyword)
        except NETWORK_ERRORS as exc:
            self.close()
            raise MailboxError(self.name, f"cannot select {folder!r}: {_describe(exc)}") from exc
        uidvalidity = int(info.get(b"UIDVALIDITY", 0))
        try:
            yield ImapFolder(self.name, client, folder, uidvalidity)
        except MailboxError:
            self.close()  # the connection is in an unknown state; the next poll reconnects
            raise
        else:
            try:
                client.unselect_folder() if client.has_capability("UNSELECT") else client.close_folder()
            except NETWORK_ERRORS:
                self.close()

    def close(self) -> None:
        if self._client is not None:
            _close_quietly(self._client)
            self._client = None


class ImapIdleWaiter:
    """A second connection parked in IDLE on one folder; wait() returns when the server reports mail."""

    def __init__(self, mailbox: ImapMailbox, folder: str) -> None:
        self._mailbox = mailbox
        self._folder = folder
        self._client: IMAPClient | None = None

    def supported(self) -> bool:
        client = self._ensure()
        return bool(client.has_capability("IDLE"))

    def _ensure(self) -> IMAPClient:
        if self._client is None:
            client = self._mailbox.connect()
            try:
                client.select_folder(self._folder, readonly=True)
            except NETWORK_ERRORS as exc:
                _close_quietly(client)
                raise MailboxError(
                    self._mailbox.name, f"cannot select {self._folder!r}: {_describe(exc)}"
                ) from exc
            self._client = client
        return self._client

    def wait(self, timeout: float, stop: threading.Event | None = None) -> bool:
        """Stay in IDLE up to *timeout* seconds; return True as soon as the server reports new mail.

        Checks *stop* every second, so a shutdown never waits for the IDLE timeout.
        """
        client = self._ensure()
        deadline = time.monotonic() + timeout
        try:
            client.idle()
            try:
                while time.monotonic() < deadline and not (stop is not None and stop.is_set()):
                    if any(_is_new_mail(r) for r in client.idle_check(timeout=1.0)):
                        return True
            finally:
                client.idle_done()
        except NETWORK_ERRORS as exc:
            self.close()
            raise MailboxError(self._mailbox.name, f"IDLE failed: {_describe(exc)}") from exc
        return False

    def close(self) -> None:
        if self._client is not None:
            _close_quietly(self._client)
            self._client = None


def _is_new_mail(response: Any) -> bool:
    return isinstance(response, tuple) and len(response) >= 2 and response[1] in (b"EXISTS", b"RECENT")


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    return text.splitlines()[0][:300]


def _close_quietly(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:
        try:
            client.shutdown()
        except Exception:  # noqa: S110
            pass
