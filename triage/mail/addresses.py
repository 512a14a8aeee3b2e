"""Address headers parsed by hand: one pass per value, no recursion, tolerant of broken mailboxes.

The stdlib's ``email.utils.getaddresses`` recurses on nested comments and hits the recursion limit on
hostile input; these functions never raise.
"""

from __future__ import annotations

import re

from triage.mail.charsets import decode_words
from triage.mail.message import Address

MAX_ADDRESSES = 500  # addresses per header
_ADDR_SPEC = re.compile(r"[^\s<>()\[\]\\,;:\"@]+@[^\s<>()\[\]\\,;:\"@]+")
_UNSAFE = re.compile("[\x00\ud800-\udfff]")


def clean(text: str) -> str:
    """Remove what no store or JSON encoder accepts: NUL characters and lone surrogates."""
    return _UNSAFE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


def parse_addresses(values: list[str]) -> list[Address]:
    """Parse address headers; a mailbox missing its closing ">" still yields its address."""
    found: list[Address] = []
    for value in values:
        parsed = [a for a in map(_mailbox, _split_addresses(value)) if a is not None]
        if "=?" in value and not any(a.email for a in parsed):
            # The whole mailbox encoded in one encoded word: parse the decoded text instead.
            parsed = [a for a in map(_mailbox, _split_addresses(decode_words(value))) if a is not None]
        found.extend(parsed)
    return found[:MAX_ADDRESSES]


def _split_addresses(value: str) -> list[str]:
    """Split an address list at top-level commas, dropping group names (``team: a, b;``).

    A single pass over the characters, tracking quotes, comments and angle brackets.
    """
    items: list[str] = []
    current: list[str] = []
    quoted = escaped = angle = encoded = False
    comment = 0
    previous = ""
    for char in value:
        encoded = encoded or (previous == "=" and char == "?")
        previous = char
        if escaped:
            escaped = False
        elif char == "\\" and (quoted or comment):
            escaped = True
        elif quoted:
            quoted = char != '"'
        elif comment:
            comment += {"(": 1, ")": -1}.get(char, 0)
        elif char == '"':
            quoted = True
        elif char == "(":
            comment = 1
        elif char == "<":
            angle = True
        elif char == ">":
            angle = False
        elif char in ",;" and not angle:
            items.append("".join(current))
            current = []
            encoded = False
            continue
        elif char == ":" and not angle and not encoded:  # broken encoders leave ":" inside encoded words
            current = []  # a group's display name
            continue
        current.append(char)
    items.append("".join(current))
    merged: list[str] = []
    for item in items:
        # Outlook writes "Doe, John <jd@host>" unquoted: glue the bare "Doe" back onto its mailbox.
        if merged and "<" in item and "@" not in merged[-1] and "<" not in merged[-1] and merged[-1].strip():
            merged[-1] = merged[-1] + "," + item
        else:
            merged.append(item)
    return [item.strip() for item in merged if item.strip()]


def _mailbox(item: str) -> Address | None:
    angle = _outside_quotes(item, "<")
    if angle >= 0:
        name = item[:angle]
        spec = item[angle + 1 :].split(">", 1)[0].rsplit(":", 1)[-1]  # drop an obsolete source route
        match = _ADDR_SPEC.search(spec)
        address = match.group() if match else " ".join(spec.split())
    else:
        bare, comments = _strip_comments(item)
        match = _ADDR_SPEC.search(bare)
        if match:
            address, name = match.group(), comments or bare.replace(match.group(), "")
        elif bare and len(bare.split()) == 1:
            address, name = bare, comments  # a local name such as MAILER-DAEMON
        else:
            address, name = "", bare
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    name = " ".join(decode_words(name).split())
    address = address.strip("<>").lower()
    if name.strip("'\"").lower() == address:
        name = ""  # 'a@b.example' <a@b.example>: the name says nothing more
    if not name and not address:
        return None
    return Address(name=clean(name), email=clean(address))


def _outside_quotes(text: str, wanted: str) -> int:
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == wanted and not quoted:
            return index
    return -1


def _strip_comments(text: str) -> tuple[str, str]:
    """Split *text* into what is outside parentheses and what is inside (old ``addr (Name)`` form)."""
    outside: list[str] = []
    inside: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
            if depth == 1:
                continue
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                continue
        (inside if depth else outside).append(char)
    return "".join(outside).strip(), "".join(inside).strip()
