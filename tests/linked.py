"""Messages with extracted applicants stored straight into a test App, and the link stage run over them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from triage.app import App
from triage.linking.score import Scorer
from triage.pipeline import Pipeline
from triage.stages.link import LinkStage
from triage.store.models import Message, MessageCopy, MessageStatus


def person(**fields: Any) -> dict[str, Any]:
    """An extracted applicant with the list fields and evidence the extractor always gives."""
    return {"specialties": [], "languages": [], "evidence": {}, **fields}


def add_message(
    app: App,
    n: int,
    *applicants: dict[str, Any],
    mailbox: str = "warsaw",
    embassy: str = "pl",
    category: str = "application",
    language: str = "en",
    date_sent: datetime | None = None,
) -> int:
    """Store message *n* as extracted (ready to link), fetched from *mailbox*; return its id."""
    now = app.clock.now()
    with app.sessions.begin() as session:
        message = Message(
            dedupe_key=f"k{n}",
            sha256=f"s{n}",
            message_id_header=f"<m{n}@mail.example>",
            raw=b"",
            size=0,
            status=MessageStatus.extracted,
            attempts=0,
            created_at=now,
            updated_at=now,
            date_sent=date_sent,
            category=category,
            language=language,
            embassy_code=embassy,
            extraction={"language": language, "applicants": list(applicants), "candidates": []},
        )
        session.add(message)
        session.flush()
        session.add(
            MessageCopy(
                message=message,
                mailbox=mailbox,
                folder="INBOX",
                key=f"1:{n}",
                uidvalidity=1,
                uid=n,
                embassy_code=embassy,
                fetched_at=now,
            )
        )
        return message.id


def link_all(app: App, scorer: Scorer | None = None) -> None:
    Pipeline(app.sessions, app.clock, [LinkStage(app.clock, scorer)]).drain()
