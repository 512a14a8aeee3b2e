"""Shared fixtures: real Dovecot and PostgreSQL servers on loopback, and a faulty TCP proxy.

A server that cannot run here (binary missing, nothing listening) skips the tests that need it, except
under CI (the ``CI`` environment variable set), where those tests must run and therefore fail.
Tests using these fixtures get the ``dovecot`` or ``postgres`` marker automatically.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from tests.servers import ServerUnavailable
from tests.servers.dovecot import DovecotServer, ImapUser
from tests.servers.postgres import create_database, drop_database, sqlalchemy_url
from tests.servers.proxy import FaultyProxy

pytest_plugins = ["tests.smtp_fixtures"]

_DOVECOT_FIXTURES = {"dovecot", "dovecot_server", "imap_user", "make_dovecot"}
_POSTGRES_FIXTURES = {"pg_url"}

T = TypeVar("T")


def _or_unavailable(start: Callable[[], T]) -> T:
    """Return ``start()``; if its server cannot run here, skip the test, or fail it under CI."""
    try:
        return start()
    except ServerUnavailable as exc:
        reason = str(exc)
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so this test must not be skipped", pytrace=False)
    pytest.skip(reason)


def _started_dovecot(**options: Any) -> DovecotServer:
    server = DovecotServer(**options)
    server.start()  # cleans up after itself if it fails
    return server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & _DOVECOT_FIXTURES:
            item.add_marker(pytest.mark.dovecot)
        if names & _POSTGRES_FIXTURES:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[DovecotServer]:
    """One Dovecot for the whole session; pair it with ``imap_user`` for an isolated mailbox per test."""
    server = _or_unavailable(_started_dovecot)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def imap_user(dovecot_server: DovecotServer) -> ImapUser:
    """A fresh account with an empty INBOX on the session's Dovecot."""
    return dovecot_server.new_user()


@pytest.fixture
def make_dovecot() -> Iterator[Callable[..., DovecotServer]]:
    """A factory: ``make_dovecot(extra_config=...)`` starts a Dovecot of the test's own.

    It takes DovecotServer's keyword arguments; every server it started is stopped after the test.
    """
    servers: list[DovecotServer] = []

    def make(**options: Any) -> DovecotServer:
        server = _or_unavailable(lambda: _started_dovecot(**options))
        servers.append(server)
        return server

    try:
        yield make
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def dovecot(make_dovecot: Callable[..., DovecotServer]) -> DovecotServer:
    """A Dovecot of the test's own (about 50 ms to start), for tests that stop or break the server."""
    return make_dovecot()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The SQLAlchemy URL of a fresh, empty PostgreSQL database, dropped after the test."""
    name = _or_unavailable(create_database)
    try:
        yield sqlalchemy_url(name)
    finally:
        drop_database(name)


@pytest.fixture
def faulty_proxy() -> Iterator[Callable[[int], FaultyProxy]]:
    """A factory: ``faulty_proxy(port)`` starts a FaultyProxy in front of a loopback port.

    Every proxy it made is stopped after the test.
    """
    proxies: list[FaultyProxy] = []

    def make(port: int) -> FaultyProxy:
        proxy = FaultyProxy(port)
        proxies.append(proxy)
        proxy.start()
        return proxy

    try:
        yield make
    finally:
        for proxy in proxies:
            proxy.stop()
