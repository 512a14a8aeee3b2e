"""Fetching from a real Dovecot: exactly once, UIDVALIDITY changes, dropped connections, TLS, IDLE."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.apps import config, make_app, write_toml
from tests.servers.dovecot import DovecotServer, ImapUser
from triage.adapters.imap import ImapMailbox
from triage.errors import MailboxError
from triage.store.models import FolderState, Message, MessageCopy

pytestmark = pytest.mark.dovecot


def sample(i: int, *, to: str = "emb_pl@mfa.example", size: int = 0) -> bytes:
    body = f"Hello,\r\nThis is volunteer number {i}. I want to join the Legion.\r\n" + "z" * size
    return (
        f"From: Volunteer {i} <volunteer{i}@mail.example>\r\nTo: {to}\r\n"
        f"Subject: Application {i}\r\nDate: Tue, 1 Mar 2022 10:{i % 60:02d}:00 +0000\r\n"
        f"Message-ID: <v{i}@mail.example>\r\n\r\n{body}"
    ).encode()


def mailbox_config(
    user: ImapUser,
    tmp_path: Path,
    name: str = "warsaw",
    *,
    tls: bool = False,
    password: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    secret = tmp_path / f"{name}.pw"
    secret.write_text((password or user.password) + "\n", encoding="utf-8")
    entry: dict[str, Any] = {
        "name": name,
        "embassy": "pl",
        "url": user.url(tls=tls),
        "password_file": str(secret),
        "starttls": False,
    }
    if tls:
        entry["ca_file"] = str(user.server.ca_file)
    entry.update(extra)
    return entry


def counts(app: Any) -> tuple[int, int]:
    with app.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Message)) or 0,
            session.scalar(select(func.count()).select_from(MessageCopy)) or 0,
        )


def test_poll_stores_each_message_exactly_once(dovecot: DovecotServer, tmp_path: Path) -> None:
    user = dovecot.new_user()
    dovecot.append_many(user.name, "INBOX", [sample(i) for i in range(5)])
    with make_app(config(f"sqlite:///{tmp_path}/t.db", mailboxes=[mailbox_config(user, tmp_path)])) as app:
        box = app.settings.mailbox("warsaw")
        assert app.poll(box).stored == 5
        assert app.poll(box).stored == 0
        dovecot.append_many(user.name, "INBOX", [sample(i) for i in range(5, 8)])
        assert app.poll(box).stored == 3
        assert counts(app) == (8, 8)
        with app.sessions() as session:
            state = session.scalars(select(FolderState)).one()
            uids = sorted(session.scalars(select(MessageCopy.uid)))
        assert state.last_uid == 8 and uids == list(range(1, 9))


def test_poll_does_not_depend_on_or_change_seen_flags(dovecot: DovecotServer, tmp_path: Path) -> None:
    user = dovecot.new_user()
    dovecot.append(user.name, "INBOX", sample(1), flags=[b"\\Seen"])
    dovecot.append(user.name, "INBOX", sample(2))
    with make_app(config(f"sqlite:///{tmp_path}/t.db", mailboxes=[mailbox_config(user, tmp_path)])) as app:
        assert app.poll(app.settings.mailbox("warsaw")).stored == 2
    with user.client() as imap:
        imap.select_folder("INBOX", readonly=True)
        flags = imap.get_flags(imap.search("ALL"))
    assert [b"\\Seen" in f for _, f in sorted(flags.items())] == [True, False]


def test_fetch_uses_one_command_per_batch_not_per_message(dovecot: DovecotServer, tmp_path: Path) -> None:
    user = dovecot.new_user()
    dovecot.append_many(user.name, "INBOX", [sample(i) for i in range(250)])
    calls: list[int] = []

    from imapclient import IMAPClient

    class CountingClient(IMAPClient):
        def fetch(self, messages: Any, data: Any, modifiers: Any = None) -> Any:
            calls.append(len(messages))
            return super().fetch(messages, data, modifiers)

    with make_app(
        config(
            f"sqlite:///{tmp_path}/t.db",
            daemon={"fetch_batch_size": 100},
            mailboxes=[mailbox_config(user, tmp_path)],
        )
    ) as app:
        settings = app.settings.mailbox("warsaw")
        mailbox = ImapMailbox(settings, user.password, client_factory=CountingClient)
        report = app.fetcher(settings).poll(mailbox)
        mailbox.close()
    assert report.stored == 250
    assert calls == [100, 100, 100, 100, 50, 50]  # sizes, then bodies, per batch


def test_poll_after_uidvalidity_change_refetches_without_duplicates(
    dovecot: DovecotServer, tmp_path: Path
) -> None:
    user = dovecot.new_user()
    dovecot.append_many(user.name, "Legion", [sample(i) for i in range(4)])
    entry = mailbox_config(user, tmp_path, folders=["Legion"])
    with make_app(config(f"sqlite:///{tmp_path}/t.db", mailboxes=[entry])) as app:
        box = app.settings.mailbox("warsaw")
        assert app.poll(box).stored == 4
        dovecot.recreate_folder(user.name, "Legion")
        # The rebuilt folder holds the same four mails under new UIDs, and one new mail.
        dovecot.append_many(user.name, "Legion", [sample(i) for i in range(5)])
        report = app.poll(box)
        assert (report.stored, report.seen_again) == (1, 4)
        assert counts(app) == (5, 9)
        assert app.poll(box).stored == 0


def test_connection_dropped_mid_fetch_loses_nothing(
    dovecot: DovecotServer, faulty_proxy: Any, tmp_path: Path
) -> None:
    user = dovecot.new_user()
    dovecot.append_many(user.name, "INBOX", [sample(i, size=2000) for i in range(30)])
    proxy = faulty_proxy(dovecot.imap_port)
    entry = mailbox_config(user, tmp_path)
    entry["url"] = proxy.url(user.name)
    with make_app(
        config(f"sqlite:///{tmp_path}/t.db", daemon={"fetch_batch_size": 10}, mailboxes=[entry])
    ) as app:
        box = app.settings.mailbox("warsaw")
        proxy.cut_after_bytes(40_000)  # somewhere inside the second or third batch
        with pytest.raises(MailboxError):
            app.poll(box)
        stored_before, _ = counts(app)
        assert 0 < stored_before < 30
        with app.sessions() as session:
            state = session.scalars(select(FolderState)).one()
            assert state.last_error and state.consecutive_failures == 1
            assert state.last_uid == stored_before  # the mark moved only with committed batches
        assert app.poll(box).stored == 30 - stored_before
        assert counts(app) == (30, 30)


def test_imaps_with_self_signed_certificate_is_verified_against_ca_file(
    dovecot: DovecotServer, tmp_path: Path
) -> None:
    user = dovecot.new_user()
    dovecot.append(user.name, "INBOX", sample(1))
    good = mailbox_config(user, tmp_path, "good", tls=True)
    unverified = mailbox_config(user, tmp_path, "unverified", tls=True)
    del unverified["ca_file"]
    with make_app(config(f"sqlite:///{tmp_path}/t.db", mailboxes=[good, unverified])) as app:
        assert app.poll(app.settings.mailbox("good")).stored == 1
        with pytest.raises(MailboxError, match=r"CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
            app.poll(app.settings.mailbox("unverified"))


def test_starttls_on_plain_port_is_verified(dovecot: DovecotServer, tmp_path: Path) -> None:
    user = dovecot.new_user()
    dovecot.append(user.name, "INBOX", sample(1))
    entry = mailbox_config(user, tmp_path, starttls=True, ca_file=str(dovecot.ca_file))
    with make_app(config(f"sqlite:///{tmp_path}/t.db", mailboxes=[entry])) as app:
        assert app.poll(app.settings.mailbox("warsaw")).stored == 1


def test_wrong_password_is_logged_and_other_mailboxes_keep_flowing(
    dovecot: DovecotServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good, bad = dovecot.new_user(), dovecot.new_user()
    dovecot.append(good.name, "INBOX", sample(1))
    dovecot.append(bad.name, "INBOX", sample(2))
    boxes = [mailbox_config(bad, tmp_path, "berlin", password="wrong"), mailbox_config(good, tmp_path)]
    with make_app(config(f"sqlite:///{tmp_path}/t.db", mailboxes=boxes)) as app:
        with caplog.at_level(logging.ERROR):
            reports = app.poll_all()
        assert [r.mailbox for r in reports] == ["warsaw"] and reports[0].stored == 1
        assert any(
            "mailbox=berlin: login as" in r.getMessage() and "refused" in r.getMessage()
            for r in caplog.records
        )
        assert "wrong" not in caplog.text
        with app.sessions() as session:
            errors = dict(session.execute(select(FolderState.mailbox, FolderState.last_error)).all())
        assert "refused" in (errors["berlin"] or "") and errors["warsaw"] is None


def test_flag_keyword_is_set_only_after_store(dovecot: DovecotServer, tmp_path: Path) -> None:
    user = dovecot.new_user()
    dovecot.append_many(user.name, "INBOX", [sample(i) for i in range(3)])
    entry = mailbox_config(user, tmp_path, flag_keyword="$Triaged")
    with make_app(config(f"sqlite:///{tmp_path}/t.db", mailboxes=[entry])) as app:
        app.poll(app.settings.mailbox("warsaw"))
        with app.sessions() as session:
            assert all(session.scalars(select(MessageCopy.is_flagged)))
    with user.client() as imap:
        imap.select_folder("INBOX", readonly=True)
        assert all(
            b"$Triaged" in f and b"\\Seen" not in f for f in imap.get_flags(imap.search("ALL")).values()
        )


def cli(config_path: Path, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triage", "--config", str(config_path), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        **kwargs,
    )


def test_daemon_with_idle_stores_an_append_within_seconds(dovecot: DovecotServer, tmp_path: Path) -> None:
    user = dovecot.new_user()
    path = write_toml(
        tmp_path / "c.toml",
        config(
            f"sqlite:///{tmp_path}/t.db",
            daemon={"poll_interval_seconds": 3600, "drain_interval_seconds": 3600},
            mailboxes=[mailbox_config(user, tmp_path)],
        ),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "triage", "--config", str(path), "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with make_app(config(f"sqlite:///{tmp_path}/t.db")) as app:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:  # wait until the first poll has run
                assert process.poll() is None, process.communicate()[1]
                with app.sessions() as session:
                    if session.scalar(select(FolderState.last_success_at)) is not None:
                        break
                time.sleep(0.1)
            time.sleep(1.0)  # let the IDLE connection settle
            appended = time.monotonic()
            dovecot.append(user.name, "INBOX", sample(42))
            # The poll interval is an hour: only IDLE can bring the message in before the deadline.
            while time.monotonic() < appended + 20 and counts(app)[0] == 0:
                time.sleep(0.05)
            assert counts(app)[0] == 1, "the append was not stored: IDLE did not wake the poll"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            _, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
    assert process.returncode == 0, err
    assert "daemon stopped" in err
