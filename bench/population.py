"""A seeded synthetic population of volunteer applicants for the link benchmark: FEBRL-like, no real people.

Names come from per-culture lists and from stem + suffix morphology (so that common names repeat, as
several James Smiths do, and rare ones form a long tail), in the culture's own script where it has one
(Cyrillic, Georgian, Greek, Arabic) with a national romanisation beside it. Every address is under
``.example``; phone numbers are E.164 with random subscriber digits. Person *i* is a pure function of
(seed, i), so worker processes can generate slices of the population independently and the link
phase can rebuild any stored person to make a duplicate of them.
"""

# ruff: noqa: RUF001  (native-script names are the point of this file)
from __future__ import annotations

import random
import re
import unicodedata
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from anyascii import anyascii

# -- romanisation of the native scripts ----------------------------------------------------------------------

_UKRAINIAN = dict(
    zip(
        "абвгґдезиіклмнопрстуфхцчшщьʼ'",
        [
            "a",
            "b",
            "v",
            "h",
            "g",
            "d",
            "e",
            "z",
            "y",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "",
            "",
        ],
        strict=True,
    )
)
_UKRAINIAN_IOTATED = {
    "є": ("ye", "ie"),
    "ї": ("yi", "i"),
    "й": ("y", "i"),
    "ю": ("yu", "iu"),
    "я": ("ya", "ia"),
    "ж": ("zh", "zh"),
}
_RUSSIAN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "ie",
            "y",
            "",
            "e",
            "iu",
            "ia",
        ],
        strict=True,
    )
)
_GEORGIAN = dict(
    zip(
        "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
        [
            "a",
            "b",
            "g",
            "d",
            "e",
            "v",
            "z",
            "t",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "zh",
            "r",
            "s",
            "t",
            "u",
            "p",
            "k",
            "gh",
            "q",
            "sh",
            "ch",
            "ts",
            "dz",
            "ts",
            "ch",
            "kh",
            "j",
            "h",
        ],
        strict=True,
    )
)
_GREEK_PAIRS = (("ου", "ou"), ("αι", "ai"), ("ει", "ei"), ("οι", "oi"), ("μπ", "b"), ("ντ", "nt"))
_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        [
            "a",
            "v",
            "g",
            "d",
            "e",
            "z",
            "i",
            "th",
            "i",
            "k",
            "l",
            "m",
            "n",
            "x",
            "o",
            "p",
            "r",
            "s",
            "s",
            "t",
            "y",
            "f",
            "ch",
            "ps",
            "o",
        ],
        strict=True,
    )
)


def _cap(text: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in text.split("-"))


def romanise_ukrainian(word: str) -> str:
    """The Ukrainian national system (2010): Є, Ї, Й, Ю, Я are Ye/Yi/Y/Yu/Ya only at the start of a word."""
    out = []
    for n, ch in enumerate(word.lower()):
        if ch in _UKRAINIAN_IOTATED:
            out.append(_UKRAINIAN_IOTATED[ch][0 if n == 0 else 1])
        else:
            out.append(_UKRAINIAN.get(ch, ch))
    return _cap("".join(out))


def romanise_russian(word: str) -> str:
    """ICAO 9303 as Russian and Belarusian passports print it."""
    return _cap("".join(_RUSSIAN.get(ch, ch) for ch in word.lower()))


def romanise_georgian(word: str) -> str:
    return _cap("".join(_GEORGIAN.get(ch, ch) for ch in word))


def romanise_greek(word: str) -> str:
    """ELOT 743, accents dropped."""
    text = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))
    for greek, latin in _GREEK_PAIRS:
        text = text.replace(greek, latin)
    return _cap("".join(_GREEK.get(ch, ch) for ch in text))


# -- cultures ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Culture:
    code: str
    weight: float
    countries: tuple[tuple[str, str, tuple[str, ...]], ...]  # (ISO code, dial prefix, cities)
    given: tuple[str, ...]
    surnames: tuple[str, ...]  # the common head, most frequent first
    stems: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    romanise: Any = None  # native word -> Latin; None: the lists are Latin already
    native_share: float = 0.0  # how often such a person writes their name in the native script
    two_surnames: float = 0.0  # Spanish and Portuguese: a second family name


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


CULTURES: tuple[Culture, ...] = (
    Culture(
        "en",
        0.22,
        (
            ("US", "1", ("Austin", "Denver", "Boston", "Tampa", "Seattle", "Phoenix")),
            ("GB", "44", ("Leeds", "Bristol", "Glasgow", "Manchester")),
            ("CA", "1", ("Toronto", "Calgary")),
            ("AU", "61", ("Perth", "Brisbane")),
            ("IE", "353", ("Cork", "Galway")),
        ),
        _w(
            "James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel "
            "Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kevin Brian George Timothy Ryan Jason "
            "Jacob Gary Nicholas Eric Jonathan Stephen Justin Scott Brandon Benjamin Samuel Gregory "
            "Alexander Patrick Frank Jack Dennis Tyler Aaron Adam Nathan Henry Peter Sean Liam Connor "
            "Mary Sarah Emily Jessica Jennifer"
        ),
        _w(
            "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson "
            "Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott "
            "Hill Green Adams Baker Nelson Carter Mitchell Roberts Campbell Evans Edwards Collins Stewart "
            "Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell Kelly Howard Ward Cox "
            "Richardson Wood Watson Brooks Bennett Gray Hughes Price Sanders Myers Long Ross Foster"
        ),
        _w(
            "Ash Black Brad Brook Cald Crow Dun East Fair Glad Hart Hol Lang Mid New Oak Pen Rad Shel "
            "Stan Thorn Wal West Whit Win Al Bur Cran Hamp Kings Lind Mar Nor Red Ring Sut War Chad Dal"
        ),
        _w("ley ton ford wood field well by man worth ham stone ridge more wick son"),
    ),
    Culture(
        "uk",
        0.15,
        (
            ("UA", "380", ("Lviv", "Kharkiv", "Odesa", "Dnipro")),
            ("PL", "48", ("Warsaw", "Krakow")),
            ("DE", "49", ("Berlin", "Leipzig")),
            ("CZ", "420", ("Prague",)),
            ("CA", "1", ("Toronto",)),
        ),
        _w(
            "Олександр Сергій Андрій Дмитро Микола Іван Юрій Тарас Богдан Володимир Олег Ігор Василь "
            "Петро Роман Максим Денис Артем Ярослав Віктор Анатолій Степан Михайло Павло Євген Віталій "
            "Назар Остап Ростислав Святослав Олена Наталія Оксана Ірина Тетяна Юлія Марія Анна"
        ),
        _w(
            "Шевченко Коваленко Бондаренко Ткаченко Кравченко Мельник Олійник Шевчук Бойко Коваль "
            "Поліщук Кравчук Мороз Лисенко Марченко Савченко Руденко Петренко Клименко Павленко Гнатюк "
            "Гаврилюк Кузьменко Левченко Харченко"
        ),
        _w(
            "Бон Гон Дор Зін Кир Лоз Мах Нест Остр Пил Рад Сид Тим Фед Хом Чор Шаб Юрч Яков Гриц Дац "
            "Кулик Мирош Нагор Прокоп Сав Стець Тарас Федор Шкур Іван Онищ Гордій Деми Кос Лев Мац Сем"
        ),
        _w("енко ук юк чук ишин ський ич ко ець"),
        romanise_ukrainian,
        0.35,
    ),
    Culture(
        "ru",
        0.05,
        (
            ("BY", "375", ("Minsk", "Brest", "Grodno")),
            ("KZ", "7", ("Almaty",)),
            ("LT", "370", ("Vilnius",)),
            ("PL", "48", ("Warsaw", "Bialystok")),
            ("GE", "995", ("Tbilisi",)),
        ),
        _w(
            "Александр Сергей Дмитрий Андрей Алексей Максим Евгений Иван Михаил Николай Владимир Павел "
            "Артём Денис Игорь Константин Виктор Юрий Олег Роман Анна Елена Ольга Наталья"
        ),
        _w(
            "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов "
            "Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев"
        ),
        _w("Бел Гром Жук Зуб Кал Лап Мух Ник Рыб Сок Тар Фом Хар Чер Шил Бур Дег Лук Мал Сыч"),
        _w("ов ев ин ович ский енко"),
        romanise_russian,
        0.4,
    ),
    Culture(
        "pl",
        0.08,
        (("PL", "48", ("Warsaw", "Krakow", "Gdansk", "Lublin", "Wroclaw")),),
        _w(
            "Piotr Krzysztof Andrzej Tomasz Paweł Michał Marcin Jakub Adam Łukasz Mateusz Grzegorz "
            "Wojciech Kamil Marek Dariusz Rafał Bartosz Kacper Szymon Anna Katarzyna Magdalena"
        ),
        _w(
            "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak "
            "Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski "
            "Pawłowski Michalski Król Wieczorek Jabłoński Wróbel"
        ),
        _w("Brzez Chmiel Dud Gór Jasz Kacz Kos Lis Mał Ostr Pietrz Rut Sob Sikor Wal Zaj Bor Cie Gaj Krup"),
        _w("ski owski ewicz czyk ak ek iak"),
    ),
    Culture(
        "de",
        0.06,
        (("DE", "49", ("Berlin", "Munich", "Hamburg", "Cologne")), ("AT", "43", ("Vienna", "Graz"))),
        _w(
            "Thomas Michael Andreas Stefan Christian Markus Martin Peter Frank Jan Tobias Florian "
            "Alexander Sebastian Daniel Lukas Jonas Felix Maximilian Jürgen Uwe Klaus"
        ),
        _w(
            "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer "
            "Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange"
        ),
        _w(
            "Acker Baum Eich Feld Grün Hahn Kirch Lind Mohr Ross Stein Tann Wald Wein Ehren Frei Hel Kön "
            "Lau Zell"
        ),
        _w("mann er berg feld bach hof dorf hauser"),
    ),
    Culture(
        "fr",
        0.05,
        (("FR", "33", ("Lyon", "Marseille", "Lille", "Nantes")), ("BE", "32", ("Liège", "Namur"))),
        _w(
            "Jean Pierre Michel Philippe Nicolas Julien Antoine Thomas Alexandre Maxime Guillaume Hugo "
            "Mathis Lucas Louis Étienne François Sébastien Olivier Laurent"
        ),
        _w(
            "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre "
            "Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont "
            "Lambert Bonnet François Chevalier Fontaine Rousseau Blanc Guérin"
        ),
        _w("Beau Bel Bon Char Cour Fer Gau Lam Mar Per Ro Val Ver Dela Mon"),
        _w("ier in et ot eau and ard ais on elle"),
    ),
    Culture(
        "it",
        0.04,
        (("IT", "39", ("Turin", "Naples", "Milan", "Bologna")),),
        _w(
            "Marco Luca Giuseppe Francesco Alessandro Andrea Matteo Lorenzo Giovanni Antonio Stefano "
            "Paolo Davide Simone Federico Roberto"
        ),
        _w(
            "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti "
            "Mancini Costa Giordano Rizzo Lombardi Moretti"
        ),
        _w("Bel Car Fal Gal Lan Mar Pel Ros San Ter Vit Cap"),
        _w("etti elli ini one ucci ato ese"),
    ),
    Culture(
        "es",
        0.08,
        (
            ("ES", "34", ("Madrid", "Valencia", "Sevilla")),
            ("CO", "57", ("Bogotá", "Medellín", "Cali")),
            ("MX", "52", ("Puebla", "Monterrey")),
            ("AR", "54", ("Córdoba", "Rosario")),
        ),
        _w(
            "José Juan Carlos Luis Miguel Javier Diego Andrés Alejandro Fernando Jorge Pablo Sergio "
            "Santiago Sebastián Daniel Mateo Camilo"
        ),
        _w(
            "García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz "
            "Hernández Díaz Moreno Álvarez Muñoz Romero Alonso Gutiérrez Navarro Torres Domínguez Vargas "
            "Ramos Castro Rojas Ortiz Silva Morales"
        ),
        _w("Bel Cas Cor Gal Mar Mon Par Ser Val Vel Al Bar Fuen Pa Ri"),
        _w("ado ero ez illo ón era ano eda"),
        two_surnames=0.6,
    ),
    Culture(
        "pt",
        0.05,
        (("BR", "55", ("Curitiba", "Recife", "Porto Alegre")), ("PT", "351", ("Porto", "Braga"))),
        _w(
            "João Pedro Lucas Gabriel Rafael Matheus Gustavo Felipe Bruno Thiago Rodrigo Leonardo "
            "Eduardo Marcelo André Paulo"
        ),
        _w(
            "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins "
            "Carvalho Almeida Lopes Sousa Fernandes Vieira Barbosa Rocha Dias Nascimento Moreira Cardoso"
        ),
        _w("Al Bar Cam Car Fer Mar Mon Pin Quei Ser Tei Val"),
        _w("eira inho ares elo ão ado"),
        two_surnames=0.5,
    ),
    Culture(
        "ka",
        0.05,
        (("GE", "995", ("Tbilisi", "Batumi", "Kutaisi")),),
        _w(
            "გიორგი დავით ლევან ირაკლი ნიკოლოზ ლაშა ზურაბ გიგა ალექსანდრე მიხეილ ბექა თორნიკე ლუკა "
            "ვახტანგ ნინო თამარ"
        ),
        _w("ბერიძე კაპანაძე მაისურაძე ლომიძე გელაშვილი ბეჟანიძე"),
        _w(
            "ბერი კაპანა მაისურა ლომი გელა ხარაზი ბაქრა ჯავახი გოგი ნადირა ქავთარა ცინცა მამალა კიკნა "
            "აბაში ბურჯანა გაბუნი დოლი"
        ),
        _w("ძე შვილი ია ავა ური ანი"),
        romanise_georgian,
        0.3,
    ),
    Culture(
        "el",
        0.02,
        (("GR", "30", ("Thessaloniki", "Patras")), ("CY", "357", ("Limassol",))),
        _w(
            "Γιώργος Δημήτρης Νίκος Κώστας Γιάννης Παναγιώτης Βασίλης Χρήστος Αθανάσιος Μιχάλης "
            "Ευάγγελος Σπύρος Ανδρέας Θεόδωρος Αλέξανδρος"
        ),
        _w("Παπαδόπουλος Γεωργίου Νικολάου Οικονόμου Παπαδάκης"),
        _w("Παπα Γεωργ Νικολ Δημητρ Κωνσταντιν Ιωανν Αντων Μιχαηλ Βασιλ Χριστ Πετρ Σταυρ Καρα Μαυρ Λαμπρ"),
        _w("όπουλος ίδης άκης ίου άτος έας"),
        romanise_greek,
        0.25,
    ),
    Culture(
        "lt",
        0.04,
        (("LT", "370", ("Vilnius", "Kaunas")), ("LV", "371", ("Riga",)), ("EE", "372", ("Tartu",))),
        _w("Tomas Mantas Lukas Darius Mindaugas Andrius Jonas Paulius Vytautas Gediminas Marius Karolis"),
        _w("Kazlauskas Jankauskas Petrauskas Stankevičius Vasiliauskas"),
        _w("Kazl Jank Petr Stank Vasil Žuk Butk Paul Kaz Urb Bal Rim"),
        _w("auskas aitis ėnas ys ūnas"),
    ),
    Culture(
        "cs",
        0.04,
        (("CZ", "420", ("Brno", "Ostrava")), ("SK", "421", ("Košice",)), ("HR", "385", ("Split",))),
        _w("Jan Petr Tomáš Martin Jakub Ondřej Lukáš Marek Pavel Ivan Marko Luka Ante"),
        _w(
            "Novák Svoboda Novotný Dvořák Černý Procházka Kučera Veselý Horák Němec Horvat Kovačević "
            "Babić Marić Jurić"
        ),
        _w("Hor Kal Kos Lip Mal Nov Pol Sed Sme Tvr Vlč Zel"),
        _w("ák ek ička ý íček ović ić"),
    ),
    Culture(
        "no",
        0.03,
        (
            ("SE", "46", ("Malmö", "Uppsala")),
            ("NO", "47", ("Bergen",)),
            ("DK", "45", ("Aarhus",)),
            ("FI", "358", ("Tampere",)),
        ),
        _w("Lars Erik Sven Anders Johan Mikael Oskar Emil Magnus Henrik Jens Mads Niels"),
        _w("Lindqvist Berg Lund Holm Nyberg"),
        _w("Ander Johan Karl Nil Eric Lar Olof Han Peder Jen Niel Mik"),
        _w("sson sen"),
    ),
    Culture(
        "tr",
        0.02,
        (("TR", "90", ("Izmir", "Ankara")),),
        _w("Mehmet Mustafa Ahmet Ali Emre Burak Can Murat"),
        _w("Yılmaz Kaya Demir Şahin Çelik Yıldız Öztürk Aydın"),
        _w("Ak Bal Cel Dem Er Gül Kar Koç Öz Sar Tek Yıl Kılıç"),
        _w("soy oğlu kaya türk han er can"),
    ),
    Culture(
        "ar",
        0.01,
        (("JO", "962", ("Amman",)), ("MA", "212", ("Rabat",)), ("LB", "961", ("Tripoli",))),
        _w("محمد أحمد علي عمر يوسف خالد حسن إبراهيم مصطفى كريم"),
        _w(
            "حداد خوري منصور ناصر صالح حمدان عزيز سعيد عباس قاسم جابر الحسيني الخطيب النجار عيسى يونس "
            "سليمان شريف داود رشيد"
        ),
        romanise=None,
        native_share=0.1,
    ),
)
# Arabic names keep their common English spellings (the romanisation people use, not a standard)
ARABIC_LATIN = dict(
    zip(
        CULTURES[-1].given + CULTURES[-1].surnames,
        _w(
            "Mohammed Ahmed Ali Omar Youssef Khaled Hassan Ibrahim Mustafa Karim "
            "Haddad Khoury Mansour Nasser Saleh Hamdan Aziz Saeed Abbas Qasim Jaber Al-Husseini Al-Khatib "
            "Al-Najjar Issa Younes Suleiman Sharif Daoud Rashid"
        ),
        strict=True,
    )
)

DOMAINS = tuple(
    f"{w}.example"
    for w in _w(
        "mail post inbox web box net-mail fastpost letter courier globe"
        " posta pochta correo courriel skrzynka postbox mailhub sendme qmail umail"
    )
)
SPECIALTIES = _w("infantry medic driver drone_operator engineer artillery signals logistics sniper cook")
LANGUAGES = _w("en uk ru pl de fr es pt ka lt")
CULTURE_CUM = list(accumulate(c.weight for c in CULTURES))


def _zipf_cum(n: int, s: float = 1.0) -> list[float]:
    return list(accumulate(1 / (k + 1) ** s for k in range(n)))


_CUM: dict[tuple[str, str], list[float]] = {}


def _zipf(rng: random.Random, culture: Culture, what: str, values: tuple[str, ...]) -> str:
    cum = _CUM.get((culture.code, what))
    if cum is None:
        cum = _CUM[(culture.code, what)] = _zipf_cum(len(values), 0.6 if what == "given" else 0.8)
    return values[bisect(cum, rng.random() * cum[-1])]


# -- people --------------------------------------------------------------------------------------------------


@dataclass
class Person:
    """One synthetic person: their name in the native script (if any) and in Latin letters, and the rest."""

    index: int
    culture: Culture
    given: str
    surnames: tuple[str, ...]
    dob: str
    email: str
    phone: str
    country: str
    city: str
    nationality: str
    military: bool

    def latin(self, word: str) -> str:
        if self.culture.code == "ar":
            return ARABIC_LATIN[word]
        return self.culture.romanise(word) if self.culture.romanise else word

    @property
    def has_script(self) -> bool:
        return self.culture.native_share > 0

    def name(self, native: bool = False, surname_first: bool = False) -> str:
        given = self.given if native else self.latin(self.given)
        family = " ".join(s if native else self.latin(s) for s in self.surnames)
        return f"{family} {given}" if surname_first else f"{given} {family}"


def _ascii_word(text: str) -> str:
    return re.sub(r"[^a-z]", "", anyascii(text).lower())


def make_email(rng: random.Random, given: str, family: str, dob: str) -> str:
    g, s = _ascii_word(given), _ascii_word(family)
    pattern = rng.choice(
        ["{g}.{s}", "{g0}{s}", "{s}.{g}", "{g}{s}{yy}", "{g}{yy}", "{s}{n}", "{g}.{s}{n}", "{g0}.{s}{n}"]
    )
    local = pattern.format(g=g, s=s, g0=g[:1], yy=dob[2:4], n=rng.randrange(1, 9999))
    if "{n}" not in pattern and rng.random() < 0.6:  # taken: the provider insists on digits
        local += str(rng.randrange(1, 999))
    return f"{local}@{rng.choice(DOMAINS)}"


def person(seed: int, index: int) -> Person:
    """Return person *index* of the population of *seed*: the same person every time."""
    rng = random.Random(seed * 10_000_019 + index)
    culture = CULTURES[bisect(CULTURE_CUM, rng.random() * CULTURE_CUM[-1])]
    given = _zipf(rng, culture, "given", culture.given)
    surnames = [_surname(rng, culture)]
    if rng.random() < culture.two_surnames:
        surnames.append(_surname(rng, culture))
    country, prefix, cities = rng.choice(culture.countries)
    dob = f"{rng.randrange(1960, 2006)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    p = Person(
        index,
        culture,
        given,
        tuple(surnames),
        dob,
        "",
        "",
        country,
        rng.choice(cities),
        country if rng.random() < 0.8 else culture.countries[0][0],
        rng.random() < 0.6,
    )
    p.email = make_email(rng, p.latin(given), p.latin(surnames[0]), dob)
    p.phone = f"+{prefix}{rng.randrange(10**8, 10**9)}"
    return p


# a middle syllable in the script of the stems, so that the tail of rare surnames is long
_SYLLABLES = {
    "Latn": _w("an el or in ar en ov is al er et ol am ir us"),
    "Cyrl": _w("ан ел ор ин ар ен ол ир ус ав от ик"),
    "Geor": _w("ან ელ ორ ინ არ ოლ ურ ამ"),
    "Grek": _w("αν ελ ορ ιν αρ ολ"),
}


def _script(word: str) -> str:
    first = word[0]
    if "\u0400" <= first <= "\u04ff":
        return "Cyrl"
    if "\u10a0" <= first <= "\u10ff":
        return "Geor"
    if "\u0370" <= first <= "\u03ff":
        return "Grek"
    return "Latn"


def _surname(rng: random.Random, culture: Culture) -> str:
    """A common surname (Zipf over the list, Smith first) or, mostly, a rarer one."""
    if culture.stems and rng.random() < (0.75 if len(culture.surnames) > 10 else 0.93):
        stem = rng.choice(culture.stems)
        middle = rng.choice(_SYLLABLES[_script(stem)]) if rng.random() < 0.6 else ""
        return stem + middle + rng.choice(culture.suffixes)
    return _zipf(rng, culture, "surname", culture.surnames)


NONE_FIELDS = {
    "age": None,
    "military_experience": None,
    "years_of_service": None,
    "branch": None,
    "specialties": [],
    "languages": [],
    "has_passport": None,
}


def stored_extraction(seed: int, p: Person) -> dict[str, Any]:
    """What the extractor took from the person's first message (the stored applicant's own record)."""
    rng = random.Random(seed * 7_000_003 + p.index)
    native = p.has_script and rng.random() < p.culture.native_share
    extracted: dict[str, Any] = {
        **NONE_FIELDS,
        "full_name": p.name(native=native),
        "email": p.email,
        "phone": p.phone if rng.random() < 0.7 else None,
        "date_of_birth": p.dob if rng.random() < 0.6 else None,
        "nationality": p.nationality if rng.random() < 0.6 else None,
        "country_of_residence": p.country if rng.random() < 0.8 else None,
        "city": p.city if rng.random() < 0.7 else None,
        "military_experience": p.military,
        "specialties": rng.sample(SPECIALTIES, rng.randrange(0, 3)),
        "languages": rng.sample(LANGUAGES, rng.randrange(1, 3)),
        "evidence": {},
    }
    if p.has_script and rng.random() < 0.3:  # the message signed in both scripts
        extracted["names"] = [p.name(native=not native)]
    if rng.random() < 0.1:
        extracted["emails"] = [make_email(rng, p.latin(p.given), p.latin(p.surnames[0]), p.dob)]
    return extracted


# -- duplicates ----------------------------------------------------------------------------------------------

VARIATIONS = ("new_email", "transliterated", "typo")


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped neighbours
    if kind == 1:
        return word[:i] + word[i + 1 :]  # a letter dropped
    if kind == 2:
        return word[:i] + word[i] + word[i:]  # a letter doubled
    return word[:i] + rng.choice("aeioulnrst") + word[i + 1 :]  # a letter replaced


def duplicate_extraction(seed: int, p: Person, variation: str) -> dict[str, Any]:
    """A later message from *p*, varied: a new address, the name in another script or spelling, a typo."""
    rng = random.Random(seed * 3_000_017 + p.index)
    native = p.has_script and rng.random() < p.culture.native_share
    name = p.name(native=native, surname_first=rng.random() < 0.2)
    email = p.email
    if variation == "new_email":
        email = make_email(rng, p.latin(p.given), p.latin(p.surnames[0]), p.dob)
    elif variation == "transliterated":
        if p.has_script:
            name = p.name(native=not native) if rng.random() < 0.5 else anyascii(p.name(native=True))
        else:  # a keyboard without the letters: Wiśniewski = Wisniewski, García = Garcia
            name = anyascii(name)
            if name == p.name() or rng.random() < 0.3:
                name = p.name(surname_first=True)
        if rng.random() < 0.4:
            email = make_email(rng, p.latin(p.given), p.latin(p.surnames[0]), p.dob)
    else:
        words = name.split()
        i = rng.randrange(len(words))
        words[i] = _typo(rng, words[i])
        name = " ".join(words)
        if rng.random() < 0.5:
            email = make_email(rng, p.latin(p.given), p.latin(p.surnames[0]), p.dob)
    return {
        **NONE_FIELDS,
        "full_name": name,
        "email": email,
        "phone": p.phone if rng.random() < 0.6 else None,
        "date_of_birth": p.dob if rng.random() < 0.5 else None,
        "nationality": p.nationality if rng.random() < 0.5 else None,
        "country_of_residence": p.country if rng.random() < 0.8 else None,
        "city": p.city if rng.random() < 0.7 else None,
        "military_experience": p.military,
        "languages": ["en"],
        "evidence": {},
    }


def new_extraction(seed: int, p: Person) -> dict[str, Any]:
    """The first message of a person the store has never seen (may well share a name with someone)."""
    extracted = stored_extraction(seed, p)
    extracted.pop("names", None)
    extracted.pop("emails", None)
    return extracted
