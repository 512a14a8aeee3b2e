"""Fixtures for a real aiosmtpd server on loopback, with a test CA for STARTTLS and smtps.

Register with ``pytest_plugins = ["tests.smtp_fixtures"]`` (or ``-p tests.smtp_fixtures``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.servers import ServerUnavailable
from tests.servers.smtp import SmtpServer
from tests.servers.tls import TestPki, make_test_pki

SMTP_USER = "legion@mail.embassy.example"


@pytest.fixture(scope="session")
def smtp_pki(tmp_path_factory: pytest.TempPathFactory) -> TestPki:
    """A test CA and a certificate for localhost / 127.0.0.1, shared by every SMTP server of the session."""
    try:
        return make_test_pki(tmp_path_factory.mktemp("smtp-pki"))
    except ServerUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{exc}; CI is set, so this test must not be skipped", pytrace=False)
        pytest.skip(str(exc))


@pytest.fixture
def make_smtp(smtp_pki: TestPki) -> Iterator[Callable[..., SmtpServer]]:
    """A factory: ``make_smtp(tls="implicit", users={...})`` starts an SmtpServer; all stop after the test.

    It takes SmtpServer's keyword arguments; the certificate comes from ``smtp_pki``.
    """
    servers: list[SmtpServer] = []

    def make(**options: Any) -> SmtpServer:
        server = SmtpServer(smtp_pki, **options)
        server.start()
        servers.append(server)
        return server

    try:
        yield make
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def smtp_server(make_smtp: Callable[..., SmtpServer]) -> SmtpServer:
    """An SMTP server requiring STARTTLS, with AUTH for ``SMTP_USER`` (password in ``users``)."""
    return make_smtp(tls="starttls", users={SMTP_USER: "correct horse battery staple"})
