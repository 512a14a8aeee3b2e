"""Date of birth and age, read next to their cues; dates follow the writer's day/month convention."""

# ruff: noqa: RUF002, RUF003  (Cyrillic and CJK cues and examples on purpose)

from __future__ import annotations

import re
from collections.abc import Iterator

import dateparser

from triage.extraction.evidence import Candidate
from triage.extraction.normalise import japanese_era_date, make_date, numeric_date
from triage.extraction.reading import Reading, value_of

_NUMERIC = re.compile(
    r"(?<!\d)(\d{1,2}\s?[./-]\s?\d{1,2}\s?[./-]\s?(?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2})(?![\d/])"
)
_DOB_LABEL = re.compile(
    r"\b(date of birth|dob|birth|geburt|naissance|nacimiento|nascita|nascimento|urodzenia|"
    r"рождения|народження|narození|gimimo|dzimšanas|rođenja|生年月日)",
    re.I,
)
_KIN = re.compile(
    r"\b(mother|father|mamma|mamá|madre|mãe|mutter|mère|мама|мать|мати|matka|son|daughter|figlio|figlia|hijo|hija|sohn|tochter|fils|fille|syn|сын|син|дочь|донька|"
    r"filho|filha|zoon|dochter)\b",
    re.I,
)
_WINDOW_CHARS = 48


def _date_in(reading: Reading, start_char: int, month_first: bool) -> tuple[str, int, int] | None:
    text = reading.text
    window = text[start_char : start_char + _WINDOW_CHARS]
    era = japanese_era_date(window)
    if era:
        return era, start_char, start_char + len(window)
    match = _NUMERIC.search(window)
    month_spans = [
        s for s in reading.gaz_in("MONTH") if start_char <= s.start_char < start_char + _WINDOW_CHARS
    ]
    if match and (not month_spans or match.start() < month_spans[0].start_char - start_char):
        iso = numeric_date(match.group(), month_first)
        if iso:
            return iso, start_char + match.start(), start_char + match.end()
    if month_spans:
        month = month_spans[0]
        around = text[max(start_char, month.start_char - 16) : month.end_char + 16]
        year = re.search(r"(?<!\d)(19\d\d|20[01]\d)(?!\d)", around)
        day = re.search(r"(?<!\d)([0-3]?\d)(?!\d)", re.sub(r"(19\d\d|20[01]\d)", " ", around))
        if year and day:
            iso = make_date(int(year.group(1)), int(value_of(month)), int(day.group(1)))
            if iso:
                return iso, max(start_char, month.start_char - 16), month.end_char + 16
        parsed = dateparser.parse(
            around,
            languages=[reading.lang] if reading.lang else None,
            settings={"STRICT_PARSING": True, "PREFER_DATES_FROM": "past"},
        )
        if parsed is not None:
            iso = make_date(parsed.year, parsed.month, parsed.day)
            if iso:
                return iso, month.start_char, month.end_char
    return None


def date_of_birth(reading: Reading, month_first: bool, on_behalf: bool) -> Iterator[Candidate]:
    """Dates right after a birth cue, or answering a "Date of birth" question; not a relative's."""
    text = reading.text
    for cue in reading.cues_in("DOB"):
        unit_start, _ = reading.unit_of(cue.start)
        before = reading.doc[unit_start : cue.start].text
        if _KIN.search(before) and not on_behalf:
            continue
        found = _date_in(reading, cue.end_char, month_first)
        if not found:  # "17.10.1990 г.р.": the cue after the date
            back = text[max(0, cue.start_char - 14) : cue.start_char]
            match = _NUMERIC.search(back)
            iso = numeric_date(match.group(), month_first) if match else None
            if match and iso:
                begin = cue.start_char - len(back) + match.start()
                found = (iso, begin, begin + len(match.group()))
        if found:
            iso, start, end = found
            yield reading.candidate("date_of_birth", iso, 0.85, (start, end), "cue.dob")
    if reading.zone.label and _DOB_LABEL.search(reading.zone.label):
        found = _date_in(reading, 0, month_first)
        if found:
            yield reading.candidate("date_of_birth", found[0], 0.9, (found[1], found[2]), "answer.dob")
    if not reading.cues_in("DOB") and reading.lang == "ja":
        era = japanese_era_date(text)
        if era:
            yield reading.candidate("date_of_birth", era, 0.6, (0, 0), "japanese_era")


def _number_at(reading: Reading, index: int) -> int | None:
    if index >= len(reading.doc) or index < 0:
        return None
    token = reading.doc[index]
    if token.text.isdigit() and len(token.text) <= 2:
        return int(token.text)
    return None


def age(reading: Reading) -> Iterator[Candidate]:
    """ "I'm 33", "44 years old", "j'ai 36 ans", "（45歳）", and "Name, 27 anni," appositions."""
    doc = reading.doc
    for cue in reading.cues_in("AGE"):
        for offset in range(0, 3):
            number = _number_at(reading, cue.end + offset)
            if number is not None:
                if 15 <= number <= 80 and not reading.gaz_in(
                    "MILITARY", cue.end + offset + 1, cue.end + offset + 5
                ):
                    yield reading.candidate(
                        "age", number, 0.85, doc[cue.start : cue.end + offset + 1], "cue.age"
                    )
                break
            if cue.end + offset < len(doc) and doc[cue.end + offset].is_alpha and offset > 0:
                break
    for cue in reading.cues_in("AGE_AFTER"):
        for back in (1, 2):
            number = _number_at(reading, cue.start - back)
            if number is not None and 15 <= number <= 80:
                yield reading.candidate("age", number, 0.9, doc[cue.start - back : cue.end], "cue.age_after")
                break
    for unit in reading.gaz_in("YEAR_UNIT"):
        number = _number_at(reading, unit.start - 1)
        if number is None or not 15 <= number <= 80:
            continue
        before = doc[unit.start - 2].text if unit.start >= 2 else ""
        after = doc[unit.end].text if unit.end < len(doc) else ""
        start, end = reading.unit_of(unit.start)
        if before == "," and after == ",":
            military = reading.cues_in("SERVICE", start, end) or reading.gaz_in("BRANCH", start, end)
            confidence = 0.5 if military else 0.6
            yield reading.candidate(
                "age", number, confidence, doc[unit.start - 1 : unit.end], "apposition.age"
            )
