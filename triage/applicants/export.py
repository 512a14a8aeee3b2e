"""Applicants for other tools: one record per person with the profile, Message-IDs and mailboxes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from triage.extraction import FIELDS
from triage.store.models import Applicant, ApplicantMessage, ApplicantStatus, Message, MessageCopy

CHUNK = 1000
CSV_COLUMNS = ["applicant_id", *FIELDS, "message_ids", "mailboxes", "embassies", "message_count"]


def applicant_records(session: Session, embassies: frozenset[str] | None = None) -> Iterator[dict[str, Any]]:
    """Yield every active applicant (or those who wrote to one of *embassies*) in id order."""
    last = 0
    while True:
        chunk = list(
            session.scalars(
                select(Applicant)
                .where(Applicant.status == ApplicantStatus.active, Applicant.id > last)
                .order_by(Applicant.id)
                .limit(CHUNK)
            )
        )
        if not chunk:
            return
        last = chunk[-1].id
        ids = [a.id for a in chunk]
        rows = session.execute(
            select(ApplicantMessage.applicant_id, Message.id, Message.message_id_header)
            .join(Message, Message.id == ApplicantMessage.message_pk)
            .where(ApplicantMessage.applicant_id.in_(ids))
            .order_by(Message.id)
        ).all()
        message_ids: dict[int, list[str]] = {}
        messages_of: dict[int, list[int]] = {}
        for applicant_id, message_pk, header in rows:
            messages_of.setdefault(applicant_id, []).append(message_pk)
            if header and header not in message_ids.setdefault(applicant_id, []):
                message_ids[applicant_id].append(header)
        all_messages = [pk for pks in messages_of.values() for pk in pks]
        copies: dict[int, set[tuple[str, str | None]]] = {}
        for message_pk, mailbox, embassy in session.execute(
            select(MessageCopy.message_pk, MessageCopy.mailbox, MessageCopy.embassy_code).where(
                MessageCopy.message_pk.in_(all_messages)
            )
        ):
            copies.setdefault(message_pk, set()).add((mailbox, embassy))
        for applicant in chunk:
            seen = set().union(*(copies.get(pk, set()) for pk in messages_of.get(applicant.id, [])))
            codes = sorted({e for _, e in seen if e})
            if embassies is not None and not embassies.intersection(codes):
                continue
            record: dict[str, Any] = {"applicant_id": applicant.id}
            record.update({f: (applicant.fields.get(f) or {}).get("value") for f in FIELDS})
            record["message_ids"] = message_ids.get(applicant.id, [])
            record["mailboxes"] = sorted({m for m, _ in seen})
            record["embassies"] = codes
            record["message_count"] = applicant.message_count
            yield record


def csv_text(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    """CSV for spreadsheets: a UTF-8 byte-order mark first (so names in every script open correctly),
    lists joined with "; ", booleans as true/false."""
    yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        row = {}
        for key in CSV_COLUMNS:
            value = record.get(key)
            if isinstance(value, list):
                value = "; ".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            row[key] = "" if value is None else _inert(value)
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _inert(value: object) -> object:
    """Keep a spreadsheet from reading sender-written text as a formula (=, +, -, @ at the start)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
