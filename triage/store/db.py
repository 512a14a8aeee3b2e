"""Engines and sessions: SQLite tuned for one writer at a time (WAL, busy timeout), PostgreSQL via psycopg."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from triage.errors import ConfigError

SQLITE_BUSY_TIMEOUT_MS = 30_000
READ_ONLY = "triage_read_only"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    """Create an engine for *url*; raise ConfigError (key ``database.url``) when it cannot be used."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError("database.url", "not a database URL") from None
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("psycopg2", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed.render_as_string(hide_password=False))
    try:
        return create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10)
    except Exception as exc:  # missing driver, bad options
        raise ConfigError("database.url", str(exc).splitlines()[0]) from None


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions start (the documented pysqlite
        # recipe), so that BEGIN IMMEDIATE below takes the write lock up front: a deferred
        # transaction that reads and then writes can fail with "database is locked" instead of waiting.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Readers (status, lists, the web UI) begin deferred: in WAL mode they then never wait for a
        # writer, and a busy daemon committing message after message cannot starve them.
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory every caller uses; objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def make_read_sessions(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory for code that only reads (on SQLite its transactions begin deferred)."""
    return sessionmaker(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)
