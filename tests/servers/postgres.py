"""Scratch PostgreSQL databases on 127.0.0.1:5432: one fresh, randomly named database per test."""

from __future__ import annotations

import secrets

import psycopg
from psycopg import sql

from tests.servers import ServerUnavailable

HOST = "127.0.0.1"
PORT = 5432
USER = "postgres"
_CONNECT_TIMEOUT_SECONDS = 3


def _admin_connection() -> psycopg.Connection[tuple[object, ...]]:
    try:
        return psycopg.connect(
            host=HOST,
            port=PORT,
            user=USER,
            dbname="postgres",
            autocommit=True,
            connect_timeout=_CONNECT_TIMEOUT_SECONDS,
        )
    except psycopg.OperationalError as exc:
        raise ServerUnavailable(f"PostgreSQL is not reachable on {HOST}:{PORT} as {USER}: {exc}") from exc


def sqlalchemy_url(name: str) -> str:
    """Return the SQLAlchemy URL of database *name* on the test server."""
    return f"postgresql+psycopg://{USER}@{HOST}:{PORT}/{name}"


def create_database() -> str:
    """Create an empty database with a random name and return the name."""
    name = f"triage_test_{secrets.token_hex(6)}"
    with _admin_connection() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


def drop_database(name: str) -> None:
    """Drop database *name*, first ending any session still connected to it (a leaked pool, a hung test)."""
    with _admin_connection() as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def database_exists(name: str) -> bool:
    """Return True if database *name* exists on the test server."""
    with _admin_connection() as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return row is not None
