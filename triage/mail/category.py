"""The categories a message is classified into, and the verdict with the rule that decided it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    application = "application"
    question = "question"
    auto_reply = "auto_reply"
    bounce = "bounce"
    spam = "spam"
    other = "other"


#: Categories whose sender is a person who may get a reply and an applicant profile.
PERSON_CATEGORIES = frozenset({Category.application, Category.question})


@dataclass(frozen=True, slots=True)
class Classification:
    """A category and the rule that decided it, e.g. ``header:auto-submitted`` or ``body:ooo-de``."""

    category: Category
    rule: str
