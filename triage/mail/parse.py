"""Parse one raw message into a ParsedMessage: decoded headers, addresses, body text, attachments, bounces.

mail-parser is the primary parser; when it raises (it does on some nested multiparts) the stdlib parser
(compat32) takes over, and when that fails too only the header block is read. ``parse_message`` never
raises: whatever went wrong is listed in ``ParsedMessage.defects``.

Division of work. mail-parser builds the MIME tree (a compat32 ``email.message.Message``, the very tree
the stdlib fallback builds) and checks the address headers; everything read from the tree afterwards
is done here, on that tree, for both parsers alike:

* headers and addresses: mail-parser decodes undecodable header bytes with errors="ignore", drops a
  mailbox it cannot parse strictly (a From missing its closing ">") and has no equivalent in the
  fallback; decoding here keeps both parsers' results identical.
* bodies: mail-parser falls back to UTF-8 with replacement characters where a charset is unknown or
  wrong instead of detecting it, and sorts text/calendar or text/rfc822-headers into the body.
* attachments: mail-parser re-encodes every attachment to base64 text; only size and hash are kept here.
* message/rfc822, text/rfc822-headers, message/delivery-status: mail-parser flattens them.

Reading the tree this way adds about 0.2 ms to mail-parser's 0.5 ms on a typical message (dev set).
"""

from __future__ import annotations

import base64
import binascii
import email
import hashlib
import logging
import quopri
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parsedate_to_datetime

import mailparser
from mailparser.exceptions import MailParserRecursionError

from triage.mail.addresses import clean as _clean
from triage.mail.addresses import parse_addresses
from triage.mail.charsets import decode_8bit, decode_bytes, decode_header, decode_words
from triage.mail.html import html_to_text
from triage.mail.message import Attachment, ParsedMessage, Parser

# mail-parser logs raw header values at ERROR level; they are personal data (DESIGN §8), and every
# failure it has surfaces here as a defect instead.
logging.getLogger("mailparser").setLevel(logging.CRITICAL)

# Bounds on the work one message can cause; reaching one is recorded as a defect.
MAX_PARTS = 1000  # MIME parts read, across attached messages too
MAX_MIME_DEPTH = 50  # multipart nesting
MAX_HEADER_FIELDS = 500  # header fields kept per message
MAX_HEADER_CHARS = 16_384  # characters of one header value read
MAX_ADDRESSES = 500  # addresses per header, recipient blocks per delivery status
MAX_DEFECTS = 100
MAX_ENCODED_WORDS = 5000  # "=?" openers in a whole message before mail-parser is bypassed
MAX_HEADER_BLOCK = 256 * 1024  # bytes of top-level header block before mail-parser is bypassed

_ADDRESS_HEADERS = ("from", "to", "cc", "reply-to")
_ATTACHED_MESSAGE_TYPES = ("message/rfc822", "message/global", "message/news")
_DSN_RECIPIENT_START = ("original-recipient", "final-recipient")
_COMMENT = re.compile(r"\([^()]*\)")


@dataclass(slots=True)
class _Budget:
    """Limits shared by a message and everything attached to it."""

    max_text_chars: int
    max_depth: int
    parts_left: int = MAX_PARTS


@dataclass(slots=True)
class _Body:
    """What walking one message's MIME tree collects."""

    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    attached: list[ParsedMessage] = field(default_factory=list)
    delivery_status: list[dict[str, str]] = field(default_factory=list)
    charsets: list[str] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)


def parse_message(raw: bytes, *, max_text_chars: int = 200_000, max_depth: int = 3) -> ParsedMessage:
    """Parse the bytes of one message; never raises.

    ``text`` is capped at *max_text_chars* (``truncated`` says so); ``message/rfc822`` parts are parsed
    into ``attached_messages`` down to *max_depth* levels, deeper ones are listed as attachments.
    """
    budget = _Budget(max(0, max_text_chars), max(0, max_depth))
    defects: list[str] = []
    try:
        tree, parser = _build_tree(bytes(raw), defects)
        return _parse_tree(tree, parser, budget, 0, defects)
    except Exception as exc:  # the last guard: a parse must never stop the pipeline
        defects.append(_failure("parse", exc))
        return ParsedMessage(message_id=None, subject="", sender=None, parser="headers-only", defects=defects)


def _failure(who: str, exc: BaseException) -> str:
    return _clean(f"{who}: {type(exc).__name__}: {exc}"[:300])


def _build_tree(raw: bytes, defects: list[str]) -> tuple[Message, Parser]:
    """Build the MIME tree: mail-parser, else the stdlib parser, else the header block alone."""
    recursion = False
    too_costly = _too_costly_for_mailparser(raw)
    if too_costly:
        defects.append(f"mail-parser: skipped, {too_costly}")
    else:
        try:
            parsed = _mail_parser(raw)
            if not isinstance(parsed.message, Message):
                raise TypeError("no message object")
        except Exception as exc:
            defects.append(_failure("mail-parser", exc))
            recursion = isinstance(exc, MailParserRecursionError | RecursionError)
        else:
            for group in parsed.defects:
                for kind, messages in group.items():
                    if kind in ("address-headers", "mime-headers"):
                        defects.extend(_clean(str(message))[:300] for message in messages)
            return parsed.message, "mail-parser"
    if recursion:
        # mail-parser's recursion error is the stdlib parser's own (it parses with it): the same parse
        # would only fail again, after the same cost.
        defects.append("stdlib: skipped, nesting too deep for the same parser")
    else:
        try:
            return email.message_from_bytes(raw, policy=compat32), "stdlib"
        except Exception as exc:  # RecursionError on absurd nesting, among others
            defects.append(_failure("stdlib", exc))
    return BytesHeaderParser(policy=compat32).parsebytes(raw), "headers-only"


def _mail_parser(raw: bytes) -> mailparser.MailParser:
    """mail-parser over *raw*, without the relay trace it would analyse for nothing.

    The message is built as ``mailparser.parse_from_bytes`` builds it (the stdlib parser, default
    policy). triage never reads mail-parser's analysis of ``Received`` headers, which is a fifth of its
    time on ordinary mail and grows with every relay hop of hostile mail, so those headers are taken
    out while mail-parser reads the message and put back after (at the end: triage reads headers by
    name, not by position).
    """
    message = email.message_from_bytes(raw)
    received = message.get_all("received") or []
    del message["received"]
    try:
        return mailparser.MailParser(message)
    finally:
        for value in received:
            message["Received"] = value


def _too_costly_for_mailparser(raw: bytes) -> str | None:
    """Why mail-parser must not see *raw*, or None.

    mail-parser decodes header values with ``email.header.decode_header``, which is quadratic in the
    number of encoded words in one value (a 1 MB Subject of encoded words takes over 10 s), and parses
    every address of a header however long. Real mail has a few dozen encoded words and a header block
    of a few KB; the stdlib parser alone is linear, and the header decoding here is bounded.
    """
    if raw.count(b"=?") > MAX_ENCODED_WORDS:
        return f"more than {MAX_ENCODED_WORDS} encoded words"
    head = raw[:MAX_HEADER_BLOCK]
    if len(raw) > MAX_HEADER_BLOCK and not any(blank in head for blank in (b"\n\n", b"\n\r\n", b"\r\r")):
        return f"header block over {MAX_HEADER_BLOCK} bytes"
    return None


def _parse_tree(
    msg: Message, parser: Parser, budget: _Budget, level: int, defects: list[str]
) -> ParsedMessage:
    hint = _charset_hint(msg)
    fields = _header_fields(msg, hint, defects)
    headers: dict[str, list[str]] = {}
    for name, value in fields:
        headers.setdefault(name, []).append(_clean(decode_words(value, defects)))
    addresses = {name: parse_addresses([v for n, v in fields if n == name]) for name in _ADDRESS_HEADERS}
    message_id = next((v for n, v in fields if n == "message-id"), None)
    date_value = next((v for n, v in fields if n == "date"), None)
    date = _date(date_value) if date_value is not None else None
    if date_value is not None and date is None:
        defects.append(_clean(f"unparseable Date header: {date_value[:100]!r}"))

    body = _Body()
    if parser != "headers-only":
        _walk(msg, budget, level, body, parser)
    text, from_html = _body_text(body)
    if not text.strip() and parser != "headers-only" and isinstance(msg.preamble, str):
        # Old bounces put their only human-readable text before the first boundary.
        text = decode_bytes(msg.preamble.encode("utf-8", "surrogateescape"), None).text.strip()
    text = _clean(text.replace("\r\n", "\n").replace("\r", "\n"))
    truncated = len(text) > budget.max_text_chars
    return ParsedMessage(
        message_id=_clean("".join(message_id.split())) or None if message_id is not None else None,
        subject=headers.get("subject", [""])[0],
        sender=addresses["from"][0] if addresses["from"] else None,
        to=addresses["to"],
        cc=addresses["cc"],
        reply_to=addresses["reply-to"],
        date=date,
        headers=headers,
        content_type=_content_type(msg),
        text=text[: budget.max_text_chars],
        text_from_html=from_html,
        attachments=body.attachments,
        attached_messages=body.attached,
        delivery_status=body.delivery_status,
        charsets=list(dict.fromkeys(body.charsets)),
        defects=list(dict.fromkeys(defects + body.defects))[:MAX_DEFECTS],
        parser=parser,
        truncated=truncated,
    )


def _header_fields(msg: Message, hint: str | None, defects: list[str]) -> list[tuple[str, str]]:
    """The header fields as (lower-cased name, unfolded text with 8-bit bytes decoded), bounded in size."""
    items = list(msg.raw_items())
    if len(items) > MAX_HEADER_FIELDS:
        defects.append(f"header limit reached: {len(items)} fields, the first {MAX_HEADER_FIELDS} kept")
        items = items[:MAX_HEADER_FIELDS]
    fields = []
    for name, value in items:
        if not isinstance(value, str):  # a Header object, set by code rather than parsed
            value = str(value)
        if len(value) > MAX_HEADER_CHARS:
            defects.append(f"header {name[:40]!r} cut at {MAX_HEADER_CHARS} characters")
            value = value[:MAX_HEADER_CHARS]
        text, problem = decode_8bit(value, hint)
        if problem:
            defects.append(_clean(f"header {name[:40]!r}: {problem}"))
        fields.append((_clean(decode_8bit(name)[0].lower()[:200]), text))
    return fields


def _date(value: str) -> datetime | None:
    """Parse an RFC 5322 date; a missing or -0000 zone is taken as UTC. None when unparseable."""
    try:
        # A comment such as "(EDT)" before the zone makes the stdlib ignore the zone.
        parsed = parsedate_to_datetime(_COMMENT.sub(" ", value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _content_type(part: Message) -> str:
    try:
        return _clean(part.get_content_type())[:200]
    except Exception:
        return "application/octet-stream"


def _charset_hint(msg: Message) -> str | None:
    """The charset raw 8-bit headers are most likely in: the first one a text part declares."""
    stack = [msg]
    for _ in range(20):
        if not stack:
            break
        part = stack.pop()
        charset = _charset(part)
        if charset and charset not in ("us-ascii", "utf-8"):
            return charset
        stack.extend(reversed(_children(part)))
    return None


def _charset(part: Message) -> str | None:
    try:
        return part.get_content_charset()
    except Exception:
        return None


def _walk(root: Message, budget: _Budget, level: int, body: _Body, parser: Parser) -> None:
    """Visit the MIME tree depth-first in document order, without recursion, within the budget."""
    stack: list[tuple[Message, int]] = [(root, 0)]
    while stack:
        part, depth = stack.pop()
        if budget.parts_left <= 0:
            body.defects.append(f"part limit reached: parts after the first {MAX_PARTS} were not read")
            return
        budget.parts_left -= 1
        ctype = _content_type(part)
        try:
            if ctype == "message/delivery-status":
                body.delivery_status.extend(_delivery_status(part))
            elif ctype.startswith("message/") or ctype == "text/rfc822-headers":
                _attached(part, ctype, budget, level, body, parser)
            elif part.is_multipart():
                if depth >= MAX_MIME_DEPTH:
                    body.defects.append(f"nesting limit reached: parts below depth {MAX_MIME_DEPTH} not read")
                else:
                    stack.extend((child, depth + 1) for child in reversed(_children(part)))
            else:
                _leaf(part, ctype, body)
        except Exception as exc:  # one broken part must not lose the rest of the message
            body.defects.append(_failure(f"part {ctype}", exc))
        body.defects.extend(type(defect).__name__ for defect in part.defects)


def _leaf(part: Message, ctype: str, body: _Body) -> None:
    data = _payload_bytes(part)
    filename = _filename(part)
    try:
        disposition = part.get_content_disposition()
    except Exception:
        disposition = None
    if ctype.startswith("multipart/"):
        ctype = "text/plain"  # a multipart with no usable boundary: its body is all there is
    if ctype in ("text/plain", "text/html") and filename is None and disposition != "attachment":
        if not data:
            return
        decoded = decode_bytes(data, _charset(part))
        body.charsets.append(decoded.charset)
        if decoded.problem:
            body.defects.append(_clean(f"{ctype} part: {decoded.problem}"))
        (body.html if ctype == "text/html" else body.plain).append(decoded.text)
        return
    body.attachments.append(_attachment(filename, ctype, data))


def _attachment(filename: str | None, ctype: str, data: bytes) -> Attachment:
    return Attachment(
        filename=filename, content_type=ctype, size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )


def _filename(part: Message) -> str | None:
    try:
        value = part.get_filename()
    except Exception:
        return None
    if not value:
        return None
    return _clean(decode_header(str(value)[:MAX_HEADER_CHARS]))[:500] or None


def _children(part: Message) -> list[Message]:
    """The sub-parts of a multipart or message/* part; empty for a leaf."""
    payload = part.get_payload() if part.is_multipart() else None
    return [child for child in payload if isinstance(child, Message)] if isinstance(payload, list) else []


def _payload_bytes(part: Message) -> bytes:
    """The decoded payload (base64, quoted-printable, uuencode undone) as bytes; never raises.

    A part holding a message is flattened. ``get_payload()`` without decoding is avoided: on 8-bit text
    it re-decodes with the declared charset and raises on labels such as one containing NUL.
    """
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    children = _children(part)
    try:
        return children[0].as_bytes() if len(children) == 1 else part.as_bytes()
    except Exception:
        return b""


def _attached(part: Message, ctype: str, budget: _Budget, level: int, body: _Body, parser: Parser) -> None:
    """An enclosed message: parsed into ``attached`` while the depth allows, else listed as an attachment."""
    filename = _filename(part)
    if level < budget.max_depth:
        if ctype == "text/rfc822-headers":
            headers = BytesHeaderParser(policy=compat32).parsebytes(_payload_bytes(part))
            body.attached.append(_parse_tree(headers, "headers-only", budget, level + 1, []))
            return
        inner = _inner_message(part) if ctype in _ATTACHED_MESSAGE_TYPES else None
        if inner is not None:
            body.attached.append(_parse_tree(inner, parser, budget, level + 1, []))
            return
    elif ctype in _ATTACHED_MESSAGE_TYPES or ctype == "text/rfc822-headers":
        body.defects.append(f"attached message below depth {budget.max_depth} kept as an attachment")
    body.attachments.append(_attachment(filename, ctype, _payload_bytes(part)))


def _inner_message(part: Message) -> Message | None:
    children = _children(part)
    inner = children[0] if children else None
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    if encoding not in ("base64", "quoted-printable") or inner is None:
        return inner
    # The stdlib parses an encoded message/rfc822 body as if it were plain text: the "message" it builds
    # has no headers and the encoded text as its body. Undo the encoding and parse that.
    if inner.keys() or inner.is_multipart():
        return inner
    data = _payload_bytes(inner)
    try:
        decoded = base64.b64decode(data) if encoding == "base64" else quopri.decodestring(data)
    except (binascii.Error, ValueError):
        return inner
    return email.message_from_bytes(decoded, policy=compat32)


def _delivery_status(part: Message) -> list[dict[str, str]]:
    """The recipient blocks of a message/delivery-status part (RFC 3464), keys lower-cased.

    The per-message fields (reporting-mta, arrival-date...) are copied into every recipient's dict; a
    missing blank line between blocks or extra blank lines are tolerated.
    """
    if part.is_multipart():
        blocks = [list(block.raw_items()) for block in _children(part)]
    else:
        text = decode_bytes(_payload_bytes(part), "utf-8").text.replace("\r\n", "\n").replace("\r", "\n")
        parser = BytesHeaderParser(policy=compat32)
        blocks = [list(parser.parsebytes(chunk.encode()).raw_items()) for chunk in text.split("\n\n")]
    per_message: dict[str, str] = {}
    recipients: list[dict[str, str]] = []
    for number, block in enumerate(blocks[: MAX_ADDRESSES + 1]):
        current: dict[str, str] | None = None
        for name, value in block[:MAX_HEADER_FIELDS]:
            key = _clean(decode_8bit(str(name))[0].lower())
            text = _clean(decode_header(str(value)[:MAX_HEADER_CHARS]))
            # Original- and Final-Recipient come in either order; a repeated one starts the next recipient.
            opens = key in _DSN_RECIPIENT_START and (current is None or key in current)
            if opens or (current is None and number > 0):
                current = {}
                recipients.append(current)
            (current if current is not None else per_message).setdefault(key, text)
    return [per_message | recipient for recipient in recipients if recipient][:MAX_ADDRESSES]


def _body_text(body: _Body) -> tuple[str, bool]:
    """The text/plain parts joined; when there is none with any text, the HTML rendered as text."""
    plain = "\n".join(text for text in body.plain if text.strip())
    if plain or not body.html:
        return plain, False
    return html_to_text("\n".join(body.html)), True
