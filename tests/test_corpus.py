"""Hostile mail: every corpus file goes through ingest, parse and classify without an exception escaping."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.apps import SHARED, config, make_app
from triage.adapters.local import read_paths
from triage.ports import FetchedMail, MailRef
from triage.stages.fetch import FetchOptions, identify, store_batch
from triage.store.models import Message, MessageStatus

CORPUS = SHARED / "corpus"
MAIL_PARSER_RAISES = ["stalwart-dovecot/malformed/001.eml", "stalwart-dovecot/malformed/003.eml",
                      "stalwart-dovecot/malformed/013.eml"]


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "MANIFEST.md"
                  and "LICENSES" not in p.relative_to(CORPUS).parts)


def test_every_corpus_file_is_stored_and_ends_parsed_or_failed_with_reason(tmp_path: Path) -> None:
    files = corpus_files()
    assert len(files) >= 350
    pieces = {path: [item.raw for item in read_paths([path])] for path in files}
    assert all(pieces.values())  # an mbox-style file gives its messages, any other file itself
    raws = [raw for path in files for raw in pieces[path]]
    with make_app(config(f"sqlite:///{tmp_path}/c.db")) as app:
        for start in range(0, len(raws), 100):
            batch = [FetchedMail(MailRef(key=hashlib.sha256(raw).hexdigest()), raw, len(raw))
                     for raw in raws[start:start + 100]]
            with app.sessions.begin() as session:
                store_batch(session, app.clock, "corpus", "", None, batch, FetchOptions())
        report = app.pipeline().drain(burst=True)
        with app.sessions() as session:
            rows = {m.dedupe_key: m for m in session.scalars(select(Message))}
    # Every message stored: identical bytes, or the same Message-ID and body, once.
    assert set(rows) == {identify(raw).dedupe_key for raw in raws}
    for message in rows.values():
        assert message.status in (MessageStatus.done, MessageStatus.failed), message.id
        if message.status == MessageStatus.failed:
            assert message.last_error and message.failed_stage
        else:
            assert message.category is not None and message.category_rule
    assert report.failed == sum(m.status == MessageStatus.failed for m in rows.values())


@pytest.mark.parametrize("name", MAIL_PARSER_RAISES)
def test_files_mail_parser_cannot_read_give_text_through_the_fallback(name: str, tmp_path: Path) -> None:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"no {path}")
    raw = path.read_bytes()
    with make_app(config(f"sqlite:///{tmp_path}/c.db")) as app:
        with app.sessions.begin() as session:
            store_batch(session, app.clock, "corpus", "", None, [FetchedMail(MailRef("k"), raw, len(raw))],
                        FetchOptions())
        app.pipeline().drain(burst=True)
        with app.sessions() as session:
            message = session.scalars(select(Message)).one()
            parsed = message.parsed or {}
    assert message.status == MessageStatus.done
    assert message.parser == "stdlib"
    assert parsed["text"].strip()
    assert any("mail-parser" in d for d in parsed["defects"])
