"""An applicant's canonical profile, rebuilt from the applicant's messages.

Per field the value with the highest confidence wins, the most recent one on a tie; the other values
stay visible. Lists (specialties, languages) are the union of what every message says.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from triage.clock import as_utc
from triage.extraction import FIELDS
from triage.linking.profile import Profile
from triage.store.models import Applicant, ApplicantMessage

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


def _confidence(extracted: dict[str, Any], field: str) -> float:
    evidence = (extracted.get("evidence") or {}).get(field)
    if isinstance(evidence, list):
        return max((float(e.get("confidence") or 0) for e in evidence), default=0.0)
    if isinstance(evidence, dict):
        return float(evidence.get("confidence") or 0)
    return 0.0


def canonical_fields(rows: list[ApplicantMessage]) -> dict[str, Any]:
    """Per field: ``{"value", "confidence", "message_pk", "others": [...]}``."""
    out: dict[str, Any] = {}
    dated = [
        (as_utc(r.message.date_sent) or as_utc(r.linked_at) or datetime.min.replace(tzinfo=UTC), r)
        for r in rows
    ]
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


def refresh(session: Session, applicant: Applicant) -> None:
    """Rebuild *applicant*'s fields, columns and matching profile from its messages."""
    rows = list(applicant.messages)
    fields = canonical_fields(rows)
    applicant.fields = fields
    for column in COLUMNS:
        setattr(applicant, column, fields[column]["value"])
    if applicant.full_name:
        applicant.full_name = applicant.full_name[:320]
    profile: Profile | None = None
    for row in rows:
        one = Profile.from_mapping(row.extracted)
        profile = one if profile is None else profile.merged(one)
    applicant.profile = profile.to_mapping() if profile is not None else {}
    applicant.message_count = len(rows)
    dates = [as_utc(r.message.date_sent) for r in rows if r.message.date_sent is not None]
    applicant.last_message_at = max((d for d in dates if d is not None), default=None)
    languages = [r.message.language for r in rows if r.message.language]
    applicant.language = languages[-1] if languages else None
