"""Field extractors on sentences written for these tests (none is from the dev set), in several languages."""

# ruff: noqa: RUF001  (sentences in Cyrillic and other scripts on purpose)

from __future__ import annotations

import pytest

from tests.extract_support import profile, run
from triage.extraction import FIELDS
from triage.mail.category import Category


def test_profile_with_english_details_extracts_every_stated_field() -> None:
    got = profile(
        "Hello,\n\nMy name is Peter John Marsh. I am a British citizen living in Leeds. Date of birth: "
        "14/02/1987. I served 7 years in the British Army as a combat medic. I speak English and some "
        "French. I hold a valid passport.\n\nBest regards,\nPeter Marsh\nMobile: 07700 900123\n",
        name="Peter Marsh",
        email="Peter.Marsh@mail.example",
    )
    assert got["full_name"] == "Peter John Marsh"
    assert got["email"] == "peter.marsh@mail.example"
    assert got["phone"] == "+447700900123"
    assert got["nationality"] == "GB"
    assert (got["city"], got["country_of_residence"]) == ("Leeds", "GB")
    assert got["date_of_birth"] == "1987-02-14"
    assert (got["military_experience"], got["years_of_service"], got["branch"]) == (True, 7, "army")
    assert got["specialties"] == ["medic"]
    assert got["languages"] == ["en", "fr"]
    assert got["has_passport"] is True


def test_profile_output_has_fourteen_fields_and_evidence() -> None:
    got = profile("I live in Berlin.")
    assert set(got) == {*FIELDS, "evidence"}
    city = got["evidence"]["city"]
    assert city["value"] == "Berlin" and city["source"] == "body" and city["text"] == "Berlin"
    assert city["span"] == [10, 16] and city["extractor"].startswith("cue.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Je m'appelle Hugo Lefèvre et j'habite à Lyon.", ("Hugo Lefèvre", "Lyon", "FR")),
        ("Me llamo Diego Navarro Gil, vivo en Valencia desde 2015.", ("Diego Navarro Gil", "Valencia", "ES")),
        ("Mi chiamo Paolo Conti e vivo a Firenze.", ("Paolo Conti", "Florence", "IT")),
        ("Nazywam się Piotr Nowak, mieszkam w Krakowie.", ("Piotr Nowak", "Kraków", "PL")),
        ("Меня зовут Иван Петров, живу в Москве.", ("Иван Петров", "Moscow", "RU")),
        ("Мене звати Тарас Мельник, живу у Львові.", ("Тарас Мельник", "Lviv", "UA")),
        ("Jmenuji se Karel Svoboda a bydlím v Plzni.", ("Karel Svoboda", "Pilsen", "CZ")),
        ("Ich heiße Jonas Weber und wohne in München.", ("Jonas Weber", "Munich", "DE")),
    ],
)
def test_name_and_city_in_many_languages_are_read_from_cues(
    text: str, expected: tuple[str, str, str]
) -> None:
    got = profile(text + "\n\nThanks", name="", email="x@mail.example")
    assert (got["full_name"], got["city"], got["country_of_residence"]) == expected


def test_display_name_in_last_comma_first_form_is_turned_around() -> None:
    assert profile("I want to help.", name="Novak, Ana")["full_name"] == "Ana Novak"


def test_all_caps_name_is_title_cased() -> None:
    assert profile("mi nombre es CARLOS RUIZ PEREZ soy chileno")["full_name"] == "Carlos Ruiz Perez"


def test_us_writer_numeric_date_is_month_first() -> None:
    got = profile("I live in Denver, CO. DOB: 04/05/1990.")
    assert got["date_of_birth"] == "1990-04-05"


def test_european_writer_numeric_date_is_day_first() -> None:
    assert profile("I live in Dublin. Born 04/05/1990.")["date_of_birth"] == "1990-05-04"


def test_month_name_date_in_german_is_parsed() -> None:
    assert (
        profile("Ich wurde am 7. März 1988 geboren. Geburtsdatum: 7. März 1988")["date_of_birth"]
        == "1988-03-07"
    )


def test_year_only_birth_gives_no_date() -> None:
    assert profile("I was born in 1985 and grew up on a farm.")["date_of_birth"] is None


def test_relatives_date_of_birth_is_not_the_writers() -> None:
    got = run("I am the mother of Tom Reed, born 02/03/2001, who went to Ukraine.", Category.question)
    assert got.applicants[0].to_json()["date_of_birth"] is None


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("I'm 27 and in good shape.", 27),
        ("Ich bin 45 Jahre alt.", 45),
        ("Tengo 30 años.", 30),
        ("Mam 33 lata i mieszkam w Gdańsku.", 33),
        ("Мне 41 год.", 41),
    ],
)
def test_age_is_read_from_age_phrases(text: str, age: int) -> None:
    assert profile(text)["age"] == age


def test_years_of_service_in_words_and_months() -> None:
    assert profile("I served three years in the army.")["years_of_service"] == 3
    assert profile("Servì diciotto mesi nell'esercito, ho prestato servizio.")["years_of_service"] == 1.5


def test_stated_total_years_beats_parts() -> None:
    text = "Served 4 years in the Navy, then 6 years in the Army, 10 years in total."
    assert profile(text)["years_of_service"] == 10


def test_explicit_denial_gives_no_military_experience() -> None:
    got = profile("I have no military experience, but I am a truck driver and can drive anything.")
    assert got["military_experience"] is False
    assert got["specialties"] == ["driver"]


def test_denied_service_in_one_clause_and_service_in_another_is_experience() -> None:
    got = profile("I never served in the Polish army but I spent 5 years in the French Foreign Legion.")
    assert (got["military_experience"], got["branch"], got["years_of_service"]) == (True, "foreign_legion", 5)


def test_marine_unit_maps_to_marines_not_infantry_specialty() -> None:
    got = profile("Serví 6 años en la Infantería de Marina como francotirador.")
    assert got["branch"] == "marines"
    assert got["specialties"] == ["sniper"]


def test_learning_a_language_is_not_speaking_it() -> None:
    got = profile("I speak English and Spanish, and I am learning Ukrainian.")
    assert got["languages"] == ["en", "es"]


def test_negated_speaking_is_not_counted() -> None:
    assert profile("He does not speak English.")["languages"] == []


def test_expired_passport_is_false() -> None:
    assert profile("My passport expired last year, I applied for a new one.")["has_passport"] is False


def test_passport_not_mentioned_is_null() -> None:
    assert profile("I can travel next week.")["has_passport"] is None


def test_nationality_needs_a_statement_not_an_army() -> None:
    assert profile("I served in the Canadian Army for 6 years.")["nationality"] is None
    assert profile("I am Canadian and served in the army.")["nationality"] == "CA"
    assert profile("Obywatel Polski, mieszkam w Gdańsku.")["nationality"] == "PL"


def test_office_line_loses_to_mobile() -> None:
    got = profile("Regards,\nAnna Berg\nOffice: +46 8 123 456 78 | Mobile: +46 70 987 65 43\n")
    assert got["phone"] == "+46709876543"


def test_trunk_prefix_is_dropped_for_the_writers_country() -> None:
    text = "Laba diena, esu Tomas. Gyvenu Vilniuje ir noriu padėti Ukrainai. Mano tel.: 8 612 99887"
    assert profile(text)["phone"] == "+37061299887"


def test_on_behalf_application_takes_the_named_persons_address() -> None:
    text = (
        "I am writing on behalf of my friend, Marek Dvorak. Full name: Marek Dvorak. "
        "His email: marek.dvorak@mail.example. He served 5 years in the army."
    )
    got = profile(text, name="Jana Holub", email="jana.holub@mail.example")
    assert (got["full_name"], got["email"]) == ("Marek Dvorak", "marek.dvorak@mail.example")


@pytest.mark.parametrize("category", [Category.auto_reply, Category.bounce, Category.spam, Category.other])
def test_machine_or_spam_categories_give_no_applicant(category: Category) -> None:
    result = run("My name is Paul Stone, I live in Oslo.", category)
    assert result.applicants == [] and result.language == "en"


def test_unsupported_language_still_gives_header_fields_and_phone() -> None:
    got = profile(
        "Salam, mən könüllü olmaq istəyirəm. Telefon: +994 50 123 45 67",
        name="Elvin Mammadov",
        email="Elvin@mail.example",
    )
    assert (got["full_name"], got["email"], got["phone"]) == (
        "Elvin Mammadov",
        "elvin@mail.example",
        "+994501234567",
    )


def test_candidates_keep_every_reading_for_staff() -> None:
    result = run("My name is Ana Lima.\n\nAna Lima\n+351 912 000 111", name="A. Lima")
    names = {c.value for c in result.candidates if c.field == "full_name"}
    assert {"Ana Lima", "A. Lima"} <= names


def test_message_for_several_friends_gives_one_applicant_each() -> None:
    text = (
        "Hello, I am writing for my three friends who want to join the Legion.\n\n"
        "1. Name: Adam Kowalski\nDate of birth: 12.03.1990\nPhone: +48 601 222 333\n"
        "Served 5 years in the army.\n\n"
        "2. Name: Bartosz Zielony\nDate of birth: 01.07.1985\nPhone: +48 602 444 555\n"
        "Medic, 3 years in the army.\n\n"
        "3. Name: Cezary Wolny\nDate of birth: 23.11.1992\nPhone: +48 603 666 777\n"
        "No military experience.\n\n"
        "Thank you,\nDorota Kowalska\n"
    )
    result = run(text, name="Dorota Kowalska", email="dorota.k@mail.example")
    got = [a.to_json() for a in result.applicants]
    assert [a["full_name"] for a in got] == ["Adam Kowalski", "Bartosz Zielony", "Cezary Wolny"]
    assert [a["date_of_birth"] for a in got] == ["1990-03-12", "1985-07-01", "1992-11-23"]
    assert [a["phone"] for a in got] == ["+48601222333", "+48602444555", "+48603666777"]
    assert [a["military_experience"] for a in got] == [True, True, False]
    assert {c.person for c in result.candidates} == {0, 1, 2}


def test_one_person_named_twice_is_one_applicant_with_every_detail() -> None:
    text = (
        "My name is Colin Farrow and I would like to volunteer.\n\nA little about me:\n"
        "- Full name: Colin James Farrow\n- DOB: 03/09/1988\n- I live in Bristol\n"
        "- Served 6 years in the Royal Navy\n"
    )
    got = profile(text, name="Colin Farrow", email="c.farrow@mail.example")
    assert got["full_name"] == "Colin James Farrow"
    assert (got["date_of_birth"], got["city"], got["branch"]) == ("1988-09-03", "Bristol", "navy")


def test_a_journey_from_one_city_to_another_is_not_where_the_writer_lives() -> None:
    text = (
        "Are the trains from Krakow to Lviv running, and can I buy a ticket at the station?\n\n"
        "Kind regards,\nOwen Rees\nCardiff, UK\n"
    )
    got = profile(text, name="Owen Rees", email="owen.rees@mail.example")
    assert (got["city"], got["country_of_residence"]) == ("Cardiff", "GB")


def test_japanese_labelled_fields_are_read() -> None:
    text = (
        "【氏名】山田　太郎\n【生年月日】昭和60年12月1日\n【国籍】日本\n"
        "大阪市在住です。\n携帯：090-1111-2222\n"
    )
    got = profile(text, name="", email="t.yamada@mail.example")
    assert (got["full_name"], got["date_of_birth"], got["nationality"]) == ("山田 太郎", "1985-12-01", "JP")
    assert (got["city"], got["phone"]) == ("Osaka", "+819011112222")


def test_answers_under_a_quoted_questionnaire_are_read_with_their_question() -> None:
    text = (
        "Antworten unten.\n\nAm 2. März 2022 schrieb Botschaft <emb@mfa.example>:\n\n"
        "> 1. Vollständiger Name laut Reisepass\n\nMaximilian Johann Huber\n\n"
        "> 2. Geburtsdatum\n\n09.10.1986\n\n> 3. Telefonnummer\n\n+43 660 7654321\n"
    )
    got = profile(text, name="Max Huber")
    assert (got["full_name"], got["date_of_birth"], got["phone"]) == (
        "Maximilian Johann Huber",
        "1986-10-09",
        "+436607654321",
    )


def test_evidence_spans_point_into_the_message_text() -> None:
    text = "I want to join the Legion.\n\nBest regards,\nOla Nordmann\nMobile: +47 412 34 567\n"
    result = run(text, name="Ola Nordmann")
    phone = result.applicants[0].evidence["phone"][0]
    assert phone.value == "+4741234567" and phone.source == "signature"
    assert text[phone.span[0] : phone.span[1]] == phone.text == "+47 412 34 567"


def test_relative_named_as_volunteer_is_the_applicant() -> None:
    text = (
        "Hi, my brother Ahmed Hassan wants to volunteer. He served 10 years in the army. He lives in Cairo."
    )
    got = profile(text, name="Sara Hassan", email="sara.h@mail.example")
    assert (got["full_name"], got["city"], got["years_of_service"]) == ("Ahmed Hassan", "Cairo", 10)


def test_friend_mentioned_without_a_name_leaves_the_writer_as_applicant() -> None:
    text = (
        "I am Emil Varga, I served 6 years in the army. My friend wants to come with me, he will write too."
    )
    got = profile(text, name="Emil Varga", email="emil.v@mail.example")
    assert (got["full_name"], got["email"]) == ("Emil Varga", "emil.v@mail.example")


@pytest.mark.parametrize(
    "text",
    ["Ich möchte helfen. Ich habe als Sanitäter gedient.", "Quiero unirme. Serví como francotirador."],
)
def test_service_stated_with_a_specialty_but_no_branch_is_military_experience(text: str) -> None:
    got = profile(text)
    assert got["military_experience"] is True and got["specialties"]


def test_an_age_after_a_two_word_cue_is_not_years_of_service() -> None:
    got = profile("I am 42 years and served 12 years in the army.")
    assert (got["age"], got["years_of_service"]) == (42, 12)
