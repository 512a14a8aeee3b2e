"""Decode a stored message into text, headers and attachment metadata, and unwrap forwards."""

from __future__ import annotations

import logging
from typing import Any

from triage.clock import as_utc
from triage.errors import Quarantine
from triage.mail.forwards import unwrap_forward
from triage.mail.message import ParsedMessage
from triage.mail.parse import parse_message
from triage.stages.base import Work
from triage.store.models import Message, MessageStatus

log = logging.getLogger(__name__)


class ParseStage:
    name = "parse"
    takes = MessageStatus.stored
    gives = MessageStatus.parsed

    def __init__(self, max_text_chars: int) -> None:
        self._max_text_chars = max_text_chars

    def compute(self, work: Work) -> None:
        if work.raw is None:
            raise Quarantine("no raw bytes stored (purged or never fetched)")
        parsed = parse_message(work.raw, max_text_chars=self._max_text_chars)
        parsed.forward = unwrap_forward(parsed)
        work.parsed = parsed

    def restore(self, work: Work, message: Message) -> None:
        if message.parsed is None:
            raise Quarantine("parsed form missing")
        work.parsed = ParsedMessage.from_dict(message.parsed)

    def values(self, work: Work) -> dict[str, Any]:
        parsed = work.parsed
        assert parsed is not None
        author = parsed.author
        return {
            "parsed": parsed.to_dict(),
            "parser": parsed.parser,
            "subject": parsed.subject[:2000],
            "date_sent": as_utc(parsed.date),
            "author_email": (author.email[:320] or None) if author else None,
            "author_name": (author.name[:320] or None) if author else None,
            "is_forward": parsed.forward is not None,
        }
