"""Languages the person says they speak, and whether they hold a valid passport."""

from __future__ import annotations

import re
from collections.abc import Iterator

from triage.extraction.evidence import Candidate
from triage.extraction.reading import Reading, value_of

_LANG_LABEL = re.compile(
    r"\b(languages?|sprachen|langues|idiomas|lingue|línguas|języki|языки|мови|jazyky|kalbos|"
    r"valodas|jezici|talen|språk|kielet|語学)\b",
    re.I,
)


def languages(reading: Reading) -> Iterator[Candidate]:
    """Language names next to a speaking cue, unless the cue is negated or the language is being learnt.

    A unit is cut at each speaking cue and each "but": "I speak English and French, but I don't speak
    Russian" keeps English and French. A language belongs to the cue that opens its piece (the first
    cue for what stands before it); after a "but" without a cue, a negation in the piece drops it.
    """
    units = list(reading.units)
    for position, (start, end) in enumerate(units):
        cues = reading.cues_in("SPEAK", start, end)
        if not cues:
            continue
        stop = end
        if cues[-1].end >= end - 1 and position + 1 < len(units):
            stop = units[position + 1][1]  # "LANGUAGES" on its own line: the list is the next unit
        negations = reading.cues_in("NEG", start, stop)
        negated = {cue.start for cue in cues if any(0 <= cue.start - n.end <= 1 for n in negations)}
        buts = reading.cues_in("BUT", start, stop)
        openings = sorted([(cue.start, True) for cue in cues] + [(b.start, False) for b in buts])
        learning = reading.cues_in("LEARNING", start, stop)
        for span in reading.gaz_in("LANGUAGE", start, stop):
            if any(abs(span.start - lc.start) <= 2 or abs(lc.start - span.end) <= 1 for lc in learning):
                continue
            opening = max((o for o in openings if o[0] <= span.start), default=(cues[0].start, True))
            if opening[1]:
                if opening[0] in negated:
                    continue
            elif any(opening[0] <= n.start < span.start for n in negations):
                continue
            yield reading.candidate("languages", value_of(span), 0.8, span, "cue.speak")
    if reading.zone.label and _LANG_LABEL.search(reading.zone.label):
        for span in reading.gaz_in("LANGUAGE"):
            yield reading.candidate("languages", value_of(span), 0.75, span, "answer.languages")


def passport(reading: Reading) -> Iterator[Candidate]:
    """True when the unit says the person has a (valid) passport, False when it says they lack one."""
    for span in reading.gaz_in("PASSPORT"):
        start, end = reading.unit_of(span.start)
        if reading.cues_in("EXPIRED", start, end):
            yield reading.candidate(
                "has_passport", False, 0.8, reading.doc[start:end], "cue.passport_missing"
            )
        elif reading.cues_in("POSSESS", start, end) or reading.doc[span.end : span.end + 1].text == ":":
            yield reading.candidate("has_passport", True, 0.8, span, "cue.passport")
