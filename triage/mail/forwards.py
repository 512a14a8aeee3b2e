"""Unwrap a forwarded message: find the original sender, subject, date and text, and the forwarder's note.

Embassy staff forward applications from their own mailboxes, so the sender that matters is the one
in the forwarded part. Two shapes:

* attached: a ``message/rfc822`` part (``parsed.attached_messages``) under a note. A bounce carries
  the returned message the same way, so anything that looks machine-made (``multipart/report``,
  delivery-status fields, a null Return-Path, ``Auto-Submitted``, a MAILER-DAEMON sender) is never
  a forward.
* inline: a separator and a From/Date/Subject/To block in the body (Gmail, Apple Mail, Thunderbird,
  Outlook and New Outlook, in many languages; see ``triage.mail.segments``). Russian webmail puts
  one line, "07.03.2022, 22:10, "Name" <addr>:", under the separator instead of the fields.
  Outlook's blocks look the same in replies and forwards, so they count as a forward only when the
  subject says so ("FW:", "WG:", "TR:", "RV:", "Fwd:" ...) or nothing but the block stands above
  the forwarded text.

Forwards of forwards are followed to the innermost one, where the applicant wrote.
"""

# ruff: noqa: RUF001  (Cyrillic, Turkish and CJK words and a full-width colon, on purpose)
from __future__ import annotations

import email.utils
import re

from triage.mail.message import Address, Forward, ParsedMessage, Segment
from triage.mail.segments import parse_header_block, segment

#: Subject prefixes that mark a forward, by client language (case-insensitive, before a colon).
FORWARD_PREFIXES = frozenset(
    (
        "fw", "fwd", "fwrd", "forward", "wg", "weitergeleitet", "tr", "transf", "rv", "reenv", "enc",
        "encaminhada", "i", "inoltro", "pd", "przekaż", "doorst", "vs", "vb", "vl", "vs", "tov", "fs",
        "přeposlat", "preposlať", "pārs", "persiųsti", "prosl", "ilt", "ilet", "пересл", "переслать",
        "пересл.", "переслано", "转发", "転送", "전달", "הועבר",
    )
)
_PREFIX = re.compile(
    r"^\s*(?:\[[^\]]{0,40}\]\s*)?(?P<word>[^\W\d_][\w.]{0,15})\s*(?:\[\d+\])?\s*[:：]", re.UNICODE
)
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
#: The one-line header of Russian webmail forwards: a date with a clock time, then the sender and a colon.
_INTRO_LINE = re.compile(
    r"^(?P<date>[^<>\n]{0,120}?\d{1,2}:\d{2}[^<>\n]{0,40}?)(?:,|\s(?:от|from|від))\s*"
    r"(?P<who>[^,<>\n]{0,120}<[^<>\s@]{1,200}@[^<>\s]{1,200}>)\s*[:：]$",
    re.IGNORECASE,
)
_AUTOMATIC_SENDERS = ("mailer-daemon", "postmaster", "mail-daemon", "maildaemon")
_MAX_DEPTH = 4


def unwrap_forward(parsed: ParsedMessage) -> Forward | None:
    """Given a parsed message, return the forward it carries (attached or inline), or None.

    Bounces and other machine-made reports are never forwards, even when they attach a message.
    """
    if _is_machine_made(parsed):
        return None
    return _unwrap(parsed, depth=0)


def is_forward_subject(subject: str) -> bool:
    """Whether *subject* starts with a forward prefix ("Fwd:", "FW:", "WG:", "TR:", "RV:", "Пересл:" ...)."""
    for _ in range(3):
        match = _PREFIX.match(subject)
        if match is None:
            return False
        word = match.group("word").casefold()
        if word in FORWARD_PREFIXES:
            return True
        if word not in _REPLY_PREFIXES:
            return False
        subject = subject[match.end() :]
    return False


def strip_subject_prefixes(subject: str) -> str:
    """Return *subject* without its leading reply and forward prefixes ("Re: Fwd: AW: ...")."""
    for _ in range(8):
        match = _PREFIX.match(subject)
        if match is None:
            break
        word = match.group("word").casefold()
        if word not in FORWARD_PREFIXES and word not in _REPLY_PREFIXES:
            break
        subject = subject[match.end() :]
    return subject.strip()


_REPLY_PREFIXES = frozenset(
    (
        "re", "aw", "sv", "vs", "antw", "odp", "odg", "ynt", "res", "r", "rif", "ref", "rép", "rep",
        "ответ", "отв", "від", "atb", "atsk", "atb.", "vá", "απ", "回复", "答复", "返信", "답장", "השב",
    )
)


def _unwrap(parsed: ParsedMessage, depth: int) -> Forward | None:
    attached = _attached(parsed, depth)
    if attached is not None:
        return attached
    return _inline(parsed.text, parsed.subject, depth)


def _attached(parsed: ParsedMessage, depth: int) -> Forward | None:
    inner = next((m for m in parsed.attached_messages if m.sender is not None or m.text.strip()), None)
    if inner is None or _is_machine_made(inner):
        return None
    note = parsed.text.strip()
    deeper = _unwrap(inner, depth + 1) if depth < _MAX_DEPTH else None
    if deeper is not None and deeper.sender is not None:
        return Forward(
            kind="attached",
            sender=deeper.sender,
            subject=deeper.subject,
            date=deeper.date,
            text=deeper.text,
            note=_join_notes(note, deeper.note),
        )
    return Forward(
        kind="attached",
        sender=inner.sender,
        subject=inner.subject,
        date=inner.header("date") or (inner.date.isoformat() if inner.date else ""),
        text=inner.text.strip(),
        note=note,
    )


def _inline(text: str, subject: str, depth: int) -> Forward | None:
    if not text:
        return None
    said_forward = is_forward_subject(subject)
    segments = segment(text, forward=said_forward)
    found = _first_forward(segments)
    if found is None and not said_forward:
        # An Outlook block with nothing above it, under a subject that is not a reply, is a forward.
        first_block = next((i for i, s in enumerate(segments) if s.kind == "header_block"), None)
        above = "".join(s.text for s in segments[: first_block or 0]).strip()
        if first_block is not None and not above and not _is_reply_subject(subject):
            segments = segment(text, forward=True)
            found = _first_forward(segments)
    if found is None:
        return None
    block_index, end_index = found
    note = "".join(s.text for s in segments[:block_index] if s.kind in ("body", "signature")).strip()
    fields = parse_header_block(segments[block_index].text)
    forwarded = "".join(s.text for s in segments[block_index + 1 : end_index]).strip()
    original_subject = fields.get("subject", "") or strip_subject_prefixes(subject)
    sender_field, date = fields.get("from", ""), fields.get("sent", "")
    if not sender_field:
        sender_field, date, forwarded = _intro_line(forwarded, date)
    forward = Forward(
        kind="inline",
        sender=parse_sender(sender_field),
        subject=original_subject,
        date=date,
        text=forwarded,
        note=note,
    )
    if depth < _MAX_DEPTH:
        deeper = _inline(forwarded, original_subject, depth + 1) if _opens_with_forward(forwarded) else None
        if deeper is not None and deeper.sender is not None:
            return Forward(
                kind="inline",
                sender=deeper.sender,
                subject=deeper.subject,
                date=deeper.date,
                text=deeper.text,
                note=_join_notes(note, deeper.note),
            )
    return forward


def _intro_line(forwarded: str, date: str) -> tuple[str, str, str]:
    """Yandex and Mail.ru put "07.03.2022, 22:10, "Name" <addr>:" under the separator instead of fields.

    Return (sender, date, text without that line); the sender is "" when there is no such line.
    """
    first, _, rest = forwarded.partition("\n")
    match = _INTRO_LINE.match(first.strip()) if len(first) <= 400 else None
    if match is None:
        return "", date, forwarded
    return match.group("who"), date or match.group("date").strip(" ,"), rest.strip()


def _first_forward(segments: list[Segment]) -> tuple[int, int] | None:
    """Return (index of the header block, end index of the forwarded run after it), or None."""
    for index, seg in enumerate(segments):
        if seg.kind != "header_block":
            continue
        end = index + 1
        while end < len(segments) and segments[end].kind == "forwarded":
            end += 1
        if end > index + 1 or (end == len(segments) and _block_says_forward(seg.text)):
            # Nested header blocks inside the forward belong to it: keep going to the end.
            while end < len(segments) and segments[end].kind in ("forwarded", "header_block"):
                end += 1
            return index, end
    return None


def _block_says_forward(block: str) -> bool:
    return bool(parse_header_block(block).get("from"))


def _opens_with_forward(text: str) -> bool:
    """Whether a forwarded text is itself mostly a forward: a short note, then a forward block."""
    segments = segment(text, forward=True)
    for index, seg in enumerate(segments):
        if seg.kind == "header_block":
            above = "".join(s.text for s in segments[:index]).strip()
            return len(above) <= 600
    return False


def _join_notes(outer: str, inner: str) -> str:
    return "\n\n".join(part for part in (outer.strip(), inner.strip()) if part)


def _is_reply_subject(subject: str) -> bool:
    match = _PREFIX.match(subject)
    return match is not None and match.group("word").casefold() in _REPLY_PREFIXES


def parse_sender(value: str) -> Address | None:
    """Parse the From value of a forward block into an Address, or None when it holds no address.

    Handles ``Name <addr>``, ``"Name" <addr>``, ``**Name** <addr>`` (Gmail bold), ``Name [mailto:addr]``
    (Outlook), ``addr<mailto:addr>`` (HTML converted to text), a bare address and a name alone.
    """
    value = value.replace("\u200e", "").replace("\u200f", "").replace("\u202a", "").replace("\u202c", "")
    value = " ".join(value.split()).strip()
    if not value:
        return None
    addresses = _EMAIL.findall(value)
    if not addresses:
        name = _clean_name(value)
        return Address(name=name, email="") if name else None
    address = addresses[0].strip(".").lower()
    head = value.split(addresses[0], 1)[0]
    name = _clean_name(re.sub(r"[<\[(]\s*(?:mailto:)?\s*$", "", head))
    if not name:
        parsed_name, _ = email.utils.parseaddr(value)
        name = _clean_name(parsed_name) if _EMAIL.search(parsed_name) is None else ""
    if name.casefold() == address:
        name = ""
    return Address(name=name, email=address)


def _clean_name(name: str) -> str:
    name = name.replace("**", "").replace("*", "").strip()
    name = name.strip(" \t\"'<>[]()")
    name = name.rstrip(" ,;:")
    return " ".join(name.split())


def _is_machine_made(parsed: ParsedMessage) -> bool:
    """A delivery report, a bounce or another automatic message: never treated as a forward."""
    if parsed.delivery_status or parsed.content_type.lower() == "multipart/report":
        return True
    content_type = (parsed.header("content-type") or "").lower()
    if "multipart/report" in content_type:
        return True
    auto = (parsed.header("auto-submitted") or "").strip().lower()
    if auto and not auto.startswith("no"):
        return True
    return_path = (parsed.header("return-path") or "").strip()
    if return_path in ("<>", "< >"):
        return True
    sender = parsed.sender.email.lower() if parsed.sender is not None else ""
    return sender.split("@", 1)[0] in _AUTOMATIC_SENDERS
