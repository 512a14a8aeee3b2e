"""The port approved replies leave through: ``Sender`` and what a send reports back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol


@dataclass(frozen=True, slots=True)
class RefusedRecipient:
    """A recipient the server refused, with its reply code and text."""

    address: str
    code: int
    reply: str

    @property
    def permanent(self) -> bool:
        return self.code >= 500


@dataclass(frozen=True, slots=True)
class SendResult:
    """A message the server accepted for at least one recipient.

    ``reply`` is the server's answer to the end of the data (it often names its queue id);
    ``redirected_to`` is set when a devmode redirect replaced the recipients.
    """

    message_id: str
    accepted: tuple[str, ...]
    refused: tuple[RefusedRecipient, ...] = ()
    reply: str = ""
    redirected_to: str | None = None


class Sender(Protocol):
    """Sends one message at a time; raises SendError (temporary or permanent) when nothing was sent."""

    def send(self, message: EmailMessage, recipients: Sequence[str]) -> SendResult:
        """Send *message* to *recipients* (the envelope; headers are not read for recipients)."""
        ...

    def close(self) -> None:
        """Close any open connection."""
        ...
