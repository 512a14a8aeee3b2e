"""The test servers themselves: Dovecot, the faulty proxy and scratch PostgreSQL databases."""

from __future__ import annotations

import re
import socket
import ssl
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, LoginError

from tests.servers import dovecot as dovecot_module
from tests.servers.dovecot import DovecotError, DovecotServer, ImapUser
from tests.servers.ports import free_port
from tests.servers.postgres import database_exists, drop_database
from tests.servers.processes import group_members
from tests.servers.proxy import FaultyProxy

RAW = (
    b"From: Consular Section <consular@embassy.example>\r\n"
    b"To: Applicant <applicant@mail.example>\r\n"
    b"Subject: Appointment\r\n"
    b"Message-ID: <appointment-1@embassy.example>\r\n"
    b"\r\n"
    b"Your appointment is confirmed.\r\n"
)


def _message(number: int, body_lines: int = 1) -> bytes:
    return (
        b"From: sender@mail.example\r\nSubject: message %d\r\n\r\n" % number
        + b"line of body text\r\n" * body_lines
    )


def test_append_then_fetch_returns_message_flags_and_date(imap_user: ImapUser) -> None:
    when = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    server = imap_user.server

    uid = server.append(imap_user.name, "INBOX", RAW, flags=[b"\\Seen"], msg_time=when)
    second = server.append(imap_user.name, "INBOX", _message(2))

    assert (uid, second) == (1, 2)
    with imap_user.client() as imap:
        imap.select_folder("INBOX", readonly=True)
        fetched = imap.fetch([uid], ["BODY.PEEK[]", "FLAGS", "INTERNALDATE"])[uid]
    assert fetched[b"BODY[]"] == RAW
    assert b"\\Seen" in fetched[b"FLAGS"]
    assert fetched[b"INTERNALDATE"].astimezone(UTC) == when


@pytest.mark.parametrize("folder", ["Consular/Visas", "Archive.2024"])
def test_append_to_missing_folder_creates_it(imap_user: ImapUser, folder: str) -> None:
    uid = imap_user.server.append(imap_user.name, folder, RAW)

    with imap_user.client() as imap:
        assert imap.folder_exists(folder)
        assert imap.folder_status(folder, ["MESSAGES"])[b"MESSAGES"] == 1
    assert uid == 1


def test_append_many_3000_messages_returns_consecutive_uids(
    imap_user: ImapUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One connection and MULTIAPPEND (per-message logins would take minutes): count the logins.
    logins: list[str] = []
    connect = imap_user.server.client

    def counted(user: str, **options: Any) -> Any:
        logins.append(user)
        return connect(user, **options)

    monkeypatch.setattr(imap_user.server, "client", counted)
    uids = imap_user.server.append_many(imap_user.name, "Bulk", (_message(n, 20) for n in range(3000)))
    monkeypatch.undo()

    assert uids == list(range(1, 3001))
    assert logins == [imap_user.name]
    with imap_user.client() as imap:
        assert imap.folder_status("Bulk", ["MESSAGES"])[b"MESSAGES"] == 3000


def test_add_user_right_after_a_login_can_log_in_at_once(dovecot_server: DovecotServer) -> None:
    # Dovecot re-reads a changed passwd-file at most once a second; each user has a file of its own.
    for _ in range(5):
        user = dovecot_server.new_user()
        with user.client() as imap:
            assert imap.noop()


def test_login_with_wrong_password_fails(imap_user: ImapUser) -> None:
    with IMAPClient(imap_user.server.host, imap_user.server.imap_port, ssl=False, timeout=10) as imap:
        with pytest.raises(LoginError):
            imap.login(imap_user.name, "not-the-password")


def test_imaps_with_ca_file_verifies_certificate(imap_user: ImapUser) -> None:
    server = imap_user.server
    context = ssl.create_default_context(cafile=str(server.ca_file))

    for host in (server.host, "localhost"):
        with IMAPClient(host, server.imaps_port, ssl=True, ssl_context=context, timeout=10) as imap:
            imap.login(imap_user.name, imap_user.password)
            assert imap.select_folder("INBOX")[b"EXISTS"] == 0


def test_imaps_without_ca_file_rejects_certificate(dovecot_server: DovecotServer) -> None:
    context = ssl.create_default_context()

    with pytest.raises(ssl.SSLCertVerificationError):
        IMAPClient(dovecot_server.host, dovecot_server.imaps_port, ssl=True, ssl_context=context, timeout=10)


def test_starttls_on_plain_port_then_login(imap_user: ImapUser) -> None:
    server = imap_user.server
    context = ssl.create_default_context(cafile=str(server.ca_file))

    with IMAPClient(server.host, server.imap_port, ssl=False, timeout=10) as imap:
        assert b"STARTTLS" in imap.capabilities()
        imap.starttls(context)
        imap.login(imap_user.name, imap_user.password)
        assert isinstance(imap.socket(), ssl.SSLSocket)


@pytest.mark.parametrize("folder", ["INBOX", "Archive"])
def test_recreate_folder_gives_new_uidvalidity_and_empties_it(imap_user: ImapUser, folder: str) -> None:
    server = imap_user.server
    server.append(imap_user.name, folder, RAW)
    before = server.uidvalidity(imap_user.name, folder)

    after = server.recreate_folder(imap_user.name, folder)

    assert after != before
    assert server.uidvalidity(imap_user.name, folder) == after
    with imap_user.client() as imap:
        assert imap.folder_status(folder, ["MESSAGES"])[b"MESSAGES"] == 0


def test_delete_folder_removes_it(imap_user: ImapUser) -> None:
    imap_user.server.append(imap_user.name, "Old", RAW)

    imap_user.server.delete_folder(imap_user.name, "Old")

    with imap_user.client() as imap:
        assert not imap.folder_exists("Old")


def test_kick_drops_live_connection(imap_user: ImapUser) -> None:
    with imap_user.client() as imap:
        imap.select_folder("INBOX")

        imap_user.server.kick(imap_user.name)

        with pytest.raises((IMAPClientAbortError, OSError)):
            imap.noop()


def test_kick_without_connections_is_a_no_op(imap_user: ImapUser) -> None:
    imap_user.server.kick(imap_user.name)


def test_idle_sees_exists_within_two_seconds_of_append(imap_user: ImapUser) -> None:
    with imap_user.client() as imap:
        imap.select_folder("INBOX")
        imap.idle()
        imap_user.server.append(imap_user.name, "INBOX", RAW)
        deadline = time.monotonic() + 2
        responses: list[tuple[object, ...]] = []
        while time.monotonic() < deadline and (1, b"EXISTS") not in responses:
            responses += imap.idle_check(timeout=max(deadline - time.monotonic(), 0))
        imap.idle_done()

    assert (1, b"EXISTS") in responses


def test_url_names_user_port_and_folder(dovecot_server: DovecotServer) -> None:
    plain = dovecot_server.url("alice", "Consular/Visas")
    tls = dovecot_server.url("alice", tls=True)

    assert plain == f"imap://alice@127.0.0.1:{dovecot_server.imap_port}/Consular/Visas"
    assert tls == f"imaps://alice@127.0.0.1:{dovecot_server.imaps_port}/INBOX"


def test_own_server_stops_without_leaving_processes_or_files(dovecot: DovecotServer) -> None:
    assert dovecot.running
    pgid = dovecot.pid
    assert pgid is not None

    started = time.monotonic()
    dovecot.stop()

    assert time.monotonic() - started < 1  # Dovecot's own exit would take over a second
    assert not dovecot.root.exists()
    assert not [m for m in group_members(pgid) or [] if not m.zombie]
    with pytest.raises(ConnectionRefusedError), socket.create_connection((dovecot.host, dovecot.imap_port)):
        pass


def test_bad_configuration_raises_with_log_tail_and_cleans_up(
    make_dovecot: Callable[..., DovecotServer],
) -> None:
    with pytest.raises(DovecotError, match="Unknown setting: no_such_setting") as raised:
        make_dovecot(extra_config="no_such_setting = yes\n")

    config = re.search(r"(/\S+)/dovecot\.conf", str(raised.value))
    assert config is not None
    assert not Path(config.group(1)).exists()


def test_start_with_a_port_taken_meanwhile_retries_on_other_ports(
    make_dovecot: Callable[..., DovecotServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        handed_out = iter([taken])
        monkeypatch.setattr(dovecot_module, "free_port", lambda: next(handed_out, None) or free_port())

        server = make_dovecot()

        assert taken not in (server.imap_port, server.imaps_port)
        assert "Address already in use" in server.log_tail()
        with server.client(server.new_user().name) as imap:
            assert imap.noop()


def test_fixtures_mark_tests_that_use_them(
    imap_user: ImapUser, pg_url: str, request: pytest.FixtureRequest
) -> None:
    assert request.node.get_closest_marker("dovecot") is not None
    assert request.node.get_closest_marker("postgres") is not None


def test_proxy_cut_mid_fetch_raises_on_client_then_reconnect_works(
    imap_user: ImapUser, faulty_proxy: Callable[[int], FaultyProxy]
) -> None:
    server = imap_user.server
    uid = server.append(imap_user.name, "INBOX", _message(1, body_lines=20_000))  # about 360 KB
    proxy = faulty_proxy(server.imap_port)

    with IMAPClient(proxy.host, proxy.port, ssl=False, timeout=10) as imap:
        imap.login(imap_user.name, imap_user.password)
        imap.select_folder("INBOX")
        proxy.cut_after_bytes(50_000)
        with pytest.raises((IMAPClientAbortError, OSError)):
            imap.fetch([uid], ["BODY.PEEK[]"])

    assert proxy.cuts == 1
    assert proxy.bytes_to_client < 400_000
    with IMAPClient(proxy.host, proxy.port, ssl=False, timeout=10) as imap:
        imap.login(imap_user.name, imap_user.password)
        imap.select_folder("INBOX")
        assert len(imap.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]) > 300_000
    assert proxy.connections == 2


@pytest.mark.parametrize("reset", [False, True])
def test_proxy_cut_now_drops_idle_connection(
    imap_user: ImapUser, faulty_proxy: Callable[[int], FaultyProxy], reset: bool
) -> None:
    proxy = faulty_proxy(imap_user.server.imap_port)

    with IMAPClient(proxy.host, proxy.port, ssl=False, timeout=10) as imap:
        imap.login(imap_user.name, imap_user.password)
        proxy.cut(reset=reset)
        with pytest.raises((IMAPClientAbortError, OSError)):
            imap.noop()


def test_proxy_passes_imaps_through(imap_user: ImapUser, faulty_proxy: Callable[[int], FaultyProxy]) -> None:
    server = imap_user.server
    proxy = faulty_proxy(server.imaps_port)
    context = ssl.create_default_context(cafile=str(server.ca_file))

    with IMAPClient(proxy.host, proxy.port, ssl=True, ssl_context=context, timeout=10) as imap:
        imap.login(imap_user.name, imap_user.password)
    assert proxy.url(imap_user.name, tls=True) == f"imaps://{imap_user.name}@127.0.0.1:{proxy.port}/INBOX"


def test_pg_url_is_a_fresh_usable_database(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE probe (id integer PRIMARY KEY)"))
            conn.execute(sa.text("INSERT INTO probe VALUES (1)"))
            name = conn.execute(sa.text("SELECT current_database()")).scalar_one()
            tables = conn.execute(sa.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
            assert tables.scalar_one() == 1
    finally:
        engine.dispose()
    assert pg_url.startswith("postgresql+psycopg://postgres@127.0.0.1:5432/")
    assert pg_url.endswith(f"/{name}")


def test_drop_database_ends_open_sessions_and_removes_it(pg_url: str) -> None:
    name = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(host="127.0.0.1", port=5432, user="postgres", dbname=name) as leaked:
        drop_database(name)

        assert not database_exists(name)
        with pytest.raises(psycopg.OperationalError):
            leaked.execute("SELECT 1")
