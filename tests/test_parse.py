"""Tests for the parse layer: raw bytes to ParsedMessage on quirk fixtures, the dev set, a hostile corpus."""

from __future__ import annotations

import email
import hashlib
import json
from email.message import Message
from pathlib import Path

import mailparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.mail import parse as parse_module
from triage.mail.charsets import decode_bytes, decode_header
from triage.mail.html import html_to_text
from triage.mail.message import ParsedMessage
from triage.mail.parse import MAX_PARTS, parse_message

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "mail"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
DEVSET = SHARED / "devset"


def fixture(name: str) -> ParsedMessage:
    return parse_message((FIXTURES / name).read_bytes())


def devset(name: str) -> ParsedMessage:
    path = DEVSET / name
    if not path.is_file():
        pytest.skip(f"dev set not found at {DEVSET}")
    return parse_message(path.read_bytes())


def assert_round_trips(message: ParsedMessage) -> None:
    """The stored form (JSON of to_dict) gives back an equal message."""
    encoded = json.dumps(message.to_dict(), ensure_ascii=False).encode("utf-8")
    assert ParsedMessage.from_dict(json.loads(encoded)) == message


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(
        path
        for path in CORPUS.rglob("*")
        if path.is_file() and "LICENSES" not in path.relative_to(CORPUS).parts and path.name != "MANIFEST.md"
    )


def devset_files() -> list[Path]:
    return sorted(DEVSET.glob("*.eml")) if DEVSET.is_dir() else []


def params(paths: list[Path], root: Path) -> list[object]:
    """One parameter per file, or a single skipped one when the shared folder is absent."""
    if not paths:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{root} not found"))]
    return [pytest.param(path, id=str(path.relative_to(root))) for path in paths]


# --- quirk fixtures -------------------------------------------------------------------------------


def test_parse_message_with_encoded_word_split_across_fold_decodes_whole_characters() -> None:
    message = fixture("encoded_word_split_across_fold.eml")

    assert message.sender is not None
    assert message.sender.name == "Олександр Коваленко"
    assert message.sender.email == "o.kovalenko@mail.example"
    assert message.subject == "Zgłoszenie ochotnika do Legionu Międzynarodowego"
    assert message.message_id == "<split-fold-01@mail.example>"
    assert message.parser == "mail-parser"


def test_parse_message_with_display_name_of_plain_and_encoded_words_keeps_both() -> None:
    message = fixture("display_name_plain_and_encoded_words.eml")

    assert message.sender is not None
    assert (message.sender.name, message.sender.email) == ("Petr Dvořák", "petr.dvorak@mail.example")
    assert message.subject == "Přihláška dobrovolnika"
    assert [(a.name, a.email) for a in message.to] == [
        ("", "emb_cz@mfa.example"),
        ("Consulate (Brno)", "consulate-brno@mfa.example"),
    ]
    assert [(a.name, a.email) for a in message.cc] == [("Novak, Jana", "jana.novak@mail.example")]
    assert [(a.name, a.email) for a in message.reply_to] == [("Petr Dvorak", "petr.dvorak@mail.example")]


def test_parse_message_with_zone_after_a_comment_in_date_keeps_the_zone() -> None:
    message = fixture("display_name_plain_and_encoded_words.eml")

    assert message.date is not None
    assert message.date.isoformat() == "2022-03-02T10:00:00+01:00"


def test_parse_message_with_undeclared_utf8_body_detects_utf8() -> None:
    message = fixture("undeclared_utf8_body.eml")

    assert message.text == (
        "Добрий день.\nМене звати Тарас, мені 31 рік, служив у ЗСУ два роки.\nГотовий повернутися.\n"  # noqa: RUF001
    )
    assert message.charsets == ["utf-8"]
    assert "text/plain part: undeclared 8-bit data in a us-ascii part; used utf-8" in message.defects


def test_parse_message_with_unknown_charset_fakescii_detects_charset_and_records_defect() -> None:
    message = fixture("unknown_charset_fakescii.eml")

    assert message.text.startswith("Здравствуйте. Меня зовут Иван, мне тридцать два года")
    assert message.charsets == ["windows-1251"]
    assert "text/plain part: unknown charset 'fakescii'; used windows-1251" in message.defects


def test_parse_message_with_latin1_label_on_utf8_body_decodes_utf8() -> None:
    message = fixture("declared_latin1_body_is_utf8.eml")

    assert message.text == "Grüße aus München, Lukas Müller\n"
    assert message.charsets == ["utf-8"]
    assert any("'iso-8859-1' does not fit the data" in defect for defect in message.defects)


def test_parse_message_with_raw_8bit_headers_decodes_them_in_the_body_charset() -> None:
    message = fixture("raw_koi8r_headers.eml")

    assert message.sender is not None
    assert message.sender.name == "Дмитрий Соколов"
    assert message.subject == "Хочу в легион"
    assert message.text == "Служил в армии.\n"
    assert message.charsets == ["koi8-r"]


def test_parse_message_with_html_only_body_renders_text_without_script_or_style() -> None:
    message = fixture("html_only_with_script.eml")

    assert message.text_from_html is True
    assert message.text == (
        "Hello,\n\nI served 6 years as a combat medic & I speak English \N{EN DASH} and some Polish.\n\n"
        "* Passport: valid\n* Phone: +1 555 0100\n\nRegards,\nSam Carter"
    )
    for hidden in ("do not run me", "color: red", "Hidden title", "tracker.example"):
        assert hidden not in message.text


def test_parse_message_with_rfc822_attachment_parses_the_attached_message() -> None:
    message = fixture("rfc822_attachment.eml")

    assert message.text == "Forwarding an application received privately.\n"
    assert message.attachments == []
    [attached] = message.attached_messages
    assert attached.sender is not None
    assert (attached.sender.name, attached.sender.email) == ("Andrés Gómez", "andres.gomez@correo.example")
    assert attached.subject == "Solicitud de voluntario"
    assert "Me llamo Andrés Gómez, serví 5 años en la Infantería de Marina." in attached.text


def test_parse_message_with_base64_encoded_rfc822_part_parses_the_decoded_message() -> None:
    message = fixture("base64_encoded_rfc822_attachment.eml")

    [attached] = message.attached_messages
    assert attached.sender is not None
    assert attached.sender.email == "erik.larsen@mail.example"
    assert attached.text == "I served in the Norwegian army for 4 years.\n"


def test_parse_message_with_postfix_dsn_reads_each_recipient_block() -> None:
    message = fixture("dsn_postfix.eml")

    assert message.content_type == "multipart/report"
    assert message.sender is not None
    assert (message.sender.name, message.sender.email) == (
        "Mail Delivery System",
        "mailer-daemon@mx1.mfa.example",
    )
    failed, delayed = message.delivery_status
    assert failed == {
        "reporting-mta": "dns; mx1.mfa.example",
        "arrival-date": "Sat,  5 Mar 2022 10:00:01 +0000",
        "final-recipient": "rfc822; gone.user@mail.example",
        "original-recipient": "rfc822;gone.user@mail.example",
        "action": "failed",
        "status": "5.1.1",
        "diagnostic-code": (
            "smtp; 550 5.1.1 <gone.user@mail.example>: Recipient address rejected: User unknown"
        ),
    }
    assert (delayed["final-recipient"], delayed["action"], delayed["status"]) == (
        "rfc822; slow.user@other.example",
        "delayed",
        "4.4.1",
    )
    assert delayed["reporting-mta"] == "dns; mx1.mfa.example"
    assert message.text.startswith("I'm sorry to have to inform you")


def test_parse_message_with_rfc822_headers_part_attaches_a_headers_only_message() -> None:
    message = fixture("dsn_postfix.eml")

    [returned] = message.attached_messages
    assert returned.parser == "headers-only"
    assert returned.subject == "Re: legion"
    assert returned.message_id == "<reply-01@mfa.example>"
    assert [a.email for a in returned.to] == ["gone.user@mail.example", "slow.user@other.example"]
    assert returned.text == ""


def test_parse_message_with_from_missing_closing_angle_still_yields_the_address() -> None:
    message = fixture("from_missing_closing_angle.eml")

    assert message.sender is not None
    assert (message.sender.name, message.sender.email) == (
        "Olena Shevchenko",
        "olena.shevchenko@mail.example",
    )


def test_parse_message_with_cr_only_line_endings_normalises_them_to_newlines() -> None:
    message = fixture("cr_only_line_endings.eml")

    assert message.subject == "Mac mail"
    assert message.text == "First line\nSecond line\n"


def test_parse_message_with_calendar_invite_keeps_it_out_of_the_text() -> None:
    message = fixture("calendar_invite_not_body.eml")

    assert message.text == "You are invited to an interview.\n"
    [invite] = message.attachments
    assert (invite.filename, invite.content_type) == (None, "text/calendar")


def test_parse_message_with_encoded_attachment_filenames_decodes_names_and_hashes_payloads() -> None:
    message = fixture("attachment_filenames_encoded.eml")

    assert message.text == "CV and photo attached.\n"
    pdf, photo, text_file = message.attachments
    assert (pdf.filename, pdf.content_type) == ("Życiorys Nowak.pdf", "application/pdf")
    assert (photo.filename, photo.content_type) == ("zdjęcie.jpg", "image/jpeg")
    assert (text_file.filename, text_file.content_type) == ("cv.txt", "text/plain")
    fake_pdf = b"%PDF-1.4\n% fake test document\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    assert (pdf.size, pdf.sha256) == (len(fake_pdf), hashlib.sha256(fake_pdf).hexdigest())
    assert "Mateusz" not in message.text


def test_parse_message_with_pgp_encrypted_body_lists_parts_as_attachments_only() -> None:
    message = fixture("pgp_encrypted.eml")

    assert message.text == ""
    assert [(a.filename, a.content_type) for a in message.attachments] == [
        (None, "application/pgp-encrypted"),
        ("encrypted.asc", "application/octet-stream"),
    ]


def test_parse_message_with_multipart_without_boundary_reads_the_body_as_text() -> None:
    message = fixture("multipart_without_boundary.eml")

    assert message.text == "Buongiorno, vorrei arruolarmi.\n"
    assert "NoBoundaryInMultipartDefect" in message.defects


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.eml")), ids=lambda path: path.name)
def test_parse_message_on_fixture_round_trips_through_dict(path: Path) -> None:
    assert_round_trips(parse_message(path.read_bytes()))


# --- limits and fallbacks -------------------------------------------------------------------------


def test_parse_message_with_text_over_the_cap_truncates_and_says_so() -> None:
    raw = b"Subject: long\r\nContent-Type: text/plain\r\n\r\n" + b"abcd\r\n" * 1000

    message = parse_message(raw, max_text_chars=100)

    assert message.truncated is True
    assert message.text == ("abcd\n" * 20)


def test_parse_message_with_forwards_nested_beyond_max_depth_keeps_deeper_ones_as_attachments() -> None:
    raw = b"From: outer@mail.example\r\n"
    for level in range(4):
        raw += b"Content-Type: message/rfc822\r\n\r\nFrom: level%d@mail.example\r\n" % level
    raw += b"Content-Type: text/plain\r\n\r\ninnermost\r\n"

    message = parse_message(raw, max_depth=2)

    first = message.attached_messages[0]
    second = first.attached_messages[0]
    assert [m.sender.email if m.sender else None for m in (first, second)] == [
        "level0@mail.example",
        "level1@mail.example",
    ]
    assert second.attached_messages == []
    assert [a.content_type for a in second.attachments] == ["message/rfc822"]
    assert any("below depth 2" in defect for defect in second.defects)


def test_parse_message_when_mail_parser_raises_falls_back_to_stdlib(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(message: Message) -> object:
        raise AttributeError("'NoneType' object has no attribute 'index'")

    monkeypatch.setattr(mailparser, "MailParser", broken)

    message = fixture("rfc822_attachment.eml")

    assert message.parser == "stdlib"
    assert message.defects[0] == "mail-parser: AttributeError: 'NoneType' object has no attribute 'index'"
    assert message.attached_messages[0].sender is not None


def test_parse_message_when_both_parsers_fail_returns_the_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(raw: bytes, **kwargs: object) -> Message:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(email, "message_from_bytes", broken)  # mail-parser builds with it too

    message = fixture("rfc822_attachment.eml")

    assert message.parser == "headers-only"
    assert message.subject == "Fwd: Solicitud"
    assert message.text == ""
    assert message.defects[:2] == [
        "mail-parser: RecursionError: maximum recursion depth exceeded",
        "stdlib: skipped, nesting too deep for the same parser",
    ]


def test_mail_parser_does_not_analyse_the_relay_trace_and_the_message_keeps_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[object] = []
    real = mailparser.MailParser

    def spy(message: Message) -> object:
        seen.append(message.get_all("received"))
        return real(message)

    monkeypatch.setattr(mailparser, "MailParser", spy)
    raw = (
        b"Received: from a.mail.example by b.mail.example; Mon, 7 Mar 2022 10:00:00 +0000\r\n"
        b"Received: from c.mail.example by a.mail.example; Mon, 7 Mar 2022 09:59:00 +0000\r\n"
        b"From: Ann <ann@mail.example>\r\nSubject: Hello\r\n\r\nBody\r\n"
    )
    message = parse_message(raw)
    assert message.parser == "mail-parser" and seen == [None]
    assert [h.split(";")[0] for h in message.headers["received"]] == [
        "from a.mail.example by b.mail.example",
        "from c.mail.example by a.mail.example",
    ]


def test_parse_message_when_walking_fails_returns_an_empty_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr(parse_module, "_walk", broken)

    message = fixture("rfc822_attachment.eml")

    assert message.parser == "headers-only"
    assert message.defects[-1] == "parse: MemoryError: "


def test_parse_message_with_ten_thousand_parts_stops_at_the_part_limit() -> None:
    raw = b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n" + b"".join(
        b"--XX\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i for i in range(10_000)
    )

    message = parse_message(raw + b"--XX--\r\n")

    assert f"part limit reached: parts after the first {MAX_PARTS} were not read" in message.defects
    assert message.text.startswith("part 0\npart 1\n")


def test_parse_message_with_absurd_nesting_returns_the_headers() -> None:
    raw = b"From: nested@mail.example\r\nSubject: deep\r\n"
    for level in range(3000):
        raw += b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (level, level)

    message = parse_message(raw)

    assert message.subject == "deep"
    assert message.sender is not None
    assert message.parser in ("headers-only", "mail-parser")


def test_parse_message_with_huge_encoded_header_bypasses_mail_parser_and_caps_the_value() -> None:
    raw = (
        b"Subject: "
        + b"=?utf-8?q?a?= " * 80_000
        + b"\r\nTo: "
        + b"x@mail.example, " * 20_000
        + b"\r\n\r\nbody"
    )

    message = parse_message(raw)

    assert message.parser == "stdlib"
    assert message.defects[0].startswith("mail-parser: skipped")
    assert "header 'Subject' cut at 16384 characters" in message.defects
    assert message.text == "body"


def test_parse_message_with_many_header_fields_keeps_the_first_ones() -> None:
    raw = b"".join(b"X-Filler-%d: value\r\n" % i for i in range(5000)) + b"Subject: late\r\n\r\nbody"

    message = parse_message(raw)

    assert "x-filler-0" in message.headers
    assert "subject" not in message.headers
    assert any(defect.startswith("header limit reached") for defect in message.defects)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"", ""),
        (b"\x00\x00\x00", ""),
        (b"no header separator at all", "no header separator at all"),
        (b"Subject: x\r\n\r\nbody\x00with NUL", "bodywith NUL"),
        (b"Subject: x\n\nline one\rline two\r\n", "line one\nline two\n"),
    ],
    ids=["empty", "nul-bytes", "no-separator", "nul-in-body", "mixed-line-endings"],
)
def test_parse_message_with_degenerate_input_returns_a_message(raw: bytes, text: str) -> None:
    message = parse_message(raw)

    assert message.text == text
    assert_round_trips(message)


def test_parse_message_with_missing_date_and_message_id_leaves_them_none() -> None:
    message = parse_message(b"From: a@mail.example\r\nMessage-ID:   \r\n\r\nhi")

    assert (message.date, message.message_id) == (None, None)


# --- charsets and HTML in isolation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "declared", "text", "charset"),
    [
        ("Żółć".encode("iso-8859-2"), "ISO-8859-2", "Żółć", "iso-8859-2"),
        ("日本語".encode("iso-2022-jp"), "iso-2022-jp", "日本語", "iso-2022-jp"),
        ("日本語".encode("cp932"), "x-sjis", "日本語", "x-sjis"),
        ("日本語".encode("iso-2022-jp"), "_iso-2022-jp$ESC", "日本語", "iso-2022-jp"),
        (b"plain", "us-askey", "plain", "us-ascii"),
        ("€ price".encode("cp1252"), "iso-8859-1", "€ price", "iso-8859-1"),
    ],
)
def test_decode_bytes_with_declared_or_broken_label_returns_text(
    data: bytes, declared: str, text: str, charset: str
) -> None:
    decoded = decode_bytes(data, declared)

    assert (decoded.text, decoded.charset) == (text, charset)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("=?utf-8?q?caf=C3=A9?= =?utf-8?q?_bar?=", "café bar"),
        ("=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=", "日本語"),
        ("=?koi8-r?b?8NLJ18XU?=", "Привет"),
        ("=?windows-1251?b?z/Do4uXy?=", "Привет"),
        ("=?utf-8?b?w6k?=", "é"),
        ("=?x-unknown?q?caf=C3=A9?=", "café"),
        ("=?utf-8?q?broken", "=?utf-8?q?broken"),
        ("plain\r\n\tfolded", "plain folded"),
    ],
)
def test_decode_header_with_encoded_words_returns_text(raw: str, text: str) -> None:
    assert decode_header(raw) == text


def test_html_to_text_with_nesting_deeper_than_lxml_keeps_the_text() -> None:
    assert html_to_text("<div>" * 5000 + "deep text") == "deep text"


# --- property-based -------------------------------------------------------------------------------

_SEEDS = [path.read_bytes() for path in sorted(FIXTURES.glob("*.eml"))]


@st.composite
def mutated_messages(draw: st.DrawFn) -> bytes:
    """A real message with bytes flipped, cut, duplicated or spliced in."""
    raw = bytearray(draw(st.sampled_from(_SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(raw)))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate"]))
        if action == "flip" and position < len(raw):
            raw[position] = draw(st.integers(0, 255))
        elif action == "insert":
            raw[position:position] = draw(
                st.sampled_from([b"\r\n", b"\r", b"\n\n", b"--", b"=?", b"?=", b"<", b"\x00", b"\xff", b'"'])
                | st.binary(max_size=16)
            )
        elif action == "delete":
            del raw[position : position + draw(st.integers(1, 64))]
        elif action == "truncate":
            del raw[position:]
        elif action == "duplicate":
            raw[position:position] = raw[position : position + draw(st.integers(1, 256))]
    return bytes(raw)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_parse_message_with_arbitrary_bytes_never_raises_and_round_trips(raw: bytes) -> None:
    assert_round_trips(parse_message(raw))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_messages())
def test_parse_message_with_mutated_real_message_never_raises_and_round_trips(raw: bytes) -> None:
    assert_round_trips(parse_message(raw))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_decode_header_with_any_text_returns_text_without_surrogates(raw: str) -> None:
    decoded = decode_header(raw)

    decoded.encode("utf-8")


# --- the shared hostile corpus --------------------------------------------------------------------


@pytest.mark.parametrize("path", params(corpus_files(), CORPUS))
def test_parse_message_on_hostile_corpus_file_returns_a_storable_message(path: Path) -> None:
    message = parse_message(path.read_bytes())

    assert message.parser in ("mail-parser", "stdlib", "headers-only")
    assert_round_trips(message)


@pytest.mark.parametrize("name", ["001.eml", "003.eml", "013.eml"])
def test_parse_message_on_nested_multipart_that_breaks_mail_parser_gives_text_through_stdlib(
    name: str,
) -> None:
    path = CORPUS / "stalwart-dovecot" / "malformed" / name
    if not path.is_file():
        pytest.skip(f"corpus not found at {CORPUS}")

    message = parse_message(path.read_bytes())

    assert message.parser == "stdlib"
    assert message.text.strip()
    assert message.defects[0].startswith("mail-parser: AttributeError:")


# --- the dev set ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", params(devset_files(), DEVSET))
def test_parse_message_on_devset_message_parses_with_mail_parser(path: Path) -> None:
    message = parse_message(path.read_bytes())

    assert message.parser == "mail-parser"
    assert message.sender is not None
    assert message.text.strip()
    assert_round_trips(message)


@pytest.mark.parametrize(
    ("name", "display_name", "subject", "in_text", "charset"),
    [
        ("msg_001.eml", "鈴木美咲", "寄付について", "個人として寄付をしたいのですが", "shift_jis"),
        ("msg_006.eml", "Marek Zieliński", "Ochotnik - były żołnierz 21 BSP", "Służyłem 9 lat", "iso-8859-2"),
        (
            "msg_007.eml",
            "Jānis Bērziņš",
            "Brīvprātīgais Starptautiskajam leģionam",
            "dzīvoju Rīgā",
            "iso-8859-13",
        ),
        ("msg_022.eml", "佐藤 健一", "義勇兵への志願について", "陸上自衛隊に5年間在籍", "iso-2022-jp"),
        (
            "msg_019.eml",
            "Сергей Козлов",
            "Доброволец из Беларуси",
            "Козлов Сергей Николаевич",
            "windows-1251",
        ),
        ("msg_028.eml", "Патриот", "ВАШ ЛЕГИОН", "Передайте своим наемникам", "koi8-r"),
        ("msg_052.eml", "Gabriel Gonçalves", "Quero ser voluntário!!!", "Sou brasileiro", "utf-8"),
        ("msg_054.eml", "Jan Novotný", "Zájem o vstup do Mezinárodní legie", "Ročník 1980", "utf-8"),
    ],
)
def test_parse_message_on_devset_charset_case_decodes_name_subject_and_body(
    name: str, display_name: str, subject: str, in_text: str, charset: str
) -> None:
    message = devset(name)

    assert message.sender is not None
    assert message.sender.name == display_name
    assert message.subject == subject
    assert in_text in message.text
    assert message.charsets == [charset]
    assert "\ufffd" not in message.text


def test_parse_message_on_devset_undeclared_8bit_body_decodes_utf8() -> None:
    message = devset("msg_037.eml")

    assert "Я Савицкий Дмитрий, гражданин Беларуси" in message.text
    assert message.charsets == ["utf-8"]
    assert any(defect.startswith("text/plain part: undeclared 8-bit") for defect in message.defects)


def test_parse_message_on_devset_html_only_message_renders_text() -> None:
    message = devset("msg_031.eml")

    assert message.text_from_html is True
    assert "I'm a senior security engineer (12 years in infosec" in message.text
    assert "<div" not in message.text
    assert "margin-top" not in message.text


def test_parse_message_on_devset_forward_as_attachment_exposes_the_applicant() -> None:
    message = devset("msg_055.eml")

    assert message.sender is not None
    assert message.sender.email == "iryna.boyko.mx@yahoo.example"
    [attached] = message.attached_messages
    assert attached.sender is not None
    assert (attached.sender.name, attached.sender.email) == (
        "Carlos Hernández López",
        "carlos.hdz.lopez@prodigy.example",
    )
    assert "Me llamo Carlos Hernández López" not in message.text
    assert "Carlos Hernández López, soy mexicano" in attached.text


@pytest.mark.parametrize(
    ("name", "recipient", "status", "returned_subject"),
    [
        ("msg_025.eml", "rfc822; liamhughes93@hotmail.example", "5.5.0", "Re: legion"),
        (
            "msg_035.eml",
            "rfc822;giorgi.beridze84@mail.example",
            "5.0.0",
            "Re: I want to go fight for Ukraine",
        ),
        (
            "msg_068.eml",
            "rfc822; flo.gruber@gmx.example",
            "5.2.2",
            "AW: Freiwillig helfen \N{EN DASH} Sanitäter",
        ),
    ],
)
def test_parse_message_on_devset_bounce_reads_delivery_status_and_returned_message(
    name: str, recipient: str, status: str, returned_subject: str
) -> None:
    message = devset(name)

    [report] = message.delivery_status
    assert (report["final-recipient"], report["action"], report["status"]) == (recipient, "failed", status)
    assert "reporting-mta" in report
    [returned] = message.attached_messages
    assert returned.subject == returned_subject


def test_parse_message_on_devset_truncated_multipart_keeps_text_and_attachment() -> None:
    message = devset("msg_026.eml")

    assert "jmenuji se Tomáš Dvořák, je mi 29 let" in message.text
    assert [a.filename for a in message.attachments] == ["zivotopis_Dvorak.pdf"]
    assert "CloseBoundaryNotFoundDefect" in message.defects


def test_parse_message_on_devset_non_rfc_date_leaves_date_none_with_defect() -> None:
    message = devset("msg_010.eml")

    assert message.date is None
    assert message.message_id is None
    assert "unparseable Date header: '28/02/2022 01:13'" in message.defects


def test_parse_message_on_devset_from_missing_closing_angle_keeps_the_address() -> None:
    message = devset("msg_011.eml")

    assert message.sender is not None
    assert message.sender.email == "capt.jameswalker@usarmy-mail.example"
    assert [a.email for a in message.reply_to] == ["james.walker.kyiv@inbox.example"]
    assert message.to == []
