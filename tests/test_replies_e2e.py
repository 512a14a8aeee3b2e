"""End to end with real servers: the dev set in Dovecot, `triage once`, staff approve and reject through
the CLI, `triage once` sends through a real SMTP server exactly once per approved draft."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.apps import EMBASSIES, REPO, SHARED, write_toml
from tests.servers.dovecot import DovecotServer, ImapUser
from tests.servers.smtp import SmtpServer
from tests.smtp_fixtures import SMTP_USER

DEVSET = SHARED / "devset"
SMTP_PASSWORD = "correct horse battery staple"
PERSON = {"application", "question"}
TEMPLATE_LANGUAGES = {"en", "uk", "ru", "pl", "de", "fr", "es", "pt", "ja"}
pytestmark = pytest.mark.dovecot


def cli(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "triage", "--config", str(config), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result


def setup(tmp_path: Path, dovecot: DovecotServer, smtp: SmtpServer) -> tuple[Path, ImapUser]:
    if not DEVSET.is_dir():
        pytest.skip(f"no dev set at {DEVSET}")
    user = dovecot.new_user()
    dovecot.append_many(user.name, "INBOX", [p.read_bytes() for p in sorted(DEVSET.glob("*.eml"))])
    (tmp_path / "imap.pw").write_text(user.password)
    (tmp_path / "smtp.pw").write_text(SMTP_PASSWORD)
    codes = "at au be br ca cz de es fr ge hr ie it jp kz lt lv mx nl pl pt se uk us".split()
    embassies = [
        *EMBASSIES,
        *(
            {
                "code": c,
                "name": f"Embassy of Ukraine ({c})",
                "addresses": [f"emb_{c}@mfa.example"],
                "reply_from": f"Embassy of Ukraine <emb_{c}@mfa.example>",
            }
            for c in codes
            if c not in ("pl", "de")
        ),
    ]
    config = write_toml(
        tmp_path / "c.toml",
        {
            "database": {"url": f"sqlite:///{tmp_path}/t.db"},
            "embassies": embassies,
            "mailboxes": [
                {
                    "name": "central",
                    "url": user.url(),
                    "password_file": str(tmp_path / "imap.pw"),
                    "starttls": False,
                    "sent_folder": "Sent",
                }
            ],
            "smtp": {
                "url": smtp.url,
                "username": SMTP_USER,
                "password_file": str(tmp_path / "smtp.pw"),
                "ca_file": str(smtp.pki.ca_file) if smtp.pki else "",
                "from": "Embassy of Ukraine <legion@mfa.example>",
            },
        },
    )
    return config, user


def gold() -> dict[str, dict[str, Any]]:
    """Gold rows by Message-ID."""
    import email
    from email import policy

    rows = {
        json.loads(line)["file"]: json.loads(line)
        for line in (DEVSET / "gold.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    out = {}
    for path in DEVSET.glob("*.eml"):
        mid = str(
            email.message_from_bytes(path.read_bytes(), policy=policy.compat32).get("Message-ID") or ""
        ).strip()
        if mid:
            out[mid] = rows[path.name]
    return out


def test_devset_drafts_approved_by_staff_are_sent_exactly_once(
    tmp_path: Path, dovecot: DovecotServer, make_smtp: Callable[..., SmtpServer]
) -> None:
    smtp = make_smtp(tls="starttls", users={SMTP_USER: SMTP_PASSWORD})
    config, user = setup(tmp_path, dovecot, smtp)
    cli(config, "once")
    drafts = [
        json.loads(line) for line in cli(config, "drafts", "list", "--format", "jsonl").stdout.splitlines()
    ]
    truth = gold()
    assert len(drafts) >= 40
    for draft in drafts:
        if draft["in_reply_to"] is None:  # the one dev-set mail without a Message-ID
            continue
        row = truth[draft["in_reply_to"]]
        assert row["category"] in PERSON, draft
        expected = row["language"] if row["language"] in TEMPLATE_LANGUAGES else "en"
        assert draft["language"] == expected, (draft, row["file"])
        assert draft["state"] == "pending" and draft["message_id"].startswith("<triage.")
    assert not smtp.received  # nothing leaves before staff approve

    threaded = [d for d in drafts if d["in_reply_to"]]
    approved, rejected = threaded[:5], threaded[5]
    cli(config, "drafts", "approve", *(str(d["draft_id"]) for d in approved), "--by", "staff-a")
    cli(config, "drafts", "reject", str(rejected["draft_id"]), "--reason", "duplicate of an earlier reply")
    cli(config, "once")
    assert len(smtp.received) == 5
    by_id = {r.message()["Message-ID"]: r for r in smtp.received}
    for draft in approved:
        got = by_id[draft["message_id"]]
        message = got.message()
        assert got.rcpt_tos == [draft["to"]] and got.tls and got.login == SMTP_USER
        assert message["In-Reply-To"] == draft["in_reply_to"]
        assert draft["in_reply_to"] in message["References"]
        assert message["Content-Language"] == draft["language"]
        assert message["Auto-Submitted"] == "auto-replied" and message["X-Triage-Loop"]
        assert message["Subject"].startswith("Re: ")
    states = {
        json.loads(line)["draft_id"]: json.loads(line)["state"]
        for line in cli(config, "drafts", "list", "--format", "jsonl").stdout.splitlines()
    }
    assert [states[d["draft_id"]] for d in approved] == ["sent"] * 5
    assert states[rejected["draft_id"]] == "rejected"

    cli(config, "once")
    assert len(smtp.received) == 5
    with user.client() as imap:  # a copy of each reply sent is kept in the mailbox's Sent folder
        imap.select_folder("Sent", readonly=True)
        kept = imap.fetch(imap.search("ALL"), ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
    kept_ids = [
        v[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].decode().split(":", 1)[1].strip() for v in kept.values()
    ]
    assert sorted(kept_ids) == sorted(str(d["message_id"]) for d in approved)
    status = json.loads(cli(config, "status", "--json").stdout)
    assert status["drafts"]["sent"] == 5 and status["drafts"]["rejected"] == 1
