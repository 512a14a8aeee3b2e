"""Optional trained NER pipelines, one per language, chosen in the config: off, auto or required."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Literal

import spacy
from spacy.language import Language

from triage.extraction.errors import NerModelError
from triage.extraction.evidence import Candidate
from triage.extraction.reading import Reading

log = logging.getLogger(__name__)

NerMode = Literal["off", "auto", "required"]
_PERSON = frozenset({"PERSON", "PER"})


class NerModels:
    """Loads the configured pipelines once; ``auto`` skips missing ones, ``required`` raises."""

    def __init__(self, mode: NerMode, models: Mapping[str, str]) -> None:
        self.mode = mode
        self._by_lang: dict[str, Language] = {}
        if mode == "off":
            return
        for lang, name in models.items():
            try:
                nlp = spacy.load(name, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler"])
            except (OSError, ImportError, ValueError) as exc:
                if mode == "required":
                    raise NerModelError(
                        f"NER pipeline for {lang!r} cannot be loaded from {name!r}: {exc}"
                    ) from exc
                log.warning(
                    "ner: pipeline for %s not loaded (%s); using rules only", lang, type(exc).__name__
                )
                continue
            if "ner" not in nlp.pipe_names:
                if mode == "required":
                    raise NerModelError(f"pipeline {name!r} for {lang!r} has no ner component")
                continue
            self._by_lang[lang] = nlp

    def languages(self) -> frozenset[str]:
        return frozenset(self._by_lang)

    def names(self, reading: Reading) -> Iterator[Candidate]:
        """Person entities of the zone, only when a pipeline exists for the zone's own language."""
        nlp = self._by_lang.get(reading.lang or "")
        if nlp is None:
            return
        doc = nlp(reading.text)
        for ent in doc.ents:
            if ent.label_ in _PERSON and len(ent.text.split()) >= 2:
                yield reading.candidate(
                    "full_name", ent.text.strip(), 0.7, (ent.start_char, ent.end_char), f"ner.{reading.lang}"
                )
