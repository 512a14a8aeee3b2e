"""What every pipeline stage is: a name, the status it takes and the status it gives, and a handler."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from triage.store.models import Message, MessageStatus


class Stage(Protocol):
    name: str
    takes: MessageStatus
    gives: MessageStatus

    def handle(self, session: Session, message: Message) -> None:
        """Do this stage's work on *message* inside the caller's transaction.

        Raise Quarantine when the message can never pass; any other exception is retried.
        """
        ...
