"""A real aiosmtpd SMTP server on loopback: STARTTLS or implicit TLS, AUTH, and scripted refusals.

The handler records every message it accepts. A test scripts failures by setting ``mail_reply``,
``data_reply``, ``rcpt_replies[address]`` or ``drop_after_data`` on the server before sending.
"""

from __future__ import annotations

import asyncio
import secrets
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import TracebackType
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.servers.ports import LOOPBACK, free_port
from tests.servers.tls import TestPki

TlsMode = Literal["starttls", "implicit", "none"]
_START_ATTEMPTS = 3
SERVER_NAME = "mx.triage-test.example"


@dataclass(frozen=True)
class Received:
    """One message the server accepted: the envelope, the bytes, and how the session was secured."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    tls: bool
    login: str | None

    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class ScriptedHandler:
    """aiosmtpd handler hooks; replies can be scripted per command, and accepted messages are recorded."""

    received: list[Received] = field(default_factory=list)
    mail_reply: str | None = None
    rcpt_replies: dict[str, str] = field(default_factory=dict)
    data_reply: str | None = None
    drop_after_data: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_MAIL(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          mail_options: list[str]) -> str:
        if self.mail_reply is not None:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        reply = self.rcpt_replies.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_reply is not None:
            return self.data_reply
        content = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        with self._lock:
            self.received.append(Received(mail_from=str(envelope.mail_from), rcpt_tos=list(envelope.rcpt_tos),
                                          data=content, tls=_is_tls(server, session), login=login))
        if self.drop_after_data:
            # The message arrived but the client never hears so: it cannot know whether it was accepted.
            assert isinstance(server.transport, asyncio.Transport)
            server.transport.abort()
            await asyncio.sleep(0)
        return "250 2.0.0 OK: queued as T1"


class SmtpServer:
    """aiosmtpd in a thread on a free loopback port; use as a context manager or call start() and stop().

    ``tls`` is ``"starttls"`` (plain port offering STARTTLS, required before MAIL and AUTH),
    ``"implicit"`` (smtps: TLS from the first byte) or ``"none"``. With *users*, AUTH (PLAIN, LOGIN)
    is offered and accepts those login/password pairs.
    """

    host = LOOPBACK

    def __init__(self, pki: TestPki | None = None, *, tls: TlsMode = "starttls",
                 users: Mapping[str, str] | None = None, require_starttls: bool = True) -> None:
        if tls != "none" and pki is None:
            raise ValueError("a TLS server needs a TestPki")
        self.pki = pki
        self.tls = tls
        self.users = dict(users or {})
        self.require_starttls = require_starttls
        self.handler = ScriptedHandler()
        self.port = 0
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"{'smtps' if self.tls == 'implicit' else 'smtp'}://{self.host}:{self.port}"

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def start(self) -> None:
        error: OSError | None = None
        for _ in range(_START_ATTEMPTS):
            self.port = free_port()
            controller = Controller(self.handler, hostname=self.host, port=self.port, **self._options())
            try:
                controller.start()
            except OSError as exc:  # lost the race for the port: try another
                error = exc
                continue
            self._controller = controller
            return
        raise RuntimeError(f"aiosmtpd could not bind a loopback port: {error}")

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"server_hostname": SERVER_NAME, "ready_timeout": 5.0}
        if self.tls != "none":
            assert self.pki is not None
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(self.pki.cert_file), str(self.pki.key_file))
            if self.tls == "implicit":
                options["ssl_context"] = context
            else:
                options["tls_context"] = context
                options["require_starttls"] = self.require_starttls
        if self.users:
            options["authenticator"] = self._authenticate
            # Over implicit TLS aiosmtpd does not see a STARTTLS layer, so it must not demand one.
            options["auth_require_tls"] = self.tls == "starttls"
        return options

    def _authenticate(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                      auth_data: object) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode("utf-8", "replace")
            expected = self.users.get(login)
            if expected is not None and secrets.compare_digest(expected.encode(), auth_data.password):
                return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)


def _is_tls(server: SMTP, session: Session) -> bool:
    """Whether the session is encrypted: after STARTTLS (``session.ssl``) or from the start (smtps)."""
    transport = server.transport
    encrypted = transport is not None and transport.get_extra_info("ssl_object") is not None
    return session.ssl is not None or encrypted
