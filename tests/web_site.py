"""A staff web site for tests: the demo mail and a hostile HTML message run through the real pipeline,
staff accounts made with `triage users add`, and `triage web` served on a loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from tests.apps import EMBASSIES, REPO, write_toml
from triage.store.models import (
    Applicant,
    ApplicantMessage,
    Draft,
    MergeSuggestion,
    Message,
    MessageStatus,
    SuggestionStatus,
)

HOSTILE = REPO / "tests" / "fixtures" / "mail" / "html_hostile_script_img_css.eml"
PASSWORD = "staff-password-1"
#: name: (role, embassies)
USERS = {"alice": ("admin", []), "ann": ("approver", []), "vic": ("viewer", []), "dee": ("approver", ["de"])}


@dataclass
class Site:
    root: Path
    config: Path
    db_url: str
    url: str = ""
    drafts: dict[str, int] = field(default_factory=dict)

    def session(self) -> Session:
        return Session(create_engine(self.db_url))


def cli(config: Path, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "triage", "--config", str(config), *args], cwd=REPO,
                            capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def build(root: Path) -> Site:
    """Ingest the mail, add the users, and set up one failed message and one merge suggestion."""
    db_url = f"sqlite:///{root / 'triage.db'}"
    config = write_toml(root / "triage.toml", {"database": {"url": db_url}, "embassies": EMBASSIES})
    cli(config, "ingest", str(REPO / "demo" / "mail"))
    cli(config, "ingest", str(HOSTILE))
    (root / "password").write_text(PASSWORD + "\n", encoding="utf-8")
    for name, (role, embassies) in USERS.items():
        scope = [arg for code in embassies for arg in ("--embassy", code)]
        cli(config, "users", "add", name, "--role", role, "--password-file", str(root / "password"), *scope)
    site = Site(root, config, db_url)
    with site.session() as session, session.begin():
        by_message = {d.message.message_id_header: d for d in session.scalars(select(Draft))}
        for draft in by_message.values():
            key = f"{draft.embassy_code}-{draft.language}-{draft.kind}"
            site.drafts.setdefault(key, draft.id)
        site.drafts["hostile"] = by_message["<hostile-0001@hostile.example>"].id
        spam = session.scalars(select(Message).where(Message.category == "spam")).one()
        spam.status, spam.failed_stage, spam.last_error = MessageStatus.failed, "extract", "test: parked"
        spam.attempts = 3
        a, b = sorted(session.scalars(select(Applicant.id).where(Applicant.message_count == 1)).all())[:2]
        session.add(MergeSuggestion(applicant_a_id=a, applicant_b_id=b, score=0.7, reasons=["name"],
                                    status=SuggestionStatus.open, created_at=spam.created_at))
    return site


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(site: Site) -> Iterator[str]:
    """Run `triage web` on a free loopback port until the block ends; yield its base URL."""
    port = free_port()
    log = (site.root / "web.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "triage", "--config", str(site.config), "web",
                                "--host", "127.0.0.1", "--port", str(port)], cwd=REPO, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # readiness, not a timing assertion
            if process.poll() is not None:
                raise AssertionError((site.root / "web.log").read_text())
            try:
                httpx.get(url + "/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        site.url = url
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def applicant_ids(site: Site, embassy: str) -> set[int]:
    """Active applicants with a message copy written to *embassy*."""
    from triage.store.models import MessageCopy

    with site.session() as session:
        return set(session.scalars(
            select(ApplicantMessage.applicant_id)
            .join(MessageCopy, MessageCopy.message_pk == ApplicantMessage.message_pk)
            .join(Applicant, Applicant.id == ApplicantMessage.applicant_id)
            .where(MessageCopy.embassy_code == embassy, Applicant.status == "active")))
