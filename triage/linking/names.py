"""Personal names made comparable across scripts, romanisations, word order and spelling.

A name is split into tokens; each token is transliterated to ASCII (``anyascii``: ISC licence, covers
Cyrillic, Georgian, Greek, Latin diacritics and more, no native code), then *folded*: a handful of
rewrite rules that map the competing romanisations of one Cyrillic letter onto one form (Ukrainian
``h`` and Russian ``g`` for Г, ``kh``/``h`` for Kha, ``y``/``i``/``j`` for Й and И, Belarusian final
``-ou`` for ``-ov``, Polish ``w``/``sz``/``cz``, ...). Given names are then mapped onto an equivalence
class from ``data/given_names.tsv`` (Олександр = Oleksandr = Aleksandr = Alexander), and each token
gets a phonetic key (Metaphone from ``jellyfish`` on the folded form). Patronymics (``Николаевич``)
are dropped from names of three tokens or more, and comparisons ignore word order.

A stored profile keeps its names normalised (`encode_name`), stamped with `name_rules_version`, so
that matching a stored applicant never folds its names again; a stamp from other rules (a newer
``given_names.tsv``, say) makes the reader normalise afresh.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import metadata, resources

import jellyfish
from anyascii import anyascii
from rapidfuzz.distance import JaroWinkler

_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019\u02bc][^\W\d_]+)*")
# Greek omicron-upsilon is one vowel, ``ou`` in ELOT 743 (anyascii writes ``oy``)
_GREEK_DIGRAPHS = (
    ("\u03bf\u03c5", "ou"),
    ("\u03bf\u03cd", "ou"),
    ("\u039f\u03c5", "Ou"),
    ("\u039f\u03a5", "OU"),
)
# Applied in order on lowercase ASCII. Each pair folds spellings that official romanisations of the
# same letter produce; the rules are deliberately few so that distinct names stay distinct.
_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"[^a-z]", ""),
        (r"ou$", "ov"),  # Belarusian ў: Kazlou = Kozlov
        (r"ow$", "ov"),  # Polish -ów
        (r"x", "ks"),
        (r"shch", "sh"),
        (r"kh", "h"),
        (r"(?<![sczktpgdr])h", "g"),  # Ukrainian/Belarusian h = Russian g (Hnatyuk = Gnatyuk)
        (r"ck", "k"),
        (r"cz", "ch"),
        (r"sz", "sh"),
        (r"rz", "zh"),
        (r"d[sz]", "z"),  # Georgian ძ: Beridze = Beridse
        (r"t[sz]", "c"),
        (r"q", "k"),
        (r"w", "v"),
        (r"ph", "f"),
        (r"[yj]", "i"),
        (r"(.)\1+", r"\1"),
        (r"(?<=.)(?:ei|ii|ie)$", "i"),  # Sergei, Savitskii, -ie endings
    )
)
_PATRONYMIC = re.compile(r"(?:ovich|evich|ovych|evych|ovitch|avich|ovna|evna|ivna|ichna|uli|kizi)$")
_VOWELS = frozenset("AEIOU")


@dataclass(frozen=True, slots=True)
class NameToken:
    """One word of a name: as folded ASCII, its given-name class (or itself), and its phonetic key."""

    folded: str
    canonical: str
    phonetic: str


@dataclass(frozen=True, slots=True)
class Name:
    """A normalised name: its tokens in written order, patronymics removed."""

    tokens: tuple[NameToken, ...]

    @property
    def is_empty(self) -> bool:
        return not self.tokens


def _transliterate(token: str) -> str:
    if any("\u0370" <= ch <= "\u03ff" for ch in token):
        for greek, latin in _GREEK_DIGRAPHS:
            token = token.replace(greek, latin)
    return anyascii(unicodedata.normalize("NFC", token))


@lru_cache(maxsize=65536)
def fold_token(token: str) -> str:
    """Return *token* transliterated to ASCII and folded so that romanisation variants meet."""
    text = _transliterate(token).lower()
    previous = None
    while text != previous:  # to a fixed point, so that folding a folded token changes nothing
        previous = text
        for pattern, replacement in _FOLDS:
            text = pattern.sub(replacement, text)
    return text


@lru_cache(maxsize=65536)
def phonetic_key(folded: str) -> str:
    """Return the Metaphone key of a folded token, a leading vowel written as ``A``."""
    key = jellyfish.metaphone(folded) if folded else ""
    if key[:1] in _VOWELS:
        key = "A" + key[1:]
    return key or folded.upper()


def _given_names_text() -> str:
    return resources.files(__package__).joinpath("data/given_names.tsv").read_text(encoding="utf-8")


@cache
def given_name_classes() -> dict[str, str]:
    """Return the folded spelling → class label map read from ``data/given_names.tsv``."""
    classes: dict[str, str] = {}
    text = _given_names_text()
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, *variants = line.split("\t")
        folded_label = fold_token(label)
        for variant in (label, *variants):
            classes.setdefault(fold_token(variant), folded_label)
    return classes


@lru_cache(maxsize=65536)
def _token(word: str) -> NameToken | None:
    folded = fold_token(word)
    if not folded:
        return None
    canonical = given_name_classes().get(folded, folded)
    return NameToken(folded=folded, canonical=canonical, phonetic=phonetic_key(canonical))


@lru_cache(maxsize=65536)
def normalise_name(full_name: str | None) -> Name:
    """Return *full_name* as comparable tokens; an empty `Name` for None or a name with no letters."""
    if not full_name:
        return Name(())
    tokens = [t for t in (_token(w) for w in _TOKEN.findall(full_name)) if t is not None]
    if len(tokens) >= 3:
        kept = [t for t in tokens if not _PATRONYMIC.search(t.folded)]
        tokens = kept if len(kept) >= 2 else tokens
    return Name(tuple(tokens))


def token_similarity(a: NameToken, b: NameToken) -> float:
    """Return 1.0 for the same name, 0.93 for the same sound, else the Jaro-Winkler similarity."""
    if a.canonical == b.canonical or a.folded == b.folded:
        return 1.0
    jw = JaroWinkler.similarity(a.folded, b.folded)
    if a.phonetic == b.phonetic and jw >= 0.75:
        return max(0.93, jw)
    return jw


def token_alignment(a: Name, b: Name) -> list[float]:
    """Pair each token of the shorter name with its best unused token in the other, any order.

    Returns the similarities of the pairs, best first. Greedy on the similarity matrix, which for the
    two to four tokens of a name is the optimal assignment in practice. Ties go to the later tokens.
    """
    short, long_ = (a.tokens, b.tokens) if len(a.tokens) <= len(b.tokens) else (b.tokens, a.tokens)
    if len(short) == 1:  # one token: its best match
        return [max(token_similarity(short[0], t) for t in long_)]
    cells = [(token_similarity(s, t), i, j) for i, s in enumerate(short) for j, t in enumerate(long_)]
    if len(short) == 2:  # the best cell, then the other token's best among the remaining ones
        best, i, j = max(cells)
        return [best, max(cell for cell in cells if cell[1] != i and cell[2] != j)[0]]
    cells.sort(reverse=True)
    used_short: set[int] = set()
    used_long: set[int] = set()
    result: list[float] = []
    for sim, i, j in cells:
        if i in used_short or j in used_long:
            continue
        used_short.add(i)
        used_long.add(j)
        result.append(sim)
    return result


#: Raise when the code of `normalise_name` or what it calls changes what it returns (its data and the
#: libraries' versions are part of `name_rules_version` already).
NORMALISATION_REVISION = 1


@cache
def name_rules_version() -> str:
    """A stamp of everything `normalise_name` depends on: this code's revision, the token, fold and
    patronymic rules, the given-name classes, and the versions of the transliteration and phonetic
    libraries."""
    parts = [
        str(NORMALISATION_REVISION),
        _TOKEN.pattern,
        repr([(p.pattern, r) for p, r in _FOLDS]),
        repr(_GREEK_DIGRAPHS),
        _PATRONYMIC.pattern,
        _given_names_text(),
        metadata.version("anyascii"),
        metadata.version("jellyfish"),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def encode_name(name: Name) -> str:
    """Return a normalised *name* as text for a stored profile: ``folded:canonical:phonetic`` per token.

    The three parts hold only ASCII letters and digits, so spaces and colons separate them.
    """
    return " ".join(f"{t.folded}:{t.canonical}:{t.phonetic}" for t in name.tokens)


@lru_cache(maxsize=65536)
def _stored_token(text: str) -> NameToken:
    folded, canonical, phonetic = text.split(":")
    return NameToken(folded=folded, canonical=canonical, phonetic=phonetic)


@lru_cache(maxsize=65536)
def decode_name(text: str) -> Name:
    """Return the `Name` that `encode_name` wrote as *text*."""
    return Name(tuple(_stored_token(part) for part in text.split(" ")))
