"""Cut a parsed message into the zones extraction reads: the applicant's own words and signature.

A forward's zones come from the forwarded text (the applicant wrote it); the staff note above it is not
read. Quoted text is never read for profile fields, but the last quoted line before an inline answer
becomes that answer's ``label`` (a questionnaire's "2. Date of birth" above "03/14/1988").
"""

from __future__ import annotations

from dataclasses import dataclass

from triage.extraction.evidence import Source
from triage.extraction.text import MAX_MESSAGE_CHARS, MAX_ZONE_CHARS
from triage.mail.message import ParsedMessage, Segment
from triage.mail.segments import segment

_MAX_ZONES = 40


@dataclass(frozen=True, slots=True)
class Zone:
    """A run of text written by the applicant, where it came from, and the question it answers (if any)."""

    index: int
    source: Source
    text: str
    label: str = ""
    start: int = 0  # offset of the zone in the text it was cut from


def _label(previous: Segment | None) -> str:
    if previous is None or previous.kind != "quoted":
        return ""
    lines = [ln.lstrip("> \t").strip() for ln in previous.text[-2_000:].splitlines()]
    lines = [ln for ln in lines if ln]
    return lines[-1] if lines else ""


def message_zones(parsed: ParsedMessage) -> list[Zone]:
    """Return the zones of *parsed*, forwarded text first when the message is a forward."""
    forward = parsed.forward
    text = forward.text if forward is not None else parsed.text
    text = text[:MAX_MESSAGE_CHARS]
    inside_forward = forward is not None
    zones: list[Zone] = []
    previous: Segment | None = None
    budget = MAX_MESSAGE_CHARS
    for seg in segment(text, forward=inside_forward):
        if seg.kind in ("body", "signature", "forwarded") and seg.text.strip() and budget > 0:
            source: Source
            if seg.kind == "signature":
                source = "signature"
            elif seg.kind == "forwarded" or inside_forward:
                source = "forwarded"
            else:
                source = "body"
            chunk = seg.text[: min(MAX_ZONE_CHARS, budget)]
            budget -= len(chunk)
            zones.append(Zone(len(zones), source, chunk, _label(previous), seg.start))
            if len(zones) >= _MAX_ZONES:
                break
        if seg.text.strip():
            previous = seg
    return zones
