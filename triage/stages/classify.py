"""Decide what kind of mail a parsed message is, and record the rule that decided."""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import Any

from triage.errors import Quarantine
from triage.mail.category import Category, Classification
from triage.mail.classify import classify
from triage.stages.base import Work
from triage.store.models import Message, MessageStatus

log = logging.getLogger(__name__)


class ClassifyStage:
    name = "classify"
    takes = MessageStatus.parsed
    gives = MessageStatus.classified

    def __init__(self, own_addresses: Collection[str]) -> None:
        self._own = frozenset(a.lower() for a in own_addresses)

    def compute(self, work: Work) -> None:
        if work.parsed is None:
            raise Quarantine("not parsed")
        work.verdict = classify(work.parsed, own_addresses=self._own)

    def restore(self, work: Work, message: Message) -> None:
        if message.category is None:
            raise Quarantine("not classified")
        work.verdict = Classification(Category(message.category), message.category_rule or "")

    def values(self, work: Work) -> dict[str, Any]:
        verdict = work.verdict
        assert verdict is not None
        log.info("msg#%d: %s (%s)", work.message_pk, verdict.category.value, verdict.rule)
        return {"category": verdict.category.value, "category_rule": verdict.rule[:64]}
