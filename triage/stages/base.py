"""What a pipeline stage is: a name, the status it takes and gives, and how it does its work.

Two kinds. A *database stage* (link, draft) does its work inside the caller's transaction with
``handle``. A *pure stage* (parse, classify, extract) splits its work in two: ``compute`` reads and
fills a ``Work`` record without touching the database (so it can run in a worker process), and
``values`` turns the result into the message row's new column values, which the runner writes with one
UPDATE per message. Consecutive pure
stages run as one chain per message; ``restore`` refills a stage's slot of the record from the row,
for a message whose chain starts after that stage (a retry, a requeue).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from sqlalchemy.orm import Session

from triage.mail.category import Classification
from triage.mail.message import ParsedMessage
from triage.store.models import Message, MessageStatus


@dataclass(slots=True)
class Work:
    """What the pure stages know about one message, handed from stage to stage (picklable)."""

    message_pk: int
    raw: bytes | None = None
    parsed: ParsedMessage | None = None
    verdict: Classification | None = None
    extraction: Any = None


@runtime_checkable
class Stage(Protocol):
    name: str
    takes: MessageStatus
    gives: MessageStatus

    def handle(self, session: Session, message: Message) -> None:
        """Do this stage's work on *message* inside the caller's transaction.

        Raise Quarantine when the message can never pass; any other exception is retried.
        """
        ...


@runtime_checkable
class PureStage(Protocol):
    name: str
    takes: MessageStatus
    gives: MessageStatus

    def compute(self, work: Work) -> None:
        """Fill this stage's slot of *work* from the earlier slots; no database, no I/O."""
        ...

    def restore(self, work: Work, message: Message) -> None:
        """Fill this stage's slot of *work* from what values() stored on *message*."""
        ...

    def values(self, work: Work) -> dict[str, Any]:
        """Return the message columns this stage's slot of *work* sets."""
        ...
