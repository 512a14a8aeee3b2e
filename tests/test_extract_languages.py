"""Short volunteer letters in the languages with thinner cue lists, written for these tests.

Each letter states a profile the way a native writer would; the test checks the fields a careful
reader takes from it. A second set of letters denies any military past in each language.
"""

# ruff: noqa: RUF001  (letters in Cyrillic, Georgian, Hebrew and Hangul on purpose)

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.extract_support import extractor, run

# (language, header display name, letter, fields expected)
LETTERS: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "be",
        "Алесь Каваленка",
        "Добры дзень!\n\n"
        "Мяне завуць Алесь Каваленка, мне 35 гадоў, жыву ў Гродне. Я грамадзянін Беларусі.\n"
        "Адслужыў 5 гадоў у войску па кантракце, быў кулямётчыкам і вадзіцелем.\n"
        "Размаўляю па-беларуску, па-руску і па-польску. Маю сапраўдны пашпарт.\n\n"
        "З павагай,\nАлесь Каваленка\n",
        {
            "full_name": "Алесь Каваленка",
            "nationality": "BY",
            "city": "Hrodna",
            "country_of_residence": "BY",
            "age": 35,
            "military_experience": True,
            "years_of_service": 5,
            "branch": "army",
            "specialties": ["driver", "infantry"],
            "languages": ["be", "pl", "ru"],
            "has_passport": True,
        },
    ),
    (
        "fi",
        "Mikko Laaksonen",
        "Hei,\n\n"
        "nimeni on Mikko Laaksonen ja olen 34 vuotta vanha. Olen Suomen kansalainen ja asun "
        "Tampereella.\n"
        "Varusmiespalveluksen jälkeen palvelin kuusi vuotta Puolustusvoimien tykistössä. Olen myös "
        "koulutettu tarkka-ampuja.\n"
        "Puhun suomea, ruotsia ja englantia. Minulla on voimassa oleva passi.\n\n"
        "Ystävällisin terveisin\nMikko Laaksonen\n",
        {
            "full_name": "Mikko Laaksonen",
            "nationality": "FI",
            "city": "Tampere",
            "country_of_residence": "FI",
            "age": 34,
            "military_experience": True,
            "years_of_service": 6,
            "branch": "army",
            "specialties": ["artillery", "sniper"],
            "languages": ["en", "fi", "sv"],
            "has_passport": True,
        },
    ),
    (
        "fi",
        "Leena Heikkinen",
        "Hei!\n\n"
        "Kirjoitan veljeni puolesta. Veljeni Janne Heikkinen on syntynyt 14.5.1988 ja asuu Turussa.\n"
        "Hän palveli viisi vuotta merivoimissa viestimiehenä. Hänen passinsa on valitettavasti "
        "vanhentunut.\n\n"
        "Terveisin\nLeena Heikkinen\n",
        {
            "full_name": "Janne Heikkinen",
            "date_of_birth": "1988-05-14",
            "city": "Turku",
            "country_of_residence": "FI",
            "military_experience": True,
            "years_of_service": 5,
            "branch": "navy",
            "specialties": ["signals"],
            "has_passport": False,
        },
    ),
    (
        "he",
        "דניאל כהן",
        "שלום רב,\n\n"
        "שמי דניאל כהן, אני בן 29 וגר בחיפה. אני אזרח ישראלי.\n"
        'שירתתי בצה"ל 4 שנים כלוחם בחטיבת גולני ואחר כך כחובש קרבי.\n'
        "אני מדבר עברית, אנגלית ורוסית. יש לי דרכון בתוקף.\n\n"
        "בברכה,\nדניאל כהן\n",
        {
            "full_name": "דניאל כהן",
            "nationality": "IL",
            "city": "Haifa",
            "country_of_residence": "IL",
            "age": 29,
            "military_experience": True,
            "years_of_service": 4,
            "branch": "army",
            "specialties": ["infantry", "medic"],
            "languages": ["en", "he", "ru"],
            "has_passport": True,
        },
    ),
    (
        "ka",
        "გიორგი ბერიძე",
        "გამარჯობა,\n\n"
        "მე მქვია გიორგი ბერიძე, ვარ 31 წლის და ვცხოვრობ თბილისში. ვარ საქართველოს მოქალაქე.\n"
        "საქართველოს თავდაცვის ძალებში ვმსახურობდი 6 წელი, ვიყავი მესანგრე და მძღოლი.\n"
        "ვლაპარაკობ ქართულად, რუსულად და ინგლისურად. მაქვს მოქმედი პასპორტი.\n\n"
        "პატივისცემით,\nგიორგი ბერიძე\n",
        {
            "nationality": "GE",
            "city": "Tbilisi",
            "country_of_residence": "GE",
            "age": 31,
            "military_experience": True,
            "years_of_service": 6,
            "branch": "army",
            "specialties": ["driver", "engineer"],
            "languages": ["en", "ka", "ru"],
            "has_passport": True,
        },
    ),
    (
        "ko",
        "김민준",
        "안녕하세요.\n\n"
        "제 이름은 김민준입니다. 32살이고 부산광역시에 거주하고 있습니다. 대한민국 국적입니다.\n"
        "육군에서 5년 동안 포병으로 복무했고 운전병 경험도 있습니다.\n"
        "한국어와 영어를 할 수 있습니다. 유효한 여권을 가지고 있습니다.\n\n"
        "감사합니다.\n김민준\n",
        {
            "full_name": "김민준",
            "nationality": "KR",
            "city": "Busan",
            "country_of_residence": "KR",
            "age": 32,
            "military_experience": True,
            "years_of_service": 5,
            "branch": "army",
            "specialties": ["artillery", "driver"],
            "languages": ["en", "ko"],
            "has_passport": True,
        },
    ),
    (
        "ro",
        "Andrei Popescu",
        "Bună ziua,\n\n"
        "Mă numesc Andrei Popescu, am 30 de ani și locuiesc în Cluj-Napoca. Sunt cetățean român.\n"
        "Am servit șapte ani în Forțele Terestre, mai întâi ca lunetist, apoi ca șofer.\n"
        "Vorbesc română, engleză și franceză. Am pașaport valabil.\n\n"
        "Cu stimă,\nAndrei Popescu\n",
        {
            "full_name": "Andrei Popescu",
            "nationality": "RO",
            "city": "Cluj-Napoca",
            "country_of_residence": "RO",
            "age": 30,
            "military_experience": True,
            "years_of_service": 7,
            "branch": "army",
            "specialties": ["driver", "sniper"],
            "languages": ["en", "fr", "ro"],
            "has_passport": True,
        },
    ),
    (
        "ro",
        "Ioana Munteanu",
        "Bună ziua,\n\n"
        "Scriu în numele fratelui meu, Mihai Munteanu. Data nașterii: 03.07.1991, locuiește în Iași.\n"
        "A făcut armata și a fost militar angajat patru ani la artilerie. Pașaportul lui este expirat.\n\n"
        "Mulțumesc,\nIoana Munteanu\n",
        {
            "full_name": "Mihai Munteanu",
            "date_of_birth": "1991-07-03",
            "city": "Iaşi",
            "country_of_residence": "RO",
            "military_experience": True,
            "years_of_service": 4,
            "branch": "army",
            "specialties": ["artillery"],
            "has_passport": False,
        },
    ),
    (
        "sk",
        "Martin Kováč",
        "Dobrý deň,\n\n"
        "volám sa Martin Kováč, mám 36 rokov a bývam v Košiciach. Som občan Slovenskej republiky.\n"
        "V Ozbrojených silách SR som slúžil osem rokov ako delostrelec a neskôr ako vodič.\n"
        "Hovorím slovensky, anglicky a trochu nemecky. Mám platný cestovný pas.\n\n"
        "S pozdravom\nMartin Kováč\n",
        {
            "full_name": "Martin Kováč",
            "nationality": "SK",
            "city": "Košice",
            "country_of_residence": "SK",
            "age": 36,
            "military_experience": True,
            "years_of_service": 8,
            "branch": "army",
            "specialties": ["artillery", "driver"],
            "languages": ["de", "en", "sk"],
            "has_passport": True,
        },
    ),
    (
        "tr",
        "Emre Aydın",
        "Merhaba,\n\n"
        "Benim adım Emre Aydın. 34 yaşındayım ve İzmir'de yaşıyorum. Türk vatandaşıyım.\n"
        "Kara Kuvvetleri'nde 6 yıl topçu olarak görev yaptım, keskin nişancı eğitimi de aldım.\n"
        "Türkçe, İngilizce ve biraz Almanca konuşuyorum. Geçerli pasaportum var.\n\n"
        "Saygılarımla,\nEmre Aydın\n",
        {
            "full_name": "Emre Aydın",
            "nationality": "TR",
            "city": "İzmir",
            "country_of_residence": "TR",
            "age": 34,
            "military_experience": True,
            "years_of_service": 6,
            "branch": "army",
            "specialties": ["artillery", "sniper"],
            "languages": ["de", "en", "tr"],
            "has_passport": True,
        },
    ),
    (
        "tr",
        "Zeynep Yılmaz",
        "Merhaba,\n\n"
        "Kardeşim Mehmet Yılmaz adına yazıyorum. Kendisi 1992 doğumlu ve Antalya'da yaşıyor.\n"
        "Deniz Kuvvetleri'nde 4 yıl astsubay olarak görev yaptı, telsizciydi. Pasaportunun süresi "
        "dolmuş.\n\n"
        "Teşekkürler,\nZeynep Yılmaz\n",
        {
            "full_name": "Mehmet Yılmaz",
            "city": "Antalya",
            "country_of_residence": "TR",
            "military_experience": True,
            "years_of_service": 4,
            "branch": "navy",
            "specialties": ["signals"],
            "has_passport": False,
        },
    ),
    (
        "sv",
        "Johan Lindqvist",
        "Hej!\n\n"
        "Jag heter Johan Lindqvist och är 29 år gammal. Jag är svensk medborgare och bor i Göteborg.\n"
        "Efter värnplikten tjänstgjorde jag fyra år vid artilleriet som sjukvårdare.\n"
        "Jag talar svenska, engelska och tyska. Jag har ett giltigt pass.\n\n"
        "Med vänlig hälsning\nJohan Lindqvist\n",
        {
            "full_name": "Johan Lindqvist",
            "nationality": "SE",
            "city": "Gothenburg",
            "country_of_residence": "SE",
            "age": 29,
            "military_experience": True,
            "years_of_service": 4,
            "branch": "army",
            "specialties": ["artillery", "medic"],
            "languages": ["de", "en", "sv"],
            "has_passport": True,
        },
    ),
    (
        "nl",
        "Daan Verhoeven",
        "Beste,\n\n"
        "Mijn naam is Daan Verhoeven, ik ben 31 jaar oud en woon in Utrecht. Ik heb de Nederlandse "
        "nationaliteit.\n"
        "Ik heb acht jaar bij de Koninklijke Landmacht gediend als verkenner en later als chauffeur.\n"
        "Ik spreek Nederlands, Engels en Duits. Mijn paspoort is geldig tot 2031.\n\n"
        "Met vriendelijke groet,\nDaan Verhoeven\n",
        {
            "full_name": "Daan Verhoeven",
            "nationality": "NL",
            "city": "Utrecht",
            "country_of_residence": "NL",
            "age": 31,
            "military_experience": True,
            "years_of_service": 8,
            "branch": "army",
            "specialties": ["driver", "intelligence"],
            "languages": ["de", "en", "nl"],
            "has_passport": True,
        },
    ),
    (
        "hr",
        "Ivan Horvat",
        "Poštovani,\n\n"
        "zovem se Ivan Horvat, imam 38 godina i živim u Splitu. Hrvatski sam državljanin.\n"
        "U Hrvatskoj vojsci služio sam deset godina u topništvu, a zatim kao vozač.\n"
        "Govorim hrvatski, engleski i njemački. Imam važeću putovnicu.\n\n"
        "Srdačan pozdrav,\nIvan Horvat\n",
        {
            "full_name": "Ivan Horvat",
            "nationality": "HR",
            "city": "Split",
            "country_of_residence": "HR",
            "age": 38,
            "military_experience": True,
            "years_of_service": 10,
            "branch": "army",
            "specialties": ["artillery", "driver"],
            "languages": ["de", "en", "hr"],
            "has_passport": True,
        },
    ),
    (
        "lt",
        "Tomas Kazlauskas",
        "Laba diena,\n\n"
        "mano vardas Tomas Kazlauskas, man 27 metai, gyvenu Kaune. Esu Lietuvos pilietis.\n"
        "Lietuvos kariuomenėje tarnavau penkerius metus, buvau snaiperis ir žvalgas.\n"
        "Kalbu lietuviškai, angliškai ir rusiškai. Turiu galiojantį pasą.\n\n"
        "Pagarbiai,\nTomas Kazlauskas\n",
        {
            "full_name": "Tomas Kazlauskas",
            "nationality": "LT",
            "city": "Kaunas",
            "country_of_residence": "LT",
            "age": 27,
            "military_experience": True,
            "years_of_service": 5,
            "branch": "army",
            "specialties": ["intelligence", "sniper"],
            "languages": ["en", "lt", "ru"],
            "has_passport": True,
        },
    ),
    (
        "lv",
        "Jānis Bērziņš",
        "Labdien!\n\n"
        "Mani sauc Jānis Bērziņš, man ir 33 gadi, dzīvoju Rīgā. Esmu Latvijas pilsonis.\n"
        "Nacionālajos bruņotajos spēkos dienēju septiņus gadus par mehāniķi un autovadītāju.\n"
        "Runāju latviski, angliski un krieviski. Man ir derīga pase.\n\n"
        "Ar cieņu,\nJānis Bērziņš\n",
        {
            "full_name": "Jānis Bērziņš",
            "nationality": "LV",
            "city": "Riga",
            "country_of_residence": "LV",
            "age": 33,
            "military_experience": True,
            "years_of_service": 7,
            "branch": "army",
            "specialties": ["driver", "mechanic"],
            "languages": ["en", "lv", "ru"],
            "has_passport": True,
        },
    ),
]

# (language, letter, fields expected): each writer says they never served
DENIALS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "be",
        "Добры дзень. Мяне завуць Марына Лукашэвіч, жыву ў Мінску.\n"
        "У мяне няма вайсковага досведу, але я медсястра і магу дапамагаць параненым.",
        {"military_experience": False, "specialties": ["medic"], "city": "Minsk"},
    ),
    (
        "fi",
        "Hei! Nimeni on Aino Virtanen ja asun Oulussa.\n"
        "Minulla ei ole sotilaskokemusta, mutta olen sairaanhoitaja ja puhun englantia.",
        {"military_experience": False, "specialties": ["medic"], "city": "Oulu", "languages": ["en"]},
    ),
    (
        "he",
        "שלום, שמי נועה לוי, אני גרה בתל אביב.\nלא שירתתי בצבא, אבל אני אחות מוסמכת ודוברת אנגלית.",
        {"military_experience": False, "specialties": ["medic"], "city": "Tel Aviv", "languages": ["en"]},
    ),
    (
        "ka",
        "გამარჯობა, მე მქვია ნინო კაპანაძე, ვცხოვრობ ბათუმში.\n"
        "სამხედრო გამოცდილება არ მაქვს, მაგრამ ვარ ექთანი და შემიძლია დახმარება.",
        {"military_experience": False, "specialties": ["medic"], "city": "Batumi"},
    ),
    (
        "ko",
        "안녕하세요. 저는 이서연입니다.\n군 복무 경험은 없지만 간호사로 일하고 있습니다.",
        {"military_experience": False, "specialties": ["medic"]},
    ),
    (
        "ro",
        "Bună ziua, mă numesc Elena Ionescu și locuiesc în Iași.\n"
        "Nu am experiență militară, dar sunt asistentă medicală și vorbesc engleză.",
        {"military_experience": False, "specialties": ["medic"], "city": "Iaşi", "languages": ["en"]},
    ),
    (
        "sk",
        "Dobrý deň, volám sa Jana Horváthová a bývam v Žiline.\n"
        "Nemám žiadne vojenské skúsenosti, ale som zdravotná sestra a chcela by som pomôcť.",
        {"military_experience": False, "specialties": ["medic"], "city": "Žilina"},
    ),
    (
        "tr",
        "Merhaba, ben Ayşe Demir, Bursa'da yaşıyorum.\n"
        "Askerlik yapmadım ama hemşireyim ve İngilizce biliyorum.",
        {"military_experience": False, "specialties": ["medic"], "city": "Bursa", "languages": ["en"]},
    ),
    (
        "sv",
        "Hej, jag heter Sara Nyberg och bor i Uppsala.\n"
        "Jag har aldrig gjort värnplikten och har ingen militär bakgrund, men jag är utbildad tolk.",
        {"military_experience": False, "specialties": ["translator"], "city": "Uppsala"},
    ),
    (
        "nl",
        "Hallo, ik ben Sanne de Jong en ik woon in Groningen.\n"
        "Ik heb nooit in het leger gezeten, maar ik ben verpleegkundige.",
        {"military_experience": False, "specialties": ["medic"], "city": "Groningen"},
    ),
    (
        "hr",
        "Pozdrav, zovem se Ana Kovačević i živim u Zagrebu.\n"
        "Nemam vojnog iskustva, ali sam medicinska sestra i htjela bih pomoći.",
        {"military_experience": False, "specialties": ["medic"], "city": "Zagreb"},
    ),
    (
        "lt",
        "Laba diena, esu Rūta Petraitienė, gyvenu Vilniuje.\n"
        "Kariuomenėje niekada netarnavau, bet esu slaugytoja.",
        {"military_experience": False, "specialties": ["medic"], "city": "Vilnius"},
    ),
    (
        "lv",
        "Sveiki! Mani sauc Līga Kalniņa, dzīvoju Daugavpilī.\nMilitārās pieredzes man nav, bet esmu medmāsa.",
        {"military_experience": False, "specialties": ["medic"], "city": "Daugavpils"},
    ),
]


def _profile(text: str, name: str, lang: str) -> dict[str, Any]:
    slug = "".join(c for c in name.lower() if c.isascii() and c.isalpha()) or "writer"
    result = run(text, name=name, email=f"{slug}@mail.example")
    assert result.language == lang
    assert len(result.applicants) == 1
    return result.applicants[0].to_json()


@pytest.mark.parametrize(
    ("lang", "name", "text", "expected"), LETTERS, ids=[f"{x[0]}-{n}" for n, x in enumerate(LETTERS)]
)
def test_volunteer_letter_in_language_yields_stated_fields(
    lang: str, name: str, text: str, expected: dict[str, Any]
) -> None:
    got = _profile(text, name, lang)
    assert {field: got[field] for field in expected} == expected


@pytest.mark.parametrize(("lang", "text", "expected"), DENIALS, ids=[x[0] for x in DENIALS])
def test_denial_of_service_in_language_gives_no_military_experience(
    lang: str, text: str, expected: dict[str, Any]
) -> None:
    got = _profile(text, "", lang)
    assert {field: got[field] for field in expected} == expected
    assert got["branch"] is None and got["years_of_service"] is None


# Letters the rule pipeline still misreads for reasons outside its word lists.
#: Scripts and tokenizers that need care: Georgian letters are lower case to Python, Korean city names
#: have two syllables, and Finnish writes the age and its word as one hyphenated token.
QUIRKS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "ka",
        "გამარჯობა, მე მქვია გიორგი ბერიძე, ვარ 31 წლის და ვცხოვრობ თბილისში.",
        {"full_name": "გიორგი ბერიძე"},
    ),
    ("ko", "안녕하세요. 저는 부산에 살고 있습니다. 군 복무 경험은 없습니다.", {"city": "Busan"}),
    ("fi", "Hei, olen 34-vuotias ja asun Tampereella.", {"age": 34}),
]


@pytest.mark.parametrize(("lang", "text", "expected"), QUIRKS, ids=[x[0] for x in QUIRKS])
def test_letter_with_script_or_tokenizer_quirk_yields_stated_fields(
    lang: str, text: str, expected: dict[str, Any]
) -> None:
    got = _profile(text, "", lang)
    assert {field: got[field] for field in expected} == expected


@pytest.mark.parametrize(
    ("lang", "text", "cities"),
    [
        ("tr", "Merhaba, Ankara'da yaşıyorum.", ["Ankara"]),  # no "Mer…" city read into a greeting
        ("cs", "Bydlím v Brně.", ["Brno"]),  # a four-letter city keeps a three-letter stem
        ("fi", "Olen kotoisin Tampereelta.", ["Tampere"]),
        ("lv", "Dzimis 1982. gada 2. februārī, dzīvoju Rīgā.", ["Riga"]),
    ],
)
def test_inflected_words_are_read_as_the_places_they_name_and_nothing_more(
    lang: str, text: str, cities: list[str]
) -> None:
    doc = extractor().pipelines.run(lang, text)
    found = [json.loads(s.kb_id_).split("|")[0] for s in doc.spans["gaz"] if s.label_ == "CITY"]
    assert found == cities


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("sk", "Dobrý deň, volám sa Peter a som z Nitry. Chcem sa pridať ako dobrovoľník."),
        ("cs", "Dobrý den, jmenuji se Petr a jsem z Brna. Chci se přidat jako dobrovolník."),
    ],
)
def test_short_czech_and_slovak_letters_are_told_apart(lang: str, text: str) -> None:
    assert run(text).language == lang


def test_a_negated_language_after_but_is_dropped_and_the_others_kept() -> None:
    text = "I want to join the Legion. I speak English and French, but I don't speak Russian."
    assert run(text).applicants[0].to_json()["languages"] == ["en", "fr"]


def test_serbian_is_read_with_the_croatian_pipeline() -> None:
    assert extractor().pipelines.get("sr") is extractor().pipelines.get("hr")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("안녕하세요. 제 이름은 김민준입니다. 군 복무 경험은 없습니다.", "김민준"),
        ("안녕하세요. 저는 이서연입니다.\n간호사로 일하고 있습니다.", "이서연"),
        ("안녕하세요.\n의용군에 자원하고 싶습니다.\n\n박지훈 드림\n", "박지훈"),
    ],
)
def test_korean_name_is_read_without_its_copula_or_sign_off(text: str, name: str) -> None:
    assert run(text, name="", email="writer@mail.example").applicants[0].to_json()["full_name"] == name


def test_hebrew_name_ends_at_and_and_a_city_is_read_through_its_preposition() -> None:
    text = 'שלום, שמי נועה לוי ואני גרה באילת. שירתתי שלוש שנים בצה"ל.'
    got = run(text, name="", email="n.levi@mail.example").applicants[0].to_json()
    assert (got["full_name"], got["city"]) == ("נועה לוי", "Eilat")
