"""Blocking keys: shared across scripts, stable, and free of raw passport numbers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from triage.linking.keys import blocking_keys
from triage.linking.profile import Profile


def keys(**fields: str) -> set[str]:
    return set(blocking_keys(Profile.from_mapping(fields)))


def test_blocking_keys_of_one_person_in_two_scripts_intersect() -> None:
    russian = keys(full_name="Козлов Сергей Николаевич", email="s.kozlov.by@tut.example")
    english = keys(full_name="Siarhei Kazlou", email="siarhei.kazlou@proton.example")
    assert {k for k in russian & english if k.startswith("nm:")}


def test_blocking_keys_include_identifiers_and_dob_with_initial() -> None:
    found = keys(
        full_name="Lukas Bauer",
        email="Lukas.Bauer@Mail.example",
        phone="+49 170 1234567",
        date_of_birth="1990-05-12",
        passport="c01x 00t47",
    )
    assert "email:lukas.bauer@mail.example" in found
    assert "phone:+491701234567" in found
    assert any(k.startswith("dob:1990-05-12:") for k in found)
    passport = [k for k in found if k.startswith("passport:")]
    assert passport and "C01X00T47" not in passport[0]


def test_blocking_keys_of_different_names_same_dob_do_not_meet() -> None:
    bauer = keys(full_name="Lukas Bauer", date_of_birth="1990-05-12")
    kazlauskas = keys(full_name="Mindaugas Kazlauskas", date_of_birth="1990-05-12")
    assert not bauer & kazlauskas


@given(
    st.fixed_dictionaries(
        {"full_name": st.text(max_size=30), "email": st.emails(), "date_of_birth": st.dates().map(str)}
    )
)
def test_blocking_keys_are_deterministic_and_sorted(fields: dict[str, str]) -> None:
    first = blocking_keys(Profile.from_mapping(fields))
    assert first == blocking_keys(Profile.from_mapping(dict(fields)))
    assert first == sorted(set(first))


@given(
    st.fixed_dictionaries(
        {
            "full_name": st.text(max_size=30),
            "email": st.emails(),
            "phone": st.from_regex(r"\+[1-9][0-9]{7,12}", fullmatch=True),
            "city": st.text(max_size=20),
            "country_of_residence": st.sampled_from(["PL", "ua", None]),
        }
    )
)
def test_profile_mapping_round_trip_is_lossless(fields: dict[str, str]) -> None:
    profile = Profile.from_mapping(fields)
    again = Profile.from_mapping(profile.to_mapping())
    assert again == profile
    assert blocking_keys(again) == blocking_keys(profile)
