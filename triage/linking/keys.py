"""Blocking keys: the short ``kind:value`` strings under which a profile is indexed and looked up.

The store keeps one row per (applicant_id, key) in an indexed table; a new profile's candidates are
``SELECT applicant_id FROM applicant_key WHERE key IN (...)``, never a scan. Keys:

* ``email:<address>``, ``phone:<E.164>``: exact identifiers;
* ``passport:<hash>``: an unsalted SHA-256 prefix of the normalised number (no raw passport
  numbers in an index);
* ``nm:<phonetic>+<phonetic>``: for every pair of name tokens, the two phonetic keys sorted, so word
  order, script and romanisation do not matter (Козлов Сергей = Siarhei Kazlou);
* ``dob:<date>:<letter>``: the date of birth with the first letter of one name token's phonetic key,
  which finds a person whose name is spelt beyond recognition yet stays selective;
* for the ``febrl`` kind, address keys: ``pc:<postcode>:<letter>`` (postcode and a name initial),
  ``ad:<postcode>:<number>``, ``dp:<date>:<postcode>`` and ``st:<number>:<street word>``.

A common name (``nm:JMS+SM0``) can still match many stored people; the index owner caps how many
candidates one key may bring (see `triage.linking.index.MemoryIndex`).
"""

from __future__ import annotations

import hashlib
from itertools import combinations

from triage.linking.profile import Profile

MAX_NAME_TOKENS = 4


def _name_initials(profile: Profile) -> set[str]:
    return {t.phonetic[:1] for name in profile.normalised_names for t in name.tokens if t.phonetic}


def passport_key(passport: str) -> str:
    """Return the index key of a normalised passport number."""
    return "passport:" + hashlib.sha256(passport.encode()).hexdigest()[:20]


def blocking_keys(profile: Profile, kind: str = "applicant") -> list[str]:
    """Return the sorted, de-duplicated blocking keys of *profile* for the data *kind*."""
    keys: set[str] = set()
    keys.update(f"email:{e}" for e in profile.emails)
    keys.update(f"phone:{p}" for p in profile.phones)
    keys.update(passport_key(p) for p in profile.passports)
    for name in profile.normalised_names:
        phonetics = sorted({t.phonetic for t in name.tokens[:MAX_NAME_TOKENS]})
        keys.update(f"nm:{x}+{y}" for x, y in combinations(phonetics, 2))
    initials = _name_initials(profile)
    if profile.date_of_birth:
        keys.update(f"dob:{profile.date_of_birth}:{i}" for i in initials)
    if kind == "febrl":
        keys.update(_address_keys(profile, initials))
    return sorted(keys)


def _address_keys(profile: Profile, initials: set[str]) -> set[str]:
    extra = profile.extra
    postcode, number, street = extra.get("postcode"), extra.get("street_number"), extra.get("address_1")
    keys: set[str] = set()
    if postcode:
        keys.update(f"pc:{postcode}:{i}" for i in initials)
        if number:
            keys.add(f"ad:{postcode}:{number}")
        if profile.date_of_birth:
            keys.add(f"dp:{profile.date_of_birth}:{postcode}")
    if number and street:
        keys.add(f"st:{number}:{street.split()[0]}")
    return keys
