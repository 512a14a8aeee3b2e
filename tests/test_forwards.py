"""unwrap_forward(): inline forwards of many clients and languages, attached messages, and non-forwards."""

# ruff: noqa: RUF001  (Cyrillic sample lines)
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.eml import FIXTURES, load
from triage.mail.forwards import is_forward_subject, parse_sender, strip_subject_prefixes, unwrap_forward
from triage.mail.message import Address, ParsedMessage


def staff_mail(text: str, subject: str, **fields: object) -> ParsedMessage:
    return ParsedMessage(
        message_id="<fwd@mail.example>",
        subject=subject,
        sender=Address(name="Staff Member", email="staff@mail.example"),
        text=text,
        **fields,  # type: ignore[arg-type]
    )


VOLUNTEER = Address(name="Vol Unteer", email="vol@mail.example")

INLINE_FORWARDS = [
    pytest.param(
        "Fwd: Legion",
        "---------- Forwarded message ---------\nFrom: **Vol Unteer** <vol@mail.example>\n"
        "Date: Mon, 7 Mar 2022 at 22:10\nSubject: Legion\nTo: <staff@mail.example>\n",
        id="gmail-en",
    ),
    pytest.param(
        "WG: Legion",
        "---------- Weitergeleitete Nachricht ---------\nVon: Vol Unteer <vol@mail.example>\n"
        "Date: Mo., 7. März 2022 um 22:10 Uhr\nSubject: Legion\nTo: <staff@mail.example>\n",
        id="gmail-de",
    ),
    pytest.param(
        "Fwd: Legion",
        "---------- Пересылаемое сообщение ---------\nОт: Vol Unteer <vol@mail.example>\n"
        "Date: пн, 7 мар. 2022 г. в 22:10\nSubject: Legion\nTo: <staff@mail.example>\n",
        id="gmail-ru",
    ),
    pytest.param(
        "RV: Legion",
        "---------- Mensaje reenviado ---------\nDe: Vol Unteer <vol@mail.example>\n"
        "Date: lun, 7 mar 2022 a las 22:10\nSubject: Legion\nTo: <staff@mail.example>\n",
        id="gmail-es",
    ),
    pytest.param(
        "Fwd: Legion",
        "Begin forwarded message:\n\nFrom: Vol Unteer <vol@mail.example>\nSubject: Legion\n"
        "Date: 7 March 2022 at 22:10:00 CET\nTo: staff@mail.example\n",
        id="apple-en",
    ),
    pytest.param(
        "Fwd: Legion",
        "Début du message réexpédié :\n\nDe: Vol Unteer <vol@mail.example>\nObjet: Legion\n"
        "Date: 7 mars 2022 à 22:10:00 UTC+1\nÀ: staff@mail.example\n",
        id="apple-fr",
    ),
    pytest.param(
        "Fwd: Legion",
        "-------- Forwarded Message --------\nSubject: \tLegion\nDate: \tMon, 7 Mar 2022 22:10:00 +0100\n"
        "From: \tVol Unteer <vol@mail.example>\nTo: \tstaff@mail.example\n",
        id="thunderbird-en",
    ),
    pytest.param(
        "FW: Legion",
        "-----Original Message-----\nFrom: Vol Unteer [mailto:vol@mail.example]\n"
        "Sent: Monday, March 7, 2022 10:10 PM\nTo: staff@mail.example\nSubject: Legion\n",
        id="outlook-classic-en",
    ),
    pytest.param(
        "WG: Legion",
        "Von: Vol Unteer <vol@mail.example>\nGesendet: Montag, 7. März 2022 22:10\n"
        "An: staff@mail.example\nBetreff: Legion\n",
        id="outlook-de",
    ),
    pytest.param(
        "TR: Legion",
        "________________________________\nDe : Vol Unteer <vol@mail.example>\n"
        "Envoyé : lundi 7 mars 2022 22:10\nÀ : staff@mail.example\nObjet : Legion\n",
        id="new-outlook-fr",
    ),
    pytest.param(
        "Fwd: Legion",
        "-------- Пересылаемое сообщение --------\n07.03.2022, 22:10, \"Vol Unteer\" <vol@mail.example>:\n",
        id="yandex-intro-line",
    ),
]


@pytest.mark.parametrize(("subject", "block"), INLINE_FORWARDS)
def test_unwrap_forward_inline_gives_original_sender_text_and_note(subject: str, block: str) -> None:
    text = f"Колеги, прошу зареєструвати.\n\n{block}\nI want to join the Legion.\nVol\n"
    forward = unwrap_forward(staff_mail(text, subject))
    assert forward is not None
    assert forward.kind == "inline"
    assert forward.sender == VOLUNTEER
    assert forward.subject == "Legion"
    assert forward.date
    assert forward.text.startswith("I want to join the Legion.")
    assert forward.note == "Колеги, прошу зареєструвати."


def test_unwrap_forward_outlook_block_with_nothing_above_and_plain_subject_is_forward() -> None:
    text = "From: Vol Unteer <vol@mail.example>\nSent: Mon\nTo: staff@mail.example\nSubject: Legion\n\nHi.\n"
    forward = unwrap_forward(staff_mail(text, "Legion"))
    assert forward is not None and forward.sender == VOLUNTEER and forward.note == ""


def test_unwrap_forward_outlook_block_under_a_reply_subject_is_not_forward() -> None:
    text = "Yes.\n\nFrom: Vol <vol@mail.example>\nSent: Monday\nTo: staff@mail.example\nSubject: Q\n\nQ?\n"
    assert unwrap_forward(staff_mail(text, "RE: Q")) is None


def test_unwrap_forward_reply_with_quote_is_not_forward() -> None:
    text = "Thanks!\n\nOn Mon, Mar 7, 2022 at 10:00 AM Vol <vol@mail.example> wrote:\n> I want to join\n"
    assert unwrap_forward(staff_mail(text, "Re: Legion")) is None


def test_unwrap_forward_plain_letter_is_not_forward() -> None:
    assert unwrap_forward(staff_mail("I want to join the Legion.", "Legion")) is None


def test_unwrap_forward_forward_of_a_forward_reaches_the_writer() -> None:
    text = (
        "note one\n\n---------- Forwarded message ---------\nFrom: Other Staff <other@mail.example>\n"
        "Date: Tue\nSubject: Fwd: Legion\nTo: staff@mail.example\n\nnote two\n\n"
        "---------- Forwarded message ---------\nFrom: Vol Unteer <vol@mail.example>\nDate: Mon\n"
        "Subject: Legion\nTo: other@mail.example\n\nI want to join.\n"
    )
    forward = unwrap_forward(staff_mail(text, "Fwd: Fwd: Legion"))
    assert forward is not None
    assert forward.sender == VOLUNTEER
    assert forward.text == "I want to join."
    assert forward.note == "note one\n\nnote two"


# --- attached messages -------------------------------------------------------------------------


def test_unwrap_forward_attached_message_gives_its_author() -> None:
    forward = unwrap_forward(load((FIXTURES / "rfc822_attachment.eml").read_bytes()))
    assert forward is not None
    assert forward.kind == "attached"
    assert forward.sender is not None and forward.sender.email == "andres.gomez@correo.example"
    assert forward.note == "Forwarding an application received privately."


def test_unwrap_forward_base64_attached_message_gives_its_author() -> None:
    forward = unwrap_forward(load((FIXTURES / "base64_encoded_rfc822_attachment.eml").read_bytes()))
    assert forward is not None and forward.sender is not None
    assert forward.sender.email == "erik.larsen@mail.example"


def test_unwrap_forward_bounce_with_returned_message_is_not_forward() -> None:
    assert unwrap_forward(load((FIXTURES / "dsn_postfix.eml").read_bytes())) is None


@pytest.mark.parametrize(
    "fields",
    [
        {"headers": {"auto-submitted": ["auto-replied"]}},
        {"headers": {"return-path": ["<>"]}},
        {"content_type": "multipart/report"},
        {"delivery_status": [{"action": "failed"}]},
    ],
)
def test_unwrap_forward_machine_made_mail_is_never_forward(fields: dict[str, object]) -> None:
    inner = staff_mail("I want to join.", "Legion")
    inner.sender = VOLUNTEER
    parsed = staff_mail("Not delivered.", "Returned mail", attached_messages=[inner], **fields)
    assert unwrap_forward(parsed) is None


def test_unwrap_forward_mailer_daemon_sender_is_never_forward() -> None:
    inner = staff_mail("I want to join.", "Legion")
    parsed = staff_mail("Delivery failed.", "failure notice", attached_messages=[inner])
    parsed.sender = Address(name="", email="mailer-daemon@mx.mail.example")
    assert unwrap_forward(parsed) is None


# --- subjects and senders ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    [
        "Fwd: x", "FW: x", "WG: x", "TR: x", "RV: x",
    "Re: Fwd: x", "[ext] FW: x"],
)
def test_is_forward_subject_knows_client_prefixes(subject: str) -> None:
    assert is_forward_subject(subject)


@pytest.mark.parametrize("subject", ["Re: x", "AW: x", "Fwdx", "Legion: volunteers", ""])
def test_is_forward_subject_rejects_replies_and_plain_subjects(subject: str) -> None:
    assert not is_forward_subject(subject)


def test_strip_subject_prefixes_removes_stacked_prefixes() -> None:
    assert strip_subject_prefixes("Re: Fwd: AW: WG: Bewerbung") == "Bewerbung"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"Kowalski, Jan" <Jan@Mail.example>', Address("Kowalski, Jan", "jan@mail.example")),
        ("Jan Kowalski [mailto:jan@mail.example]", Address("Jan Kowalski", "jan@mail.example")),
        ("**Jan Kowalski** <jan@mail.example>", Address("Jan Kowalski", "jan@mail.example")),
        ("jan@mail.example<mailto:jan@mail.example>", Address("", "jan@mail.example")),
        ("jan@mail.example", Address("", "jan@mail.example")),
        ("Jan Kowalski", Address("Jan Kowalski", "")),
    ],
)
def test_parse_sender_reads_client_styles(value: str, expected: Address) -> None:
    assert parse_sender(value) == expected


def test_parse_sender_empty_is_none() -> None:
    assert parse_sender("  ") is None


# --- bounds ------------------------------------------------------------------------------------


# A hang guard, not a speed test (bench/ measures speed): a pattern that backtracks on a 5 MB body
# would run for hours, the unwrap itself takes a second or two.
@pytest.mark.timeout(120)
def test_unwrap_forward_five_megabyte_body_unwraps_whole() -> None:
    head = "Fwd below\n\n---------- Forwarded message ---------\nFrom: A <a@mail.example>\n\n"
    text = head + "line\n" * 1_000_000
    forward = unwrap_forward(staff_mail(text, "Fwd: x"))
    assert forward is not None
    assert forward.sender == Address("A", "a@mail.example")
    assert forward.text.count("line") == 1_000_000


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=600), st.text(max_size=40))
def test_unwrap_forward_never_raises(text: str, subject: str) -> None:
    unwrap_forward(staff_mail(text, subject))
