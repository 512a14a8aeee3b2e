"""Extract the applicants' details, with evidence, from a classified message."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from triage.errors import Quarantine
from triage.extraction import Extraction, Extractor
from triage.stages.base import Work
from triage.store.models import Message, MessageStatus

log = logging.getLogger(__name__)


class ExtractStage:
    name = "extract"
    takes = MessageStatus.classified
    gives = MessageStatus.extracted

    def __init__(self, make_extractor: Callable[[], Extractor]) -> None:
        # Built on first use: with worker processes the daemon's own process never computes, and
        # the models (a few hundred MB) are then loaded only in the workers.
        self._make_extractor = make_extractor
        self._extractor: Extractor | None = None

    def prepare(self) -> None:
        """Load the models now (the daemon does this before it reports ready)."""
        if self._extractor is None:
            self._extractor = self._make_extractor()

    def compute(self, work: Work) -> None:
        if work.parsed is None or work.verdict is None:
            raise Quarantine("not parsed and classified")
        if self._extractor is None:
            self._extractor = self._make_extractor()
        work.extraction = self._extractor.extract(work.parsed, work.verdict.category).to_json()

    def restore(self, work: Work, message: Message) -> None:
        if message.extraction is None:
            raise Quarantine("extraction missing")
        work.extraction = message.extraction

    def values(self, work: Work) -> dict[str, Any]:
        extraction: dict[str, Any] = work.extraction
        log.info("msg#%d: %d applicant(s), language %s", work.message_pk, len(extraction["applicants"]),
                 extraction["language"] or "unknown")
        return {"extraction": extraction, "language": extraction["language"]}


__all__ = ["ExtractStage", "Extraction"]
