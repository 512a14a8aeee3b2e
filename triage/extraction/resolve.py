"""Pick each field's value from its candidates; keep every candidate as evidence."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from triage.extraction.evidence import FIELDS, SET_FIELDS, Applicant, Candidate
from triage.extraction.text import fold

#: Set members below this confidence are shown as evidence but left out of the profile.
SET_THRESHOLD = 0.5


def _name_score(candidate: Candidate, author_words: set[str]) -> float:
    words = fold(str(candidate.value)).split()
    overlap = 0.05 if author_words & set(words) else 0.0
    return candidate.confidence + 0.04 * min(len(words), 4) + overlap


def _best(cands: Sequence[Candidate], field: str, author_words: set[str]) -> Candidate | None:
    if not cands:
        return None
    if field == "full_name":
        return max(cands, key=lambda c: _name_score(c, author_words))
    if field == "military_experience":
        # a firm statement of service beats a denial elsewhere ("never in the Polish army, but 5 years
        # in the Legion"); a bare mention of an army ("IT Army") does not
        yes = max(
            (c for c in cands if c.value is True and c.confidence >= 0.55),
            key=lambda c: c.confidence,
            default=None,
        )
        no = max((c for c in cands if c.value is False), key=lambda c: c.confidence, default=None)
        if yes is not None and (no is None or yes.confidence >= no.confidence - 0.1):
            return yes
        return no
    if field == "has_passport":
        pool: Sequence[Candidate] = [c for c in cands if c.value is False] or cands
        return max(pool, key=lambda c: c.confidence)
    return max(cands, key=lambda c: c.confidence)


def resolve(
    candidates: Iterable[Candidate], *, author_name: str = "", on_behalf: bool = False, author_email: str = ""
) -> Applicant:
    """Build one applicant from *candidates*: the best value per field, sets as unions."""
    by_field: dict[str, list[Candidate]] = {name: [] for name in FIELDS}
    for cand in candidates:
        if cand.field in by_field:
            by_field[cand.field].append(cand)
    author_words = set(fold(author_name).split())
    if on_behalf:
        others = [c for c in by_field["email"] if c.source != "header" and c.value != author_email]
        if others:
            by_field["email"] = others
        names = [
            c
            for c in by_field["full_name"]
            if c.source != "header" and not set(fold(str(c.value)).split()) <= author_words
        ]
        if names:
            by_field["full_name"] = names
        author_words = set()
    applicant = Applicant()
    for name in FIELDS:
        cands = by_field[name]
        if name in SET_FIELDS:
            kept: dict[str, Candidate] = {}
            for cand in sorted(cands, key=lambda c: -c.confidence):
                if cand.confidence >= SET_THRESHOLD and cand.value not in kept:
                    kept[str(cand.value)] = cand
            applicant.values[name] = sorted(kept)
            applicant.evidence[name] = list(kept.values())
            continue
        if name == "email" and not on_behalf:
            header = [c for c in cands if c.source == "header"]
            cands = header or cands
        best = _best(cands, name, author_words)
        if best is not None:
            applicant.values[name] = best.value
            applicant.evidence[name] = [best]
    _agree_city_country(applicant, by_field)
    if applicant.values.get("military_experience") is False:
        for name in ("branch", "years_of_service"):
            applicant.values.pop(name, None)
            applicant.evidence.pop(name, None)
    return applicant


def _agree_city_country(applicant: Applicant, by_field: dict[str, list[Candidate]]) -> None:
    """The country of residence follows from the chosen city unless stated more firmly elsewhere."""
    city = applicant.evidence.get("city")
    if not city:
        return
    linked = [
        c for c in by_field["country_of_residence"] if c.span == city[0].span and c.zone == city[0].zone
    ]
    current = applicant.evidence.get("country_of_residence")
    if linked and (not current or current[0].confidence <= linked[0].confidence + 0.1):
        applicant.values["country_of_residence"] = linked[0].value
        applicant.evidence["country_of_residence"] = [linked[0]]
