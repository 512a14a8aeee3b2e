"""A synthetic population at scale: namesakes, shared birthdays and mailboxes, people who change everything.

Seeded and generated here, so the test is deterministic; every address is under ``.example``.
"""

# ruff: noqa: RUF001  (native-script names are the point of this file)
from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from triage.linking.index import MemoryIndex
from triage.linking.profile import Profile

# (Latin spelling, native spelling) of names people write in either script
SLAVIC_GIVEN = [
    ("Oleksandr", "Олександр"),
    ("Serhii", "Сергій"),
    ("Dmytro", "Дмитро"),
    ("Andrii", "Андрій"),
    ("Mykola", "Микола"),
    ("Ivan", "Іван"),
    ("Yurii", "Юрій"),
    ("Taras", "Тарас"),
    ("Bohdan", "Богдан"),
    ("Sergey", "Сергей"),
    ("Vladimir", "Владимир"),
    ("Mikhail", "Михаил"),
    ("Pavel", "Павел"),
    ("Volodymyr", "Володимир"),
    ("Oleh", "Олег"),
    ("Ihor", "Ігор"),
    ("Vasyl", "Василь"),
    ("Petro", "Петро"),
    ("Roman", "Роман"),
    ("Maksym", "Максим"),
    ("Denys", "Денис"),
    ("Artem", "Артем"),
    ("Yaroslav", "Ярослав"),
    ("Viktor", "Віктор"),
    ("Anatolii", "Анатолій"),
    ("Stepan", "Степан"),
    ("Nikolai", "Николай"),
    ("Aleksei", "Алексей"),
    ("Evgeny", "Евгений"),
    ("Konstantin", "Константин"),
    ("Igor", "Игорь"),
]
SLAVIC_SURNAMES = [
    ("Kovalenko", "Коваленко"),
    ("Shevchenko", "Шевченко"),
    ("Bondarenko", "Бондаренко"),
    ("Tkachenko", "Ткаченко"),
    ("Melnyk", "Мельник"),
    ("Kravchuk", "Кравчук"),
    ("Hnatiuk", "Гнатюк"),
    ("Kozlov", "Козлов"),
    ("Smirnov", "Смирнов"),
    ("Popov", "Попов"),
    ("Volkov", "Волков"),
    ("Lysenko", "Лисенко"),
    ("Marchenko", "Марченко"),
    ("Savchenko", "Савченко"),
    ("Rudenko", "Руденко"),
    ("Boiko", "Бойко"),
    ("Oliinyk", "Олійник"),
    ("Shevchuk", "Шевчук"),
    ("Koval", "Коваль"),
    ("Polishchuk", "Поліщук"),
    ("Moroz", "Мороз"),
    ("Pavlenko", "Павленко"),
    ("Levchenko", "Левченко"),
    ("Kharchenko", "Харченко"),
    ("Klymenko", "Клименко"),
    ("Karpenko", "Карпенко"),
    ("Havryliuk", "Гаврилюк"),
    ("Ponomarenko", "Пономаренко"),
    ("Vlasenko", "Власенко"),
    ("Kuzmenko", "Кузьменко"),
    ("Yurchenko", "Юрченко"),
    ("Kuznetsov", "Кузнецов"),
    ("Sokolov", "Соколов"),
    ("Lebedev", "Лебедев"),
    ("Novikov", "Новиков"),
    ("Morozov", "Морозов"),
    ("Petrov", "Петров"),
    ("Vasiliev", "Васильев"),
    ("Zaitsev", "Зайцев"),
    ("Pavlov", "Павлов"),
    ("Semenov", "Семенов"),
    ("Golubev", "Голубев"),
    ("Vinogradov", "Виноградов"),
]
OTHER_GIVEN = [
    "James",
    "John",
    "Michael",
    "David",
    "Daniel",
    "Thomas",
    "Lukas",
    "Jonas",
    "Mateusz",
    "Piotr",
    "Marco",
    "Luca",
    "Pierre",
    "Julien",
    "Carlos",
    "Javier",
    "Kevin",
    "Ryan",
    "Erik",
    "Lars",
    "Levan",
    "Giorgi",
    "Nikos",
    "Tomasz",
    "Marek",
    "Jan",
    "Ondrej",
    "Martin",
    "Peter",
    "Mark",
    "Sean",
    "Liam",
    "Robert",
    "William",
    "Richard",
    "Joseph",
    "Charles",
    "Christopher",
    "Matthew",
    "Anthony",
    "Andrew",
    "Joshua",
    "Brian",
    "Jason",
    "Justin",
    "Brandon",
    "Tyler",
    "Felix",
    "Jakub",
    "Kacper",
    "Wojciech",
    "Alessandro",
    "Francesco",
    "Lorenzo",
    "Antoine",
    "Hugo",
    "Mathis",
    "Diego",
    "Pablo",
    "Sergio",
    "Mindaugas",
    "Darius",
    "Tomas",
    "Nikoloz",
    "Davit",
    "Irakli",
    "Dimitrios",
    "Kostas",
    "Sven",
    "Oskar",
    "Emil",
]
OTHER_SURNAMES = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Taylor",
    "Anderson",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Rossi",
    "Russo",
    "Bianchi",
    "Martin",
    "Bernard",
    "Dubois",
    "García",
    "Fernández",
    "López",
    "Jansen",
    "Andersson",
    "Nilsson",
    "Beridze",
    "Kapanadze",
    "Papadopoulos",
    "Novák",
    "Horvat",
    "Murphy",
    "Walsh",
    "Moore",
    "Jackson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Hill",
    "Green",
    "Adams",
    "Baker",
    "Nelson",
    "Carter",
    "Mitchell",
    "Roberts",
    "Campbell",
    "Evans",
    "Edwards",
    "Collins",
    "Stewart",
    "Morris",
    "Rogers",
    "Reed",
    "Cook",
    "Morgan",
    "Bell",
    "Cooper",
    "Richardson",
    "Cox",
    "Howard",
    "Ward",
    "Peterson",
    "Gray",
    "Watson",
    "Brooks",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Kowalczyk",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Ferrari",
    "Esposito",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Fontaine",
    "Chevalier",
    "Maisuradze",
    "Gelashvili",
    "Lomidze",
    "Tsiklauri",
    "Kazlauskas",
    "Jankauskas",
    "Petrauskas",
]
COUNTRIES = {
    "US": ["Austin", "Denver", "Boston", "Tampa"],
    "GB": ["Leeds", "Bristol", "Glasgow"],
    "DE": ["Berlin", "Munich", "Hamburg"],
    "PL": ["Warsaw", "Krakow", "Gdansk"],
    "UA": ["Lviv", "Kharkiv", "Odesa"],
    "CA": ["Toronto", "Calgary"],
    "LT": ["Vilnius", "Kaunas"],
    "GE": ["Tbilisi", "Batumi"],
    "IT": ["Turin", "Naples"],
    "FR": ["Lyon", "Marseille"],
}
DOMAINS = ["mail.example", "post.example", "inbox.example", "web.example", "box.example"]


@dataclass
class Person:
    pid: int
    given: tuple[str, str]
    surname: tuple[str, str]
    country: str
    city: str
    dob: str
    phone: str
    email: str


TAKEN: set[str] = set()


def _email(rng: random.Random, given: str, surname: str, dob: str) -> str:
    """Return a new address built from the name; a taken one gets digits, as a provider insists."""
    from triage.linking.names import fold_token

    g, s = fold_token(given), fold_token(surname)
    pattern = rng.choice(["{g}.{s}", "{g0}{s}", "{s}.{g}", "{g}{s}{yy}", "{g}{yy}", "{s}{n}"])
    address = pattern.format(g=g, s=s, g0=g[:1], yy=dob[2:4], n=rng.randrange(10, 999))
    address += f"@{rng.choice(DOMAINS)}"
    while address in TAKEN:
        address = f"{rng.randrange(10, 99)}{address}"
    TAKEN.add(address)
    return address


def _person(rng: random.Random, pid: int, given: tuple[str, str], surname: tuple[str, str]) -> Person:
    country = rng.choice(sorted(COUNTRIES))
    dob = f"{rng.randrange(1960, 2003)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    phone = f"+{rng.randrange(30, 99)}{rng.randrange(10**8, 10**9)}"
    return Person(
        pid,
        given,
        surname,
        country,
        rng.choice(COUNTRIES[country]),
        dob,
        phone,
        _email(rng, given[0], surname[0], dob),
    )


def population(seed: int = 7, persons: int = 2500) -> list[tuple[int, dict[str, Any]]]:
    """Return (person id, applicant mapping) messages in sending order."""
    rng = random.Random(seed)
    TAKEN.clear()
    people: list[Person] = []
    for pid in range(persons):
        if rng.random() < 0.35:
            given, surname = rng.choice(SLAVIC_GIVEN), rng.choice(SLAVIC_SURNAMES)
        else:
            g, s = rng.choice(OTHER_GIVEN), rng.choice(OTHER_SURNAMES)
            given, surname = (g, g), (s, s)
        people.append(_person(rng, pid, given, surname))
    # namesakes: several James Smiths in one country
    for k in range(6):
        p = _person(rng, persons + k, ("James", "James"), ("Smith", "Smith"))
        p.country, p.city = "US", COUNTRIES["US"][k % len(COUNTRIES["US"])]
        people.append(p)
    # a family mailbox: brothers writing from one address
    for k in range(0, 40, 2):
        a = people[k]
        brother = rng.choice([g for g in OTHER_GIVEN if g[0] != a.given[0][0]])
        b = _person(rng, len(people), (brother, brother), a.surname)
        b.email, b.country, b.city = a.email, a.country, a.city
        people.append(b)
    # shared birthdays
    for k in range(40, 80):
        people[k].dob = people[k + 40].dob
    messages: list[tuple[int, dict[str, Any]]] = []
    for p in people:
        for n in range(rng.choice([1, 1, 2, 3])):
            messages.append((p.pid, _message(rng, p, n)))
    rng.shuffle(messages)
    return messages


def _message(rng: random.Random, p: Person, n: int) -> dict[str, Any]:
    native = rng.random() < 0.5 and p.given[1] != p.given[0]
    given, surname = (p.given[1], p.surname[1]) if native else (p.given[0], p.surname[0])
    name = f"{surname} {given}" if rng.random() < 0.3 else f"{given} {surname}"
    email = p.email if n == 0 or rng.random() < 0.5 else _email(rng, p.given[0], p.surname[0], p.dob)
    return {
        "full_name": name,
        "email": email,
        "phone": p.phone if rng.random() < 0.6 else None,
        "date_of_birth": p.dob if rng.random() < 0.5 else None,
        "country_of_residence": p.country if rng.random() < 0.8 else None,
        "city": p.city if rng.random() < 0.7 else None,
        "nationality": None,
    }


def test_synthetic_population_links_with_high_precision() -> None:
    messages = population()
    index = MemoryIndex()
    assigned = [index.add(Profile.from_mapping(m))[0] for _, m in messages]
    by_applicant: dict[int, list[int]] = {}
    by_person: dict[int, list[int]] = {}
    for i, ((pid, _), aid) in enumerate(zip(messages, assigned, strict=True)):
        by_applicant.setdefault(aid, []).append(i)
        by_person.setdefault(pid, []).append(i)
    predicted = {pair for ids in by_applicant.values() for pair in combinations(ids, 2)}
    truth = {pair for ids in by_person.values() for pair in combinations(ids, 2)}
    tp = len(predicted & truth)
    precision, recall = tp / len(predicted), tp / len(truth)
    print(f"synthetic: {len(messages)} messages, precision {precision:.4f} recall {recall:.4f}")
    assert precision >= 0.98
    assert recall >= 0.8
