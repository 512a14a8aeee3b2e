"""The extraction facade: from a parsed, classified message to applicants with their evidence."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from triage.extraction.evidence import Candidate, Extraction
from triage.extraction.fields import contacts, dates, geo, names, service, skills
from triage.extraction.language import LanguageIdentifier
from triage.extraction.ner import NerMode, NerModels
from triage.extraction.pipeline import Pipelines, cached_resources
from triage.extraction.reading import Reading
from triage.extraction.resolve import resolve
from triage.extraction.text import fold
from triage.extraction.zones import Zone, message_zones
from triage.mail.category import PERSON_CATEGORIES, Category
from triage.mail.message import Address, ParsedMessage

log = logging.getLogger(__name__)

#: A zone shorter than this takes the message's language instead of its own guess.
_MIN_ZONE_FOR_LANGUAGE = 60


class Extractor:
    """Loads models/ once and extracts applicants from messages; safe to reuse for many messages."""

    def __init__(
        self,
        models_dir: Path,
        *,
        ner_mode: NerMode = "off",
        ner_models: Mapping[str, str] | None = None,
    ) -> None:
        self.resources = cached_resources(str(Path(models_dir).resolve()))
        self.pipelines = Pipelines(self.resources)
        self.identifier = LanguageIdentifier()
        self.ner = NerModels(ner_mode, ner_models or {})
        config = self.resources.config
        self.month_day_countries = frozenset(config.get("month_day_countries", ()))
        self.phone_regions: dict[str, list[str]] = config.get("phone_regions", {})

    def extract(self, parsed: ParsedMessage, category: Category) -> Extraction:
        """Return the message's language and, for applications and questions, its applicant(s).

        A forward is read through ``parsed.forward`` (set by ``triage.mail.forwards.unwrap_forward``
        before this call, as the parse stage and ``triage extract`` do): its original author is the
        applicant and the staff note is not read.
        """
        zones = message_zones(parsed)
        language = self._language(zones, parsed)
        result = Extraction(language=language, zones=[z.text for z in zones])
        if category not in PERSON_CATEGORIES:
            return result
        own = [z for z in zones if z.source != "signature"]
        readings = [self._read(zone, language, single=len(own) <= 1) for zone in zones]
        author = parsed.author
        on_behalf = any(r.cues_in("BEHALF") for r in readings if r.zone.source != "signature")
        candidates = list(self._candidates(readings, author, on_behalf))
        if not on_behalf:  # "my brother Ahmed Hassan wants to volunteer": a relative named is the applicant
            on_behalf = any(c.extractor == "cue.behalf" and c.source != "signature" for c in candidates)
        author_name, author_email = (author.name, author.email) if author else ("", "")
        people = split_people(candidates, author_name)
        if people is None:
            result.candidates = candidates
            result.applicants = [
                resolve(candidates, author_name=author_name, on_behalf=on_behalf, author_email=author_email)
            ]
            return result
        for number, group in enumerate(people):
            group = [replace(c, person=number) for c in group]
            result.candidates += group
            result.applicants.append(resolve(group, author_name=author_name, author_email=author_email))
        return result

    def _language(self, zones: list[Zone], parsed: ParsedMessage) -> str | None:
        own = "\n".join(z.text for z in zones if z.source != "signature")
        code, _ = self.identifier.identify(own or "\n".join(z.text for z in zones) or parsed.subject)
        return code

    def _read(self, zone: Zone, language: str | None, *, single: bool = False) -> Reading:
        lang = language
        if len(zone.text) >= _MIN_ZONE_FOR_LANGUAGE and zone.source != "signature" and not single:
            guess, score = self.identifier.identify(zone.text)
            if guess and score >= 0.5:
                lang = guess
        return Reading.of(zone, self.pipelines.run(lang, zone.text), lang)

    def _candidates(
        self, readings: list[Reading], author: Address | None, on_behalf: bool
    ) -> Iterator[Candidate]:
        """Every field's candidates; places first, as dates and phones read by the writer's country."""
        name_cands = [*names.header_name(author)]
        for reading in readings:
            name_cands += names.cue_names(reading)
            name_cands += names.signature_names(reading)
            name_cands += self.ner.names(reading)
        yield from name_cands
        geo_cands: list[Candidate] = []
        for reading in readings:
            geo_cands += geo.nationality(reading, self.resources.language_countries)
        nationality = _best_value(geo_cands, "nationality")
        for reading in readings:
            own = self.phone_regions.get(reading.lang or "", [])
            hints = tuple(dict.fromkeys([*(c for c in [nationality] if c), *own]))
            geo_cands += geo.residence(reading, hints)
        geo_cands = _drop_names_as_places(geo_cands, name_cands)
        yield from geo_cands
        country = _writer_country(geo_cands)
        month_first = country in self.month_day_countries
        regions = list(
            dict.fromkeys(
                [c for c in (country, nationality) if c]
                + [r for reading in readings for r in self.phone_regions.get(reading.lang or "", [])]
                + self.phone_regions.get("xx", [])
            )
        )
        yield from contacts.header_email(author)
        for reading in readings:
            yield from contacts.text_emails(reading)
            yield from contacts.phones(reading, regions)
            yield from dates.date_of_birth(reading, month_first, on_behalf)
            yield from dates.age(reading)
            yield from service.service(reading)
            yield from skills.languages(reading)
            yield from skills.passport(reading)


def split_people(candidates: list[Candidate], author_name: str) -> list[list[Candidate]] | None:
    """Group candidates by person when the text introduces several ("Name: …" blocks); else None.

    Each labelled or cued name starts a block that runs to the next one; the header's candidates go
    to the block whose name shares a word with the author's, and text before the first block is the
    writer's own covering note.
    """
    anchors: list[tuple[frozenset[str], Candidate]] = []
    for cand in sorted(candidates, key=lambda c: (c.zone, c.span[0])):
        if cand.field == "full_name" and cand.extractor in ("cue.name", "answer.name"):
            words = frozenset(fold(str(cand.value)).split())
            # "My name is Travis Harmon" … "Full name: Travis Lee Harmon": one person named twice
            if words and not any(words <= seen or seen <= words for seen, _ in anchors):
                anchors.append((words, cand))
    if len(anchors) < 2:
        return None
    starts = [cand for _, cand in anchors]
    groups: list[list[Candidate]] = [[] for _ in starts]
    author_words = set(fold(author_name).split())
    for cand in candidates:
        if cand.source == "header":
            for index, anchor in enumerate(starts):
                if author_words & set(fold(str(anchor.value)).split()):
                    groups[index].append(cand)
            continue
        position = (cand.zone, cand.span[0])
        owner = None
        for index, anchor in enumerate(starts):
            if (anchor.zone, anchor.span[0]) <= position:
                owner = index
        if owner is not None:
            groups[owner].append(cand)
    return groups


def _drop_names_as_places(places: list[Candidate], name_cands: list[Candidate]) -> list[Candidate]:
    """A signature line that is the writer's first name is not a town that happens to share it."""
    words = {w for c in name_cands for w in fold(str(c.value)).split()}
    dropped = {
        (c.zone, c.span)
        for c in places
        if c.extractor.startswith("signature.place") and fold(c.text) in words
    }
    return [
        c for c in places if not (c.extractor.startswith("signature.place") and (c.zone, c.span) in dropped)
    ]


def _best_value(cands: list[Candidate], field: str) -> str | None:
    chosen = [c for c in cands if c.field == field]
    return str(max(chosen, key=lambda c: c.confidence).value) if chosen else None


def _writer_country(cands: list[Candidate]) -> str | None:
    return _best_value(cands, "country_of_residence") or _best_value(cands, "nationality")
