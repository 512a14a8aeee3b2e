"""Sending drafts: approval states, SMTP failures, and a crash while sending never sends twice."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.apps import EMBASSIES, REPO, write_toml
from tests.servers.smtp import SmtpServer
from tests.smtp_fixtures import SMTP_USER

PASSWORD = "correct horse battery staple"
DEMO = REPO / "demo" / "mail"


def cli(config: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "triage", "--config", str(config), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if ok:
        assert result.returncode == 0, result.stderr
    return result


def drafts(config: Path) -> list[dict[str, object]]:
    return [
        json.loads(line) for line in cli(config, "drafts", "list", "--format", "jsonl").stdout.splitlines()
    ]


@pytest.fixture
def setup(tmp_path: Path, make_smtp: Callable[..., SmtpServer]) -> tuple[Path, SmtpServer]:
    smtp = make_smtp(tls="starttls", users={SMTP_USER: PASSWORD})
    mail = tmp_path / "mail"
    mail.mkdir()
    for name in (
        "03-application-de.eml",
        "07-question-en.eml",
        "08-auto-reply-de.eml",
        "10-bounce-dsn.eml",
        "11-spam-en.eml",
    ):
        shutil.copy(DEMO / name, mail / name)
    (tmp_path / "smtp.pw").write_text(PASSWORD + "\n")
    config = write_toml(
        tmp_path / "c.toml",
        {
            "database": {"url": f"sqlite:///{tmp_path}/t.db"},
            "embassies": EMBASSIES,
            "mailboxes": [{"name": "local", "url": f"maildir:{mail}"}],
            "smtp": {
                "url": smtp.url,
                "username": SMTP_USER,
                "password_file": str(tmp_path / "smtp.pw"),
                "ca_file": str(smtp.pki.ca_file) if smtp.pki else "",
            },
            "replies": {"send_retry_seconds": 1},
        },
    )
    return config, smtp


def test_drafts_only_for_applications_and_questions(setup: tuple[Path, SmtpServer]) -> None:
    config, _ = setup
    cli(config, "once")
    made = drafts(config)
    assert sorted(str(d["kind"]) for d in made) in (["application", "question"], ["follow_up", "question"])
    assert {d["language"] for d in made} == {"de", "en"}


def test_second_letter_of_a_known_person_gets_no_follow_up_asking_what_the_first_told(
    tmp_path: Path,
) -> None:
    mail = tmp_path / "mail"
    mail.mkdir()
    # the same volunteer writes to Warsaw with every detail, then to Berlin from a new address with fewer
    for name in ("01-application-en.eml", "13-application-en-followup.eml"):
        shutil.copy(DEMO / name, mail / name)
    config = write_toml(
        tmp_path / "c.toml",
        {
            "database": {"url": f"sqlite:///{tmp_path}/t.db"},
            "embassies": EMBASSIES,
            "mailboxes": [{"name": "local", "url": f"maildir:{mail}"}],
        },
    )
    cli(config, "once")
    made = drafts(config)
    assert [(d["kind"], d["embassy"]) for d in made] == [("application", "pl")]


def test_approve_reject_edit_follow_the_allowed_states(setup: tuple[Path, SmtpServer]) -> None:
    config, smtp = setup
    cli(config, "once")
    first, second = (int(str(d["draft_id"])) for d in drafts(config))
    cli(config, "drafts", "approve", str(first))
    assert "cannot approve a approved draft" in cli(config, "drafts", "approve", str(first), ok=False).stderr
    body = Path(str(config.parent / "body.txt"))
    body.write_text("Guten Tag,\n\nvielen Dank.\n", encoding="utf-8")
    cli(config, "drafts", "edit", str(first), "--body-file", str(body))  # back to pending
    assert {d["draft_id"]: d["state"] for d in drafts(config)}[first] == "pending"
    cli(config, "drafts", "reject", str(second), "--reason", "answered by phone")
    assert "cannot approve a rejected draft" in cli(config, "drafts", "approve", str(second), ok=False).stderr
    cli(config, "drafts", "approve", str(first))
    cli(config, "once")
    assert len(smtp.received) == 1
    assert smtp.received[0].message().get_content().replace("\r\n", "\n") == "Guten Tag,\n\nvielen Dank.\n"


def test_temporary_failure_retries_and_permanent_failure_waits_for_staff(
    setup: tuple[Path, SmtpServer],
) -> None:
    config, smtp = setup
    cli(config, "once")
    ids = [str(d["draft_id"]) for d in drafts(config)]
    smtp.handler.data_reply = "451 4.3.0 try again later"
    cli(config, "drafts", "approve", *ids)
    cli(config, "once")
    assert {d["state"] for d in drafts(config)} == {"approved"}  # waiting for the retry
    smtp.handler.data_reply = "554 5.7.1 rejected by policy"
    cli(config, "once")
    states = drafts(config)
    assert {d["state"] for d in states} == {"failed"}
    assert all("554" in str(d["last_error"]) for d in states)
    assert not smtp.received


@pytest.mark.parametrize("point", ["before-smtp", "during-smtp"])
def test_sigkill_while_sending_never_sends_twice_and_waits_for_staff(
    point: str, setup: tuple[Path, SmtpServer]
) -> None:
    config, smtp = setup
    cli(config, "once")
    ids = [str(d["draft_id"]) for d in drafts(config)]
    cli(config, "drafts", "approve", ids[0])
    child = subprocess.run(
        [sys.executable, "-m", "tests.send_crash_child", point, str(config)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert {d["draft_id"]: d["state"] for d in drafts(config)}[int(ids[0])] == "sending"
    cli(config, "once")  # the restart
    cli(config, "once")
    assert not smtp.received
    draft = next(d for d in drafts(config) if str(d["draft_id"]) == ids[0])
    assert draft["state"] == "failed" and "interrupted while sending" in str(draft["last_error"])
