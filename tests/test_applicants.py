"""Applicants in the store: linking across scripts and addresses, staff merge/split/suggestions, export,
and two processes linking the same new person at once on PostgreSQL."""

from __future__ import annotations

import csv
import dataclasses
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.apps import REPO, FrozenClock, config, make_app, write_toml
from tests.linked import add_message, link_all, person
from triage.app import App
from triage.applicants.actions import (
    ActionError,
    decide_suggestion,
    merge,
    reopen_suggestion,
    split,
    unmerge,
)
from triage.applicants.export import applicant_records, csv_text
from triage.linking.score import Scorer, shipped_weights
from triage.store.models import (
    Applicant,
    ApplicantStatus,
    AuditEvent,
    CannotLink,
    MergeSuggestion,
    Message,
    MessageStatus,
)

FIELDS_NONE = {
    "nationality": None,
    "country_of_residence": None,
    "age": None,
    "military_experience": None,
    "years_of_service": None,
    "branch": None,
    "specialties": [],
    "languages": [],
    "has_passport": None,
    "city": None,
    "date_of_birth": None,
    "phone": None,
}


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[App]:
    url = f"sqlite:///{tmp_path}/a.db" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with make_app(config(url), clock=FrozenClock()) as made:
        yield made


def suggesting_scorer() -> Scorer:
    """Shipped weights with the link bar out of reach: every likely pair becomes a suggestion."""
    return Scorer(weights=dataclasses.replace(shipped_weights("applicant"), link_threshold=1000.0))


def active(app: App) -> list[Applicant]:
    with app.sessions() as session:
        return list(
            session.scalars(
                select(Applicant).where(Applicant.status == ApplicantStatus.active).order_by(Applicant.id)
            )
        )


def test_link_joins_one_person_across_scripts_addresses_and_embassies(app: App) -> None:
    add_message(
        app,
        1,
        person(
            full_name="Сергей Козлов",
            email="s.kozlov@mail.example",
            phone="+48501234567",
            date_of_birth="1990-02-03",
        ),
    )
    add_message(
        app,
        2,
        person(
            full_name="Siarhei Kazlou",
            email="kazlou.s@post.example",
            phone="+48501234567",
            date_of_birth="1990-02-03",
        ),
        mailbox="vilnius",
        embassy="lt",
    )
    add_message(app, 3, person(full_name="Anna Nowak", email="anna.nowak@mail.example"))
    link_all(app)
    people = active(app)
    assert [p.message_count for p in people] == [2, 1]
    with app.sessions() as session:
        record = next(r for r in applicant_records(session) if r["applicant_id"] == people[0].id)
    assert record["message_ids"] == ["<m1@mail.example>", "<m2@mail.example>"]
    assert record["mailboxes"] == ["vilnius", "warsaw"] and record["embassies"] == ["lt", "pl"]
    assert record["date_of_birth"] == "1990-02-03"


def test_link_vetoes_a_different_date_of_birth_even_with_the_same_name(app: App) -> None:
    add_message(
        app, 1, person(full_name="James Smith", email="james.smith@mail.example", date_of_birth="1980-01-01")
    )
    add_message(
        app, 2, person(full_name="James Smith", email="jsmith77@post.example", date_of_birth="1977-07-07")
    )
    link_all(app)
    assert len(active(app)) == 2


def test_questions_and_bounces_are_linked_only_when_they_are_about_a_person(app: App) -> None:
    add_message(app, 1, person(full_name="Anna Nowak", email="anna.nowak@mail.example"), category="question")
    add_message(app, 2, category="bounce")
    link_all(app)
    assert len(active(app)) == 1
    with app.sessions() as session:
        assert set(session.scalars(select(Message.status))) == {MessageStatus.linked}


def test_merge_then_unmerge_restores_both_and_keeps_them_apart(app: App) -> None:
    add_message(app, 1, person(full_name="Anna Nowak", email="anna.nowak@mail.example"))
    add_message(app, 2, person(full_name="Ann Novak", email="a.novak@post.example"))
    link_all(app)
    first, second = (a.id for a in active(app))
    with app.sessions.begin() as session:
        merge(session, first, second, "staff-a", app.clock.now())
    assert [a.message_count for a in active(app)] == [2]
    with app.sessions.begin() as session:
        unmerge(session, second, "staff-a", app.clock.now())
    assert [a.message_count for a in active(app)] == [1, 1]
    with app.sessions.begin() as session, pytest.raises(ActionError, match="different people"):
        merge(session, first, second, "staff-b", app.clock.now())
    # the unmerge taken back: one person after all, and that merge can be undone in turn
    with app.sessions.begin() as session:
        merge(session, first, second, "staff-b", app.clock.now(), override=True)
    assert [a.message_count for a in active(app)] == [2]
    with app.sessions.begin() as session:
        unmerge(session, second, "staff-b", app.clock.now())
    assert [a.message_count for a in active(app)] == [1, 1]
    with app.sessions() as session:
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert [e.action for e in events] == [
        "applicant.merge", "applicant.unmerge", "applicant.merge", "applicant.unmerge"
    ]
    assert "lifted_keep_apart" not in events[0].details
    assert events[2].details["lifted_keep_apart"]["by"] == "staff-a"  # whose decision was taken back


def test_split_moves_messages_to_a_new_applicant(app: App) -> None:
    for n in (1, 2, 3):
        add_message(app, n, person(full_name="Olena Shevchenko", email="olena.sh@mail.example"))
    link_all(app)
    (only,) = active(app)
    with app.sessions() as session:
        third = session.scalar(select(Message.id).where(Message.message_id_header == "<m3@mail.example>"))
    with app.sessions.begin() as session:
        new = split(session, only.id, [third], "staff-a", app.clock.now())
        new_id = new.id
    assert sorted((a.id, a.message_count) for a in active(app)) == [(only.id, 2), (new_id, 1)]
    with app.sessions.begin() as session, pytest.raises(ActionError, match="at least one message"):
        split(session, new_id, [third], "staff-a", app.clock.now())


def test_a_split_is_taken_back_by_a_merge_that_overrides_it(app: App) -> None:
    for n in (1, 2, 3):
        add_message(app, n, person(full_name="Olena Shevchenko", email="olena.sh@mail.example"))
    link_all(app)
    (only,) = active(app)
    with app.sessions() as session:
        third = session.scalars(
            select(Message.id).where(Message.message_id_header == "<m3@mail.example>")
        ).one()
    with app.sessions.begin() as session:
        new_id = split(session, only.id, [third], "staff-a", app.clock.now()).id
    with app.sessions.begin() as session, pytest.raises(ActionError, match="override"):
        merge(session, only.id, new_id, "staff-b", app.clock.now())
    with app.sessions.begin() as session:
        merge(session, only.id, new_id, "staff-b", app.clock.now(), override=True)
    assert [(a.id, a.message_count) for a in active(app)] == [(only.id, 3)]
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(CannotLink)) == 0
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert [(e.action, e.actor) for e in events] == [
        ("applicant.split", "staff-a"),
        ("applicant.merge", "staff-b"),
    ]
    assert events[1].details["lifted_keep_apart"]["applicants"] == sorted([only.id, new_id])
    assert events[1].details["absorbed"] == new_id


def test_rejected_suggestion_is_never_suggested_again(app: App) -> None:
    add_message(
        app,
        1,
        person(
            full_name="Giorgi Beridze",
            email="giorgi.beridze84@mail.example",
            nationality="GE",
            city="Tbilisi",
        ),
    )
    add_message(
        app,
        2,
        person(
            full_name="George Beridse",
            email="g.beridse@post.example",
            nationality="GE",
            city="Tbilisi",
            phone="+995555123456",
        ),
    )
    scorer = suggesting_scorer()
    link_all(app, scorer)
    with app.sessions() as session:
        suggestions = list(session.scalars(select(MergeSuggestion)))
    assert len(suggestions) == 1 and len(active(app)) == 2
    assert "name" in " ".join(suggestions[0].reasons)
    with app.sessions.begin() as session:
        decide_suggestion(session, suggestions[0].id, False, "staff-a", app.clock.now())
    add_message(
        app,
        3,
        person(
            full_name="George Beridse",
            email="g.beridse@post.example",
            nationality="GE",
            city="Tbilisi",
            phone="+995555123456",
        ),
    )
    add_message(
        app,
        4,
        person(
            full_name="Giorgi Beridze",
            email="giorgi.beridze84@mail.example",
            nationality="GE",
            city="Tbilisi",
        ),
    )
    link_all(app)  # the shipped scorer: each new message links to its own applicant, the other is forbidden
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(MergeSuggestion)) == 1
    assert [a.message_count for a in active(app)] == [2, 2]


def test_a_rejected_suggestion_can_be_reopened_and_then_accepted(app: App) -> None:
    add_message(
        app, 1, person(full_name="Giorgi Beridze", email="giorgi.beridze84@mail.example", nationality="GE")
    )
    add_message(app, 2, person(full_name="George Beridse", email="g.beridse@post.example", nationality="GE"))
    link_all(app, suggesting_scorer())
    with app.sessions() as session:
        suggestion_id = session.scalars(select(MergeSuggestion.id)).one()
    with app.sessions.begin() as session, pytest.raises(ActionError, match="open, not rejected"):
        reopen_suggestion(session, suggestion_id, "staff-a", app.clock.now())
    with app.sessions.begin() as session:
        decide_suggestion(session, suggestion_id, False, "staff-a", app.clock.now())
    with app.sessions.begin() as session:
        reopened = reopen_suggestion(session, suggestion_id, "staff-b", app.clock.now())
        assert (reopened.status, reopened.decided_by) == ("open", None)
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(CannotLink)) == 0
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event is not None and event.action == "suggestion.reopen"
        assert event.details["lifted_keep_apart"]["by"] == "staff-a"
    with app.sessions.begin() as session:
        decide_suggestion(session, suggestion_id, True, "staff-b", app.clock.now())
    assert [a.message_count for a in active(app)] == [2]
    with app.sessions.begin() as session, pytest.raises(ActionError, match="unmerge"):
        reopen_suggestion(session, suggestion_id, "staff-b", app.clock.now())


def test_accepted_suggestion_merges_the_pair(app: App) -> None:
    add_message(
        app, 1, person(full_name="Giorgi Beridze", email="giorgi.beridze84@mail.example", nationality="GE")
    )
    add_message(app, 2, person(full_name="George Beridse", email="g.beridse@post.example", nationality="GE"))
    link_all(app, suggesting_scorer())
    with app.sessions.begin() as session:
        suggestion = session.scalars(select(MergeSuggestion)).one()
        decide_suggestion(session, suggestion.id, True, "staff-a", app.clock.now())
    assert [a.message_count for a in active(app)] == [2]


def test_csv_export_is_utf8_with_bom_and_inert_formulas(app: App) -> None:
    add_message(
        app,
        1,
        person(
            full_name="Олександр Коваленко",
            email="o.kovalenko@mail.example",
            phone="+12045550111",
            specialties=["medic", "driver"],
        ),
    )
    add_message(app, 2, person(full_name='=HYPERLINK("http://x.example")', email="x@mail.example"))
    link_all(app)
    with app.sessions() as session:
        text = "".join(csv_text(applicant_records(session)))
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0]["full_name"] == "Олександр Коваленко" and rows[0]["specialties"] == "medic; driver"
    assert rows[0]["phone"] == "'+12045550111" and rows[1]["full_name"].startswith("'=")


@pytest.mark.postgres
def test_two_processes_linking_the_same_new_person_end_with_one_applicant(
    pg_url: str, tmp_path: Path
) -> None:
    with make_app(config(pg_url)) as app:
        one = add_message(
            app, 1, person(full_name="Marek Zieliński", email="marek.z@mail.example", phone="+48600123456")
        )
        two = add_message(
            app, 2, person(full_name="Marek Zielinski", email="marek.z@mail.example", phone="+48600123456")
        )
        go = tmp_path / "go"
        children = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.link_child", pg_url, str(pk), str(go)],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for pk in (one, two)
        ]
        go.touch()
        outputs = [child.communicate(timeout=120) for child in children]
        assert [c.returncode for c in children] == [0, 0], outputs
        assert [out.strip() for out, _ in outputs] == ["done", "done"]
        people = active(app)
    assert len(people) == 1 and people[0].message_count == 2


def test_the_cli_takes_a_split_and_a_rejection_back(tmp_path: Path) -> None:
    data = config(f"sqlite:///{tmp_path}/a.db")
    path = write_toml(tmp_path / "c.toml", data)
    with make_app(data, clock=FrozenClock()) as app:
        for n in (1, 2):
            add_message(app, n, person(full_name="Olena Shevchenko", email="olena.sh@mail.example"))
        link_all(app)
        giorgi = person(full_name="Giorgi Beridze", email="giorgi.beridze84@mail.example", nationality="GE")
        add_message(app, 3, giorgi)
        add_message(app, 4, {**giorgi, "full_name": "George Beridse", "email": "g.beridse@post.example"})
        link_all(app, suggesting_scorer())
        olena = next(a.id for a in active(app) if a.message_count == 2)
        with app.sessions() as session:
            second = session.scalars(
                select(Message.id).where(Message.message_id_header == "<m2@mail.example>")
            ).one()
            suggestion = session.scalars(select(MergeSuggestion.id)).one()

    def applicants(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "triage", "--config", str(path), "applicants", *args, "--by", "staff-a"],
            cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
        )

    split_off = applicants("split", str(olena), str(second))
    assert split_off.returncode == 0, split_off.stderr
    new = int(split_off.stdout.rsplit("#", 1)[1])
    refused = applicants("merge", str(olena), str(new))
    assert refused.returncode == 1 and "override" in refused.stderr
    assert applicants("merge", str(olena), str(new), "--override").returncode == 0
    assert applicants("suggestions", "--reject", str(suggestion)).stdout.strip().endswith("rejected")
    assert str(suggestion) not in applicants("suggestions").stdout
    assert applicants("suggestions", "--reopen", str(suggestion)).stdout.strip().endswith("open")
    assert f"suggestion#{suggestion} " in applicants("suggestions").stdout
    with make_app(data) as app, app.sessions() as session:
        assert session.scalars(select(Applicant.message_count).where(Applicant.id == olena)).one() == 2
        assert session.scalar(select(func.count()).select_from(CannotLink)) == 0
        assert list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id))) == [
            "applicant.split", "applicant.merge", "suggestion.reject", "suggestion.reopen"
        ]
