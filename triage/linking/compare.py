"""Field comparators: each puts a pair of profiles into one agreement level of one field.

A comparator returns a level name (``"exact"``, ``"close"``, ``"different"``, ...) or None when
either side lacks the field; the scorer turns levels into weights. Multi-valued fields (emails,
phones, names) take the best level over all pairs of values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import product

from rapidfuzz.distance import JaroWinkler, Levenshtein

from triage.linking.names import Name, token_alignment
from triage.linking.profile import Profile

Comparator = Callable[[Profile, Profile], str | None]

_NON_LETTERS = re.compile(r"[^a-z]")
_NAME_LEVELS = ("exact", "close", "partial", "initials", "different")


def _best(levels: list[str], order: tuple[str, ...]) -> str | None:
    return min(levels, key=order.index) if levels else None


def name_level(a: Name, b: Name) -> str:
    """Return how two normalised names agree, ignoring word order and extra middle names.

    ``exact``: every token of the shorter name (two or more) has the same name in the other;
    ``close``: all such tokens sound alike or nearly match; ``partial``: one token agrees and the
    rest nearly so; ``initials``: one token agrees, the other shares its first letter;
    ``different`` otherwise.
    """
    sims = token_alignment(a, b)
    if not sims:
        return "different"
    single = min(len(a.tokens), len(b.tokens)) == 1
    if not single and min(sims) == 1.0:
        return "exact"
    if not single and min(sims) >= 0.92:
        return "close"
    if sims[0] >= 0.92 and (single or sims[-1] >= 0.8):
        return "partial"
    if sims[0] >= 0.92 and _initial_stands_for_name(a, b):
        return "initials"
    return "different"


def _initial_stands_for_name(a: Name, b: Name) -> bool:
    """True if one name abbreviates a word to its initial and all first letters agree (J. Whitfield)."""
    if not any(len(t.folded) == 1 for t in (*a.tokens, *b.tokens)):
        return False
    initials_a = {t.canonical[:1] for t in a.tokens}
    initials_b = {t.canonical[:1] for t in b.tokens}
    short = initials_a if len(initials_a) <= len(initials_b) else initials_b
    return short <= (initials_a & initials_b)


def compare_names(a: Profile, b: Profile) -> str | None:
    names_a, names_b = a.normalised_names, b.normalised_names
    if not names_a or not names_b:
        return None
    return _best([name_level(x, y) for x, y in product(names_a, names_b)], _NAME_LEVELS)


@lru_cache(maxsize=65536)
def _local_part(address: str) -> tuple[str, str]:
    """The local part of an address, and its letters only."""
    local = address.partition("@")[0]
    return local, _NON_LETTERS.sub("", local)


def _share_run(x: str, y: str, length: int) -> bool:
    """True if *x* and *y* have a common substring of *length* characters."""
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    return any(short[i : i + length] in long_ for i in range(len(short) - length + 1))


def _email_level(x: str, y: str) -> str:
    if x == y:
        return "exact"
    local_x, letters_x = _local_part(x)
    local_y, letters_y = _local_part(y)
    if JaroWinkler.similarity(local_x, local_y) >= 0.92:
        return "close"
    # A shared name-like run of letters (giorgi.beridze84 / beridze.g), six or more and at least half
    # of the shorter address, not just a common given name (viktor.castillo / viktor.quinlan are two
    # people).
    run = max(6, (min(len(letters_x), len(letters_y)) + 1) // 2)
    return "close" if _share_run(letters_x, letters_y, run) else "different"


def compare_emails(a: Profile, b: Profile) -> str | None:
    if not a.emails or not b.emails:
        return None
    levels = [_email_level(x, y) for x, y in product(a.emails, b.emails)]
    return _best(levels, ("exact", "close", "different"))


def compare_phones(a: Profile, b: Profile) -> str | None:
    if not a.phones or not b.phones:
        return None
    if set(a.phones) & set(b.phones):
        return "exact"
    if {p[-8:] for p in a.phones} & {p[-8:] for p in b.phones}:
        return "close"  # same subscriber number written with another country or trunk code
    return "different"


def compare_passports(a: Profile, b: Profile) -> str | None:
    if not a.passports or not b.passports:
        return None
    return "exact" if set(a.passports) & set(b.passports) else "different"


def compare_dob(a: Profile, b: Profile) -> str | None:
    x, y = a.date_of_birth, b.date_of_birth
    if not x or not y:
        return None
    if x == y:
        return "exact"
    if x[:4] == y[:4] and x[5:7] == y[8:10] and x[8:10] == y[5:7]:
        return "transposed"  # 03/04 read the other way round
    if Levenshtein.distance(x, y) == 1:
        return "typo"
    return "different"


def _equal(x: str | None, y: str | None) -> str | None:
    if not x or not y:
        return None
    return "exact" if x == y else "different"


def compare_place(a: Profile, b: Profile) -> str | None:
    """Compare where two profiles live as one field, since a city implies its country.

    ``city``: same or nearly the same city; ``country``: same country (stated, or a phone's), a city
    known on at most one side; ``city_differs``: two different cities, countries not different;
    ``country_differs``: two different countries.
    """
    country_a, country_b = a.residence_or_phone_country, b.residence_or_phone_country
    if country_a and country_b and country_a != country_b:
        return "country_differs"
    if a.city and b.city:
        if a.city == b.city or JaroWinkler.similarity(a.city, b.city) >= 0.9:
            return "city"
        return "city_differs"
    if country_a and country_b:
        return "country"
    return None


def compare_nationality(a: Profile, b: Profile) -> str | None:
    return _equal(a.nationality, b.nationality)


def compare_city(a: Profile, b: Profile) -> str | None:
    x, y = a.city, b.city
    if not x or not y:
        return None
    if x == y:
        return "exact"
    return "close" if JaroWinkler.similarity(x, y) >= 0.9 else "different"


def compare_extra_text(key: str) -> Comparator:
    """Return a comparator of free-text extra field *key*: exact, close (Jaro-Winkler >= 0.9), different."""

    def compare(a: Profile, b: Profile) -> str | None:
        x, y = a.extra.get(key), b.extra.get(key)
        if not x or not y:
            return None
        if x == y:
            return "exact"
        return "close" if JaroWinkler.similarity(x, y) >= 0.9 else "different"

    return compare


def compare_extra_code(key: str) -> Comparator:
    """Return a comparator of the code-like extra field *key*: exact, one edit apart, different."""

    def compare(a: Profile, b: Profile) -> str | None:
        x, y = a.extra.get(key), b.extra.get(key)
        if not x or not y:
            return None
        if x == y:
            return "exact"
        return "close" if Levenshtein.distance(x, y) == 1 else "different"

    return compare
