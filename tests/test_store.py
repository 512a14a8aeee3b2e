"""The store on SQLite and PostgreSQL: migrations from empty, unique identities, concurrent writers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from tests.apps import FrozenClock, config, make_app
from triage.errors import SchemaError
from triage.ports import FetchedMail, MailRef
from triage.stages.fetch import FetchOptions, store_batch
from triage.store.db import make_engine
from triage.store.models import Message, MessageCopy
from triage.store.schema import current_revision, ensure_current, head_revision, upgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/store.db"
    else:
        yield request.getfixturevalue("pg_url")


def mail(i: int) -> FetchedMail:
    raw = f"Message-ID: <s{i}@mail.example>\r\nFrom: a@mail.example\r\n\r\nbody {i}\r\n".encode()
    return FetchedMail(MailRef(key=f"1:{i}", uid=i), raw, len(raw))


def test_upgrade_creates_every_table_on_an_empty_database(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names())
        assert {"message", "message_copy", "folder_state", "audit_event", "alembic_version"} <= tables
        upgrade(engine)  # again: nothing to do
    finally:
        engine.dispose()


def test_ensure_current_refuses_a_database_behind_this_version(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'older'")
        with pytest.raises(SchemaError, match="triage db upgrade"):
            ensure_current(engine)
    finally:
        engine.dispose()


def test_copy_identity_is_unique_in_the_database(db_url: str) -> None:
    with make_app(config(db_url), clock=FrozenClock()) as app:
        with app.sessions.begin() as session:
            store_batch(session, app.clock, "warsaw", "INBOX", 7, [mail(1)], FetchOptions())
        with pytest.raises(IntegrityError), app.sessions.begin() as session:
            message = session.scalars(select(Message)).one()
            session.add(
                MessageCopy(
                    message=message,
                    mailbox="warsaw",
                    folder="INBOX",
                    key="other",
                    uidvalidity=7,
                    uid=1,
                    fetched_at=app.clock.now(),
                )
            )


def test_store_batch_stores_raw_bytes_exactly(db_url: str) -> None:
    raw = b"Subject: \xff\xfe bytes\r\nMessage-ID: <b@mail.example>\r\n\r\n\x00\x01\x80 body\r\n"
    with make_app(config(db_url), clock=FrozenClock()) as app:
        with app.sessions.begin() as session:
            store_batch(
                session,
                app.clock,
                "warsaw",
                "INBOX",
                1,
                [FetchedMail(MailRef("1:1", 1), raw, len(raw))],
                FetchOptions(),
            )
        with app.sessions() as session:
            assert session.scalars(select(Message.raw)).one() == raw
            assert session.scalar(select(func.count()).select_from(MessageCopy)) == 1
