"""Fetching into the store: each copy once, one message for two deliveries, attribution, oversized."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.apps import FrozenClock, config, make_app
from triage.stages.fetch import identify
from triage.store.models import FolderState, Message, MessageCopy, MessageStatus

BODY = "Hello,\r\nI want to join the International Legion.\r\n"


def mail(
    message_id: str | None,
    original_to: str,
    *,
    to: str = "emb_pl@mfa.example",
    cc: str = "",
    body: str = BODY,
) -> bytes:
    headers = [
        f"Received: from mx.mail.example by mx1.mfa.example for <{original_to}>;"
        " Tue, 1 Mar 2022 10:00:00 +0000",
        "Delivered-To: triage@mfa.example",
        f"X-Original-To: {original_to}",
        "From: Test Person <person@mail.example>",
        f"To: {to}",
    ]
    if cc:
        headers.append(f"Cc: {cc}")
    if message_id:
        headers.append(f"Message-ID: {message_id}")
    headers += ["Subject: Volunteer", "Date: Tue, 1 Mar 2022 10:00:00 +0000"]
    return ("\r\n".join(headers) + "\r\n\r\n" + body).encode()


def maildir(root: Path, files: dict[str, bytes]) -> Path:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for name, raw in files.items():
        (root / "new" / name).write_bytes(raw)
    return root


@pytest.fixture
def boxes(tmp_path: Path) -> tuple[Path, Path]:
    return maildir(tmp_path / "warsaw", {}), maildir(tmp_path / "central", {})


def _app(tmp_path: Path, boxes: tuple[Path, Path], **daemon: object):  # type: ignore[no-untyped-def]
    return make_app(
        config(
            f"sqlite:///{tmp_path}/t.db",
            daemon=daemon,
            mailboxes=[
                {"name": "warsaw", "embassy": "pl", "url": f"maildir:{boxes[0]}"},
                {"name": "central", "url": f"maildir:{boxes[1]}"},
            ],
        ),
        clock=FrozenClock(),
    )


def test_identify_matches_two_deliveries_of_one_mail_and_not_two_mails() -> None:
    a = identify(mail("<m1@mail.example>", "emb_pl@mfa.example"))
    b = identify(mail("<m1@mail.example>", "emb_de@mfa.example"))
    other_body = identify(mail("<m1@mail.example>", "emb_pl@mfa.example", body="Something else\r\n"))
    assert a.sha256 != b.sha256 and a.dedupe_key == b.dedupe_key
    assert other_body.dedupe_key != a.dedupe_key  # a reused Message-ID does not merge different mail
    assert (
        identify(mail(None, "emb_pl@mfa.example")).dedupe_key
        != identify(mail(None, "emb_de@mfa.example")).dedupe_key
    )


def test_poll_twice_stores_each_message_once(tmp_path: Path, boxes: tuple[Path, Path]) -> None:
    maildir(boxes[0], {f"{i}.host": mail(f"<m{i}@mail.example>", "emb_pl@mfa.example") for i in range(3)})
    with _app(tmp_path, boxes) as app:
        first = app.poll(app.settings.mailbox("warsaw"))
        second = app.poll(app.settings.mailbox("warsaw"))
        maildir(boxes[0], {"9.host": mail("<m9@mail.example>", "emb_pl@mfa.example")})
        third = app.poll(app.settings.mailbox("warsaw"))
        with app.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Message)) == 4
            state = session.scalars(select(FolderState)).one()
            assert state.last_error is None and state.last_poll_at is not None
    assert (first.stored, second.stored, third.stored) == (3, 0, 1)


def test_same_mail_in_two_mailboxes_is_one_message_seen_twice(
    tmp_path: Path, boxes: tuple[Path, Path]
) -> None:
    both = "emb_pl@mfa.example"
    maildir(boxes[0], {"1.host": mail("<m1@mail.example>", "emb_pl@mfa.example", cc="emb_de@mfa.example")})
    maildir(
        boxes[1],
        {"1.host": mail("<m1@mail.example>", "emb_de@mfa.example", to=both, cc="emb_de@mfa.example")},
    )
    with _app(tmp_path, boxes) as app:
        app.poll(app.settings.mailbox("warsaw"))
        report = app.poll(app.settings.mailbox("central"))
        with app.sessions() as session:
            message = session.scalars(select(Message)).one()
            copies = {(c.mailbox, c.embassy_code) for c in message.copies}
    assert report.seen_again == 1 and report.stored == 0
    assert copies == {("warsaw", "pl"), ("central", "de")}  # central: from X-Original-To, not To
    assert message.embassy_code == "pl"


def test_central_mailbox_with_unknown_recipient_leaves_embassy_unknown(
    tmp_path: Path, boxes: tuple[Path, Path]
) -> None:
    maildir(boxes[1], {"1.host": mail("<m1@mail.example>", "someone@other.example", to="x@other.example")})
    with _app(tmp_path, boxes) as app:
        app.poll(app.settings.mailbox("central"))
        with app.sessions() as session:
            assert session.scalars(select(MessageCopy.embassy_code)).one() is None


def test_oversized_message_is_stored_as_header_with_reason(tmp_path: Path, boxes: tuple[Path, Path]) -> None:
    big = mail("<big@mail.example>", "emb_pl@mfa.example", body="x" * 5000)
    maildir(boxes[0], {"big.host": big})
    with _app(tmp_path, boxes, max_message_bytes=2048) as app:
        report = app.poll(app.settings.mailbox("warsaw"))
        with app.sessions() as session:
            message = session.scalars(select(Message)).one()
            assert message.raw is not None and b"x" * 10 not in message.raw
    assert report.oversized == 1
    assert (message.status, message.failed_stage, message.size) == (MessageStatus.failed, "fetch", len(big))
    assert message.last_error is not None and message.last_error.startswith("oversized: 5")


def test_missing_local_folder_is_recorded_and_other_mailboxes_go_on(
    tmp_path: Path, boxes: tuple[Path, Path]
) -> None:
    maildir(boxes[1], {"1.host": mail("<m1@mail.example>", "emb_de@mfa.example")})
    gone = (tmp_path / "gone", boxes[1])
    with _app(tmp_path, gone) as app:
        reports = app.poll_all()
        with app.sessions() as session:
            errors = dict(session.execute(select(FolderState.mailbox, FolderState.last_error)).all())
    assert [r.mailbox for r in reports] == ["central"]
    assert "is not a directory" in (errors["warsaw"] or "") and errors["central"] is None
