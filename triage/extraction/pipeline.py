"""Build the spaCy pipeline of each language from models/: tokenizer, folding, cue matcher and gazetteer.

Every pipeline is ``spacy.blank(lang)`` (``xx`` where spaCy has no tokenizer that works offline, a
character tokenizer for Japanese and Korean) followed by three components registered here:

* ``triage_fold``: keeps the folded text (lower case, no diacritics, same offsets) for the lookups;
* ``triage_cues``: a PhraseMatcher on LOWER over the curated cue phrases of the language and English,
  each as written and folded, writing ``doc.spans["cue"]``;
* ``triage_gazetteer``: looks token windows up in the gazetteer (exact, and by prefix for inflecting
  languages), writing ``doc.spans["gaz"]`` with the normalised value as JSON in ``kb_id_``.
"""

# ruff: noqa: RUF001  (CJK and typographic characters on purpose)

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex
from spacy.vocab import Vocab

from triage.extraction.resources import (
    CJK,
    CJK_CHARS,
    INFLECTING,
    UNSPACED,
    Entry,
    Gazetteer,
    Resources,
    load_resources,
)
from triage.extraction.text import fold, starts_lower

_TOKEN = re.compile(rf"[{CJK_CHARS}]|[^\W_{CJK_CHARS}]+(?:[.'’\-][^\W_{CJK_CHARS}]+)*|\S")
#: Hebrew letters written onto the next word: and, in, to, from, as, the, that.
_HEBREW_PREFIXES = frozenset("ובלמכהש")
_NUMBER_HYPHEN_WORD = r"(?<=[0-9])[-‐–](?=[^\W\d_])"
_GLUE = frozenset({"-", "'", "’", ".", "+"})
_KEY_JUNK = re.compile(r"[^\w'+]+")
#: Cue labels made of short function words ("no", "a", "de") that mean something else in other
#: languages: English ones are not added to other languages' matchers.
OWN_LANGUAGE_ONLY = frozenset(
    {"NEG", "BUT", "SELF", "AGE", "FROM", "FROM_WEAK", "POSSESS", "LEARNING", "EXPIRED"}
)


@lru_cache(maxsize=4)
def cached_resources(models_dir: str) -> Resources:
    """Load the resources of *models_dir* once per process."""
    return load_resources(Path(models_dir))


class CjkTokenizer:
    """One token per ideograph, kana or hangul syllable; words of other scripts as runs."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        position = 0
        for match in _TOKEN.finditer(text):
            if match.start() > position:  # keep every whitespace character so offsets match the text
                gap = text[position : match.start()]
                if gap == " " and words and not spaces[-1]:
                    spaces[-1] = True
                else:
                    words.append(gap)
                    spaces.append(False)
            words.append(match.group())
            spaces.append(False)
            position = match.end()
        if position < len(text):
            words.append(text[position:])
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)


def doc_text(doc: Doc) -> str:
    """The doc's text, built once: spaCy's ``Doc.text`` makes a Token object per token on each call."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return str(text)


def _token_keys(doc: Doc) -> tuple[list[str], list[str]]:
    """Return each token's lookup key (folded, punctuation dropped) and text; computed once per doc."""
    cached = doc.user_data.get("keys")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    text = doc_text(doc)
    folded = doc.user_data.get("folded") or fold(text)
    keys = []
    texts = []
    for start, length in doc.to_array([IDX, LENGTH]).tolist():
        piece = folded[start : start + length]
        if not piece.isalnum():
            piece = " ".join(_KEY_JUNK.sub(" ", piece).split())
        keys.append(piece)
        texts.append(text[start : start + length])
    doc.user_data["keys"] = (keys, texts)
    return keys, texts


@Language.factory("triage_fold")
def make_fold(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Create the component that stores the folded text of the doc for the later components."""

    def fold_norms(doc: Doc) -> Doc:
        doc.user_data["folded"] = fold(doc_text(doc))
        return doc

    return fold_norms


@Language.factory("triage_cues", default_config={"models_dir": "", "lang": "en"})
def make_cues(nlp: Language, name: str, models_dir: str, lang: str) -> Callable[[Doc], Doc]:
    """Create the PhraseMatcher component over the cue phrases of *lang* and English."""
    resources = cached_resources(models_dir)
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    related = resources.config.get("cue_fallbacks", {}).get(lang, [])
    for cue_lang in dict.fromkeys([lang, *related, "en"]):
        for label, phrases in resources.cues.get(cue_lang, {}).items():
            if cue_lang == "en" != lang and label in OWN_LANGUAGE_ONLY:
                continue
            # each phrase as written and without diacritics, so "construccion" and "Grüße" both match
            variants = (v for phrase in phrases for v in dict.fromkeys([phrase, fold(phrase)]))
            docs = [nlp.make_doc(variant) for variant in variants]
            matcher.add(label, docs)

    def match_cues(doc: Doc) -> Doc:
        matches = matcher(doc)
        doc.spans["cue"] = [Span(doc, s, e, label=m) for m, s, e in matches]
        doc.user_data["cue_tokens"] = {t for _, s, e in matches for t in range(s, e)}
        return doc

    return match_cues


@Language.factory("triage_gazetteer", default_config={"models_dir": "", "lang": "en"})
def make_gazetteer(nlp: Language, name: str, models_dir: str, lang: str) -> Callable[[Doc], Doc]:
    """Create the gazetteer lookup component for documents in *lang*."""
    gazetteer = cached_resources(models_dir).gazetteer
    return GazetteerMatcher(gazetteer, lang)


class GazetteerMatcher:
    """Longest-match lookup of token windows in the gazetteer; entries of other languages are ignored."""

    def __init__(self, gazetteer: Gazetteer, lang: str) -> None:
        self.gazetteer = gazetteer
        self.lang = lang
        self.stemming = lang in INFLECTING
        self.unspaced = lang in UNSPACED
        self._kb: dict[int, list[tuple[str, str]]] = {}

    def _allowed(self, entries: list[Entry]) -> list[tuple[str, str]]:
        """(label, value as JSON) of the entries this language may use; computed once per entry list."""
        cached = self._kb.get(id(entries))
        if cached is None:
            own = [(e.label, e.value) for e in entries if e.lang == self.lang]
            if own:
                chosen = [x for x in own if x[0] != "STOP"]
            else:
                chosen = [(e.label, e.value) for e in entries if e.lang in (None, "en")]
            cached = list(dict.fromkeys((label, json.dumps(value)) for label, value in chosen))
            self._kb[id(entries)] = cached
        return cached

    def _windows(self, keys: list[str], i: int, stop: int, joiner: str) -> list[tuple[int, list[Entry]]]:
        """(end, entries) of every gazetteer key spelled by tokens i..end-1, longest first.

        The window grows one token at a time (glue tokens such as "-" add nothing and cannot end it)
        while what it spells is a prefix of some key; *joiner* is "" for scripts without spaces.
        """
        exact, prefixes = self.gazetteer.exact, self.gazetteer.prefixes
        found = []
        spelled = keys[i]
        end = i + 1
        while True:
            entries = exact.get(spelled)
            if not entries and self.stemming and end - 1 > i and "'" in keys[end - 1]:
                # Turkish "Kara Kuvvetleri'nde": the name before the case suffix
                entries = exact.get(spelled.rsplit("'", 1)[0])
            if entries:
                found.append((end, entries))
            if spelled not in prefixes:
                break
            while end < stop and not keys[end]:
                end += 1
            if end >= stop:
                break
            spelled = (spelled + joiner + keys[end]).replace("' ", "'")
            end += 1
        found.reverse()
        return found

    def __call__(self, doc: Doc) -> Doc:
        keys, texts = _token_keys(doc)
        spans: list[Span] = []
        n = len(keys)
        # reach[i]: how far a window starting at i may extend before punctuation that is not glue
        reach = [n] * (n + 1)
        for index in range(n - 1, -1, -1):
            reach[index] = index if not keys[index] and texts[index] not in _GLUE else reach[index + 1]
        stems, exact, prefixes = self.gazetteer.stems, self.gazetteer.exact, self.gazetteer.prefixes
        cue_tokens = doc.user_data.get("cue_tokens", ())
        lang, stemming, hebrew = self.lang, self.stemming, self.lang == "he"
        unspaced = self.unspaced
        for i, key in enumerate(keys):
            if not key:
                continue
            known = key in exact
            windows: list[tuple[int, list[Entry]]] = []
            if known or key in prefixes:
                joiner = "" if unspaced and CJK.match(key) else " "
                windows = self._windows(keys, i, reach[i + 1], joiner)
            elif hebrew and len(key) > 3 and key[0] in _HEBREW_PREFIXES:
                # "בתל אביב", "ולונדון": a preposition or "and" written onto the word
                bare = key[2:] if key[1] in _HEBREW_PREFIXES and key[2:] in exact else key[1:]
                if bare in exact:
                    windows = [(i + 1, exact[bare])]
            matched = False
            for end, entries in windows:
                for label, kb in self._allowed(entries):
                    spans.append(Span(doc, i, end, label=label, kb_id=kb))
                    matched = True
            # a word of this language that is itself an entry (a STOP word too), or a cue word ("olen",
            # "dzimis"), is not an inflected place name
            if (
                matched
                or not stemming
                or i in cue_tokens
                or (known and any(e.lang == lang for e in exact[key]))
            ):
                continue
            if "'" in key:
                key = key.split("'", 1)[0]  # Turkish "İstanbul'da": the name before the suffix
            if len(key) >= 4 and key.isalpha():
                # a three-letter stem takes two letters of ending at most ("Brně", "Plzni"): "Merhaba" is
                # no inflection of a "Mer…"
                for cut in range(1, min(5, len(key) - 2)):
                    if len(key) - cut < 4 and cut > 2:
                        break
                    stemmed = stems.get(key[:-cut]) or exact.get(key[:-cut])
                    if stemmed:
                        allowed = self._allowed(stemmed)
                        # an inflected city is still capitalised (or written in a caseless script)
                        if starts_lower(texts[i]):
                            allowed = [a for a in allowed if a[0] != "CITY"]
                        for label, kb in allowed:
                            spans.append(Span(doc, i, i + 1, label=label, kb_id=kb))
                        if allowed:
                            break
        doc.spans["gaz"] = spans
        return doc


def build_pipeline(resources: Resources, lang: str, vocab: Vocab | None = None) -> Language:
    """Return the blank spaCy pipeline for *lang* with the triage rule components added."""
    spacy_lang = resources.config.get("spacy_lang", {}).get(lang, lang)
    if spacy_lang == "cjk":
        nlp = spacy.blank("xx", vocab=vocab or True)
        nlp.tokenizer = CjkTokenizer(nlp.vocab)
    else:
        try:
            nlp = spacy.blank(spacy_lang, vocab=vocab or True)
        except (ImportError, ValueError, OSError):
            nlp = spacy.blank("xx", vocab=vocab or True)
    if spacy_lang != "cjk":
        # "34-vuotias", "38-årig", "25-letni": the number and its word as two tokens in every language
        infixes = [*(nlp.Defaults.infixes or ()), _NUMBER_HYPHEN_WORD]
        nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]
    config = {"models_dir": str(resources.models_dir), "lang": lang}
    nlp.add_pipe("triage_fold")
    nlp.add_pipe("triage_cues", config=config)
    nlp.add_pipe("triage_gazetteer", config=config)
    return nlp


class Pipelines:
    """The pipelines of one Extractor, built on first use of each language."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources
        self.supported = frozenset(resources.config.get("languages", ()))
        self.aliases: dict[str, str] = resources.config.get("pipeline_aliases", {})
        self._cache: dict[str, Language] = {}

    def get(self, lang: str | None) -> Language:
        """Return the pipeline for *lang*, or the multilingual one for unsupported or unknown languages."""
        lang = self.aliases.get(lang or "", lang)
        key = lang if lang is not None and lang in self.supported else "xx"
        if key not in self._cache:
            self._cache[key] = build_pipeline(self.resources, key)
        return self._cache[key]

    def run(self, lang: str | None, text: str) -> Doc:
        """Run *text* through the pipeline of *lang*; the doc keeps *text* (see `doc_text`)."""
        nlp = self.get(lang)
        doc = nlp.make_doc(text)
        doc.user_data["text"] = text
        for _, component in nlp.pipeline:
            doc = component(doc)
        return doc
