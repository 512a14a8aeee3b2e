"""Draft a reply to each application and question, in the applicant's language, for staff to approve.

Never for auto-replies, bounces, spam or other mail; never to a null sender, MAILER-DAEMON, a no-reply
address or our own mail coming back; at most one automatic draft per applicant and template kind; at
most ``max_replies_per_recipient`` drafts to one address in ``rate_limit_window_hours``. An application
that lacks required fields gets a follow-up asking for them instead of the acknowledgement.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from email.utils import formataddr, parseaddr
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from triage.clock import Clock
from triage.errors import ConfigError
from triage.mail.category import Category
from triage.replies.compose import Original, is_unrepliable, make_message_id, reply_sender, reply_subject
from triage.replies.context import missing_fields, reply_context
from triage.replies.templates import TemplateSet
from triage.settings import EmbassySettings, Settings
from triage.store.models import Applicant, ApplicantMessage, Draft, DraftStatus, Message, MessageStatus

log = logging.getLogger(__name__)


class DraftStage:
    name = "draft"
    takes = MessageStatus.linked
    gives = MessageStatus.done

    def __init__(self, settings: Settings, templates: TemplateSet, clock: Clock) -> None:
        self._settings = settings
        self._templates = templates
        self._clock = clock
        self._embassies = {e.code: e for e in settings.embassies}
        self._own = {a for e in settings.embassies for a in e.addresses}

    def handle(self, session: Session, message: Message) -> None:
        if message.category not in (Category.application, Category.question):
            return
        if session.scalar(select(Draft.id).where(Draft.message_pk == message.id)) is not None:
            return  # drafted by an earlier attempt
        parsed = message.parsed or {}
        to_address = (message.author_email or "").strip().lower()
        reason = is_unrepliable(to_address, parsed.get("headers") or {}, self._own)
        if reason is not None:
            log.info("msg#%d: no draft (%s)", message.id, reason)
            return
        link = session.scalars(
            select(ApplicantMessage)
            .where(ApplicantMessage.message_pk == message.id)
            .order_by(ApplicantMessage.position)
        ).first()
        applicant = dict(link.extracted) if link is not None else {}
        applicant_id = link.applicant_id if link is not None else None
        if applicant_id is not None:
            # what the person told us in earlier messages counts too: a follow-up never asks again
            fields = session.scalar(select(Applicant.fields).where(Applicant.id == applicant_id)) or {}
            for name, entry in fields.items():
                value = entry.get("value") if isinstance(entry, dict) else None
                if value not in (None, "", []) and applicant.get(name) in (None, "", []):
                    applicant[name] = value
        kind = str(message.category)
        missing: list[str] | None = None
        if kind == Category.application:
            missing = missing_fields(applicant, self._settings.replies.required_fields)
            if missing:
                kind = "follow_up"
        if (
            applicant_id is not None
            and session.scalar(select(Draft.id).where(Draft.applicant_id == applicant_id, Draft.kind == kind))
            is not None
        ):
            log.info(
                "msg#%d: no draft (applicant#%d has one of kind %s already)", message.id, applicant_id, kind
            )
            return
        if self._over_limit(session, to_address):
            log.warning("msg#%d: no draft (recipient limit reached)", message.id)
            return
        embassy = self._embassy(message)
        smtp_from = self._settings.smtp.from_ if self._settings.smtp else ""
        # The embassy's reply_from, else its first address under its name, else the SMTP sender.
        own = formataddr((embassy.name, embassy.addresses[0])) if embassy.addresses else ""
        try:
            sender = reply_sender(embassy.reply_from or own, smtp_from)
        except ConfigError:
            log.warning("msg#%d: no draft (embassy %s has no address to reply from, and no smtp.from)",
                        message.id, embassy.code)
            return
        rendered = self._templates.render(
            kind,
            message.language or "en",
            reply_context(applicant, embassy, missing if kind == "follow_up" else None),
        )
        original = Original(
            message.message_id_header, message.subject or "", " ".join(_header(parsed, "references"))
        )
        now = self._clock.now()
        session.add(
            Draft(
                message_pk=message.id,
                applicant_id=applicant_id,
                embassy_code=embassy.code or None,
                kind=kind,
                template=rendered.template,
                template_sha256=rendered.template_sha256,
                language=rendered.language,
                from_address=sender,
                to_address=to_address,
                to_name=(message.author_name or "")[:320],
                subject=reply_subject(original, rendered.subject),
                body=rendered.body,
                outbound_message_id=make_message_id(self._domain(sender)),
                in_reply_to=message.message_id_header,
                references=original.references or None,
                state=DraftStatus.pending,
                created_at=now,
                updated_at=now,
                attempts=0,
            )
        )
        log.info("msg#%d: %s draft in %s for staff", message.id, kind, rendered.language)

    def _embassy(self, message: Message) -> EmbassySettings:
        if message.embassy_code and message.embassy_code in self._embassies:
            return self._embassies[message.embassy_code]
        # Unknown embassy: the reply goes out in the name of the SMTP sender.
        return EmbassySettings(code="none", name="Embassy of Ukraine")

    def _domain(self, sender: str) -> str:
        return self._settings.replies.message_id_domain or parseaddr(sender)[1].rpartition("@")[2]

    def _over_limit(self, session: Session, to_address: str) -> bool:
        replies = self._settings.replies
        since = self._clock.now() - timedelta(hours=replies.rate_limit_window_hours)
        count = session.scalar(
            select(func.count())
            .select_from(Draft)
            .where(Draft.to_address == to_address, Draft.created_at >= since)
        )
        return int(count or 0) >= replies.max_replies_per_recipient


def _header(parsed: dict[str, Any], name: str) -> list[str]:
    return [str(v) for v in (parsed.get("headers") or {}).get(name, [])]
