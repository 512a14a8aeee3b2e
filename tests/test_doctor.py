"""`triage doctor` against real servers: Dovecot, aiosmtpd, PostgreSQL; one line per check, exit 1 on any
failure, and no secret in the output."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.apps import config, write_toml
from tests.servers.dovecot import ImapUser
from tests.servers.ports import free_port
from tests.servers.smtp import SmtpServer
from tests.servers.tls import TestPki
from tests.smtp_fixtures import SMTP_USER
from tests.test_imap import mailbox_config
from triage import cli
from triage.store.db import make_engine
from triage.store.schema import upgrade

SMTP_PASSWORD = "correct horse battery staple"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path}/t.db"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url


def smtp_section(server: SmtpServer, pki: TestPki, tmp_path: Path, password: str = SMTP_PASSWORD
                 ) -> dict[str, Any]:
    secret = tmp_path / "smtp.pw"
    secret.write_text(password + "\n", encoding="utf-8")
    return {"url": server.url, "username": SMTP_USER, "password_file": str(secret),
            "ca_file": str(pki.ca_file), "from": "Embassy <legion@mail.embassy.example>"}


def doctor(tmp_path: Path, data: dict[str, Any], capsys: pytest.CaptureFixture[str], *extra: str
           ) -> tuple[int, dict[str, str]]:
    """Run `triage doctor` on *data*; return the exit code and each line by its subject."""
    path = write_toml(tmp_path / "triage.toml", data)
    args: argparse.Namespace = cli.build_parser().parse_args(["--config", str(path), "doctor", *extra])
    code: int = args.func(args)
    out = capsys.readouterr().out
    lines = {}
    for line in out.splitlines():
        status, _, rest = line.partition(" ")
        subject, _, detail = rest.strip().partition(": ")
        lines[subject] = f"{status} {detail}"
    return code, lines


def test_doctor_with_working_setup_passes_every_check(
        tmp_path: Path, imap_user: ImapUser, smtp_server: SmtpServer, smtp_pki: TestPki, pg_url: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    engine.dispose()
    data = config(pg_url, mailboxes=[mailbox_config(imap_user, tmp_path)],
                  smtp=smtp_section(smtp_server, smtp_pki, tmp_path))
    code, lines = doctor(tmp_path, data, capsys)
    assert code == 0, lines
    assert list(lines) == ["config", "database", "migrations", "mailbox=warsaw", "smtp", "templates",
                           "models"]
    assert all(line.startswith("ok ") for line in lines.values())
    assert "logged in to 127.0.0.1" in lines["mailbox=warsaw"] and "folders INBOX" in lines["mailbox=warsaw"]
    assert f"as {SMTP_USER!r}" in lines["smtp"]
    assert smtp_server.received == []  # nothing was sent
    text = "\n".join(lines.values())
    assert imap_user.password not in text and SMTP_PASSWORD not in text


def test_doctor_with_wrong_imap_password_fails_the_mailbox_line(
        tmp_path: Path, imap_user: ImapUser, sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = config(sqlite_url, mailboxes=[mailbox_config(imap_user, tmp_path, password="wrong-secret-42")])
    code, lines = doctor(tmp_path, data, capsys)
    assert code == 1
    assert lines["mailbox=warsaw"].startswith("FAIL login as ")
    assert "refused" in lines["mailbox=warsaw"]
    assert "wrong-secret-42" not in "\n".join(lines.values())
    assert lines["database"].startswith("ok ")  # the other checks still ran
    assert lines["models"].startswith("ok ")


def test_doctor_with_missing_imap_folder_names_it(
        tmp_path: Path, imap_user: ImapUser, sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = config(sqlite_url, mailboxes=[mailbox_config(imap_user, tmp_path, folders=["INBOX", "Archive"])])
    code, lines = doctor(tmp_path, data, capsys)
    assert code == 1
    assert lines["mailbox=warsaw"] == "FAIL no such folder: 'Archive'"


def test_doctor_with_stopped_postgresql_fails_the_database_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A stopped server looks like this to a client: nothing listens on its port, connecting is refused.
    url = f"postgresql+psycopg://triage:s3cret-pg@127.0.0.1:{free_port()}/triage"
    code, lines = doctor(tmp_path, config(url), capsys)
    assert code == 1
    assert lines["database"].startswith("FAIL postgresql+psycopg://triage:***@127.0.0.1:")
    assert "cannot open the database" in lines["database"]
    assert "migrations" not in lines
    assert "s3cret-pg" not in "\n".join(lines.values())


def test_doctor_with_missing_sqlite_file_fails_and_creates_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "gone" / "triage.db"
    code, lines = doctor(tmp_path, config(f"sqlite:///{database}"), capsys)
    assert code == 1
    assert lines["database"].endswith("no database file; `triage db upgrade` creates it")
    assert not database.parent.exists()


def test_doctor_with_empty_database_fails_the_migrations_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "empty.db"
    database.touch()
    code, lines = doctor(tmp_path, config(f"sqlite:///{database}"), capsys)
    assert code == 1
    assert lines["database"].startswith("ok ")
    assert lines["migrations"].startswith("FAIL database at nothing (empty)")


def test_doctor_with_broken_operator_template_fails_the_templates_line(
        tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "templates" / "application" / "en.txt.j2"
    broken.parent.mkdir(parents=True)
    broken.write_text("Subject: Thank you\n\nDear {{ no_such_variable }},\n", encoding="utf-8")
    code, lines = doctor(tmp_path, config(sqlite_url), capsys, "--templates-dir", str(tmp_path / "templates"))
    assert code == 1
    assert lines["templates"].startswith("FAIL template application/en: ")
    assert "no_such_variable" in lines["templates"]


def test_doctor_with_wrong_smtp_password_fails_the_smtp_line(
        tmp_path: Path, smtp_server: SmtpServer, smtp_pki: TestPki, sqlite_url: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    data = config(sqlite_url, smtp=smtp_section(smtp_server, smtp_pki, tmp_path, password="not-it-77"))
    code, lines = doctor(tmp_path, data, capsys)
    assert code == 1
    assert lines["smtp"].startswith("FAIL 127.0.0.1:")
    assert "refused" in lines["smtp"] and "not-it-77" not in lines["smtp"]


def test_doctor_with_invalid_config_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = doctor(tmp_path, {"database": {"url": "sqlite:///x.db"}, "daemon": {"nope": 1}}, capsys)
    assert code == 2
    assert lines == {"config": "FAIL daemon.nope: unknown key"}
