"""Held-out applicant messages with known persons: the hard cases of de-duplication, deliberately included.

Built on `bench.population` (16 cultures, native scripts and national romanisations, Zipf-distributed
names), never on the dev set, so it measures how the matcher generalises. Besides ordinary persons,
every population holds:

* namesakes: groups of different people with one common name (six James Smiths in the US, four Anna
  Nowaks in Poland, ...) and random ones, each with their own address, birthday and phone, often in
  the same city;
* family mailboxes: two relatives (one surname, another given name) writing from one address in one
  city, so an equal e-mail is evidence, not proof;
* shared birthdays: two different people born on the same day.

Each person sends one to four messages; later ones may come from a new address, after a move to
another city or country, to another embassy, in another language, with the name in the other
script, romanised another way, surname first or with a typo, and with fields left out as extraction
leaves them out. Messages are shuffled. Every address is under ``.example``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any

from anyascii import anyascii

from bench.population import CULTURES, NONE_FIELDS, Culture, Person, make_email, person

EMBASSIES = ("pl", "de", "us", "uk", "fr", "lt", "ge", "cz", "ca", "it")
LANGUAGES = ("en", "uk", "ru", "pl", "de", "fr", "es", "ka", "lt", "el")
DOB_RATE = 0.5  # how often a message states the birth date
# (culture, given name, surnames, country, group size): names that many people share
COMMON_NAMES: tuple[tuple[str, str, tuple[str, ...], str, int], ...] = (
    ("en", "James", ("Smith",), "US", 6),
    ("en", "John", ("Williams",), "GB", 3),
    ("pl", "Anna", ("Nowak",), "PL", 4),
    ("pl", "Piotr", ("Kowalski",), "PL", 3),
    ("uk", "Олександр", ("Шевченко",), "UA", 4),
    ("ru", "Александр", ("Иванов",), "BY", 3),
    ("de", "Thomas", ("Müller",), "DE", 3),
    ("es", "José", ("García", "López"), "ES", 3),
    ("ka", "გიორგი", ("ბერიძე",), "GE", 3),
)


@dataclass(frozen=True, slots=True)
class Record:
    """One message: its id, the person who sent it, the extracted applicant, embassy and language."""

    record_id: str
    person: str
    extracted: dict[str, Any]
    embassy: str
    language: str


@dataclass(frozen=True, slots=True)
class HeldOut:
    """The messages, each hard case's groups of persons, and every person's name."""

    records: list[Record]
    groups: dict[str, list[list[str]]]  # "namesakes" / "family" / "birthday" -> groups of person keys
    names: dict[str, tuple[str, ...]]  # person key -> given name and surnames, as the person writes them

    @property
    def persons(self) -> int:
        return len({r.person for r in self.records})

    def case_of(self, a: str, b: str) -> str | None:
        """Return the hard case that put persons *a* and *b* together, if any.

        Two persons of one name are namesakes even outside the deliberate groups: common names
        repeat in the population by themselves.
        """
        for case, groups in self.groups.items():
            if any(a in group and b in group for group in groups):
                return case
        return "namesakes" if self.names[a] == self.names[b] else None


def _culture(code: str) -> Culture:
    return next(c for c in CULTURES if c.code == code)


class _Builder:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.people: dict[str, Person] = {}
        self.shared_email: dict[str, str] = {}
        self.taken: set[str] = set()
        self.next_index = 0

    def email(self, p: Person) -> str:
        """A new address built from the name; an address already taken gets digits, as providers insist."""
        address = make_email(self.rng, p.latin(p.given), p.latin(p.surnames[0]), p.dob)
        while address in self.taken:
            address = f"{self.rng.randrange(2, 99)}{address}"
        self.taken.add(address)
        return address

    def add(self, p: Person) -> str:
        key = f"p{len(self.people)}"
        if p.email in self.taken:
            p.email = self.email(p)
        self.taken.add(p.email)
        self.people[key] = p
        return key

    def base(self) -> Person:
        p = person(self.seed, self.next_index)
        self.next_index += 1
        return p

    def member(
        self, culture: Culture, given: str, surnames: tuple[str, ...], country: str, city: str | None = None
    ) -> Person:
        """A new person of *culture* with the given name, living in *country* (and *city* if given)."""
        p = self.base()
        iso, prefix, cities = next(c for c in culture.countries if c[0] == country)
        p = replace(
            p,
            culture=culture,
            given=given,
            surnames=surnames,
            country=iso,
            city=city or self.rng.choice(cities),
            nationality=iso if self.rng.random() < 0.8 else culture.countries[0][0],
        )
        p.phone = f"+{prefix}{self.rng.randrange(10**8, 10**9)}"
        p.email = self.email(p)
        return p


def heldout(seed: int = 11, persons: int = 3000, namesake_dob_rate: float = DOB_RATE) -> HeldOut:
    """Return the messages of *persons* ordinary persons plus the hard cases, shuffled.

    *namesake_dob_rate* is how often a message of a deliberate namesake states the birth date
    (other messages: `DOB_RATE`); 1.0 makes namesakes who differ in e-mail and birth date.
    """
    b = _Builder(seed)
    rng = b.rng
    ordinary = [b.add(b.base()) for _ in range(persons)]
    groups: dict[str, list[list[str]]] = {"namesakes": [], "family": [], "birthday": []}
    # namesakes: the common names above, then random persons given namesakes of their own
    for code, given, surnames, country, size in COMMON_NAMES:
        culture = _culture(code)
        first = b.member(culture, given, surnames, country)
        group = [b.add(first)]
        for _ in range(size - 1):
            city = first.city if rng.random() < 0.5 else None
            group.append(b.add(b.member(culture, given, surnames, country, city)))
        groups["namesakes"].append(group)
    for key in rng.sample(ordinary, max(6, persons // 100)):
        p = b.people[key]
        group = [key]
        for _ in range(rng.randrange(1, 3)):
            city = p.city if rng.random() < 0.5 else None
            group.append(b.add(b.member(p.culture, p.given, p.surnames, p.country, city)))
        groups["namesakes"].append(group)
    # family mailboxes: a relative with another given name writes from the same address, same city
    for key in rng.sample(ordinary, max(8, persons // 100)):
        p = b.people[key]
        others = [g for g in p.culture.given if p.latin(g)[:1] != p.latin(p.given)[:1]]
        relative = b.member(p.culture, rng.choice(others), p.surnames, p.country, p.city)
        relative.email = p.email
        relative_key = f"p{len(b.people)}"
        b.people[relative_key] = relative  # not through add(): the shared address is the point
        b.shared_email[key] = b.shared_email[relative_key] = p.email
        groups["family"].append([key, relative_key])
    # shared birthdays
    for _ in range(max(8, persons // 50)):
        a, c = rng.sample(ordinary, 2)
        b.people[c].dob = b.people[a].dob
        groups["birthday"].append([a, c])
    namesakes = {key for group in groups["namesakes"] for key in group}
    records: list[Record] = []
    for key, p in b.people.items():
        state = replace(p)
        dob_rate = namesake_dob_rate if key in namesakes else DOB_RATE
        for n in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
            extracted = _message(b, key, state, n, dob_rate)
            embassy = rng.choice(EMBASSIES)
            language = rng.choice(LANGUAGES)
            records.append(Record(f"h{len(records)}", key, extracted, embassy, language))
    rng.shuffle(records)
    names = {key: (p.given, *p.surnames) for key, p in b.people.items()}
    return HeldOut(records, groups, names)


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped neighbours
    return word[:i] + word[i + 1 :]  # a letter dropped


def _message(b: _Builder, key: str, p: Person, n: int, dob_rate: float) -> dict[str, Any]:
    """The applicant extracted from message *n* of person *p*; later messages may change *p* for good."""
    rng = b.rng
    if n > 0:
        if key not in b.shared_email or rng.random() < 0.2:
            # a new address, kept from now on (a relative may leave the shared one)
            if rng.random() < 0.35:
                p.email = b.email(p)
        if rng.random() < 0.12:  # moved within the country
            _, _, cities = next(c for c in p.culture.countries if c[0] == p.country)
            p.city = rng.choice(cities)
        elif rng.random() < 0.05:  # moved abroad: a new country, city and phone
            iso, prefix, cities = rng.choice(p.culture.countries)
            p.country, p.city = iso, rng.choice(cities)
            p.phone = f"+{prefix}{rng.randrange(10**8, 10**9)}"
    native = p.has_script and rng.random() < p.culture.native_share
    name = p.name(native=native, surname_first=rng.random() < 0.15)
    if n > 0:
        roll = rng.random()
        if p.has_script and roll < 0.3:  # the other script, or a romanisation of one's own
            name = p.name(native=not native) if rng.random() < 0.5 else anyascii(p.name(native=True))
        elif roll < 0.45:
            words = name.split()
            i = rng.randrange(len(words))
            words[i] = _typo(rng, words[i])
            name = " ".join(words)
        elif roll < 0.6:
            name = anyascii(name)  # a keyboard without the letters: Wiśniewski = Wisniewski
    return {
        **NONE_FIELDS,
        "full_name": name,
        "email": p.email,
        "phone": p.phone if rng.random() < 0.6 else None,
        "date_of_birth": p.dob if rng.random() < dob_rate else None,
        "nationality": p.nationality if rng.random() < 0.5 else None,
        "country_of_residence": p.country if rng.random() < 0.8 else None,
        "city": p.city if rng.random() < 0.7 else None,
        "military_experience": p.military,
        "languages": [],
        "evidence": {},
    }
