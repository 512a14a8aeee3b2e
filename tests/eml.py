"""Load .eml files into ParsedMessage for the mail tests: the project's parser, or a stdlib loader.

The stdlib loader is deliberately small (decode text parts with their charset, HTML to text,
message/rfc822 and text/rfc822-headers as attached messages, delivery-status fields): enough for
segment, forward and classification tests to run against real messages whatever the parser's state.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import importlib
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from typing import Any, cast

from triage.mail.message import Address, ParsedMessage

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "mail"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _project_parser() -> Callable[[bytes], ParsedMessage] | None:
    try:
        module = importlib.import_module("triage.mail.parse")
    except ImportError:
        return None
    parse = getattr(module, "parse_message", None)
    return cast("Callable[[bytes], ParsedMessage]", parse) if callable(parse) else None


def load(raw: bytes) -> ParsedMessage:
    """Parse *raw* with triage.mail.parse.parse_message if it exists, else with the stdlib loader."""
    parse = _project_parser()
    if parse is not None:
        return parse(raw)
    return stdlib_parse(raw)


def load_path(path: Path) -> ParsedMessage:
    return load(path.read_bytes())


def stdlib_parse(raw: bytes) -> ParsedMessage:
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    return _from_message(message)


def _from_message(message: Message) -> ParsedMessage:
    headers: dict[str, list[str]] = {}
    for name, value in message.items():
        headers.setdefault(name.lower(), []).append(_decode_header(value))
    plain: list[str] = []
    html: list[str] = []
    attached: list[ParsedMessage] = []
    status: list[dict[str, str]] = []
    _walk(message, plain, html, attached, status)
    text = "\n".join(plain)
    from_html = False
    if not text.strip() and html:
        text = _html_to_text("\n".join(html))
        from_html = True
    sender = _addresses(headers.get("from", []))
    return ParsedMessage(
        message_id=(headers.get("message-id") or [None])[0],
        subject=(headers.get("subject") or [""])[0],
        sender=sender[0] if sender else None,
        to=_addresses(headers.get("to", [])),
        cc=_addresses(headers.get("cc", [])),
        reply_to=_addresses(headers.get("reply-to", [])),
        headers=headers,
        content_type=message.get_content_type(),
        text=text,
        text_from_html=from_html,
        attached_messages=attached,
        delivery_status=status,
        parser="stdlib",
    )


def _walk(
    part: Message,
    plain: list[str],
    html: list[str],
    attached: list[ParsedMessage],
    status: list[dict[str, str]],
) -> None:
    ctype = part.get_content_type()
    if ctype == "message/rfc822":
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if isinstance(inner, Message):
            attached.append(_from_message(inner))
        return
    if ctype == "text/rfc822-headers":
        body = _decode_part(part)
        attached.append(_from_message(email.message_from_string(body, policy=email.policy.compat32)))
        return
    if ctype == "message/delivery-status":
        payload = part.get_payload()
        blocks = payload if isinstance(payload, list) else []
        for block in blocks[1:] if len(blocks) > 1 else blocks:
            if isinstance(block, Message):
                status.append({k.lower(): str(v) for k, v in block.items()})
        return
    if part.is_multipart():
        payload = part.get_payload()
        for sub in payload if isinstance(payload, list) else []:
            if isinstance(sub, Message):
                _walk(sub, plain, html, attached, status)
        return
    if part.get_content_disposition() == "attachment":
        return
    if ctype == "text/plain":
        plain.append(_decode_part(part))
    elif ctype == "text/html":
        html.append(_decode_part(part))


def _decode_part(part: Message) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return str(part.get_payload())
    charset = part.get_content_charset() or "us-ascii"
    for candidate in (charset, "utf-8", "windows-1252"):
        try:
            return data.decode(candidate).replace("\r\n", "\n")
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1").replace("\r\n", "\n")


def _decode_header(value: Any) -> str:
    if isinstance(value, email.header.Header):
        value = str(value)
    try:
        return str(email.header.make_header(email.header.decode_header(str(value))))
    except (LookupError, UnicodeDecodeError, ValueError, email.errors.HeaderParseError):
        return str(value)


def _addresses(values: list[str]) -> list[Address]:
    return [Address(name, addr.lower()) for name, addr in email.utils.getaddresses(values) if name or addr]


def _html_to_text(markup: str) -> str:
    from inscriptis import get_text

    return str(get_text(markup))
