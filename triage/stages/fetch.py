"""Copy new mail from a mailbox into the database, raw bytes first, before anything changes on the server.

The invariants (DESIGN §3): a copy's identity (mailbox, folder, UIDVALIDITY, UID) is unique; the raw
bytes and the folder's high-water mark are committed in one transaction per batch, and only then is
the server touched (an optional keyword); a changed UIDVALIDITY refetches the folder and the unique
keys drop what is already stored; the same mail delivered to two mailboxes is one message seen twice
(Message-ID plus body hash, or identical bytes); oversized mail is stored as its header with a reason.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import Message as EmailMessage
from email.parser import BytesHeaderParser
from email.policy import compat32

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from triage.clock import Clock
from triage.errors import MailboxError
from triage.mail.attribution import attribute
from triage.ports import FetchedMail, FolderReader, Mailbox, MailRef
from triage.store.models import FolderState, Message, MessageCopy, MessageStatus

log = logging.getLogger(__name__)

KEY_QUERY_CHUNK = 500


@dataclass(frozen=True, slots=True)
class FetchOptions:
    batch_size: int = 200
    max_message_bytes: int = 25 * 1024 * 1024
    flag_keyword: str = ""
    mailbox_embassy: str | None = None
    embassy_addresses: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(slots=True)
class PollReport:
    mailbox: str
    stored: int = 0
    seen_again: int = 0
    oversized: int = 0

    def add(self, other: StoreResult) -> None:
        self.stored += other.stored
        self.seen_again += other.seen_again
        self.oversized += other.oversized


@dataclass(slots=True)
class StoreResult:
    stored: int = 0
    seen_again: int = 0
    oversized: int = 0
    message_pks: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Identity:
    """What tells two deliveries of one mail apart from two different mails."""

    message_id: str | None
    sha256: str
    dedupe_key: str
    headers: EmailMessage


def identify(raw: bytes) -> Identity:
    """Hash *raw* and read its Message-ID; never raises.

    Two deliveries of one mail differ in their trace headers (Received, Delivered-To), so they are
    matched by Message-ID together with the hash of the body; without a Message-ID only identical
    bytes match, so two different mails are never taken for one.
    """
    sha = hashlib.sha256(raw).hexdigest()
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
        message_id = str(headers.get("Message-ID") or "").strip() or None
    except Exception:
        headers, message_id = EmailMessage(), None
    if message_id is not None and len(message_id) > 500:
        message_id = None
    if message_id is None:
        return Identity(None, sha, sha, headers)
    body = raw[_body_start(raw):]
    key = hashlib.sha256(message_id.encode("utf-8", "surrogateescape") + b"\0" + body).hexdigest()
    return Identity(message_id, sha, key, headers)


def _body_start(raw: bytes) -> int:
    positions = [p + len(s) for s in (b"\r\n\r\n", b"\n\n") if (p := raw.find(s)) >= 0]
    return min(positions) if positions else len(raw)


def copy_key(ref: MailRef, uidvalidity: int | None) -> str:
    return f"{uidvalidity}:{ref.uid}" if ref.uid is not None else ref.key


def known_keys(session: Session, mailbox: str, folder: str, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), KEY_QUERY_CHUNK):
        chunk = keys[start:start + KEY_QUERY_CHUNK]
        found.update(session.scalars(select(MessageCopy.key).where(
            MessageCopy.mailbox == mailbox, MessageCopy.folder == folder, MessageCopy.key.in_(chunk))))
    return found


def store_batch(session: Session, clock: Clock, mailbox: str, folder: str, uidvalidity: int | None,
                mails: Iterable[FetchedMail], options: FetchOptions) -> StoreResult:
    """Add *mails* to the session as messages and copies; the caller commits."""
    now = clock.now()
    result = StoreResult()
    items = [(mail, identify(mail.raw)) for mail in mails]
    keys = [ident.dedupe_key for _, ident in items]
    existing = {m.dedupe_key: m for m in session.scalars(select(Message).where(Message.dedupe_key.in_(keys)))}
    for mail, ident in items:
        key = copy_key(mail.ref, uidvalidity)
        embassy = attribute(ident.headers, options.embassy_addresses, options.mailbox_embassy)
        message = existing.get(ident.dedupe_key)
        if message is None:
            message = Message(
                dedupe_key=ident.dedupe_key, sha256=ident.sha256, message_id_header=ident.message_id,
                raw=mail.raw, size=mail.size, is_oversized=mail.is_oversized, status=MessageStatus.stored,
                attempts=0, created_at=now, updated_at=now, embassy_code=embassy,
            )
            if mail.is_oversized:
                message.status = MessageStatus.failed
                message.failed_stage = "fetch"
                message.last_error = (f"oversized: {mail.size} bytes > max_message_bytes "
                                      f"{options.max_message_bytes}; only the header was stored")
                result.oversized += 1
            session.add(message)
            existing[ident.dedupe_key] = message
            result.stored += 1
        else:
            result.seen_again += 1
            if message.embassy_code is None and embassy is not None:
                message.embassy_code = embassy
        session.add(MessageCopy(message=message, mailbox=mailbox, folder=folder, key=key,
                                uidvalidity=uidvalidity, uid=mail.ref.uid, embassy_code=embassy,
                                fetched_at=now, is_flagged=False))
    session.flush()
    result.message_pks = sorted({m.id for m in existing.values()})
    return result


class Fetcher:
    """Polls one mailbox: every folder, every new message, in committed batches."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, options: FetchOptions) -> None:
        self._sessions = sessions
        self._clock = clock
        self._options = options

    def poll(self, mailbox: Mailbox, stop: threading.Event | None = None) -> PollReport:
        """Fetch and store everything new in *mailbox*; raise MailboxError after recording it."""
        report = PollReport(mailbox.name)
        for folder in mailbox.folders():
            try:
                with mailbox.open(folder) as reader:
                    self._poll_folder(mailbox.name, folder, reader, report, stop)
            except MailboxError as exc:
                self.record(mailbox.name, folder, error=exc.problem)
                raise
            self.record(mailbox.name, folder, error=None)
            if stop is not None and stop.is_set():
                break
        if report.stored or report.seen_again:
            log.info("mailbox=%s: stored %d new, %d seen again, %d oversized", mailbox.name,
                     report.stored, report.seen_again, report.oversized)
        return report

    def _poll_folder(self, mailbox: str, folder: str, reader: FolderReader, report: PollReport,
                     stop: threading.Event | None) -> None:
        with self._sessions.begin() as session:
            state = _folder_state(session, mailbox, folder)
            if reader.uidvalidity is not None and state.uidvalidity != reader.uidvalidity:
                if state.uidvalidity is not None:
                    log.warning("mailbox=%s: folder %r UIDVALIDITY changed %s -> %s; refetching",
                                mailbox, folder, state.uidvalidity, reader.uidvalidity)
                state.uidvalidity = reader.uidvalidity
                state.last_uid = 0
            last_uid = state.last_uid
        refs = reader.list_new(last_uid)
        with self._sessions() as session:
            known = known_keys(session, mailbox, folder, [copy_key(r, reader.uidvalidity) for r in refs])
        todo = [r for r in refs if copy_key(r, reader.uidvalidity) not in known]
        size = self._options.batch_size
        for start in range(0, len(todo), size):
            if stop is not None and stop.is_set():
                return
            batch = todo[start:start + size]
            mails = reader.fetch(batch, self._options.max_message_bytes)
            report.add(self._commit_batch(mailbox, folder, reader.uidvalidity, batch, mails))
            self._mark(mailbox, folder, reader)
        if todo == [] and self._options.flag_keyword:
            self._mark(mailbox, folder, reader)  # copies left unmarked by a crash after their commit

    def _commit_batch(self, mailbox: str, folder: str, uidvalidity: int | None, batch: Sequence[MailRef],
                      mails: Sequence[FetchedMail]) -> StoreResult:
        high = max((r.uid for r in batch if r.uid is not None), default=None)
        for attempt in (1, 2):
            try:
                with self._sessions.begin() as session:
                    result = store_batch(session, self._clock, mailbox, folder, uidvalidity, mails,
                                         self._options)
                    if high is not None:
                        state = _folder_state(session, mailbox, folder)
                        state.last_uid = max(state.last_uid, high)
                return result
            except IntegrityError:
                # Another process stored one of these meanwhile (a shared database): go again, the
                # unique keys now find it.
                if attempt == 2:
                    raise
                log.info("mailbox=%s: batch raced with another writer; retrying", mailbox)
        raise AssertionError("unreachable")

    def _mark(self, mailbox: str, folder: str, reader: FolderReader) -> None:
        keyword = self._options.flag_keyword
        if not keyword or reader.uidvalidity is None:
            return
        with self._sessions() as session:
            pending = list(session.execute(select(MessageCopy.id, MessageCopy.uid).where(
                MessageCopy.mailbox == mailbox, MessageCopy.folder == folder,
                MessageCopy.uidvalidity == reader.uidvalidity, MessageCopy.is_flagged.is_(False))))
        if not pending:
            return
        reader.mark([MailRef(key=str(uid), uid=uid) for _, uid in pending if uid is not None], keyword)
        with self._sessions.begin() as session:
            for start in range(0, len(pending), KEY_QUERY_CHUNK):
                ids = [copy_id for copy_id, _ in pending[start:start + KEY_QUERY_CHUNK]]
                for copy in session.scalars(select(MessageCopy).where(MessageCopy.id.in_(ids))):
                    copy.is_flagged = True

    def record(self, mailbox: str, folder: str, *, error: str | None) -> None:
        now = self._clock.now()
        with self._sessions.begin() as session:
            state = _folder_state(session, mailbox, folder)
            state.last_poll_at = now
            if error is None:
                state.last_success_at = now
                state.last_error = None
                state.consecutive_failures = 0
            else:
                state.last_error = error[:1000]
                state.consecutive_failures += 1


def _folder_state(session: Session, mailbox: str, folder: str) -> FolderState:
    state = session.scalars(select(FolderState).where(
        FolderState.mailbox == mailbox, FolderState.folder == folder)).one_or_none()
    if state is None:
        state = FolderState(mailbox=mailbox, folder=folder, last_uid=0, consecutive_failures=0)
        session.add(state)
        session.flush()
    return state
