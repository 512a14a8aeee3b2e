"""The composition root: the one place that builds the real objects (database, mailboxes, stages)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from triage.clock import Clock, SystemClock
from triage.errors import ConfigError, MailboxError
from triage.pipeline import Pipeline, StageObserver
from triage.ports import Mailbox
from triage.settings import MailboxSettings, Settings, read_secret
from triage.stages.base import PureStage, Stage

if TYPE_CHECKING:
    from triage.replies.outbox import Outbox, SendReport
    from triage.replies.sender import Sender
    from triage.replies.templates import TemplateSet
    from triage.store.models import Draft
from triage.stages.fetch import Fetcher, FetchOptions, PollReport
from triage.store.db import make_engine, make_read_sessions, make_sessions
from triage.store.leases import mailbox_lease
from triage.store.schema import ensure_current

log = logging.getLogger(__name__)


@dataclass
class App:
    """Everything a command needs, built from the settings; close() releases it."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    readers: sessionmaker[Session]  # for code that only reads: never waits for a writer on SQLite
    environ: Mapping[str, str] = field(default_factory=dict)
    _executors: list[Executor] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        settings: Settings,
        *,
        clock: Clock | None = None,
        environ: Mapping[str, str] | None = None,
        migrate_empty: bool = True,
    ) -> App:
        """Connect to the database and check its schema (an empty database is created)."""
        engine = make_engine(settings.database.url)
        try:
            ensure_current(engine, create_if_empty=migrate_empty)
        except Exception:
            engine.dispose()
            raise
        return cls(
            settings=settings,
            engine=engine,
            sessions=make_sessions(engine),
            clock=clock or SystemClock(),
            readers=make_read_sessions(engine),
            environ=dict(os.environ if environ is None else environ),
        )

    def __enter__(self) -> App:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for executor in self._executors:
            executor.shutdown(wait=True, cancel_futures=True)
        self._executors.clear()
        self.engine.dispose()

    @property
    def embassy_addresses(self) -> dict[str, list[str]]:
        return {e.code: list(e.addresses) for e in self.settings.embassies}

    def own_addresses(self) -> set[str]:
        return {a for e in self.settings.embassies for a in e.addresses}

    def mailbox(self, config: MailboxSettings) -> Mailbox:
        """Build the adapter for one configured mailbox; reads its password now."""
        if config.scheme == "maildir":
            from triage.adapters.local import LocalMailbox

            return LocalMailbox(config.name, Path(config.path))
        from triage.adapters.imap import ImapMailbox

        index = self.settings.mailboxes.index(config)
        password = read_secret(
            f"mailboxes[{index}]", config.password_file, config.password_credential, self.environ
        )
        return ImapMailbox(config, password, timeout=self.settings.daemon.connect_timeout_seconds)

    def fetcher(self, config: MailboxSettings | None = None) -> Fetcher:
        daemon = self.settings.daemon
        return Fetcher(
            self.sessions,
            self.clock,
            FetchOptions(
                batch_size=daemon.fetch_batch_size,
                max_message_bytes=daemon.max_message_bytes,
                flag_keyword=config.flag_keyword if config else "",
                mailbox_embassy=config.embassy if config else None,
                embassy_addresses=self.embassy_addresses,
            ),
        )

    def stages(self) -> list[Stage | PureStage]:
        """The pipeline stages, in STAGE_ORDER."""
        from triage.stages.draft import DraftStage
        from triage.stages.link import LinkStage

        return [
            *build_pure_stages(self.settings),
            LinkStage(self.clock),
            DraftStage(self.settings, self.templates(), self.clock),
        ]

    def templates(self) -> TemplateSet:
        """The reply templates: the operator's folder first (if configured), then the shipped ones."""
        from triage.replies.templates import SHIPPED_TEMPLATES_DIR, TemplateSet

        folder = self.settings.replies.templates_dir
        return TemplateSet(folder, SHIPPED_TEMPLATES_DIR) if folder else TemplateSet()

    def sender(self) -> Sender | None:
        """The SMTP sender, or None when no [smtp] is configured (drafts then wait)."""
        smtp = self.settings.smtp
        if smtp is None:
            return None
        from triage.adapters.smtp import SmtpSender

        password = ""
        if smtp.password_file or smtp.password_credential:
            password = read_secret("smtp", smtp.password_file, smtp.password_credential, self.environ)
        return SmtpSender(smtp, password, timeout=self.settings.daemon.connect_timeout_seconds)

    def outbox(self) -> Outbox:
        from triage.replies.outbox import Outbox

        return Outbox(self.sessions, self.clock, self.settings.replies, after_sent=self._keep_sent_copy)

    def _keep_sent_copy(self, draft: Draft, raw: bytes) -> None:
        """Append a sent reply to the Sent folder of the mailbox its original arrived in, if configured."""
        from triage.adapters.imap import ImapMailbox
        from triage.store.models import MessageCopy

        with self.sessions() as session:
            mailboxes = list(session.scalars(select(MessageCopy.mailbox).where(
                MessageCopy.message_pk == draft.message_pk).order_by(MessageCopy.id)))
        for name in mailboxes:
            config = next((m for m in self.settings.mailboxes if m.name == name), None)
            if config is None or not config.sent_folder or config.scheme == "maildir":
                continue
            mailbox = self.mailbox(config)
            assert isinstance(mailbox, ImapMailbox)
            client = mailbox.connect()
            try:
                if not client.folder_exists(config.sent_folder):
                    client.create_folder(config.sent_folder)
                client.append(config.sent_folder, raw, flags=[b"\\Seen"])
            finally:
                client.logout()
            return

    def send_approved(self, *, stop: threading.Event | None = None, burst: bool = False) -> SendReport | None:
        """Send the approved drafts that are due; None when no SMTP server is configured."""
        sender = self.sender()
        if sender is None:
            return None
        try:
            return self.outbox().send_approved(sender, stop=stop, burst=burst)
        finally:
            sender.close()

    def pipeline(self, *, workers: int | None = None, observer: StageObserver | None = None) -> Pipeline:
        """The pipeline; with *workers* (default: the configured number) a process pool computes the
        pure stages. The pool is shut down by close()."""
        daemon = self.settings.daemon
        count = daemon.workers if workers is None else workers
        executor, worker_chain = None, None
        if count > 0:
            from triage.workers import run_chain, start_pool

            executor, worker_chain = start_pool(self.settings, count), run_chain
            self._executors.append(executor)
        return Pipeline(self.sessions, self.clock, self.stages(), max_attempts=daemon.max_attempts,
                        retry_delay_seconds=daemon.retry_delay_seconds, executor=executor,
                        worker_chain=worker_chain, observer=observer, lease_seconds=daemon.lease_seconds)

    def poll(self, config: MailboxSettings, stop: threading.Event | None = None) -> PollReport:
        """Poll one mailbox once; MailboxError (already recorded on its folder state) propagates."""
        fetcher = self.fetcher(config)
        try:
            mailbox = self.mailbox(config)
        except ConfigError as exc:
            for folder in config.folder_names:
                fetcher.record(config.name, folder, error=str(exc))
            raise MailboxError(config.name, str(exc)) from None
        try:
            with mailbox_lease(self.engine, config.name) as leased:
                if not leased:
                    log.debug("mailbox=%s: polled by another process; skipped", config.name)
                    return PollReport(config.name)
                return fetcher.poll(mailbox, stop)
        finally:
            mailbox.close()

    def poll_all(self, stop: threading.Event | None = None) -> list[PollReport]:
        """Poll every mailbox once; a failing mailbox is logged and the others go on."""
        reports = []
        for config in self.settings.mailboxes:
            if stop is not None and stop.is_set():
                break
            try:
                reports.append(self.poll(config, stop))
            except MailboxError as exc:
                log.error("%s", exc)
        return reports


def build_pure_stages(settings: Settings) -> list[PureStage]:
    """The stages that need no database, in STAGE_ORDER; worker processes build theirs here too.

    Imported here, not at the top: the NLP models load only where stages are built.
    """
    from triage.extraction import Extractor, default_models_dir
    from triage.stages.classify import ClassifyStage
    from triage.stages.extract import ExtractStage
    from triage.stages.parse import ParseStage

    own = {a for e in settings.embassies for a in e.addresses}
    extraction = settings.extraction
    models_dir = default_models_dir(extraction.models_dir)  # fails now, not at the first message

    def make_extractor() -> Extractor:
        return Extractor(models_dir, ner_mode=extraction.ner, ner_models=extraction.ner_models)

    return [
        ParseStage(max_text_chars=settings.daemon.max_text_chars),
        ClassifyStage(own_addresses=own),
        ExtractStage(make_extractor),
    ]
