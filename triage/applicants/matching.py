"""Attach an extracted applicant to a stored one, or create one: indexed candidates, scores, decision.

Candidates come only through the indexed ``applicant_key`` table (never a scan of applicants); a key
that more than ``MAX_CANDIDATES_PER_KEY`` applicants share is too common to say anything and is
skipped. On PostgreSQL the profile's keys are locked for the transaction (advisory locks, in sorted
order), so two processes linking the same new person one after the other see each other's work and end
with one applicant; SQLite's write lock does the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from triage.applicants.profile import refresh
from triage.linking.index import DEFAULT_MAX_CANDIDATES_PER_KEY, decide
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
    SuggestionStatus,
)

MAX_CANDIDATES_PER_KEY = DEFAULT_MAX_CANDIDATES_PER_KEY


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    applicant_id: int
    action: str  # link or new
    suggestions: int


def _lock_keys(session: Session, keys: Sequence[str]) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    numbers = sorted(
        {int.from_bytes(hashlib.sha256(k.encode()).digest()[:8], "big", signed=True) for k in keys}
    )
    # one round trip; unnest yields the sorted array in order, so the locks are taken in order
    session.execute(
        text("SELECT pg_advisory_xact_lock(n) FROM unnest(CAST(:ns AS bigint[])) AS n"), {"ns": numbers}
    ).all()


def candidates(session: Session, keys: Sequence[str]) -> list[tuple[int, dict[str, Any]]]:
    """(id, profile) of the active applicants sharing a selective key with *keys*."""
    if not keys:
        return []
    selective = (
        select(ApplicantKey.key)
        .where(ApplicantKey.key.in_(keys))
        .group_by(ApplicantKey.key)
        .having(func.count() <= MAX_CANDIDATES_PER_KEY)
    )
    ids = select(ApplicantKey.applicant_id).where(ApplicantKey.key.in_(selective))
    return [
        (row.id, row.profile)
        for row in session.execute(
            select(Applicant.id, Applicant.profile)
            .where(Applicant.id.in_(ids), Applicant.status == ApplicantStatus.active)
            .order_by(Applicant.id)
        )
    ]


def store_size(session: Session) -> int:
    """About how many applicants there are (the highest id: an index lookup, not a count)."""
    return int(session.scalar(select(func.max(Applicant.id))) or 0)


def cannot_link(session: Session, a: int, b: int) -> bool:
    low, high = min(a, b), max(a, b)
    return (
        session.scalar(
            select(CannotLink.id).where(CannotLink.applicant_a_id == low, CannotLink.applicant_b_id == high)
        )
        is not None
    )


def add_keys(session: Session, applicant: Applicant, is_new: bool = False) -> None:
    """Index the keys of *applicant*'s merged profile that are not indexed yet."""
    keys = {k[:200] for k in blocking_keys(Profile.from_mapping(applicant.profile))}
    if not is_new:
        keys -= set(
            session.scalars(select(ApplicantKey.key).where(ApplicantKey.applicant_id == applicant.id))
        )
    if keys:
        session.execute(
            insert(ApplicantKey), [{"applicant_id": applicant.id, "key": k} for k in sorted(keys)]
        )


def suggest(session: Session, a: int, b: int, result: MatchResult, now: datetime) -> bool:
    """Record a merge suggestion for staff unless one exists or staff said the two are different."""
    if a == b or cannot_link(session, a, b):
        return False
    low, high = min(a, b), max(a, b)
    existing = session.scalar(
        select(MergeSuggestion).where(
            MergeSuggestion.applicant_a_id == low, MergeSuggestion.applicant_b_id == high
        )
    )
    if existing is not None:
        return False
    session.add(
        MergeSuggestion(
            applicant_a_id=low,
            applicant_b_id=high,
            score=round(result.score, 3),
            reasons=list(result.reasons),
            status=SuggestionStatus.open,
            created_at=now,
        )
    )
    return True


def link_applicant(
    session: Session,
    scorer: Scorer,
    message: Message,
    position: int,
    extracted: dict[str, Any],
    now: datetime,
) -> LinkOutcome:
    """Link the *position*-th applicant extracted from *message* and record the decision."""
    profile = Profile.from_mapping(extracted)
    keys = blocking_keys(profile)
    _lock_keys(session, keys)
    size = store_size(session)
    scored = [
        (cid, scorer.score(profile, Profile.from_mapping(cprofile), size))
        for cid, cprofile in candidates(session, keys)
    ]
    decision = decide(scored)
    if decision.action == "link" and decision.applicant_id is not None:
        applicant = session.get(Applicant, decision.applicant_id)
        assert applicant is not None
        _ = applicant.messages  # load the stored messages before this one joins them
        action = "link"
    else:
        # a pending applicant: its messages collection starts empty, no query needed
        applicant = Applicant(status=ApplicantStatus.active, created_at=now, message_count=0)
        session.add(applicant)
        action = "new"
    session.add(
        ApplicantMessage(
            applicant=applicant,
            message=message,
            message_pk=message.id,
            position=position,
            extracted=extracted,
            linked_at=now,
        )
    )
    refresh(session, applicant)
    applicant.updated_at = now
    session.flush()
    add_keys(session, applicant, is_new=action == "new")
    result = decision.result if action == "link" else None
    session.add(
        LinkDecision(
            message_pk=message.id,
            position=position,
            action=action,
            applicant_id=applicant.id,
            score=round(result.score, 3) if result else None,
            reasons=list(result.reasons) if result else [],
            candidates=[
                {"applicant_id": cid, "score": round(r.score, 3), "band": r.band}
                for cid, r in sorted(scored, key=lambda p: -p[1].score)[:10]
            ],
            decided_at=now,
        )
    )
    made = sum(suggest(session, applicant.id, cid, r, now) for cid, r in decision.suggestions)
    return LinkOutcome(applicant.id, action, made)
