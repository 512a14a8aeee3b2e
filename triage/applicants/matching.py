"""Attach an extracted applicant to a stored one, or create one: indexed candidates, scores, decision.

Candidates come only through the indexed ``applicant_key`` table (never a scan of applicants); a key
that more than ``MAX_CANDIDATES_PER_KEY`` applicants share is too common to say anything and is
skipped. On PostgreSQL the profile's keys are locked for the transaction (advisory locks, in sorted
order), so two processes linking the same new person one after the other see each other's work and end
with one applicant; SQLite's write lock does the same.

A link runs once per applicant of every message, so it is written as a few Core statements on the
caller's session (no ORM objects): one reads the candidates with their profiles and the store size,
a new applicant is inserted whole from its one message, and a linked one is rebuilt from its messages
(`triage.applicants.profile`) and updated in one statement.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    Select,
    Table,
    Text,
    bindparam,
    cast,
    exists,
    func,
    insert,
    literal,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from triage.applicants.profile import LinkedRow, canonical, linked_rows, merged_profile
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
MAX_KEY_CHARS = 200


def _table(model: type[Any]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


APPLICANT = _table(Applicant)
KEY = _table(ApplicantKey)
APPLICANT_MESSAGE = _table(ApplicantMessage)
DECISION = _table(LinkDecision)
SUGGESTION = _table(MergeSuggestion)
CANNOT_LINK = _table(CannotLink)

INSERT_APPLICANT = insert(APPLICANT).returning(APPLICANT.c.id)
UPDATE_APPLICANT = update(APPLICANT).where(APPLICANT.c.id == bindparam("_id"))
INSERT_APPLICANT_MESSAGE = insert(APPLICANT_MESSAGE)
INSERT_DECISION = insert(DECISION)
# for an applicant that has keys already: the unique (applicant_id, key) constraint skips those
_IGNORING_INDEXED = {
    "postgresql": postgresql.insert(KEY).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(KEY).on_conflict_do_nothing(),
}


def _suggest_statement() -> ReturningInsert[Any]:
    """INSERT of a merge suggestion unless the pair is suggested already or staff forbade it."""
    a, b = bindparam("a", type_=Integer), bindparam("b", type_=Integer)
    forbidden = exists().where(CANNOT_LINK.c.applicant_a_id == a, CANNOT_LINK.c.applicant_b_id == b)
    known = exists().where(SUGGESTION.c.applicant_a_id == a, SUGGESTION.c.applicant_b_id == b)
    columns = ("applicant_a_id", "applicant_b_id", "score", "reasons", "status", "created_at")
    values = select(
        a,
        b,
        bindparam("score", type_=SUGGESTION.c.score.type),
        bindparam("reasons", type_=SUGGESTION.c.reasons.type),
        literal(SuggestionStatus.open.value, SUGGESTION.c.status.type),
        bindparam("created_at", type_=SUGGESTION.c.created_at.type),
    ).where(~forbidden, ~known)
    return insert(SUGGESTION).from_select(columns, values).returning(SUGGESTION.c.id)


SUGGEST = _suggest_statement()


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    applicant_id: int
    action: str  # link or new
    suggestions: int


@dataclass(frozen=True, slots=True)
class Candidates:
    """The active applicants sharing a selective key with a profile, and about how many are stored."""

    profiles: list[tuple[int, Profile]]
    store_size: int


def _lock_keys(connection: Connection, keys: Sequence[str]) -> None:
    if connection.dialect.name != "postgresql":
        return
    numbers = sorted(
        {int.from_bytes(hashlib.sha256(k.encode()).digest()[:8], "big", signed=True) for k in keys}
    )
    # one round trip; unnest yields the sorted array in order, so the locks are taken in order
    connection.execute(
        text("SELECT pg_advisory_xact_lock(n) FROM unnest(CAST(:ns AS bigint[])) AS n"), {"ns": numbers}
    ).all()


@lru_cache(maxsize=64)
def _candidates_statement(count: int) -> Select[Any]:
    """The candidates of *count* keys (``k0`` ...) in one statement.

    Each key's holders are read from the (key, applicant_id) index up to one past the limit, so a
    common key costs what a rare one does; a key that reached past the limit is dropped. The store
    size (the highest id: an index lookup, not a count) comes along on every row.
    """
    limited = [
        select(KEY.c.key, KEY.c.applicant_id)
        .where(KEY.c.key == bindparam(f"k{i}"))
        .limit(bindparam("per_key", type_=Integer))
        .subquery()
        for i in range(count)
    ]
    hits = union_all(*(select(s.c.key, s.c.applicant_id) for s in limited)).cte("hits")
    selective = (
        select(hits.c.key).group_by(hits.c.key).having(func.count() <= bindparam("limit", type_=Integer))
    )
    size = select(func.max(APPLICANT.c.id)).scalar_subquery()
    # the status is returned, not filtered on: a filter lets SQLite look each id up in the status
    # index before the table (merged applicants have no keys left, so few rows are dropped)
    # the profile comes as text and is parsed here: JSON result processing costs more per row
    return (
        select(APPLICANT.c.id, APPLICANT.c.status, cast(APPLICANT.c.profile, Text), size)
        .where(APPLICANT.c.id.in_(select(hits.c.applicant_id).where(hits.c.key.in_(selective))))
        .order_by(APPLICANT.c.id)
    )


def candidates(session: Session | Connection, keys: Sequence[str]) -> Candidates:
    """The active applicants sharing a selective key with *keys*, by id, with their profiles."""
    if not keys:
        return Candidates([], 0)
    params: dict[str, Any] = {f"k{i}": key for i, key in enumerate(keys)}
    params.update(per_key=MAX_CANDIDATES_PER_KEY + 1, limit=MAX_CANDIDATES_PER_KEY)
    rows = session.execute(_candidates_statement(len(keys)), params).all()
    return Candidates(
        [
            (row[0], Profile.from_stored(json.loads(row[2])))
            for row in rows
            if row[1] == ApplicantStatus.active
        ],
        int(rows[0][3] or 0) if rows else 0,
    )


def cannot_link(session: Session, a: int, b: int) -> bool:
    low, high = min(a, b), max(a, b)
    return (
        session.scalar(
            select(CannotLink.id).where(CannotLink.applicant_a_id == low, CannotLink.applicant_b_id == high)
        )
        is not None
    )


def index_keys(
    connection: Connection,
    applicant_id: int,
    profile: Profile,
    is_new: bool = False,
    kind: str = "applicant",
    known: Sequence[str] | None = None,
) -> None:
    """Index the keys of *applicant_id*'s merged *profile* (of data *kind*) that are not indexed yet.

    *known* are the profile's blocking keys when the caller has them already.
    """
    keys = {k[:MAX_KEY_CHARS] for k in (blocking_keys(profile, kind) if known is None else known)}
    statement = insert(KEY)
    if not is_new:
        if connection.dialect.name in _IGNORING_INDEXED:
            statement = _IGNORING_INDEXED[connection.dialect.name]
        else:
            keys -= set(connection.scalars(select(KEY.c.key).where(KEY.c.applicant_id == applicant_id)))
    if keys:
        connection.execute(statement, [{"applicant_id": applicant_id, "key": k} for k in sorted(keys)])


def add_keys(session: Session, applicant: Applicant, is_new: bool = False) -> None:
    """Index the keys of *applicant*'s merged profile that are not indexed yet."""
    session.flush()
    index_keys(session.connection(), applicant.id, Profile.from_mapping(applicant.profile), is_new)


def suggest(session: Session | Connection, a: int, b: int, result: MatchResult, now: datetime) -> bool:
    """Record a merge suggestion for staff unless one exists or staff said the two are different."""
    if a == b:
        return False
    params = {
        "a": min(a, b),
        "b": max(a, b),
        "score": round(result.score, 3),
        "reasons": list(result.reasons),
        "created_at": now,
    }
    return session.execute(SUGGEST, params).first() is not None


def link_applicant(
    session: Session,
    scorer: Scorer,
    message: Message,
    position: int,
    extracted: dict[str, Any],
    now: datetime,
) -> LinkOutcome:
    """Link the *position*-th applicant extracted from *message* and record the decision."""
    connection = session.connection()
    profile = Profile.from_mapping(extracted, scorer.extra_fields)
    keys = blocking_keys(profile, scorer.kind)
    _lock_keys(connection, keys)
    found = candidates(connection, keys)
    scored = [(cid, scorer.score(profile, cprofile, found.store_size)) for cid, cprofile in found.profiles]
    decision = decide(scored)
    row = LinkedRow(message.id, extracted, message.date_sent, now, message.language)
    if decision.action == "link" and decision.applicant_id is not None:
        applicant_id, action = decision.applicant_id, "link"
        rows = [*linked_rows(connection, applicant_id), row]  # this message's row joins them last
        merged = merged_profile(rows, scorer.extra_fields) or profile
        connection.execute(
            UPDATE_APPLICANT, {**canonical(rows, merged), "_id": applicant_id, "updated_at": now}
        )
    else:
        # a new applicant has this one message: its profile is built here, not read back
        action, merged = "new", profile
        values = {
            **canonical([row], profile),
            "status": ApplicantStatus.active.value,
            "created_at": now,
            "updated_at": now,
        }
        applicant_id = connection.execute(INSERT_APPLICANT, values).scalar_one()
    connection.execute(
        INSERT_APPLICANT_MESSAGE,
        {
            "applicant_id": applicant_id,
            "message_pk": message.id,
            "position": position,
            "extracted": extracted,
            "linked_at": now,
        },
    )
    # a new applicant's merged profile is the one looked up with: its keys are known
    known = keys if action == "new" else None
    index_keys(connection, applicant_id, merged, is_new=action == "new", kind=scorer.kind, known=known)
    result = decision.result if action == "link" else None
    connection.execute(
        INSERT_DECISION,
        {
            "message_pk": message.id,
            "position": position,
            "action": action,
            "applicant_id": applicant_id,
            "score": round(result.score, 3) if result else None,
            "reasons": list(result.reasons) if result else [],
            "candidates": [
                {"applicant_id": cid, "score": round(r.score, 3), "band": r.band}
                for cid, r in sorted(scored, key=lambda p: -p[1].score)[:10]
            ],
            "decided_at": now,
        },
    )
    made = sum(suggest(connection, applicant_id, cid, r, now) for cid, r in decision.suggestions)
    return LinkOutcome(applicant_id, action, made)
