"""The variables a reply template sees, built from an applicant profile and an embassy's settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from triage.settings import EmbassySettings


def missing_fields(applicant: Mapping[str, object], required: Sequence[str]) -> list[str]:
    """Return the *required* profile fields that *applicant* lacks, in the order given.

    A field is missing when it is absent, None, empty text or an empty list; ``False`` is an answer.
    """
    return [name for name in required if _is_empty(applicant.get(name))]


def reply_context(applicant: Mapping[str, object], embassy: EmbassySettings,
                  missing: Sequence[str] | None = None) -> dict[str, object]:
    """Return the template variables (config/templates/README.md); *missing* only for follow-ups.

    ``applicant`` keeps only the fields that have a value; ``greeting_name`` is the full name as written,
    or "" when unknown. ``language`` is added by the renderer.
    """
    known = {name: value for name, value in applicant.items() if not _is_empty(value)}
    name = known.get("full_name")
    context: dict[str, object] = {
        "applicant": known,
        "greeting_name": name if isinstance(name, str) else "",
        "embassy": {"code": embassy.code, "name": embassy.name, "signature": embassy.signature,
                    "reply_from": embassy.reply_from},
    }
    if missing is not None:
        context["missing_fields"] = list(missing)
    return context


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str | list | tuple | dict) and not value)
