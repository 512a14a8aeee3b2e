"""SMTP submission with smtplib: STARTTLS or implicit TLS (verified), AUTH, SMTP replies made into SendErrors.

The transaction is driven step by step (MAIL, RCPT per recipient, DATA) rather than through
``sendmail``, so a failure is known to have happened before the message data was sent (safe to retry)
or while sending it (the server may have the message: ``maybe_sent``, never retried automatically).
"""

from __future__ import annotations

import copy
import logging
import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import replace
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import urlsplit

from triage.adapters.imap import is_loopback, tls_context
from triage.errors import ConfigError, PermanentSendError, SendAuthError, SendError, TemporarySendError
from triage.replies.sender import RefusedRecipient, SendResult
from triage.settings import SmtpSettings

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"smtp": 587, "smtps": 465}
#: Added to a redirected message: the recipients it would have gone to.
ORIGINAL_TO_HEADER = "X-Triage-Original-To"
_ACCEPTED = (250, 251)


class SmtpSender:
    """A Sender over one SMTP connection, opened on first use and reopened when the server dropped it."""

    def __init__(self, settings: SmtpSettings, password: str = "", *, timeout: float = 30,
                 local_hostname: str | None = None) -> None:
        parts = urlsplit(settings.url)
        self._scheme = parts.scheme
        self._host = parts.hostname or ""
        self._port = parts.port or DEFAULT_PORTS[self._scheme]
        if self._scheme == "smtp" and not settings.starttls and not is_loopback(self._host):
            raise ConfigError("smtp.starttls",
                              "plain smtp:// without STARTTLS is only allowed to a loopback address")
        if settings.username and not password:
            raise ConfigError("smtp.password_file", "smtp.username is set but no password was given")
        self._settings = settings
        self._password = password
        self._timeout = timeout
        self._local_hostname = local_hostname
        self._context = tls_context(settings.ca_file)
        self._envelope_from = parseaddr(settings.from_)[1]
        redirect = settings.devmode_redirect_to.strip()
        self._redirect = parseaddr(redirect)[1] if redirect else ""
        self._client: smtplib.SMTP | None = None

    @property
    def server(self) -> str:
        return f"{self._host}:{self._port}"

    def send(self, message: EmailMessage, recipients: Sequence[str]) -> SendResult:
        """Send *message* to *recipients*; raise TemporarySendError or PermanentSendError if none got it."""
        if not recipients:
            raise ValueError("no recipients")
        message_id = str(message.get("Message-ID", ""))
        envelope_to = [r.strip() for r in recipients]
        redirected: str | None = None
        if self._redirect:
            message = _redirected(message, envelope_to, self._redirect)
            envelope_to, redirected = [self._redirect], self._redirect
        elif message.get("Bcc") is not None:
            message = copy.deepcopy(message)
            del message["Bcc"]
        sender = self._envelope_from or parseaddr(str(message.get("From", "")))[1]
        client = self._connection()
        try:
            result = self._transaction(client, message, sender, envelope_to, message_id)
        except SendError:
            raise
        except (smtplib.SMTPException, OSError) as exc:
            self._discard()
            raise TemporarySendError(f"smtp {self.server}: connection failed before the data: "
                                     f"{_describe(exc)}") from None
        if redirected is not None:
            result = replace(result, redirected_to=redirected)
        log.info("smtp %s: sent %s (%d accepted, %d refused%s)", self.server, message_id or "(no Message-ID)",
                 len(result.accepted), len(result.refused), ", devmode redirect" if redirected else "")
        return result

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()

    def _transaction(self, client: smtplib.SMTP, message: EmailMessage, sender: str, recipients: list[str],
                     message_id: str) -> SendResult:
        options: list[str] = []
        data_policy = policy.SMTP
        if not all(a.isascii() for a in [sender, *recipients]):
            if not client.has_extn("smtputf8"):
                raise PermanentSendError(f"smtp {self.server}: an address is not ASCII and the server does "
                                         "not offer SMTPUTF8")
            options, data_policy = ["SMTPUTF8"], policy.SMTPUTF8
        data = message.as_bytes(policy=data_policy)
        code, reply = client.mail(sender, options)
        if code != 250:
            self._reset(client)
            raise _refusal(f"smtp {self.server}: sender refused", code, reply)
        accepted: list[str] = []
        refused: list[RefusedRecipient] = []
        for address in recipients:
            code, reply = client.rcpt(address)
            if code in _ACCEPTED:
                accepted.append(address)
            else:
                refused.append(RefusedRecipient(address, code, _text(reply)))
        if not accepted:
            self._reset(client)
            first = next((r for r in refused if not r.permanent), refused[0])
            raise _refusal(f"smtp {self.server}: every recipient refused", first.code, first.reply.encode())
        try:
            code, reply = client.data(data)
        except smtplib.SMTPDataError as exc:  # DATA itself was refused: nothing was transmitted
            self._reset(client)
            raise _refusal(f"smtp {self.server}: DATA refused", exc.smtp_code, exc.smtp_error) from None
        except (smtplib.SMTPException, OSError) as exc:
            self._discard()
            raise TemporarySendError(f"smtp {self.server}: connection lost during DATA, the server may have "
                                     f"accepted the message: {_describe(exc)}", maybe_sent=True) from None
        if code != 250:
            self._reset(client)
            raise _refusal(f"smtp {self.server}: message refused", code, reply)
        return SendResult(message_id=message_id, accepted=tuple(accepted), refused=tuple(refused),
                          reply=f"{code} {_text(reply)}")

    def _connection(self) -> smtplib.SMTP:
        if self._client is not None:
            try:
                if self._client.noop()[0] == 250:
                    return self._client
            except (smtplib.SMTPException, OSError):
                pass
            self._discard()
        self._client = self._connect()
        return self._client

    def _connect(self) -> smtplib.SMTP:
        """Open, secure and authenticate a connection; raise TemporarySendError or SendAuthError."""
        client: smtplib.SMTP | None = None
        try:
            if self._scheme == "smtps":
                client = smtplib.SMTP_SSL(self._host, self._port, local_hostname=self._local_hostname,
                                          timeout=self._timeout, context=self._context)
            else:
                client = smtplib.SMTP(self._host, self._port, local_hostname=self._local_hostname,
                                      timeout=self._timeout)
            client.ehlo()
            if self._scheme == "smtp" and self._settings.starttls:
                if not client.has_extn("starttls"):
                    raise TemporarySendError(f"smtp {self.server}: the server does not offer STARTTLS")
                client.starttls(context=self._context)
                client.ehlo()
            if self._settings.username:
                client.login(self._settings.username, self._password)
        except SendError:
            _close_quietly(client)
            raise
        except smtplib.SMTPAuthenticationError as exc:
            _close_quietly(client)
            raise SendAuthError(f"smtp {self.server}: login as {self._settings.username!r} refused",
                                code=exc.smtp_code, reply=_text(exc.smtp_error)) from None
        except smtplib.SMTPNotSupportedError:
            _close_quietly(client)
            raise SendAuthError(f"smtp {self.server}: the server does not offer AUTH") from None
        except ssl.SSLCertVerificationError as exc:
            _close_quietly(client)
            raise TemporarySendError(f"smtp {self.server}: TLS certificate not trusted: "
                                     f"{exc.verify_message or exc}") from None
        except smtplib.SMTPResponseException as exc:
            _close_quietly(client)
            raise TemporarySendError(f"smtp {self.server}: cannot start a session", code=exc.smtp_code,
                                     reply=_text(exc.smtp_error)) from None
        except (smtplib.SMTPException, OSError) as exc:
            _close_quietly(client)
            raise TemporarySendError(f"smtp {self.server}: cannot connect: {_describe(exc)}") from None
        return client

    def _reset(self, client: smtplib.SMTP) -> None:
        """End a refused transaction so the connection can carry the next message."""
        try:
            client.rset()
        except (smtplib.SMTPException, OSError):
            self._discard()

    def _discard(self) -> None:
        client, self._client = self._client, None
        _close_quietly(client)


def _redirected(message: EmailMessage, recipients: Sequence[str], redirect: str) -> EmailMessage:
    """A copy of *message* addressed to *redirect* only, naming the real recipients in a header."""
    copied = copy.deepcopy(message)
    for name in ("To", "Cc", "Bcc", ORIGINAL_TO_HEADER):
        del copied[name]
    copied["To"] = redirect
    copied[ORIGINAL_TO_HEADER] = ", ".join(recipients)
    return copied


def _refusal(problem: str, code: int, reply: bytes | str) -> SendError:
    error = PermanentSendError if code >= 500 else TemporarySendError
    return error(problem, code=code, reply=_text(reply))


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())[:500]


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


def _close_quietly(client: smtplib.SMTP | None) -> None:
    if client is not None:
        try:
            client.close()
        except OSError:
            pass
