"""Military experience, years of service, branch and specialties, with negation ("never served")."""

# ruff: noqa: RUF001  (Cyrillic words on purpose)

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Span

from triage.extraction.evidence import Candidate
from triage.extraction.normalise import parse_number, years_from
from triage.extraction.reading import Reading, value_of

_LAST = re.compile(
    r"(last|letzten|derniers|últimos|ultimi|ostatnie|ostatnich|posledních|poslední|последние|"
    r"останні|pēdējos|paskutinius|laatste|senaste|viimeiset|then|later|z toho|thereof|of which)\s*$",
    re.I,
)
_ERA = re.compile(r"(明治|大正|昭和|平成|令和)$")
_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*[-–]\s*((?:19|20)?\d\d)\b")


def clauses(reading: Reading) -> Iterator[tuple[int, int]]:
    """Units split further at contrast words ("but", "aber", "але"), where a negation stops."""
    for start, end in reading.units:
        cut = start
        for cue in reading.cues_in("BUT", start, end):
            if cue.start > cut:
                yield cut, cue.start
                cut = cue.start
        yield cut, end


def negated(reading: Reading, start: int, end: int) -> bool:
    """True when the clause denies military service ("never served", "keine militärische ...")."""
    if reading.cues_in("NEG_MILITARY", start, end):
        return True
    has_military = reading.cues_in("SERVICE", start, end) or reading.gaz_in("BRANCH", start, end)
    return bool(has_military and reading.cues_in("NEG", start, end))


def _inside(span: Span, others: list[Span]) -> bool:
    return any(
        o.start <= span.start and span.end <= o.end and (o.end - o.start) > (span.end - span.start)
        for o in others
    )


def service(reading: Reading) -> Iterator[Candidate]:
    """Branch, specialty, experience and years candidates from every clause of the zone."""
    branches_all = reading.gaz_in("BRANCH")
    for start, end in clauses(reading):
        if negated(reading, start, end):
            cue = (reading.cues_in("NEG_MILITARY", start, end) or reading.cues_in("NEG", start, end))[0]
            yield reading.candidate("military_experience", False, 0.8, cue, "cue.negated_service")
            continue
        served = bool(reading.cues_in("SERVICE", start, end))
        branches = [b for b in reading.gaz_in("BRANCH", start, end) if not _inside(b, branches_all)]
        for order, branch in enumerate(branches):
            confidence = (0.8 if served else 0.6) - 0.05 * order
            yield reading.candidate("branch", value_of(branch), confidence, branch, "gazetteer.branch")
            yield reading.candidate("military_experience", True, confidence, branch, "gazetteer.branch")
        specialties = []
        for specialty in reading.gaz_in("SPECIALTY", start, end):
            if _inside(specialty, branches_all) or _inside(specialty, reading.gaz_in("SPECIALTY")):
                continue
            specialties.append(specialty)
            yield reading.candidate("specialties", value_of(specialty), 0.7, specialty, "gazetteer.specialty")
        if served or branches:  # words that name a specialty only in a military context ("engineers")
            for specialty in reading.gaz_in("SPECIALTY_MILITARY", start, end):
                if not _inside(specialty, reading.gaz_in("SPECIALTY")):
                    specialties.append(specialty)
                    yield reading.candidate(
                        "specialties", value_of(specialty), 0.65, specialty, "gazetteer.specialty_military"
                    )
        if served and not branches and specialties:  # "I served as a sniper": service without a branch
            cue = reading.cues_in("SERVICE", start, end)[0]
            evidence = reading.doc[min(cue.start, specialties[0].start) : max(cue.end, specialties[0].end)]
            yield reading.candidate("military_experience", True, 0.7, evidence, "cue.service_specialty")
        if served or branches:
            yield from _years(reading, start, end, served)


def _years(reading: Reading, start: int, end: int, served: bool) -> Iterator[Candidate]:
    doc = reading.doc
    total = bool(reading.cues_in("TOTAL", start, end))
    found = False
    units = [(u, False) for u in reading.gaz_in("YEAR_UNIT", start, end)]
    units += [(u, True) for u in reading.gaz_in("MONTH_UNIT", start, end)]
    units.sort(key=lambda pair: pair[0].start)
    for order, (unit, months) in enumerate(units):
        number = None
        first = unit.start
        index = unit.start
        for _ in range(3):
            index -= 1
            while index >= start and doc[index].is_space:
                index -= 1
            if index < start:
                break
            words = [s for s in reading.gaz_in("NUMBER", start, unit.start) if s.end == index + 1]
            if words:
                number, first = float(value_of(words[0])), words[0].start
                break
            number = parse_number(doc[index].text)
            if number is not None:
                first = index
                break
            if doc[index].text not in ("'", "’", "-", "(", "of"):
                break
        if (
            number is None
            or number <= 0
            or number > 45
            or any(cue.end == first for cue in reading.cues_in("AGE", start, first))  # "ik ben 42 jaar"
            or _ERA.search(doc[max(start, first - 1) : first].text)
        ):
            continue
        following = doc[unit.end : unit.end + 1].text.lower()
        if following in ("old", "alt", "oud", "gammal", "gammel", "vanha", "star", "stara"):  # an age
            continue
        confidence = 0.75 - 0.1 * order
        if first > start and doc[first - 1].text == "," and unit.end < end and doc[unit.end].text == ",":
            confidence = 0.4  # ", 40 let," right after a name is how people give their age
        if _LAST.search(doc[max(start, first - 3) : first].text):
            confidence = 0.35
        if total and reading.cues_in("TOTAL", max(start, first - 3), min(end, unit.end + 3)):
            confidence = 0.9
        if not served:
            confidence -= 0.1
        found = True
        yield reading.candidate(
            "military_experience", True, min(confidence, 0.7), doc[first : unit.end], "pattern.years"
        )
        yield reading.candidate(
            "years_of_service", years_from(number, months), confidence, doc[first : unit.end], "pattern.years"
        )
    for cue in reading.cues_in("SERVICE", start, end) if not found else []:
        bare = [u for u, months in units if not months and u.start == cue.end]
        if bare:  # "відслужив рік": a year without a number
            found = True
            yield reading.candidate(
                "years_of_service", 1, 0.6, doc[cue.start : bare[0].end], "pattern.one_year"
            )
    if not found:
        text = doc[start:end].text
        match = _RANGE.search(text)
        if match:
            begin, finish = int(match.group(1)), int(match.group(2))
            finish += (begin // 100) * 100 if finish < 100 else 0
            if 0 < finish - begin <= 40:
                offset = doc[start].idx + match.start()
                yield reading.candidate(
                    "years_of_service",
                    finish - begin,
                    0.4,
                    (offset, offset + len(match.group())),
                    "pattern.year_range",
                )
