"""A zone run through its spaCy pipeline, with the lookups every field extractor needs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

from triage.extraction.evidence import Candidate
from triage.extraction.text import units
from triage.extraction.zones import Zone


@dataclass(slots=True)
class Reading:
    """A zone's doc, its cue and gazetteer spans, and its clause units as token ranges."""

    zone: Zone
    doc: Doc
    lang: str | None
    cues: list[Span] = field(default_factory=list)
    gaz: list[Span] = field(default_factory=list)
    units: list[tuple[int, int]] = field(default_factory=list)
    text: str = ""
    by_label: dict[str, list[Span]] = field(default_factory=dict)

    @classmethod
    def of(cls, zone: Zone, doc: Doc, lang: str | None) -> Reading:
        reading = cls(zone, doc, lang, list(doc.spans["cue"]), list(doc.spans["gaz"]), text=zone.text)
        for span in reading.cues:
            reading.by_label.setdefault("cue:" + span.label_, []).append(span)
        for span in reading.gaz:
            reading.by_label.setdefault("gaz:" + span.label_, []).append(span)
        for start, end in units(reading.text):
            unit = doc.char_span(start, end, alignment_mode="expand")
            if unit is not None and len(unit):
                reading.units.append((unit.start, unit.end))
        return reading

    def cues_in(self, label: str, start: int = 0, end: int | None = None) -> list[Span]:
        stop = len(self.doc) if end is None else end
        return [s for s in self.by_label.get("cue:" + label, ()) if s.start >= start and s.end <= stop]

    def gaz_in(self, label: str, start: int = 0, end: int | None = None) -> list[Span]:
        stop = len(self.doc) if end is None else end
        return [s for s in self.by_label.get("gaz:" + label, ()) if s.start >= start and s.end <= stop]

    def unit_of(self, token: int) -> tuple[int, int]:
        for start, end in self.units:
            if start <= token < end:
                return start, end
        return 0, len(self.doc)

    def units_with(self, label: str) -> Iterator[tuple[int, int, list[Span]]]:
        """Yield each unit holding a cue of *label*, with those cues."""
        for start, end in self.units:
            found = self.cues_in(label, start, end)
            if found:
                yield start, end, found

    def candidate(
        self, name: str, value: Any, confidence: float, span: Span | tuple[int, int], extractor: str
    ) -> Candidate:
        """Build a candidate of field *name* whose evidence is *span* (a Span or offsets in the zone).

        The candidate's span is moved to offsets in the text the zones were cut from.
        """
        if isinstance(span, Span):
            chars = (span.start_char, span.end_char)
        else:
            chars = span
        offset = self.zone.start
        return Candidate(
            name,
            value,
            confidence,
            self.zone.source,
            (chars[0] + offset, chars[1] + offset),
            self.text[chars[0] : chars[1]],
            extractor,
            self.zone.index,
        )


def value_of(span: Span) -> Any:
    """Return the normalised value a gazetteer span carries."""
    return json.loads(span.kb_id_)
