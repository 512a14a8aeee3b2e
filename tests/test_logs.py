"""Logs carry no personal data and no secrets: an end-to-end run over the dev set at debug level."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.apps import REPO, SHARED
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer
from tests.smtp_fixtures import SMTP_USER
from tests.test_replies_e2e import SMTP_PASSWORD, setup

DEVSET = SHARED / "devset"
pytestmark = pytest.mark.dovecot


def run(config: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "triage", "-v", "--config", str(config), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stderr


def secrets_of_the_devset() -> set[str]:
    """Names (and their words), phone numbers (as written in E.164 and as bare digits) and dates of birth."""
    found: set[str] = set()
    for line in (DEVSET / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        applicant = (json.loads(line) if line.strip() else {}).get("applicant") or {}
        if applicant.get("full_name"):
            found.add(applicant["full_name"])
            found.update(w for w in re.split(r"\W+", applicant["full_name"]) if len(w) >= 4)
        if applicant.get("phone"):
            found.update({applicant["phone"], applicant["phone"].lstrip("+")})
        if applicant.get("date_of_birth"):
            found.add(applicant["date_of_birth"])
    return found


def test_end_to_end_logs_hold_no_names_phones_birth_dates_or_passwords(
    tmp_path: Path, dovecot: DovecotServer, make_smtp: Callable[..., SmtpServer]
) -> None:
    smtp = make_smtp(tls="starttls", users={SMTP_USER: SMTP_PASSWORD})
    config, user = setup(tmp_path, dovecot, smtp)
    logs = run(config, "once")
    drafts = [
        json.loads(line)
        for line in subprocess.run(
            [sys.executable, "-m", "triage", "--config", str(config), "drafts", "list", "--format", "jsonl"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    ]
    logs += run(config, "drafts", "approve", *(str(d["draft_id"]) for d in drafts[:10]))
    logs += run(config, "once")
    assert len(smtp.received) == 10
    assert "msg#" in logs and "draft#" in logs and "mailbox=central" in logs  # the logs did say things
    leaked = sorted(s for s in secrets_of_the_devset() if s in logs)
    assert leaked == []
    for secret in (SMTP_PASSWORD, user.password):
        assert secret not in logs
