"""Scoring: vetoes, bands, symmetry, reasons."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.linking import compare
from triage.linking.profile import Profile, phone_region
from triage.linking.score import APPLICANT_FIELDS, Scorer, comparison_vector

SCORER = Scorer()


def profile(**fields: str) -> Profile:
    return Profile.from_mapping(fields)


def test_score_with_different_dob_is_vetoed_as_new() -> None:
    a = profile(full_name="James Smith", email="james.smith@mail.example", date_of_birth="1980-01-02")
    b = profile(full_name="James Smith", email="james.smith@mail.example", date_of_birth="1984-07-19")
    result = SCORER.score(a, b)
    assert result.vetoed and result.band == "new"
    assert "dob different: veto" in result.reasons


def test_score_with_transposed_dob_is_not_vetoed() -> None:
    a = profile(full_name="Liam Hughes", phone="+447700900118", date_of_birth="1993-03-04")
    b = profile(full_name="Liam Hughes", phone="+447700900118", date_of_birth="1993-04-03")
    assert not SCORER.score(a, b).vetoed


def test_score_with_two_passport_numbers_is_vetoed() -> None:
    a = profile(full_name="Ivan Horvat", passport="AB123456")
    b = profile(full_name="Ivan Horvat", passport="AB654321")
    assert SCORER.score(a, b).vetoed


def test_score_with_shared_mailbox_and_other_name_does_not_link() -> None:
    sister = profile(full_name="Nino Kapanadze", email="family.k@mail.example", city="Kutaisi")
    brother = profile(full_name="Levan Kapanadze", email="family.k@mail.example", city="Kutaisi")
    assert SCORER.score(sister, brother).band != "link"


def test_score_of_family_mailbox_under_two_names_ignores_the_shared_address() -> None:
    mother = profile(
        full_name="Olena Tkachenko",
        email="tkachenko.family@mail.example",
        city="Lviv",
        country_of_residence="UA",
        nationality="UA",
        phone="+380501112233",
    )
    son = profile(
        full_name="Taras Tkachenko",
        email="tkachenko.family@mail.example",
        city="Lviv",
        country_of_residence="UA",
        nationality="UA",
        phone="+380671234567",
    )
    result = SCORER.score(mother, son)
    assert result.band == "new"
    assert not any(r.startswith("email") for r in result.reasons)


def test_comparison_vector_gives_the_levels_the_scorer_weighs() -> None:
    # what training counts must be what scoring weighs: a shared or alike address of two names
    a = profile(full_name="Viktor Castillo", email="viktor.castillo@mail.example")
    shared = profile(full_name="Marta Quinlan", email="viktor.castillo@mail.example")
    alike = profile(full_name="Viktor Quinlan", email="viktor.castillo1@post.example")
    assert comparison_vector(a, shared, APPLICANT_FIELDS)["email"] is None
    assert comparison_vector(a, alike, APPLICANT_FIELDS)["email"] == "different"
    same = profile(full_name="Viktor Castillo", email="viktor.castillo@mail.example")
    assert comparison_vector(a, same, APPLICANT_FIELDS)["email"] == "exact"


def test_score_of_shared_nationality_between_compatriots_counts_once() -> None:
    # most people hold the passport of the country they live in: between two people of one country
    # the nationality repeats what the place said, and weighs far less than between strangers
    def nationality_weight(a: Profile, b: Profile) -> float:
        reason = next(r for r in SCORER.score(a, b).reasons if r.startswith("nationality"))
        return float(reason.split("(")[1].rstrip(")"))

    a = profile(full_name="Anna Nowak", nationality="PL", country_of_residence="PL", city="Warsaw")
    b = profile(full_name="Anna Nowak", nationality="PL", country_of_residence="PL")
    unplaced_a = profile(full_name="Anna Nowak", nationality="PL")
    unplaced_b = profile(full_name="Anna Nowak", nationality="PL")
    assert nationality_weight(a, b) < nationality_weight(unplaced_a, unplaced_b) / 4


def test_band_thresholds_do_not_fall_below_the_minimum_store_size() -> None:
    weights = SCORER.weights
    score = weights.link_threshold + weights.shift(weights.minimum_size) - 0.01
    assert SCORER.band(score, False, store_size=1) != "link"
    assert SCORER.band(score, False, store_size=weights.minimum_size) != "link"


def test_score_across_scripts_with_phone_links_and_gives_reasons() -> None:
    a = profile(full_name="Козлов Сергей Николаевич", phone="+48789123456", date_of_birth="1990-10-17")
    b = profile(full_name="Siarhei Kazlou", phone="+48789123456", date_of_birth="1990-10-17")
    result = SCORER.score(a, b)
    assert result.band == "link"
    assert any(r.startswith("phone exact (+") for r in result.reasons)


def test_score_of_common_name_alone_does_not_link() -> None:
    a = profile(full_name="James Smith", email="james.smith1@mail.example", city="London")
    b = profile(full_name="James Smith", email="jsmith@post.example", city="Leeds")
    assert SCORER.score(a, b).band != "link"


names = st.sampled_from(["Siarhei Kazlou", "Сергей Козлов", "Pawel Wisniewski", "Jan Novak", "", "Ян Новак"])
profiles = st.builds(
    lambda n, e, d, c: Profile.from_mapping({"full_name": n, "email": e, "date_of_birth": d, "city": c}),
    names,
    st.sampled_from([None, "a.b@mail.example", "jan.novak@post.example", "s.kozlov@inbox.example"]),
    st.sampled_from([None, "1990-10-17", "1990-17-10", "1985-06-23"]),
    st.sampled_from([None, "Warsaw", "Warszawa", "Berlin"]),
)


@settings(max_examples=200)
@given(profiles, profiles)
def test_score_is_symmetric(a: Profile, b: Profile) -> None:
    left, right = SCORER.score(a, b), SCORER.score(b, a)
    assert (left.score, left.band, left.vetoed) == (right.score, right.band, right.vetoed)


@pytest.mark.parametrize(
    "phone",
    [
        "+380501234567",  # one region per calling code
        "+12025550123",  # +1: the United States ...
        "+16135550123",  # ... or Canada, told apart by the metadata
        "+74951234567",  # +7: Russia ...
        "+77011234567",  # ... or Kazakhstan
        "+447700900123",  # +44 is shared with the Crown Dependencies
        "+80012345678",  # a non-geographic code names no region
        "+4812",  # too short for a number
        "+999123",  # no such calling code
        "+0201234567",  # a leading zero is no calling code
        "+20 100 123 4567",  # not digits only: parsed
    ],
)
def test_phone_region_names_the_region_phonenumbers_does(phone: str) -> None:
    try:
        expected = phonenumbers.region_code_for_number(phonenumbers.parse(phone))
    except phonenumbers.NumberParseException:
        expected = None
    assert phone_region(phone) == (expected if expected != "001" else None)


@pytest.mark.parametrize(
    ("x", "y", "level"),
    [
        ("giorgi.beridze84@mail.example", "beridze.g@post.example", "close"),  # a surname run, most of one
        ("viktor.castillo@mail.example", "viktor.quinlan@mail.example", "different"),  # a given name only
        ("dmytro.kowalczuk@mail.example", "dmytro.kowalczuk.kyiv.volunteer@mail.example", "close"),
        ("ann@mail.example", "anna@post.example", "close"),  # alike by Jaro-Winkler
        ("kozlov@mail.example", "kozlov@post.example", "close"),
    ],
)
def test_email_level_reads_a_shared_run_of_letters(x: str, y: str, level: str) -> None:
    assert compare.compare_emails(Profile(emails=(x,)), Profile(emails=(y,))) == level
