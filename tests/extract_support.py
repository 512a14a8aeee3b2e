"""Helpers for the extraction tests: one shared Extractor and messages built without MIME."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from triage.extraction import Extraction, Extractor, default_models_dir
from triage.mail.category import Category
from triage.mail.message import Address, ParsedMessage


@lru_cache(maxsize=1)
def extractor() -> Extractor:
    return Extractor(default_models_dir())


def message(
    text: str,
    *,
    name: str = "Alex Tester",
    email: str = "alex.tester@mail.example",
    subject: str = "Volunteer",
) -> ParsedMessage:
    return ParsedMessage(
        message_id="<t@mail.example>", subject=subject, sender=Address(name, email), text=text
    )


def run(text: str, category: Category = Category.application, **kwargs: Any) -> Extraction:
    return extractor().extract(message(text, **kwargs), category)


def profile(text: str, **kwargs: Any) -> dict[str, Any]:
    result = run(text, **kwargs)
    assert len(result.applicants) == 1
    return result.applicants[0].to_json()
