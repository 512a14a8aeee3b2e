"""Nationality, country of residence and city: read only where the writer states them."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from spacy.tokens import Doc, Span

from triage.extraction.evidence import Candidate
from triage.extraction.reading import Reading, value_of
from triage.extraction.resources import CJK
from triage.extraction.text import capitalised, starts_lower

_WINDOW = 8
_STREET = re.compile(r"\d{2,}|\b(str\.|street|ul\.|rue|via|calle|road|avenue)\b", re.I)


def _country_of(reading: Reading, span: Span, language_countries: dict[str, str]) -> str | None:
    value = value_of(span)
    if span.label_ in ("COUNTRY", "DEMONYM"):
        return str(value)
    if span.label_ == "LANGUAGE":
        return language_countries.get(str(value))
    return None


def _followed_by_military(reading: Reading, span: Span) -> bool:
    after = reading.gaz_in("MILITARY", span.end, span.end + 2) + reading.gaz_in(
        "BRANCH", span.end, span.end + 3
    )
    return bool(after)


def nationality(reading: Reading, language_countries: dict[str, str]) -> Iterator[Candidate]:
    """Citizenship cues, "I am <demonym>", "<demonym> passport" and "I am from <country>"."""
    labels = ("COUNTRY", "DEMONYM", "LANGUAGE")
    for start, end, cues in reading.units_with("CITIZEN"):
        cue = cues[0]
        options = [s for s in reading.gaz if s.label_ in labels and start <= s.start < end]
        options.sort(key=lambda s: abs(s.start - cue.start) + (0 if s.start >= cue.end else 2))
        for span in options[:3]:
            country = _country_of(reading, span, language_countries)
            if country and not _followed_by_military(reading, span):
                yield reading.candidate(
                    "nationality",
                    country,
                    0.85 if span.label_ != "LANGUAGE" else 0.75,
                    reading.doc[min(span.start, cue.start) : max(span.end, cue.end)],
                    "cue.citizen",
                )
                break
    for cue in reading.cues_in("SELF") + reading.cues_in("PASSPORT_SELF"):
        for span in reading.gaz:
            if span.label_ in ("DEMONYM", "LANGUAGE") and cue.end <= span.start <= cue.end + 4:
                country = _country_of(reading, span, language_countries)
                unit = reading.unit_of(cue.start)
                if country and span.start < unit[1] and not _followed_by_military(reading, span):
                    yield reading.candidate(
                        "nationality", country, 0.8, reading.doc[cue.start : span.end], "cue.self_demonym"
                    )
                    break
    for passport in reading.gaz_in("PASSPORT"):
        for span in reading.gaz:
            if (
                span.label_ in ("DEMONYM", "LANGUAGE", "COUNTRY")
                and (
                    passport.start - 3 <= span.start < passport.start
                    or passport.end <= span.start <= passport.end + 2
                )
                and reading.unit_of(span.start) == reading.unit_of(passport.start)
            ):
                country = _country_of(reading, span, language_countries)
                if country:
                    yield reading.candidate(
                        "nationality",
                        country,
                        0.75,
                        reading.doc[min(span.start, passport.start) : max(span.end, passport.end)],
                        "cue.passport_country",
                    )
                    break
    for cue in reading.cues_in("FROM"):
        for span in reading.gaz_in("COUNTRY", cue.end, cue.end + 2):
            yield reading.candidate(
                "nationality", str(value_of(span)), 0.7, reading.doc[cue.start : span.end], "cue.from_country"
            )
            yield reading.candidate(
                "country_of_residence",
                str(value_of(span)),
                0.6,
                reading.doc[cue.start : span.end],
                "cue.from_country",
            )


def _birthplace_tokens(reading: Reading) -> set[int]:
    tokens: set[int] = set()
    for cue in reading.cues_in("BIRTHPLACE"):
        for index in range(cue.end, min(cue.end + 4, len(reading.doc))):
            if reading.doc[index].is_punct and reading.doc[index].text != "-":
                break
            tokens.add(index)
    return tokens


def _city_score(span: Span, order: int, hints: tuple[str, ...], confidence: float) -> tuple[float, str, str]:
    name, country, population = str(value_of(span)).split("|")
    bonus = 0.03 if country in hints[:1] else 0.02 if country in hints else 0.0
    return confidence - 0.005 * order + bonus + math.log10(max(int(population), 10)) / 100, name, country


def _places(
    reading: Reading, start: int, end: int, confidence: float, extractor: str, hints: tuple[str, ...]
) -> Iterator[Candidate]:
    blocked = _birthplace_tokens(reading)
    cities = [s for s in reading.gaz_in("CITY", start, end) if s.start not in blocked]
    countries = [
        s
        for s in reading.gaz_in("COUNTRY", start, end) + reading.gaz_in("REGION", start, end)
        if s.start not in blocked and (s.label_ != "REGION" or capitalised(s.text))
    ]
    stated = {str(value_of(s)) for s in countries}
    if not any(str(value_of(c)).split("|")[1] in stated for c in cities):
        stated = set()  # the region or country named is not where any of these cities is
    doc = reading.doc
    cities = [c for c in cities if c.start == start or not _inside_proper_noun(doc, c.start)]
    positions = sorted({s.start for s in cities})
    best: tuple[float, str, str, Span] | None = None
    for span in cities:
        # three letters at least, two in scripts with a syllable or word per character ("부산", "東京")
        shortest = 2 if CJK.match(span.text) else 3
        if (starts_lower(span.text) and span.start != start) or len(span.text) < shortest:
            continue
        score, name, country = _city_score(span, positions.index(span.start), hints, confidence)
        if stated and country not in stated:
            continue
        if best is None or score > best[0]:
            best = (score, name, country, span)
    if best is not None:
        score, name, country, span = best
        yield reading.candidate("city", name, min(score, 0.95), span, extractor)
        yield reading.candidate(
            "country_of_residence", country, min(score, 0.95) - 0.05, span, extractor + ".city"
        )
    for span in countries:
        if span.label_ == "COUNTRY":
            yield reading.candidate(
                "country_of_residence", str(value_of(span)), confidence - 0.02, span, extractor
            )


def _inside_proper_noun(doc: Doc, index: int) -> bool:
    """True when the token before is a capitalised word: "Greater Manchester", "Co. Cork"."""
    if index == 0:
        return False
    before = doc[index - 1]
    return (
        before.text[:1].isupper()
        and (before.is_alpha or before.text.endswith("."))
        and before.i > 0
        and "\n" not in doc[index - 2].whitespace_ + doc[index - 2].text
    )


def residence(reading: Reading, hints: tuple[str, ...] = ()) -> Iterator[Candidate]:
    """Where the writer lives: after residence cues, weaker after work-place cues, and signature lines."""
    verb_final = reading.lang in ("ja", "ko", "zh", "tr")  # "札幌市在住", "İstanbul'da ..."
    for label, confidence in (("RESIDENCE", 0.85), ("FROM", 0.7), ("FROM_WEAK", 0.6), ("WORKPLACE", 0.55)):
        for cue in reading.cues_in(label):
            if label == "FROM_WEAK" and not reading.cues_in("SELF", *reading.unit_of(cue.start)):
                continue
            unit_start, unit_end = reading.unit_of(cue.start)
            if verb_final:
                yield from _places(
                    reading,
                    max(unit_start, cue.start - 6),
                    cue.start,
                    confidence,
                    f"cue.{label.lower()}",
                    hints,
                )
            end = min(unit_end, cue.end + (4 if label.startswith("FROM") else _WINDOW))
            yield from _places(reading, cue.end, end, confidence, f"cue.{label.lower()}", hints)
    yield from _signature_places(reading, hints)


def _signature_places(reading: Reading, hints: tuple[str, ...]) -> Iterator[Candidate]:
    """A short line of the signature (or the last lines of the text) that is "City" or "City, Region"."""
    doc = reading.doc
    lines = reading.text.split("\n")
    offset = 0
    tail = reading.zone.source != "signature"
    cjk = reading.lang in ("ja", "ko", "zh")
    for number, line in enumerate(lines):
        start = offset
        offset += len(line) + 1
        stripped = line.strip()
        if (tail and number < len(lines) - 4) or not stripped or len(stripped) > 40:
            continue
        if _STREET.search(stripped) or len(stripped.split()) > 4:
            continue
        span = doc.char_span(start, start + len(line), alignment_mode="contract")
        if span is None:
            continue
        for city in reading.gaz_in("CITY", span.start, span.end):
            if not capitalised(city.text) and not cjk:
                continue
            rest = reading.text[city.end_char : start + len(line)].strip()
            before = reading.text[start : city.start_char].strip()
            if cjk and not before:
                yield from _places(reading, city.start, city.end, 0.6, "signature.place", hints)
                break
            if before and not before.endswith(","):
                continue
            if rest and not (rest.startswith(",") and _is_region(reading, city.end, span.end)):
                continue
            yield from _places(reading, city.start, span.end, 0.6, "signature.place", hints)
            break


def _is_region(reading: Reading, start: int, end: int) -> bool:
    return bool(reading.gaz_in("REGION", start, end) or reading.gaz_in("COUNTRY", start, end))
