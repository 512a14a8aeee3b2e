"""The project's exception tree; foreign errors are translated into these at the boundary.

::

    TriageError
     ├── ConfigError          a bad or missing configuration value (names the key)
     ├── StoreError           the database cannot be used
     │    └── SchemaError     the schema is missing or older than this version
     ├── MailboxError         a mail source failed (connection, login, protocol)
     │    └── MailboxAuthError  the server refused the credentials
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
