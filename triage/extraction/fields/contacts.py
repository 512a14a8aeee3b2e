"""Email addresses and phone numbers: from the headers, the text and the signature."""

# ruff: noqa: RUF001  (Cyrillic and CJK labels on purpose)

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from triage.extraction.evidence import Candidate
from triage.extraction.normalise import normalise_phone
from triage.extraction.reading import Reading
from triage.extraction.text import fold
from triage.mail.message import Address

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
_PHONE = re.compile(r"(?<![\w+/.])(?:\+|00)?\(?\d[\d \t().\-/]{5,20}\d(?![\w/])")
_DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$|^(?:19|20)\d\d\s*[-–]\s*(?:19|20)?\d\d$")
_OFFICE = re.compile(
    r"\b(office|fax|büro|bureau|oficina|ufficio|biuro|festnetz|zentrale|secr[ée]tariat|"
    r"switchboard|desk|landline|rabochij|рабочий|робочий|tel\.?\s*\+?\d{2}\s?\d{2}\s?\d{4})",
    re.I,
)
_MOBILE = re.compile(
    r"\b(mobile?|mob|cell|handy|portable|m[óo]vil|celular|cellulare|telem[óo]vel|kom|"
    r"komórka|моб|携帯|whatsapp|my phone|his phone|her phone)\b|^\s*m\s*:",
    re.I,
)


def header_email(author: Address | None) -> Iterator[Candidate]:
    """The author's address from the headers (the original sender for forwards)."""
    if author is not None and author.email and "@" in author.email:
        email = author.email.strip().lower()
        yield Candidate("email", email, 0.8, "header", (0, len(email)), email, "header.from", -1)


def text_emails(reading: Reading) -> Iterator[Candidate]:
    """Every address written in the zone; the resolver decides which one is the applicant's."""
    text = reading.text
    for match in EMAIL.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        context = fold(text[max(line_start, match.start() - 60) : match.start()])
        confidence = 0.5
        if re.search(r"(his|her|email|e-mail|mail|correo|адрес|пошта)", context):
            confidence = 0.6
        yield reading.candidate(
            "email",
            match.group().lower().rstrip("."),
            confidence,
            (match.start(), match.end()),
            "regex.email",
        )


def phones(reading: Reading, regions: Sequence[str]) -> Iterator[Candidate]:
    """Digit runs normalised by phonenumbers; mobiles and personal numbers score higher than office lines."""
    text = reading.text
    company_block = text.find("\n--") if reading.zone.source == "signature" else -1
    for match in _PHONE.finditer(text):
        raw = match.group().strip(" \t().-/")
        if _DATE_LIKE.match(raw):
            continue
        plus = text[max(0, match.start() - 1) : match.start()] == "+" or match.group().startswith("+")
        normalised = normalise_phone(("+" if plus and not raw.startswith("+") else "") + raw, regions)
        if normalised is None:
            continue
        e164, confidence, mobile = normalised
        line_start = text.rfind("\n", 0, match.start()) + 1
        before = text[line_start : match.start()]
        segment = before.rsplit("|", 1)[-1]
        if _MOBILE.search(segment):
            confidence += 0.1
        elif _OFFICE.search(segment):
            confidence -= 0.4
        if not mobile:
            confidence -= 0.1
        if 0 <= company_block < match.start():
            confidence -= 0.3
        yield reading.candidate(
            "phone", e164, max(confidence, 0.05), (match.start(), match.end()), "phonenumbers"
        )
