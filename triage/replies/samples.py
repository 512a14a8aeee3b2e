"""Sample template contexts for `triage templates check`: every variable, with and without names."""

from __future__ import annotations

#: The applicant profile fields (DESIGN §5) a follow-up may ask for; every follow_up template has a
#: phrase for each of them.
PROFILE_FIELDS = (
    "full_name", "email", "phone", "nationality", "country_of_residence", "date_of_birth", "age",
    "military_experience", "years_of_service", "branch", "specialties", "languages", "has_passport", "city",
)  # fmt: skip

#: Categories whose templates receive ``missing_fields``.
FOLLOW_UP_CATEGORIES = frozenset(("follow_up",))

_EMBASSIES: tuple[dict[str, object], ...] = (
    {"code": "pl", "name": "Embassy of Ukraine in Poland",
     "signature": "Embassy of Ukraine in Poland\nemb_pl@mfa.example",
     "reply_from": "Embassy of Ukraine in Poland <emb_pl@mfa.example>"},
    {"code": "xx", "name": "Embassy of Ukraine", "signature": "", "reply_from": ""},
)
_APPLICANTS: tuple[tuple[dict[str, object], str], ...] = (
    ({}, ""),
    ({"full_name": "Jan Kowalski", "email": "jan.kowalski@mail.example", "nationality": "PL",
      "military_experience": True, "has_passport": True}, "Jan Kowalski"),
    ({"full_name": "Олександр Коваленко", "phone": "+380441234567"}, "Олександр Коваленко"),
    ({"full_name": "山田 太郎"}, "山田 太郎"),
)


def sample_contexts(category: str) -> list[dict[str, object]]:
    """Return contexts that exercise a *category*'s templates: with and without names and signatures.

    Follow-up categories also get ``missing_fields``: each field alone, and all of them at once.
    ``language`` is set by the renderer, not here.
    """
    base: list[dict[str, object]] = []
    for index, (applicant, name) in enumerate(_APPLICANTS):
        base.append({"applicant": dict(applicant), "greeting_name": name,
                     "embassy": dict(_EMBASSIES[index % len(_EMBASSIES)])})
    if category not in FOLLOW_UP_CATEGORIES:
        return base
    contexts: list[dict[str, object]] = []
    for context in base:
        contexts.append({**context, "missing_fields": list(PROFILE_FIELDS)})
    for index, field in enumerate(PROFILE_FIELDS):
        contexts.append({**base[index % len(base)], "missing_fields": [field]})
    return contexts
