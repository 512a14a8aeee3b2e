"""segment(): reply headers, Outlook blocks, forwards, signatures in many languages; coverage, bounds."""

# ruff: noqa: RUF001  (Cyrillic sample lines)
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.eml import FIXTURES, load
from triage.mail.message import Segment
from triage.mail.segments import is_header_field, parse_header_block, segment


def kinds(text: str, *, forward: bool = False) -> list[str]:
    return [s.kind for s in segment(text, forward=forward)]


def by_kind(text: str, kind: str, *, forward: bool = False) -> str:
    return "".join(s.text for s in segment(text, forward=forward) if s.kind == kind)


def assert_covers(text: str, segments: list[Segment]) -> None:
    position = 0
    for seg in segments:
        assert seg.start == position
        assert seg.end > seg.start
        assert text[seg.start : seg.end] == seg.text
        position = seg.end
    assert position == len(text)


# --- reply headers -----------------------------------------------------------------------------

REPLY_HEADERS = [
    "On Tue, Mar 8, 2022 at 9:15 AM Press Office <press@mfa.example> wrote:",
    "On 08/03/2022 09:15, Press Office wrote:",
    "Am 08.03.2022 um 09:15 schrieb Pressestelle <press@mfa.example>:",
    "Le mar. 8 mars 2022 à 09:15, Service de presse <press@mfa.example> a écrit :",
    "El mar, 8 mar 2022 a las 9:15, Prensa (<press@mfa.example>) escribió:",
    "Em ter., 8 de mar. de 2022 às 09:15, Imprensa <press@mfa.example> escreveu:",
    "Il giorno mar 8 mar 2022 alle ore 09:15 Ufficio stampa <press@mfa.example> ha scritto:",
    "wt., 8 mar 2022 o 09:15 Biuro prasowe <press@mfa.example> napisał(a):",
    "8 марта 2022 г., в 9:15, Пресс-служба <press@mfa.example> написал(а):",
    "вт, 8 бер. 2022 р. о 09:15 Пресслужба <press@mfa.example> пише:",
    "Op di 8 mrt 2022 om 09:15 schreef Persdienst <press@mfa.example>:",
    "Dne út 8. 3. 2022 9:15 uživatel Tiskové oddělení <press@mfa.example> napsal:",
    "2022年3月8日(火) 9:15 広報 <press@mfa.example>:",
]


@pytest.mark.parametrize("header", REPLY_HEADERS)
def test_segment_reply_header_over_quote_is_header_block(header: str) -> None:
    text = f"My answer is yes.\n\n{header}\n> Are you still available?\n> Please confirm.\n"
    segments = segment(text)
    assert [s.kind for s in segments] == ["body", "header_block", "quoted"]
    assert segments[1].text.strip() == header
    assert_covers(text, segments)


def test_segment_reply_header_wrapped_over_two_lines_is_one_block() -> None:
    text = (
        "Answers below.\n\n"
        "On Wed, Mar 2, 2022 at 9:05 AM Embassy of Ukraine in the Republic of\n"
        "Somewhere <emb@mfa.example> wrote:\n\n"
        "> Name?\n"
    )
    assert kinds(text) == ["body", "header_block", "quoted"]


def test_segment_top_posted_reply_without_quote_marks_is_quoted() -> None:
    text = (
        "Yes, I can come on Monday.\n\n"
        "On Tue, Mar 8, 2022 at 9:15 AM Press Office <press@mfa.example> wrote:\n"
        "Could you come to the embassy on Monday?\n"
    )
    assert kinds(text) == ["body", "header_block", "quoted"]


def test_segment_inline_answers_between_quotes_are_body() -> None:
    text = (
        "On Tue, Mar 8, 2022 at 9:15 AM Press Office <press@mfa.example> wrote:\n"
        "> Your full name?\n"
        "Jan Kowalski\n"
        "> Date of birth?\n"
        "1 January 1990\n"
    )
    assert kinds(text) == ["header_block", "quoted", "body", "quoted", "body"]
    assert "Jan Kowalski" in by_kind(text, "body")


def test_segment_sentence_ending_in_wrote_is_not_a_header() -> None:
    text = "This is what my commander wrote.\nI served with him for years.\n"
    assert kinds(text) == ["body"]


# --- Outlook blocks ----------------------------------------------------------------------------

OUTLOOK_BLOCKS = [
    "-----Original Message-----\nFrom: Press <press@mfa.example>\nSent: Tuesday, March 8, 2022 9:15 AM\n"
    "To: Writer <writer@mail.example>\nSubject: Your letter",
    "-----Ursprüngliche Nachricht-----\nVon: Presse <press@mfa.example>\n"
    "Gesendet: Dienstag, 8. März 2022 09:15\n"
    "An: writer@mail.example\nBetreff: Ihr Brief",
    "________________________________\nFrom: Press <press@mfa.example>\nSent: Tuesday, March 8, 2022 09:15\n"
    "To: writer@mail.example\nSubject: Your letter",
    "De : Presse <press@mfa.example>\nEnvoyé : mardi 8 mars 2022 09:15\n"
    "À : writer@mail.example\nObjet : Votre lettre",
    "Od: Biuro <press@mfa.example>\nWysłano: wtorek, 8 marca 2022 09:15\n"
    "Do: writer@mail.example\nTemat: List",
    "От: Пресс-служба <press@mfa.example>\nОтправлено: 8 марта 2022 г. 9:15\n"
    "Кому: writer@mail.example\nТема: Письмо",
    "差出人: 広報 <press@mfa.example>\n送信日時: 2022年3月8日 9:15\n宛先: writer@mail.example\n件名: お手紙",
]


@pytest.mark.parametrize("block", OUTLOOK_BLOCKS)
def test_segment_outlook_block_in_a_reply_is_quoted(block: str) -> None:
    text = f"My answer.\n\n{block}\n\nThe original question.\n"
    assert kinds(text) == ["body", "header_block", "quoted"]
    assert "original question" in by_kind(text, "quoted")


@pytest.mark.parametrize("block", OUTLOOK_BLOCKS)
def test_segment_outlook_block_in_a_forward_is_forwarded(block: str) -> None:
    text = f"FYI.\n\n{block}\n\nThe original letter.\n"
    assert kinds(text, forward=True) == ["body", "header_block", "forwarded"]


def test_parse_header_block_reads_fields_and_continuations() -> None:
    block = "From: Writer\n <writer@mail.example>\nSent: Tuesday, March 8, 2022\nSubject: Volunteer\n"
    fields = parse_header_block(block)
    assert fields == {
        "from": "Writer <writer@mail.example>",
        "sent": "Tuesday, March 8, 2022",
        "subject": "Volunteer",
    }


def test_is_header_field_knows_localized_labels() -> None:
    assert is_header_field("Betreff: Bewerbung")
    assert is_header_field("件名: 志願")
    assert not is_header_field("Note: bring your passport")


# --- forwards ----------------------------------------------------------------------------------

FORWARD_SEPARATORS = [
    "---------- Forwarded message ---------",
    "---------- Weitergeleitete Nachricht ---------",
    "---------- Message transféré ---------",
    "---------- Mensaje reenviado ---------",
    "---------- Пересылаемое сообщение ---------",
    "-------- Forwarded Message --------",
    "Begin forwarded message:",
    "Début du message réexpédié :",
    "Anfang der weitergeleiteten Nachricht:",
]


@pytest.mark.parametrize("separator", FORWARD_SEPARATORS)
def test_segment_forward_separator_and_fields_then_forwarded_text(separator: str) -> None:
    text = (
        f"Please register him.\n\n{separator}\n"
        "From: Volunteer <vol@mail.example>\nDate: Mon, 7 Mar 2022 at 22:10\nSubject: Legion\n"
        "To: <staff@mail.example>\n\nI want to join the Legion.\n"
    )
    segments = segment(text)
    assert [s.kind for s in segments] == ["body", "header_block", "forwarded"]
    assert "I want to join" in segments[2].text
    assert_covers(text, segments)


# --- signatures --------------------------------------------------------------------------------

MOBILE_LINES = [
    "Sent from my iPhone",
    "Von meinem iPhone gesendet",
    "Envoyé de mon iPhone",
    "Enviado desde mi iPhone",
    "Enviado do meu iPhone",
    "Inviato da iPhone",
    "Wysłane z iPhone'a",
    "Отправлено с iPhone",
    "Надіслано з iPhone",
    "Odesláno z iPhonu",
    "Verzonden vanaf mijn iPhone",
    "iPhoneから送信",
    "Get Outlook for Android",
]


@pytest.mark.parametrize("line", MOBILE_LINES)
def test_segment_sent_from_mobile_line_is_signature(line: str) -> None:
    text = f"I can leave tomorrow.\n\n{line}\n"
    assert kinds(text) == ["body", "signature"]
    assert by_kind(text, "signature").strip() == line


@pytest.mark.parametrize(
    "sign_off", ["Best regards,", "Mit freundlichen Grüßen", "З повагою,", "Cordialement,", "Pozdrawiam"]
)
def test_segment_sign_off_with_name_is_signature(sign_off: str) -> None:
    text = f"I served six years in the artillery and can start at once.\n\n{sign_off}\nAnna Writer\n"
    assert kinds(text) == ["body", "signature"]


def test_segment_dash_dash_line_starts_signature() -> None:
    text = "See you on Monday.\n-- \nAnna Writer\nKyiv Street 1\n"
    assert kinds(text) == ["body", "signature"]


def test_segment_dash_dash_at_the_very_top_is_not_a_signature() -> None:
    assert kinds("-- \nHello, this is my letter.\n") == ["body"]


def test_segment_sentences_under_a_thank_you_line_stay_body() -> None:
    text = (
        "Hello,\nI did 4 years as a combat engineer.\nThank you for your time.\n"
        "I want to sign up for the legion.\nI can leave next week.\nSam\n"
    )
    assert "I want to sign up" in by_kind(text, "body")


def test_segment_list_announced_by_a_colon_is_not_a_signature() -> None:
    text = "Bom dia,\n\nQuero me alistar. O que sei fazer:\n\nCondutor\nMecânico\nSocorrista\n"
    assert kinds(text) == ["body"]


def test_segment_fixture_with_thank_you_line_keeps_the_offer_in_the_body() -> None:
    parsed = load((FIXTURES / "signoff_followed_by_more_letter.eml").read_bytes())
    assert "sign up for the legion" in by_kind(parsed.text, "body")


# --- edges -------------------------------------------------------------------------------------


def test_segment_empty_text_is_no_segments() -> None:
    assert segment("") == []


@pytest.mark.parametrize("text", ["\n", "\r\n\r\n", "   ", "plain", "a\rb\rc", "> only quote"])
def test_segment_tiny_texts_are_covered(text: str) -> None:
    assert_covers(text, segment(text))


def test_segment_crlf_text_keeps_offsets() -> None:
    text = "Answer.\r\n\r\nOn Tue, Mar 8, 2022 at 9:15 AM A <a@mfa.example> wrote:\r\n> Q?\r\n"
    segments = segment(text)
    assert [s.kind for s in segments] == ["body", "header_block", "quoted"]
    assert_covers(text, segments)


def test_segment_ten_thousand_line_quoted_thread_finishes() -> None:
    header = "On Tue, Mar 8, 2022 at 9:15 AM A <a@mfa.example> wrote:\n"
    lines = (f"{'>' * (i % 7 + 1)} line {i}\n{header if i % 50 == 0 else ''}" for i in range(10_000))
    text = "Top answer.\n\n" + "".join(lines)
    segments = segment(text)
    assert segments[0].kind == "body"
    assert_covers(text, segments)


def test_segment_five_megabytes_is_covered() -> None:
    text = ("Some long line of text without any structure at all, repeated. " * 10 + "\n") * 8000
    assert len(text) > 5_000_000
    segments = segment(text)
    assert_covers(text, segments)


def test_segment_log_lines_with_digits_and_angle_brackets_finish() -> None:
    line = "May 29 12:30:57 host python:   File \"<stdin>\", line 2225, in <module> 0123456789 0123456789\n"
    text = line * 2500  # about 250,000 characters, every line a near miss for a reply header
    segments = segment(text)
    assert [s.kind for s in segments] == ["body"]


def test_segment_single_five_megabyte_line_finishes() -> None:
    text = "x" * 5_000_000
    assert kinds(text) == ["body"]


# --- properties --------------------------------------------------------------------------------

_LINES = st.sampled_from(
    [
        "",
        "> quoted",
        ">> deeper",
        "-- ",
        "Best regards,",
        "Sent from my iPhone",
        "From: A <a@mail.example>",
        "Sent: Monday",
        "To: b@mail.example",
        "Subject: x",
        "-----Original Message-----",
        "---------- Forwarded message ---------",
        "Begin forwarded message:",
        "On Mon, Mar 7, 2022 at 10:00 AM A <a@mail.example> wrote:",
        "________________",
        "I want to join.",
        "John Smith",
        "+1 555 0100",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=40), st.sampled_from(["\n", "\r\n", "\r"]))
def test_segment_any_text_is_covered_in_order(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    for forward in (False, True):
        assert_covers(text, segment(text, forward=forward))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_segment_never_raises_on_arbitrary_text(text: str) -> None:
    assert_covers(text, segment(text))
