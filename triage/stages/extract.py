"""Extract the applicants' details, with evidence, from a classified message."""

from __future__ import annotations

import logging
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

    def __init__(self, extractor: Extractor) -> None:
        self._extractor = extractor

    def compute(self, work: Work) -> None:
        if work.parsed is None or work.verdict is None:
            raise Quarantine("not parsed and classified")
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
