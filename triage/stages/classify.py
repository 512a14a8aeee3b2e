"""Decide what kind of mail a parsed message is, and record the rule that decided."""

from __future__ import annotations

import logging
from collections.abc import Collection

from sqlalchemy.orm import Session

from triage.errors import Quarantine
from triage.mail.classify import classify
from triage.mail.message import ParsedMessage
from triage.store.models import Message, MessageStatus

log = logging.getLogger(__name__)


class ClassifyStage:
    name = "classify"
    takes = MessageStatus.parsed
    gives = MessageStatus.classified

    def __init__(self, own_addresses: Collection[str]) -> None:
        self._own = frozenset(a.lower() for a in own_addresses)

    def handle(self, session: Session, message: Message) -> None:
        if message.parsed is None:
            raise Quarantine("not parsed")
        verdict = classify(ParsedMessage.from_dict(message.parsed), own_addresses=self._own)
        message.category = verdict.category.value
        message.category_rule = verdict.rule[:64]
        log.info("msg#%d: %s (%s)", message.id, verdict.category.value, verdict.rule)
