"""The small interfaces the stages use to reach the outside world; adapters implement them."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class MailRef:
    """A message in a folder: its stable key (the UID for IMAP, the file name for Maildir)."""

    key: str
    uid: int | None = None


@dataclass(frozen=True, slots=True)
class FetchedMail:
    """The bytes of one message as the server gave them; ``raw`` is only the header when oversized."""

    ref: MailRef
    raw: bytes
    size: int
    is_oversized: bool = False


class FolderReader(Protocol):
    """One open folder. ``uidvalidity`` is None for sources without UIDs."""

    @property
    def uidvalidity(self) -> int | None: ...

    def list_new(self, after_uid: int) -> list[MailRef]:
        """Return the messages after *after_uid* (all messages for sources without UIDs), oldest first."""
        ...

    def fetch(self, refs: Sequence[MailRef], max_bytes: int) -> list[FetchedMail]:
        """Fetch *refs* without changing their flags; one server command per call, not per message."""
        ...

    def mark(self, refs: Sequence[MailRef], keyword: str) -> None:
        """Set *keyword* on *refs* (only called after they are committed to the database)."""
        ...


class Mailbox(Protocol):
    """A configured mail source: an IMAP account or a local Maildir/directory."""

    name: str

    def folders(self) -> Sequence[str]: ...

    def open(self, folder: str) -> AbstractContextManager[FolderReader]:
        """Open *folder* read-only (or read-write when marking); raise MailboxError on failure."""
        ...

    def close(self) -> None: ...


class IdleWaiter(Protocol):
    """Blocks until a mailbox reports new mail, or a timeout passes."""

    def wait(self, timeout: float, stop: threading.Event | None = None) -> bool:
        """Return True when new mail may have arrived; give up after *timeout* or when *stop* is set."""
        ...

    def close(self) -> None: ...
