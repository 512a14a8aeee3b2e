"""The outgoing reply: threading headers, subject prefixes, loop headers, encodings, unrepliable senders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from triage.errors import ConfigError
from triage.mail.category import Category
from triage.mail.classify import classify
from triage.mail.parse import parse_message
from triage.replies.compose import (
    MAX_REFERENCES,
    Original,
    compose_reply,
    is_unrepliable,
    make_message_id,
    reply_sender,
    reply_subject,
    strip_reply_prefixes,
)
from triage.replies.templates import RenderedReply

WHEN = datetime(2022, 3, 2, 9, 30, tzinfo=UTC)


def rendered(body: str = "Thank you for your application.\n", language: str = "en") -> RenderedReply:
    return RenderedReply(subject="Your application has been received", body=body, language=language,
                         template=f"application/{language}", template_sha256="0" * 64)


def compose(original: Original | None = None, *, reply: RenderedReply | None = None, date: datetime = WHEN,
            to_name: str = "") -> EmailMessage:
    return compose_reply(reply or rendered(), sender="Embassy of Ukraine in Poland <emb_pl@mfa.example>",
                         to_address="volunteer@mail.example", to_name=to_name,
                         original=original or Original("<a1@mail.example>", "Application"),
                         message_id="<triage.fixed@mfa.example>", date=date, embassy_code="pl")


def reparsed(message: EmailMessage) -> EmailMessage:
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_compose_reply_threads_under_the_original() -> None:
    original = Original("<a3@mail.example>", "Application",
                        references="<a1@mail.example>\r\n <a2@mail.example>")
    message = reparsed(compose(original))
    assert message["In-Reply-To"] == "<a3@mail.example>"
    assert message["References"].split() == ["<a1@mail.example>", "<a2@mail.example>", "<a3@mail.example>"]
    assert message["Message-ID"] == "<triage.fixed@mfa.example>"
    assert message["Subject"] == "Re: Application"


def test_compose_reply_with_long_references_keeps_first_and_latest() -> None:
    chain = " ".join(f"<r{i}@mail.example>" for i in range(50))
    message = reparsed(compose(Original("<r50@mail.example>", "x", references=chain + " <r3@mail.example>")))
    ids = message["References"].split()
    assert len(ids) == MAX_REFERENCES
    assert ids[0] == "<r0@mail.example>"
    assert ids[-2:] == ["<r49@mail.example>", "<r50@mail.example>"]
    assert len(set(ids)) == len(ids)


def test_compose_reply_without_original_message_id_starts_a_thread_with_template_subject() -> None:
    message = reparsed(compose(Original(None, "Application")))
    assert message["In-Reply-To"] is None and message["References"] is None
    assert message["Subject"] == "Your application has been received"


def test_compose_reply_sets_loop_and_automatic_headers() -> None:
    message = reparsed(compose(reply=rendered("Дякуємо.\n", "uk")))
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["X-Triage-Loop"] == "pl"
    assert message["Content-Language"] == "uk"
    assert message["Date"] == "Wed, 02 Mar 2022 09:30:00 +0000"
    assert message["From"].addresses[0].addr_spec == "emb_pl@mfa.example"
    assert message["To"].addresses[0].addr_spec == "volunteer@mail.example"


def test_compose_reply_date_keeps_the_given_offset() -> None:
    kyiv = WHEN.astimezone(timezone(timedelta(hours=2)))
    assert compose(date=kyiv)["Date"] == "Wed, 02 Mar 2022 11:30:00 +0200"


def test_compose_reply_with_naive_date_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        compose(date=datetime(2022, 3, 2, 9, 30))


@pytest.mark.parametrize(("body", "language", "encoding"), [
    ("Thank you for your application.\n", "en", "7bit"),
    ("Дякуємо за Ваш лист і за бажання допомогти Україні.\n" * 3, "uk", "base64"),  # noqa: RUF001
    ("このたびはご連絡いただき、誠にありがとうございます。\n", "ja", "base64"),
    ("Vielen Dank für Ihre Nachricht und Ihre Bereitschaft, der Ukraine zu helfen.\n" * 3, "de",
     "quoted-printable"),
])
def test_compose_reply_body_is_utf8_text_in_a_7bit_safe_encoding(
        body: str, language: str, encoding: str) -> None:
    message = compose(reply=rendered(body, language))
    assert message.as_bytes().isascii()
    parsed = reparsed(message)
    assert parsed.get_content_type() == "text/plain"
    assert parsed.get_content_charset() == "utf-8"
    assert parsed["Content-Transfer-Encoding"] == encoding
    assert parsed.get_content().replace("\r\n", "\n") == body


def test_compose_reply_hostile_display_name_stays_one_recipient() -> None:
    hostile = 'Eve, "attacker@evil.example" <x@evil.example>\r\nBcc: y@evil.example'
    message = reparsed(compose(to_name=hostile))
    assert [a.addr_spec for a in message["To"].addresses] == ["volunteer@mail.example"]
    assert message["Bcc"] is None


def test_compose_reply_is_recognised_as_our_own_when_it_comes_back() -> None:
    parsed = parse_message(compose().as_bytes())
    result = classify(parsed)
    assert result.category == Category.auto_reply
    assert result.rule == "header:own-loop"


@pytest.mark.parametrize(("subject", "expected"), [
    ("Application", "Re: Application"),
    ("Re: Application", "Re: Application"),
    ("RE: Re: re: Application", "Re: Application"),
    ("AW: WG: Bewerbung", "Re: Bewerbung"),
    ("Antw: Aanmelding", "Re: Aanmelding"),
    ("Odp: Zgłoszenie", "Re: Zgłoszenie"),
    ("SV: Ansökan", "Re: Ansökan"),
    ("VS: Hakemus", "Re: Hakemus"),
    ("RES: ENC: Candidatura", "Re: Candidatura"),
    ("RV: Solicitud", "Re: Solicitud"),
    ("TR: Réf : Candidature", "Re: Candidature"),
    ("Ответ: Заявка", "Re: Заявка"),
    ("Відп: Заява", "Re: Заява"),
    ("Fwd: Re: Application", "Re: Application"),
    ("Re[2]: Application", "Re: Application"),
    ("RE\uff1a応募", "Re: 応募"),
    ("返信: 応募", "Re: 応募"),
    ("[EXTERNAL] Re: Application", "Re: Application"),
    ("Question: can I join?", "Re: Question: can I join?"),
    ("Re-enlistment", "Re: Re-enlistment"),
    ("  Re:   Many   spaces  ", "Re: Many spaces"),
])
def test_reply_subject_strips_known_prefixes_in_many_languages(subject: str, expected: str) -> None:
    assert reply_subject(Original("<a@mail.example>", subject), "fallback") == expected


def test_reply_subject_of_only_prefixes_uses_the_fallback() -> None:
    assert reply_subject(Original("<a@mail.example>", "Re: Fwd: "), "Your application") == "Your application"


def test_reply_subject_is_one_capped_line() -> None:
    subject = reply_subject(Original("<a@mail.example>", "Re: " + "x" * 500 + "\r\nBcc: y@evil.example"), "f")
    assert "\n" not in subject and len(subject) <= 204


def test_strip_reply_prefixes_keeps_a_plain_subject() -> None:
    assert strip_reply_prefixes("International Legion application") == "International Legion application"


def test_make_message_id_is_unique_and_uses_the_domain() -> None:
    first, second = make_message_id("mfa.example"), make_message_id("MFA.example")
    assert first != second
    assert first.startswith("<triage.") and first.endswith("@mfa.example>")
    assert make_message_id("mfa.example", "abc") == "<triage.abc@mfa.example>"


@pytest.mark.parametrize("domain", [
    "", "mfa.example>", "a b.example", "x@mfa.example", "a..example", "x" * 70])
def test_make_message_id_with_bad_domain_is_refused(domain: str) -> None:
    with pytest.raises(ValueError, match="domain"):
        make_message_id(domain)


def test_reply_sender_prefers_the_embassy_then_smtp_from() -> None:
    embassy = "Embassy <emb_pl@mfa.example>"
    assert reply_sender(embassy, "legion@mail.example") == embassy
    assert reply_sender("", "Legion <legion@mail.example>") == "Legion <legion@mail.example>"
    with pytest.raises(ConfigError):
        reply_sender("", "")


OWN = ("emb_pl@mfa.example",)


@pytest.mark.parametrize(("address", "headers", "reason"), [
    ("", {}, "null sender"),
    ("<>", {}, "null sender"),
    ("MAILER-DAEMON@mx.mail.example", {}, "MAILER-DAEMON sender"),
    ("mailer-daemon@mx.mail.example", {}, "MAILER-DAEMON sender"),
    ("postmaster@mail.example", {}, "postmaster sender"),
    ("noreply@service.example", {}, "no-reply address"),
    ("no-reply@service.example", {}, "no-reply address"),
    ("No_Reply@service.example", {}, "no-reply address"),
    ("no.reply+abc@service.example", {}, "no-reply address"),
    ("DoNotReply@service.example", {}, "no-reply address"),
    ("do-not-reply@service.example", {}, "no-reply address"),
    ("do_not_reply@service.example", {}, "no-reply address"),
    ("dont-reply@service.example", {}, "no-reply address"),
    ("ne-pas-repondre@service.example", {}, "no-reply address"),
    ("nicht-antworten@service.example", {}, "no-reply address"),
    ("bounces+abc=mail.example@lists.example", {}, "no-reply address"),
    ("Embassy <EMB_PL@mfa.example>", {}, "one of our own addresses"),
    ("volunteer@mail.example", {"X-Triage-Loop": ["pl"]}, "our own mail (X-Triage-Loop)"),
    ("volunteer@mail.example", {"x-triage-loop": "pl"}, "our own mail (X-Triage-Loop)"),
    ("volunteer@mail.example", {"auto-submitted": ["auto-replied"]},
     "automatic mail (Auto-Submitted: auto-replied)"),
    ("not-an-address", {}, "not an email address"),
])
def test_is_unrepliable_names_the_reason(
        address: str, headers: dict[str, list[str] | str], reason: str) -> None:
    assert is_unrepliable(address, headers, OWN) == reason


@pytest.mark.parametrize("address", [
    "volunteer@mail.example", "Jan Kowalski <jan.kowalski@mail.example>", "noreen@mail.example",
    "replying.person@mail.example",
])
def test_is_unrepliable_lets_a_person_through(address: str) -> None:
    assert is_unrepliable(address, {"Auto-Submitted": ["no"], "Subject": ["Application"]}, OWN) is None
