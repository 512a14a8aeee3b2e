"""Retention: old raw mail and closed applicants' data are purged and audited; dry runs change nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tests.apps import REPO, FrozenClock, config, make_app
from triage.adapters.local import read_paths
from triage.ports import FetchedMail, MailRef
from triage.replies.approval import reject
from triage.retention import PURGED, purge
from triage.stages.fetch import FetchOptions, store_batch
from triage.store.models import Applicant, AuditEvent, Draft, Message

# Configured so that drafts are made; nothing is sent in these tests.
SMTP = {"url": "smtp://127.0.0.1:2525", "starttls": False, "from": "Embassy of Ukraine <legion@mfa.example>"}


def test_purge_after_retention_days_removes_personal_data_and_a_dry_run_changes_nothing(
    tmp_path: Path,
) -> None:
    clock = FrozenClock()
    with make_app(config(f"sqlite:///{tmp_path}/r.db", smtp=SMTP), clock=clock) as app:
        mails = [
            FetchedMail(MailRef(f"k{i}"), item.raw, len(item.raw))
            for i, item in enumerate(read_paths(sorted((REPO / "demo" / "mail").glob("0[1-7]*.eml"))))
        ]
        with app.sessions.begin() as session:
            store_batch(session, clock, "local", "", None, mails, FetchOptions())
        app.pipeline().drain(burst=True)
        with app.sessions.begin() as session:  # staff dealt with every draft: nothing waits
            for draft in session.scalars(select(Draft)):
                reject(session, draft.id, "staff-a", "handled by phone", clock.now())
        clock.advance(40 * 86400)
        with app.sessions.begin() as session:
            dry = purge(session, clock.now(), 30, dry_run=True)
            session.rollback()
        with app.sessions() as session:
            assert all(m.raw is not None for m in session.scalars(select(Message)))
            assert PURGED not in {a.full_name for a in session.scalars(select(Applicant))}
        with app.sessions.begin() as session:
            done = purge(session, clock.now(), 30)
        assert (dry.raw_messages, dry.applicants) == (done.raw_messages, done.applicants) == (7, 7)
        with app.sessions() as session:
            assert all(m.raw is None and m.parsed is None for m in session.scalars(select(Message)))
            applicants = list(session.scalars(select(Applicant)))
            assert {a.full_name for a in applicants} == {PURGED} and all(not a.fields for a in applicants)
            assert {d.body for d in session.scalars(select(Draft))} == {PURGED}
            actions = list(
                session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("retention%")))
            )
        assert actions.count("retention.purge") == 7 and "retention.purge_raw" in actions


def test_applicant_with_a_waiting_draft_is_not_closed(tmp_path: Path) -> None:
    clock = FrozenClock()
    with make_app(config(f"sqlite:///{tmp_path}/r.db", smtp=SMTP), clock=clock) as app:
        raw = (REPO / "demo" / "mail" / "03-application-de.eml").read_bytes()
        with app.sessions.begin() as session:
            store_batch(
                session, clock, "local", "", None, [FetchedMail(MailRef("k"), raw, len(raw))], FetchOptions()
            )
        app.pipeline().drain(burst=True)
        clock.advance(40 * 86400)
        with app.sessions.begin() as session:
            report = purge(session, clock.now(), 30)
        assert (report.raw_messages, report.applicants) == (1, 0)
