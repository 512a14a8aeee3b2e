"""SIGTERM in the middle of a drain: the daemon finishes the message at hand, exits within ten seconds,
and a restart finishes the rest with nothing lost and nothing done twice. SIGTERM while a job wakes
another: the shutdown still ends."""

from __future__ import annotations

import gc
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from tests.apps import REPO, config, make_app, write_toml
from triage.daemon import Daemon
from triage.extraction import Extractor
from triage.settings import MailboxSettings
from triage.stages.fetch import PollReport
from triage.store.models import LinkDecision, Message, MessageStatus

COPIES = 25
MESSAGE_ID = re.compile(rb"^Message-ID:[^\r\n]*\r?\n", re.IGNORECASE | re.MULTILINE)


def test_sigterm_mid_drain_exits_promptly_and_a_restart_loses_nothing(tmp_path: Path) -> None:
    mail = tmp_path / "mail"
    mail.mkdir()
    originals = sorted((REPO / "demo" / "mail").glob("*.eml"))
    for n in range(COPIES):
        for path in originals:
            raw = MESSAGE_ID.sub(b"", path.read_bytes(), count=1)
            (mail / f"{n:03d}-{path.name}").write_bytes(
                f"Message-ID: <c{n}-{path.stem}@demo.example>\r\n".encode() + raw
            )
    total = COPIES * len(originals)
    data = config(
        f"sqlite:///{tmp_path}/t.db",
        mailboxes=[{"name": "local", "url": f"maildir:{mail}"}],
        daemon={"drain_interval_seconds": 0.5},
    )
    path = write_toml(tmp_path / "c.toml", data)
    daemon = subprocess.Popen(
        [sys.executable, "-m", "triage", "--config", str(path), "run"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with make_app(data) as app:

            def done() -> int:
                with app.readers() as session:
                    return int(
                        session.scalar(
                            select(func.count())
                            .select_from(Message)
                            .where(Message.status == MessageStatus.done)
                        )
                        or 0
                    )

            deadline = time.monotonic() + 240
            while done() < 20 and time.monotonic() < deadline:
                assert daemon.poll() is None, daemon.communicate()[1]
                time.sleep(0.1)
            assert 0 < done() < total, "the drain should be under way"
            daemon.send_signal(signal.SIGTERM)
            try:
                _, err = daemon.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.communicate()
                raise AssertionError("the daemon did not stop within 10 s of SIGTERM") from None
            assert daemon.returncode == 0, err
            assert done() < total  # it stopped in the middle
            restart = subprocess.run(
                [sys.executable, "-m", "triage", "--config", str(path), "once"],
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            assert restart.returncode == 0, restart.stderr
            with app.sessions() as session:
                assert session.scalar(select(func.count()).select_from(Message)) == total
                assert done() == total
                per_message = session.execute(
                    select(LinkDecision.message_pk, LinkDecision.position, func.count()).group_by(
                        LinkDecision.message_pk, LinkDecision.position
                    )
                ).all()
        assert per_message and {n for *_, n in per_message} == {1}
    finally:
        if daemon.poll() is None:  # a failed assertion must not leave a daemon behind
            daemon.kill()
            daemon.communicate()


def test_shutdown_does_not_wait_for_ever_on_a_poll_that_wakes_the_drain(tmp_path: Path) -> None:
    """SIGTERM just as a poll stores mail: the poll then wakes the drain (a scheduler call) while the
    daemon shuts down. The shutdown waits for the poll, and the poll must not wait for the shutdown."""
    mail = tmp_path / "mail"
    mail.mkdir()
    (mail / "one.eml").write_bytes(sorted((REPO / "demo" / "mail").glob("*.eml"))[0].read_bytes())
    data = config(f"sqlite:///{tmp_path}/t.db", mailboxes=[{"name": "local", "url": f"maildir:{mail}"}],
                  daemon={"drain_interval_seconds": 3600})
    stopping = threading.Event()
    with make_app(data) as app:
        daemon = Daemon(app, stopping)
        stored = threading.Event()
        real_poll = app.poll

        def poll_held_until_stopping(config: MailboxSettings, stop: threading.Event | None = None
                                     ) -> PollReport:
            report = real_poll(config, stop)  # the real poll, on the real maildir
            stored.set()
            stopping.wait()
            time.sleep(0.5)  # the shutdown is under way when the poll returns and wakes the drain
            return report

        app.poll = poll_held_until_stopping  # type: ignore[method-assign]
        daemon.start()
        assert stored.wait(60), "the poll did not run"
        stopper = threading.Thread(target=daemon.shutdown, daemon=True)
        stopper.start()
        stopper.join(60)  # a liveness bound, not a speed figure: a deadlock never ends
        assert not stopper.is_alive(), "the shutdown is stuck behind a job waking another"
        assert daemon.at_work.count == 0
        with app.readers() as session:
            assert session.scalar(select(func.count()).select_from(Message)) == 1


def test_the_daemon_leaves_its_start_up_heap_out_of_garbage_collections(tmp_path: Path) -> None:
    """What the daemon holds once started (the models above all) is frozen: full collections skip it."""
    stopped = threading.Event()
    stopped.set()  # run_until_stopped starts, then stops at once
    gc.unfreeze()
    try:
        with make_app(config(f"sqlite:///{tmp_path}/t.db")) as app:
            daemon = Daemon(app, stopped)
            daemon.run_until_stopped()
            assert gc.get_freeze_count() > 0
            held = gc.get_objects(generation=2)
            assert not any(isinstance(o, Extractor) for o in held), "the models are still collected"
    finally:
        gc.unfreeze()
