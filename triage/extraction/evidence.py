"""What extraction produces: candidates with their evidence, the chosen applicants, and the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Source = Literal["header", "body", "signature", "quoted", "forwarded"]

#: The fourteen profile fields, in output order.
FIELDS = (
    "full_name",
    "email",
    "phone",
    "nationality",
    "country_of_residence",
    "date_of_birth",
    "age",
    "military_experience",
    "years_of_service",
    "branch",
    "specialties",
    "languages",
    "has_passport",
    "city",
)
#: Fields whose value is a set of codes rather than one value.
SET_FIELDS = frozenset({"specialties", "languages"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible value of one field, and why: where it was read and which rule read it.

    ``span`` holds character offsets into the text the zones were cut from: ``parsed.forward.text`` for a
    forward, else ``parsed.text``; ``zone`` is the index of the zone it was read in. Header candidates
    have ``zone == -1``, the header's value as ``text`` and offsets into it. ``person`` groups the
    candidates of one applicant when a message names several.
    """

    field: str
    value: Any
    confidence: float
    source: Source
    span: tuple[int, int]
    text: str
    extractor: str
    zone: int = 0
    person: int = 0

    def evidence(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "confidence": round(self.confidence, 3),
            "source": self.source,
            "span": [self.span[0], self.span[1]],
            "text": self.text,
            "extractor": self.extractor,
        }

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "zone": self.zone, "person": self.person, **self.evidence()}


@dataclass(slots=True)
class Applicant:
    """One person's profile: a value per field (None or [] when the text does not say) and its evidence."""

    values: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, list[Candidate]] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        return self.values.get(name, [] if name in SET_FIELDS else None)

    def to_json(self) -> dict[str, Any]:
        """The fourteen fields plus ``evidence``: per field the candidate (or, for sets, candidates) used."""
        out: dict[str, Any] = {name: self.get(name) for name in FIELDS}
        chosen: dict[str, Any] = {}
        for name, cands in self.evidence.items():
            if name in SET_FIELDS:
                chosen[name] = [c.evidence() for c in cands]
            elif cands:
                chosen[name] = cands[0].evidence()
        out["evidence"] = chosen
        return out


@dataclass(slots=True)
class Extraction:
    """The result for one message: its language, the applicants, and every candidate considered."""

    language: str | None
    applicants: list[Applicant] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    zones: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "applicants": [a.to_json() for a in self.applicants],
            "candidates": [c.to_json() for c in self.candidates],
        }
