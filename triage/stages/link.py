"""Attach each applicant of a message to the person they are, across messages, addresses and embassies."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from triage.applicants.matching import link_applicant
from triage.clock import Clock
from triage.linking.score import Scorer
from triage.mail.category import PERSON_CATEGORIES, Category
from triage.store.models import ApplicantMessage, Message, MessageStatus

log = logging.getLogger(__name__)


class LinkStage:
    name = "link"
    takes = MessageStatus.extracted
    gives = MessageStatus.linked

    def __init__(self, clock: Clock, scorer: Scorer | None = None) -> None:
        self._clock = clock
        self._scorer = scorer or Scorer()

    def handle(self, session: Session, message: Message) -> None:
        if message.category is None or Category(message.category) not in PERSON_CATEGORIES:
            return
        applicants = (message.extraction or {}).get("applicants") or []
        done = set(
            session.scalars(
                select(ApplicantMessage.position).where(ApplicantMessage.message_pk == message.id)
            )
        )
        for position, extracted in enumerate(applicants):
            if position in done:
                continue
            outcome = link_applicant(session, self._scorer, message, position, extracted, self._clock.now())
            log.info(
                "msg#%d: applicant#%d (%s%s)",
                message.id,
                outcome.applicant_id,
                outcome.action,
                f", {outcome.suggestions} suggestion(s)" if outcome.suggestions else "",
            )
