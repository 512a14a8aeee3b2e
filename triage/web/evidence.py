"""The original message as plain text with each extracted field's evidence marked, for templates.

The text is cut at the evidence spans into pieces; the template escapes every piece, so no sender text
ever becomes markup. A span is used only when it still covers the text the extractor recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from triage.store.models import Message


@dataclass(frozen=True)
class Piece:
    text: str
    field: str | None = None
    confidence: float | None = None


def message_text(message: Message) -> tuple[str, str]:
    """The decoded body the spans point into, and the name of its source ("forwarded" or "body")."""
    parsed = message.parsed or {}
    forward = parsed.get("forward")
    if isinstance(forward, dict) and isinstance(forward.get("text"), str):
        return forward["text"], "forwarded"
    text = parsed.get("text")
    return (text if isinstance(text, str) else ""), "body"


def applicants_of(message: Message) -> list[dict[str, Any]]:
    extraction = message.extraction or {}
    found = extraction.get("applicants")
    return [a for a in found if isinstance(a, dict)] if isinstance(found, list) else []


def _spans(text: str, evidence: dict[str, Any]) -> list[tuple[int, int, str, float | None]]:
    spans = []
    for field, items in evidence.items():
        for item in items if isinstance(items, list) else [items]:
            if not isinstance(item, dict) or item.get("source") == "header":
                continue
            span = item.get("span")
            if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)):
                continue
            start, end = span
            if 0 <= start < end <= len(text) and text[start:end] == item.get("text"):
                confidence = item.get("confidence")
                spans.append((start, end, field, float(confidence) if confidence is not None else None))
    return sorted(spans)


def highlight(text: str, evidence: dict[str, Any]) -> list[Piece]:
    """Cut *text* into pieces, the evidence spans marked with their field (overlaps: the first wins)."""
    pieces: list[Piece] = []
    at = 0
    for start, end, field, confidence in _spans(text, evidence):
        if start < at:
            continue
        if start > at:
            pieces.append(Piece(text[at:start]))
        pieces.append(Piece(text[start:end], field, confidence))
        at = end
    if at < len(text):
        pieces.append(Piece(text[at:]))
    return pieces
