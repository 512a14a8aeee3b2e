"""Three `triage run` processes on one PostgreSQL, six mailboxes on one Dovecot, 3,000 messages, one
process SIGKILLed midway: every message processed exactly once, no duplicate applicants, no reply
drafted twice."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.apps import EMBASSIES, REPO, config, make_app, write_toml
from tests.servers.dovecot import DovecotServer
from triage.store.models import Applicant, ApplicantStatus, Draft, LinkDecision, Message, MessageStatus

pytestmark = [pytest.mark.dovecot, pytest.mark.postgres, pytest.mark.slow]

FIRST = (
    "Adam Bruno Carl Dario Emil Felix Gavin Hugo Igor Jonas Karl Leon Marco Nils Oskar Pavel Quentin Rafael "
    "Stefan Tomas Ulrich Viktor Walter Xavier Yannick Zoltan Anton Boris Cyril Dmitri"
).split()
LAST = (
    "Abbott Brennan Castillo Duarte Eriksen Fontaine Galloway Hartmann Ivanovic Jansen Kowalczyk Lindqvist "
    "Moretti Novak Olsen Petrov Quinlan Rasmussen Sorensen Tanaka Urban Vasquez Wagner Xu Yilmaz Zeller "
    "Almeida Bergstrom Conti Dvorak Eklund Fischer Greco Horvath Iversen Jovanovic Keller Lund Marsh "
    "Nielsen Ortega Pajari Quist Romano Schulz Toivonen Ulloa Varga Weiss Young"
).split()
PERSONS = 1500
MAILBOXES = 6


def application(person: int, copy: int) -> bytes:
    first, last = FIRST[person % len(FIRST)], LAST[person // len(FIRST)]
    email = f"{first.lower()}.{last.lower()}.{person}@volunteer.example"
    dob = f"19{70 + person % 30}-{1 + person % 12:02d}-{1 + person % 28:02d}"
    body = (
        f"Hello,\r\n\r\nMy name is {first} {last}. I want to join the International Legion.\r\n"
        f"I was born on {dob} and served {2 + person % 9} years in the army as infantry.\r\n"
        f"My phone is +4930{1000000 + person}.\r\n\r\nRegards,\r\n{first} {last}\r\n"
    )
    return (
        f"From: {first} {last} <{email}>\r\nTo: emb_pl@mfa.example\r\nSubject: Legion application\r\n"
        f"Date: Tue, 1 Mar 2022 10:{person % 60:02d}:{copy:02d} +0000\r\n"
        f"Message-ID: <p{person}-c{copy}@volunteer.example>\r\n\r\n{body}"
    ).encode()


@pytest.mark.timeout(1500)
def test_three_daemons_one_killed_process_everything_exactly_once(
    dovecot: DovecotServer, pg_url: str, tmp_path: Path
) -> None:
    users = [dovecot.new_user() for _ in range(MAILBOXES)]
    for index, user in enumerate(users):
        raws = [
            application(p, copy)
            for copy in (0, 1)
            for p in range(PERSONS)
            if (p + 3 * copy) % MAILBOXES == index
        ]
        dovecot.append_many(user.name, "INBOX", raws)
    boxes = []
    for index, user in enumerate(users):
        (tmp_path / f"pw{index}").write_text(user.password)
        boxes.append(
            {
                "name": f"box{index}",
                "embassy": "pl",
                "url": user.url(),
                "starttls": False,
                "password_file": str(tmp_path / f"pw{index}"),
            }
        )
    data = config(
        pg_url,
        mailboxes=boxes,
        embassies=EMBASSIES,
        daemon={
            "poll_interval_seconds": 2,
            "drain_interval_seconds": 1,
            "idle": False,
            "fetch_batch_size": 100,
            "lease_seconds": 15,
        },
    )
    path = write_toml(tmp_path / "c.toml", data)
    logs = [open(tmp_path / f"run{i}.log", "w") for i in range(3)]
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "triage", "--config", str(path), "run"],
            cwd=REPO,
            stdout=logs[i],
            stderr=logs[i],
        )
        for i in range(3)
    ]
    try:
        with make_app(data) as app:

            def count(*statuses: str) -> int:
                with app.sessions() as session:
                    query = select(func.count()).select_from(Message)
                    if statuses:
                        query = query.where(Message.status.in_(statuses))
                    return int(session.scalar(query) or 0)

            deadline = time.monotonic() + 1400
            while count(MessageStatus.done) < 600 and time.monotonic() < deadline:
                time.sleep(0.5)
            runs[1].send_signal(signal.SIGKILL)  # in the middle of fetching and processing
            runs[1].wait()
            while (
                count(MessageStatus.done, MessageStatus.failed) < 2 * PERSONS and time.monotonic() < deadline
            ):
                assert runs[0].poll() is None and runs[2].poll() is None
                time.sleep(1)
            with app.sessions() as session:
                assert count() == 2 * PERSONS
                assert count(MessageStatus.done) == 2 * PERSONS
                people = list(
                    session.execute(
                        select(Applicant.email, Applicant.message_count).where(
                            Applicant.status == ApplicantStatus.active
                        )
                    )
                )
                decisions = session.execute(
                    select(LinkDecision.message_pk, func.count()).group_by(LinkDecision.message_pk)
                ).all()
                drafts = session.execute(
                    select(Draft.applicant_id, Draft.kind, func.count()).group_by(
                        Draft.applicant_id, Draft.kind
                    )
                ).all()
    finally:
        for run in runs:
            if run.poll() is None:
                run.send_signal(signal.SIGTERM)
        for run in runs:
            run.wait(timeout=60)
        for log in logs:
            log.close()
    assert len(people) == PERSONS and {n for _, n in people} == {2}
    assert len({email for email, _ in people}) == PERSONS
    assert len(decisions) == 2 * PERSONS and {n for _, n in decisions} == {1}
    assert len(drafts) == PERSONS and {n for *_, n in drafts} == {1}
    assert runs[0].returncode == 0 and runs[2].returncode == 0
