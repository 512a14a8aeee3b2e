"""The store side of linking: candidates through the key index, keys, suggestions, stored profiles."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from tests import linked
from tests.apps import FrozenClock, config, make_app
from tests.linked import link_all, person
from triage.app import App
from triage.applicants import matching
from triage.applicants.profile import refresh
from triage.clock import as_utc
from triage.linking.keys import blocking_keys
from triage.linking.profile import Profile
from triage.linking.score import MatchResult, Scorer
from triage.store.models import (
    Applicant,
    ApplicantKey,
    ApplicantMessage,
    ApplicantStatus,
    CannotLink,
    LinkDecision,
    MergeSuggestion,
    Message,
    MessageStatus,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[App]:
    url = f"sqlite:///{tmp_path}/a.db" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with make_app(config(url), clock=FrozenClock()) as made:
        yield made


def add_message(app: App, n: int, *applicants: dict[str, Any], language: str = "en") -> int:
    """A message sent *n* days after the first of ten (the order decides the most recent value)."""
    sent = app.clock.now() - timedelta(days=10 - n)
    return linked.add_message(app, n, *applicants, language=language, date_sent=sent)


def stored(session: Session, *keys: str, status: str = ApplicantStatus.active) -> int:
    """An applicant row holding *keys*, as the loader of a large store would write it."""
    now = FrozenClock().now()
    applicant = Applicant(
        status=status, created_at=now, updated_at=now, profile={}, fields={}, message_count=0
    )
    session.add(applicant)
    session.flush()
    session.add_all(ApplicantKey(applicant_id=applicant.id, key=k) for k in keys)
    session.flush()
    return applicant.id


def _utc(value: Any) -> Any:
    return as_utc(value) if isinstance(value, datetime) else value


def test_candidates_skip_a_key_more_applicants_hold_than_the_limit(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching, "MAX_CANDIDATES_PER_KEY", 2)
    with app.sessions.begin() as session:
        common = [stored(session, "nm:common", f"email:{n}@mail.example") for n in range(3)]
        pair = [stored(session, "nm:pair") for _ in range(2)]
        merged = stored(session, "dob:rare", status=ApplicantStatus.merged)
        last = stored(session, "dob:rare")
        found = matching.candidates(session, ["dob:rare", "email:0@mail.example", "nm:common", "nm:pair"])
        assert matching.candidates(session, []).profiles == []
    assert [applicant_id for applicant_id, _ in found.profiles] == sorted([common[0], *pair, last])
    assert merged not in dict(found.profiles) and found.store_size == last


@pytest.mark.parametrize(
    "extracted",
    [
        {"full_name": " Łukasz  Wiśniewski ", "email": "<Lukasz.W+embassy@Mail.Example>", "city": "Łódź"},
        {
            "full_name": "Олександр Коваленко",
            "names": ["Oleksandr Kovalenko", ""],
            "emails": ["o.k@mail.example", "O.K@mail.example"],
            "phone": "+48 600-123-456",
            "passport": "fa 123 456",
            "date_of_birth": "1990-02-03",
            "nationality": "ua",
            "country_of_residence": "pl",
            "city": "Liège",
        },
        {"full_name": None, "email": None, "date_of_birth": "03/04/1991"},
    ],
)
def test_a_stored_profile_reads_back_as_from_mapping_builds_it(extracted: dict[str, Any]) -> None:
    profile = Profile.from_mapping(extracted)
    mapping = profile.to_mapping()
    stored = Profile.from_stored(mapping)
    assert stored == Profile.from_mapping(mapping) == profile
    assert stored.normalised_names == profile.normalised_names  # read back, not folded again
    assert Profile.from_stored(extracted) == profile  # not a stored profile: normalised as usual


def test_names_stored_under_other_rules_are_normalised_again() -> None:
    profile = Profile.from_mapping({"full_name": "Сергей Козлов"})
    mapping = {**profile.to_mapping(), "name_rules": "older-rules", "name_tokens": ["x:x:X"]}
    stored = Profile.from_stored(mapping)
    assert stored.normalised_names == profile.normalised_names
    assert [t.canonical for t in stored.normalised_names[0].tokens] == ["sergi", "kozlov"]


def test_a_linked_applicant_is_what_a_rebuild_from_its_messages_gives(app: App) -> None:
    first = {"confidence": 0.6}
    add_message(
        app,
        1,
        person(
            full_name="Marek Zieliński",
            email="marek.z@mail.example",
            phone="+48600123456",
            city="Kraków",
            evidence={"city": first},
        ),
    )
    add_message(
        app,
        2,
        person(
            full_name="Marek Zielinski",
            email="marek.z@mail.example",
            phone="+48600123456",
            city="Warsaw",
            date_of_birth="1988-05-06",
            specialties=["medic"],
        ),
        language="pl",
    )
    add_message(
        app,
        3,
        person(full_name="Anna Nowak", email="anna.nowak@mail.example"),
        person(
            full_name="Marek Zielinski",
            email="marek.z@mail.example",
            phone="+48600123456",
            specialties=["driver", "medic"],
            evidence={"city": {"confidence": 0.9}},
        ),
    )
    link_all(app)
    with app.sessions() as session:
        applicants = list(session.scalars(select(Applicant).order_by(Applicant.id)))
        assert [a.message_count for a in applicants] == [3, 1]
        columns = [c.key for c in Applicant.__table__.columns]
        for applicant in applicants:
            linked = {name: _utc(getattr(applicant, name)) for name in columns}
            refresh(session, applicant)
            assert {name: _utc(getattr(applicant, name)) for name in columns} == linked
            keys = set(
                session.scalars(select(ApplicantKey.key).where(ApplicantKey.applicant_id == applicant.id))
            )
            assert keys == set(blocking_keys(Profile.from_mapping(applicant.profile)))
        marek = applicants[0]
        assert marek.city == "Kraków" and marek.fields["city"]["others"] == ["Warsaw"]
        assert marek.fields["specialties"]["value"] == ["medic", "driver"] and marek.language == "en"
        decisions = list(session.scalars(select(LinkDecision.action).order_by(LinkDecision.id)))
    assert decisions == ["new", "link", "new", "link"]


def test_index_keys_of_a_linked_applicant_adds_only_the_missing_ones(app: App) -> None:
    profile = Profile.from_mapping({"full_name": "Anna Nowak", "email": "anna@mail.example"})
    more = profile.merged(Profile.from_mapping({"full_name": "Anna Nowak", "email": "a.n@post.example"}))
    with app.sessions.begin() as session:
        applicant_id = stored(session)
        matching.index_keys(session.connection(), applicant_id, profile, is_new=True)
        matching.index_keys(session.connection(), applicant_id, more)
        matching.index_keys(session.connection(), applicant_id, more)
        keys = list(
            session.scalars(select(ApplicantKey.key).where(ApplicantKey.applicant_id == applicant_id))
        )
    assert sorted(keys) == blocking_keys(more) and "email:a.n@post.example" in keys


def test_suggest_records_a_pair_once_and_never_a_forbidden_one(app: App) -> None:
    result = MatchResult(score=12.5, band="suggest", terms=(("name", "close", 9.0),))
    now = app.clock.now()
    with app.sessions.begin() as session:
        a, b, c = (stored(session) for _ in range(3))
        session.add(CannotLink(applicant_a_id=a, applicant_b_id=c, created_at=now, created_by="staff"))
        session.flush()
        made = [
            matching.suggest(session, b, a, result, now),
            matching.suggest(session, a, b, result, now),
            matching.suggest(session, c, a, result, now),
            matching.suggest(session, a, a, result, now),
        ]
    assert made == [True, False, False, False]
    with app.sessions() as session:
        (suggestion,) = session.scalars(select(MergeSuggestion))
    assert (suggestion.applicant_a_id, suggestion.applicant_b_id) == (a, b)
    assert suggestion.status == "open" and suggestion.score == 12.5 and suggestion.reasons == result.reasons


def test_link_again_skips_the_applicants_of_a_message_linked_already(app: App) -> None:
    pk = add_message(
        app,
        1,
        person(full_name="Anna Nowak", email="anna.nowak@mail.example"),
        person(full_name="Olena Shevchenko", email="olena.sh@mail.example"),
    )
    link_all(app)
    with app.sessions.begin() as session:
        # as if the second applicant had not been linked: the message goes back to the link stage
        second = session.scalar(select(ApplicantMessage.applicant_id).where(ApplicantMessage.position == 1))
        session.execute(delete(ApplicantMessage).where(ApplicantMessage.position == 1))
        session.execute(delete(LinkDecision).where(LinkDecision.position == 1))
        session.execute(update(Message).where(Message.id == pk).values(status=MessageStatus.extracted))
    link_all(app)
    with app.sessions() as session:
        rows = session.execute(
            select(ApplicantMessage.position, ApplicantMessage.applicant_id).order_by(
                ApplicantMessage.position
            )
        ).all()
        assert session.scalar(select(func.count()).select_from(LinkDecision)) == 2
    assert [position for position, _ in rows] == [0, 1] and rows[1][1] == second


def test_a_data_kind_with_address_fields_keeps_and_indexes_them_in_the_store(app: App) -> None:
    # FEBRL-like records: the "febrl" kind scores address fields the applicant kind does not have
    scorer = Scorer("febrl")
    first = person(
        full_name="Aidan Ellis",
        date_of_birth="1962-05-14",
        city="Sunnybank",
        street_number="27",
        address_1="Kurrajong Crescent",
        postcode="4109",
        state="qld",
    )
    again = {**first, "full_name": "Aiden Ellis"}  # a typo, the same address and birthday
    ids = [add_message(app, n, record) for n, record in enumerate((first, again))]
    with app.sessions.begin() as session:
        outcomes = [
            matching.link_applicant(session, scorer, session.get(Message, pk), 0, record, app.clock.now())
            for pk, record in zip(ids, (first, again), strict=True)
        ]
        applicant = session.get(Applicant, outcomes[0].applicant_id)
        assert applicant is not None
        keys = set(session.scalars(select(ApplicantKey.key).where(ApplicantKey.applicant_id == applicant.id)))
        assert Profile.from_stored(applicant.profile).extra["postcode"] == "4109"
    assert [o.action for o in outcomes] == ["new", "link"]
    assert keys >= set(blocking_keys(Profile.from_mapping(first, scorer.extra_fields), "febrl"))
    assert any(key.startswith("pc:") for key in keys)
