"""Leases that let several processes share one database: one poller per mailbox, one worker per message.

On PostgreSQL a mailbox is polled under a session-level advisory lock held on a connection of its own,
so it is released the moment the process dies; a second process skips the mailbox meanwhile. SQLite is
for one daemon on one host and needs no lease.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text


def _lock_number(name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"triage:{name}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def mailbox_lease(engine: Engine, mailbox: str) -> Iterator[bool]:
    """Yield True while this process holds the poll lease of *mailbox*, False if another process does."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    number = _lock_number(f"mailbox:{mailbox}")
    with engine.connect() as connection:
        got = bool(connection.execute(text("SELECT pg_try_advisory_lock(:n)"), {"n": number}).scalar())
        connection.commit()
        try:
            yield got
        finally:
            if got:
                connection.execute(text("SELECT pg_advisory_unlock(:n)"), {"n": number})
                connection.commit()
