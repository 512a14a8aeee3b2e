"""The parsed form of one email: what every stage after parse reads, stored as JSON on the message row."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

Parser = Literal["mail-parser", "stdlib", "headers-only"]


@dataclass(frozen=True, slots=True)
class Address:
    """A mailbox in a header: the display name as decoded, the address lower-cased ("" when absent)."""

    name: str
    email: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "email": self.email}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Address:
        return cls(name=str(data.get("name") or ""), email=str(data.get("email") or ""))


@dataclass(frozen=True, slots=True)
class Attachment:
    """Metadata of a non-text part; its bytes are never opened, only hashed."""

    filename: str | None
    content_type: str
    size: int
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attachment:
        return cls(
            filename=data.get("filename"),
            content_type=str(data.get("content_type") or "application/octet-stream"),
            size=int(data.get("size") or 0),
            sha256=str(data.get("sha256") or ""),
        )


@dataclass(frozen=True, slots=True)
class Forward:
    """An inline or attached forward: the original author is the sender that matters."""

    kind: Literal["inline", "attached"]
    sender: Address | None
    subject: str
    date: str
    text: str
    note: str  # what the forwarding person wrote above the forward

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "sender": self.sender.to_dict() if self.sender else None,
            "subject": self.subject,
            "date": self.date,
            "text": self.text,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Forward:
        sender = data.get("sender")
        return cls(
            kind=data.get("kind", "inline"),
            sender=Address.from_dict(sender) if sender else None,
            subject=str(data.get("subject") or ""),
            date=str(data.get("date") or ""),
            text=str(data.get("text") or ""),
            note=str(data.get("note") or ""),
        )


@dataclass(slots=True)
class ParsedMessage:
    """Everything later stages need from one message, decoded to text.

    ``headers`` maps lower-cased header names to their decoded values in order of appearance.
    ``text`` is the readable body: the text/plain parts, or the HTML converted to text when there is
    no plain part (``text_from_html``). ``attached_messages`` holds parsed ``message/rfc822`` parts
    (and the returned message of a bounce); ``delivery_status`` the fields of
    ``message/delivery-status`` parts, one dict per recipient block, keys lower-cased.
    """

    message_id: str | None
    subject: str
    sender: Address | None
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    reply_to: list[Address] = field(default_factory=list)
    date: datetime | None = None
    headers: dict[str, list[str]] = field(default_factory=dict)
    content_type: str = "text/plain"
    text: str = ""
    text_from_html: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    attached_messages: list[ParsedMessage] = field(default_factory=list)
    delivery_status: list[dict[str, str]] = field(default_factory=list)
    charsets: list[str] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    parser: Parser = "mail-parser"
    truncated: bool = False
    forward: Forward | None = None

    def header(self, name: str) -> str | None:
        """Return the first value of header *name* (case-insensitive), or None."""
        values = self.headers.get(name.lower())
        return values[0] if values else None

    @property
    def author(self) -> Address | None:
        """The sender that matters: the original author of a forward, else From."""
        if self.forward is not None and self.forward.sender is not None:
            return self.forward.sender
        return self.sender

    def to_dict(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "subject": self.subject,
            "sender": self.sender.to_dict() if self.sender else None,
            "to": [a.to_dict() for a in self.to],
            "cc": [a.to_dict() for a in self.cc],
            "reply_to": [a.to_dict() for a in self.reply_to],
            "date": self.date.isoformat() if self.date else None,
            "headers": self.headers,
            "content_type": self.content_type,
            "text": self.text,
            "text_from_html": self.text_from_html,
            "attachments": [a.to_dict() for a in self.attachments],
            "attached_messages": [m.to_dict() for m in self.attached_messages],
            "delivery_status": self.delivery_status,
            "charsets": self.charsets,
            "defects": self.defects,
            "parser": self.parser,
            "truncated": self.truncated,
            "forward": self.forward.to_dict() if self.forward else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedMessage:
        sender = data.get("sender")
        date = data.get("date")
        forward = data.get("forward")
        return cls(
            message_id=data.get("message_id"),
            subject=str(data.get("subject") or ""),
            sender=Address.from_dict(sender) if sender else None,
            to=[Address.from_dict(a) for a in data.get("to") or []],
            cc=[Address.from_dict(a) for a in data.get("cc") or []],
            reply_to=[Address.from_dict(a) for a in data.get("reply_to") or []],
            date=datetime.fromisoformat(date) if date else None,
            headers={str(k): [str(v) for v in vs] for k, vs in (data.get("headers") or {}).items()},
            content_type=str(data.get("content_type") or "text/plain"),
            text=str(data.get("text") or ""),
            text_from_html=bool(data.get("text_from_html")),
            attachments=[Attachment.from_dict(a) for a in data.get("attachments") or []],
            attached_messages=[cls.from_dict(m) for m in data.get("attached_messages") or []],
            delivery_status=[dict(d) for d in data.get("delivery_status") or []],
            charsets=[str(c) for c in data.get("charsets") or []],
            defects=[str(d) for d in data.get("defects") or []],
            parser=data.get("parser", "mail-parser"),
            truncated=bool(data.get("truncated")),
            forward=Forward.from_dict(forward) if forward else None,
        )


SegmentKind = Literal["body", "quoted", "signature", "forwarded", "header_block"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the body text: the writer's own words, a quoted reply, a signature or a forwarded part.

    ``start`` and ``end`` are character offsets into the text that was segmented.
    """

    kind: SegmentKind
    text: str
    start: int
    end: int
