"""Attach each applicant of a message to the person they are, across messages, addresses and embassies."""

from __future__ import annotations

import logging

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from triage.applicants.matching import link_applicant
from triage.clock import Clock
from triage.linking.score import Scorer
from triage.mail.category import PERSON_CATEGORIES, Category
from triage.store.models import ApplicantMessage, Message, MessageStatus

log = logging.getLogger(__name__)

_MESSAGE, _APPLICANT_MESSAGE = Message.__table__, ApplicantMessage.__table__
# the extraction (a deferred column) and the positions linked already, in one statement
_EXTRACTION_AND_DONE = (
    select(_MESSAGE.c.extraction, _APPLICANT_MESSAGE.c.position)
    .select_from(_MESSAGE.outerjoin(_APPLICANT_MESSAGE, _APPLICANT_MESSAGE.c.message_pk == _MESSAGE.c.id))
    .where(_MESSAGE.c.id == bindparam("message_pk"))
)


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
        rows = session.connection().execute(_EXTRACTION_AND_DONE, {"message_pk": message.id}).all()
        applicants = ((rows[0].extraction if rows else None) or {}).get("applicants") or []
        done = {row.position for row in rows if row.position is not None}
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
