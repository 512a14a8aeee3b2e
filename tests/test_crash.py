"""Crash safety: a real child process SIGKILLed during a fetch; after restart every message is stored once."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.apps import REPO, config, make_app, write_toml
from tests.servers.dovecot import DovecotServer
from tests.test_imap import mailbox_config, sample
from triage.store.models import Message, MessageCopy

pytestmark = pytest.mark.dovecot
COUNT = 25


@pytest.mark.parametrize("point", ["after-commit", "mid-batch", "mid-fetch"])
def test_sigkill_during_fetch_then_restart_stores_each_message_once(
        point: str, dovecot: DovecotServer, tmp_path: Path) -> None:
    user = dovecot.new_user()
    dovecot.append_many(user.name, "INBOX", [sample(i) for i in range(COUNT)])
    data = config(f"sqlite:///{tmp_path}/t.db", daemon={"fetch_batch_size": 10},
                  mailboxes=[mailbox_config(user, tmp_path, flag_keyword="$Triaged")])
    path = write_toml(tmp_path / "c.toml", data)
    child = subprocess.run([sys.executable, "-m", "tests.crash_child", point, str(path)], cwd=REPO,
                           capture_output=True, text=True, timeout=120, check=False)
    assert child.returncode == -signal.SIGKILL, child.stderr

    with make_app(data) as app:
        with app.sessions() as session:
            stored_at_crash = session.scalar(select(func.count()).select_from(Message))
        expected = {"after-commit": 10, "mid-batch": 10, "mid-fetch": 10}[point]
        assert stored_at_crash == expected  # only committed batches survive
        app.poll(app.settings.mailbox("warsaw"))  # the restart
        with app.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Message)) == COUNT
            uids = list(session.scalars(select(MessageCopy.uid).order_by(MessageCopy.uid)))
            assert all(session.scalars(select(MessageCopy.is_flagged)))
    assert uids == list(range(1, COUNT + 1))
    with user.client() as imap:
        imap.select_folder("INBOX", readonly=True)
        flags = imap.get_flags(imap.search("ALL"))
    assert len(flags) == COUNT and all(b"$Triaged" in f for f in flags.values())
