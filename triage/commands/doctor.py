"""`triage doctor`: check the config, database, mailboxes, SMTP, templates and NLP models, one line each.

Every check runs, even after another failed, so one run lists every problem. Nothing is changed: the
database is not created or migrated, no mail is fetched or flagged, nothing is sent. Secrets are read
(that is part of the check) but never printed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import create_engine, make_url
from sqlalchemy.exc import ArgumentError

from triage.app import App
from triage.clock import SystemClock
from triage.commands.loading import settings_from
from triage.errors import ConfigError, MailboxError, TriageError
from triage.settings import MailboxSettings, Settings, read_secret
from triage.store.db import make_engine, make_sessions
from triage.store.schema import current_revision, head_revision


@dataclass(frozen=True, slots=True)
class Result:
    ok: bool
    subject: str
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.subject}: {self.detail}"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "doctor", help="check config, database, mailboxes, SMTP, templates and NLP models",
        description="Check everything triage needs, one line per check (ok or FAIL with the reason): the "
                    "config, the database and its schema, each mailbox's login and folders, the SMTP "
                    "login, the reply templates and the NLP models. Changes nothing and sends nothing. "
                    "Exits 0 when every check passed, 1 otherwise (2 when the config itself is invalid).")
    parser.add_argument("--templates-dir", type=Path, metavar="DIR",
                        help="an operator's template folder, checked as layered over the shipped templates")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        settings = settings_from(args)
    except ConfigError as exc:
        print(Result(False, "config", str(exc)).line())
        return 2
    config = args.config or os.environ.get("TRIAGE_CONFIG") or "(defaults)"
    results = [Result(True, "config", f"{config}: {len(settings.embassies)} embassies, "
                                      f"{len(settings.mailboxes)} mailboxes")]
    results += _database(settings)
    # The composition root builds the mailboxes; App.mailbox() needs no database, so an unused in-memory
    # engine stands in rather than a second connection to the real one.
    engine = create_engine("sqlite://")
    with App(settings=settings, engine=engine, sessions=make_sessions(engine), clock=SystemClock(),
             readers=make_sessions(engine), environ=dict(os.environ)) as app:
        for mailbox in settings.mailboxes:
            results.append(_checked(f"mailbox={mailbox.name}", partial(_mailbox, app, mailbox)))
    if settings.smtp is not None:
        results.append(_checked("smtp", lambda: _smtp(settings)))
    results.append(_checked("templates", lambda: _templates(args.templates_dir)))
    results.append(_checked("models", lambda: _models(settings)))
    for result in results:
        print(result.line(), flush=True)
    return 0 if all(r.ok for r in results) else 1


def _checked(subject: str, check: Callable[[], str]) -> Result:
    """Run *check*; its return value is the ok detail, an exception the failure (never a traceback)."""
    try:
        return Result(True, subject, check())
    except TriageError as exc:
        return Result(False, subject, str(exc).removeprefix(f"{subject}: ").removeprefix(f"{subject} "))
    except Exception as exc:  # a library's own error (a corrupt model file, ...): still one line
        return Result(False, subject, f"{type(exc).__name__}: {exc}")


def _database(settings: Settings) -> list[Result]:
    """Connect and read the schema revision; a missing SQLite file is reported, not created."""
    try:
        url = make_url(settings.database.url)
    except ArgumentError:
        return [Result(False, "database", "database.url: not a database URL")]
    where = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        if not Path(url.database or "").is_file():
            return [Result(False, "database", f"{where}: no database file; `triage db upgrade` creates it")]
    try:
        engine = make_engine(settings.database.url)
    except ConfigError as exc:
        return [Result(False, "database", str(exc))]
    try:
        current = current_revision(engine)
    except TriageError as exc:
        return [Result(False, "database", f"{where}: {exc}")]
    finally:
        engine.dispose()
    results = [Result(True, "database", f"{where}: connected")]
    head = head_revision()
    if current == head:
        results.append(Result(True, "migrations", f"at {head}"))
    else:
        results.append(Result(False, "migrations", f"database at {current or 'nothing (empty)'}, this "
                                                   f"version needs {head}: run `triage db upgrade`"))
    return results


def _mailbox(app: App, config: MailboxSettings) -> str:
    mailbox = app.mailbox(config)
    if config.scheme == "maildir":
        path = Path(config.path)
        if not path.is_dir():
            raise MailboxError(config.name, f"{path} is not a directory")
        return f"{path}: readable folder" if os.access(path, os.R_OK | os.X_OK) else f"{path}: exists"
    from triage.adapters.imap import ImapMailbox

    assert isinstance(mailbox, ImapMailbox)
    client = mailbox.connect()
    try:
        missing = [f for f in config.folder_names if not client.folder_exists(f)]
    finally:
        mailbox.close()
        with contextlib.suppress(Exception):  # the check is done; a failed LOGOUT changes nothing
            client.logout()
    if missing:
        raise MailboxError(config.name, "no such folder: " + ", ".join(repr(f) for f in missing))
    return (f"logged in to {config.host}:{config.port} as {config.username!r}; folders "
            + ", ".join(config.folder_names))


def _smtp(settings: Settings) -> str:
    from triage.adapters.smtp import SmtpSender

    smtp = settings.smtp
    assert smtp is not None
    password = ""
    if smtp.username or smtp.password_file or smtp.password_credential:
        password = read_secret("smtp", smtp.password_file, smtp.password_credential)
    sender = SmtpSender(smtp, password, timeout=settings.daemon.connect_timeout_seconds)
    # SmtpSender opens (and authenticates) its connection on first use; close() says QUIT. Nothing is sent.
    sender._connection()
    sender.close()
    login = f" as {smtp.username!r}" if smtp.username else " (no login configured)"
    return f"connected to {sender.server}{login}"


def _templates(directory: Path | None) -> str:
    from triage.replies.templates import SHIPPED_TEMPLATES_DIR, TemplateSet

    templates = TemplateSet(*([directory] if directory else []), SHIPPED_TEMPLATES_DIR)
    errors = templates.check()
    if errors:
        more = f" (and {len(errors) - 1} more: run `triage templates check`)" if len(errors) > 1 else ""
        raise ConfigError("templates", errors[0] + more)
    categories = templates.categories()
    count = sum(len(templates.languages(c)) for c in categories)
    return f"{count} templates in {len(categories)} categories render"


def _models(settings: Settings) -> str:
    from triage.extraction import Extractor, default_models_dir

    extraction = settings.extraction
    models_dir = default_models_dir(extraction.models_dir)
    extractor = Extractor(models_dir, ner_mode=extraction.ner, ner_models=extraction.ner_models)
    extractor.pipelines.get("en")  # builds one spaCy pipeline: the patterns and lexicons load
    return f"{models_dir}: {len(extractor.pipelines.supported)} languages, NER {extraction.ner}"
