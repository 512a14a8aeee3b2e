"""Text primitives shared by the extractors: length-preserving folding, capped reading, clause units."""

# ruff: noqa: RUF001  (Cyrillic, CJK and full-width punctuation on purpose)

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

#: Every stage reads at most this many characters of a zone, so a 5 MB body costs the same as 50 kB.
MAX_ZONE_CHARS = 20_000
#: And at most this many characters of one message in total.
MAX_MESSAGE_CHARS = 60_000


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0530):
        char = chr(code)
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if len(base) == 1 and base != char:
            table[code] = base.lower()
    table.update(
        {
            ord("ß"): "s",
            ord("ł"): "l",
            ord("Ł"): "l",
            ord("đ"): "d",
            ord("Đ"): "d",
            ord("ø"): "o",
            ord("Ø"): "o",
            ord("æ"): "a",
            ord("Æ"): "a",
            ord("ı"): "i",
            ord("İ"): "i",
            ord("’"): "'",
            ord("ʼ"): "'",
            ord("\u3000"): " ",
            ord("ё"): "е",
            ord("Ё"): "е",
        }
    )
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Return *text* lower-cased without diacritics, keeping its length so offsets stay valid."""
    folded = text.translate(_FOLD).lower()
    if len(folded) != len(text):  # a rare character whose lower case is longer: fold char by char
        folded = "".join(c.translate(_FOLD).lower()[:1] or c for c in text)
    return folded


def fold_key(text: str) -> str:
    """Return the lookup key of a gazetteer or cue phrase: folded, punctuation as spaces, collapsed."""
    return " ".join(re.sub(r"[^\w'+]+", " ", fold(text)).split())


def caseless(char: str) -> bool:
    """True for a letter of a script written without capitals: Hebrew, Arabic, CJK, Georgian.

    Unicode gives Georgian's Mkhedruli letters Mtavruli capitals, which names are not written in, so
    Python calls every Mkhedruli letter lower case; here it counts as caseless.
    """
    return char.lower() == char.upper() or "\u10d0" <= char <= "\u10ff"


def capitalised(text: str) -> bool:
    """True when *text* starts with a capital, or with a letter of a script that has none."""
    first = text[:1]
    return first.isupper() or (first.isalpha() and caseless(first))


def starts_lower(text: str) -> bool:
    """True when *text* starts with a lower-case letter of a script that has capitals."""
    first = text[:1]
    return first.islower() and not caseless(first)


def title_name(name: str) -> str:
    """Title-case a name written all in upper or all in lower case; leave mixed case alone."""
    letters = [c for c in name if c.isalpha() and not caseless(c)]
    if letters and (all(c.isupper() for c in letters) or all(c.islower() for c in letters)):
        if any(c.isupper() or c.islower() for c in letters):
            return " ".join(w[:1].upper() + w[1:].lower() for w in name.split())
    return name


_UNIT_BREAK = re.compile(
    r"(?<=[.!?。！？;])(?<!\b[^\W\d_]\.)\s+|(?<=[。！？])|\n\s*\n"
    r"|\n(?=\s*(?:[-*•\u2022【\[]|\d+[.)]|[A-ZА-ЯЁІЇЄ][^\n]{0,40}:))"
)


def units(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of clause-like units: sentences, list items and label lines."""
    start = 0
    for match in _UNIT_BREAK.finditer(text):
        if match.start() > start:
            yield start, match.start()
        start = match.end()
    if start < len(text):
        yield start, len(text)
