"""Scoring: vetoes, bands, symmetry, reasons."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from triage.linking.profile import Profile
from triage.linking.score import Scorer

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
