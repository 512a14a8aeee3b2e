"""An applicant's canonical profile, rebuilt from the applicant's messages.

Per field the value with the highest confidence wins, the most recent one on a tie; the other values
stay visible. Lists (specialties, languages) are the union of what every message says.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from triage.clock import as_utc
from triage.extraction import FIELDS
from triage.linking.profile import Profile
from triage.store.models import Applicant, ApplicantMessage, Message

SET_FIELDS = ("specialties", "languages")
#: Profile fields kept in columns, for lists, filters and search.
COLUMNS = (
    "full_name",
    "email",
    "phone",
    "nationality",
    "country_of_residence",
    "date_of_birth",
    "city",
    "military_experience",
)
_EPOCH = datetime.min.replace(tzinfo=UTC)


class LinkedRow(NamedTuple):
    """What the canonical profile reads of one applicant of one message."""

    message_pk: int
    extracted: dict[str, Any]
    date_sent: datetime | None
    linked_at: datetime | None
    language: str | None


def _confidence(extracted: dict[str, Any], field: str) -> float:
    evidence = (extracted.get("evidence") or {}).get(field)
    if isinstance(evidence, list):
        return max((float(e.get("confidence") or 0) for e in evidence), default=0.0)
    if isinstance(evidence, dict):
        return float(evidence.get("confidence") or 0)
    return 0.0


def canonical_fields(rows: Sequence[LinkedRow]) -> dict[str, Any]:
    """Per field: ``{"value", "confidence", "message_pk", "others": [...]}``."""
    out: dict[str, Any] = {}
    dated = [(as_utc(r.date_sent) or as_utc(r.linked_at) or _EPOCH, r) for r in rows]
    for field in FIELDS:
        if field in SET_FIELDS:
            values: list[Any] = []
            for _, row in dated:
                for value in row.extracted.get(field) or []:
                    if value not in values:
                        values.append(value)
            out[field] = {"value": values, "confidence": None, "message_pk": None, "others": []}
            continue
        seen = [
            (_confidence(r.extracted, field), when, r.message_pk, r.extracted.get(field))
            for when, r in dated
            if r.extracted.get(field) is not None
        ]
        if not seen:
            out[field] = {"value": None, "confidence": None, "message_pk": None, "others": []}
            continue
        best = max(seen, key=lambda item: (item[0], item[1]))
        others = []
        for *_, value in seen:
            if value != best[3] and value not in others:
                others.append(value)
        out[field] = {"value": best[3], "confidence": best[0], "message_pk": best[2], "others": others}
    return out


def merged_profile(rows: Sequence[LinkedRow], extra_fields: Sequence[str] = ()) -> Profile | None:
    """The matching profile of *rows*: each message's profile merged in order, None without rows.

    *extra_fields* are the fields beyond the applicant's own that the scorer's kind reads.
    """
    profile: Profile | None = None
    for row in rows:
        one = Profile.from_mapping(row.extracted, extra_fields)
        profile = one if profile is None else profile.merged(one)
    return profile


def canonical(rows: Sequence[LinkedRow], profile: Profile | None = None) -> dict[str, Any]:
    """The applicant's column values that *rows* (its messages, oldest link first) determine.

    *profile* is ``merged_profile(rows)`` when the caller already has it.
    """
    fields = canonical_fields(rows)
    values: dict[str, Any] = {column: fields[column]["value"] for column in COLUMNS}
    if values["full_name"]:
        values["full_name"] = values["full_name"][:320]
    if profile is None:
        profile = merged_profile(rows)
    dates = [d for d in (as_utc(r.date_sent) for r in rows) if d is not None]
    languages = [r.language for r in rows if r.language]
    values.update(
        fields=fields,
        profile=profile.to_mapping() if profile is not None else {},
        message_count=len(rows),
        last_message_at=max(dates, default=None),
        language=languages[-1] if languages else None,
    )
    return values


_LINKED_ROWS = (
    select(
        ApplicantMessage.message_pk,
        ApplicantMessage.extracted,
        Message.date_sent,
        ApplicantMessage.linked_at,
        Message.language,
    )
    .join(Message, Message.id == ApplicantMessage.message_pk)
    .where(ApplicantMessage.applicant_id == bindparam("applicant_id"))
    .order_by(ApplicantMessage.id)
)


def linked_rows(session: Session | Connection, applicant_id: int) -> list[LinkedRow]:
    """The messages of *applicant_id*, in the order they were linked."""
    return [LinkedRow(*row) for row in session.execute(_LINKED_ROWS, {"applicant_id": applicant_id})]


def refresh(session: Session, applicant: Applicant) -> None:
    """Rebuild *applicant*'s fields, columns and matching profile from its messages."""
    for name, value in canonical(linked_rows(session, applicant.id)).items():
        setattr(applicant, name, value)
