"""The project's exception tree; foreign errors are translated into these at the boundary.

::

    TriageError
     ├── ConfigError          a bad or missing configuration value (names the key)
     ├── StoreError           the database cannot be used
     │    └── SchemaError     the schema is missing or older than this version
     ├── MailboxError         a mail source failed (connection, login, protocol)
     │    └── MailboxAuthError  the server refused the credentials
     ├── SendError            an outgoing message was not sent; ``permanent`` says whether a retry can help
     │    ├── TemporarySendError  4xx, connection or TLS failure: try again later
     │    │    └── SendAuthError  the SMTP server refused the credentials (drafts wait; fix the config)
     │    └── PermanentSendError  5xx: the server refused this message or every recipient
     ├── TemplateError        a reply template is missing, broken, or uses an unknown variable
     └── Quarantine           one message cannot go through a stage; park it with this reason

Only the CLI turns these into exit codes.
"""

from __future__ import annotations


class TriageError(Exception):
    """Base of every error triage raises on purpose."""


class ConfigError(TriageError):
    """A configuration value is missing or wrong; ``key`` is its dotted path."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


class StoreError(TriageError):
    """The database cannot be reached or used."""


class SchemaError(StoreError):
    """The database schema is missing or not at the revision this version needs."""


class MailboxError(TriageError):
    """A mailbox could not be read: connection, TLS, protocol or server error."""

    def __init__(self, mailbox: str, problem: str) -> None:
        super().__init__(f"mailbox={mailbox}: {problem}")
        self.mailbox = mailbox
        self.problem = problem


class MailboxAuthError(MailboxError):
    """The server refused the mailbox's credentials."""


class Quarantine(TriageError):
    """A message cannot go through a stage and retrying will not help."""


class TemplateError(TriageError):
    """A reply template cannot be loaded or rendered; ``template`` names it ("follow_up/uk")."""

    def __init__(self, template: str, problem: str) -> None:
        super().__init__(f"template {template}: {problem}")
        self.template = template
        self.problem = problem


class SendError(TriageError):
    """An outgoing message was not sent.

    ``permanent`` is True when sending the same message again cannot succeed (a 5xx reply). ``code`` and
    ``reply`` are the SMTP server's reply code and text, when it gave one. ``maybe_sent`` is True when
    the connection failed after the message data was transmitted: the server may have accepted it, so
    it must not be sent again automatically.
    """

    permanent: bool = False

    def __init__(self, problem: str, *, code: int | None = None, reply: str = "",
                 maybe_sent: bool = False) -> None:
        super().__init__(f"{problem} ({code} {reply})" if code is not None else problem)
        self.problem = problem
        self.code = code
        self.reply = reply
        self.maybe_sent = maybe_sent


class TemporarySendError(SendError):
    """The message may be sent later: a 4xx reply, a dropped connection or a TLS failure."""

    permanent = False


class SendAuthError(TemporarySendError):
    """The SMTP server refused our credentials; the messages are fine and wait for the config to be fixed."""


class PermanentSendError(SendError):
    """The server refused this message or all of its recipients with a 5xx reply."""

    permanent = True
