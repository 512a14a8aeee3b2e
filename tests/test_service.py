"""sd_notify from the daemon: READY, watchdog pings from the scheduler, STATUS, STOPPING; a stalled
scheduler stops the pings. The daemon runs as a real `triage run` subprocess with a fake NOTIFY_SOCKET."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.apps import REPO, config, make_app, write_toml
from tests.notify_socket import NotifySocket
from triage.errors import StoreError
from triage.notify import Notifier
from triage.service import ServiceReporter, queue_status

PINGS = 3


@pytest.fixture
def notify_socket() -> Iterator[NotifySocket]:
    with NotifySocket() as sock:
        yield sock


def _config(tmp_path: Path) -> Path:
    box = tmp_path / "warsaw"
    for sub in ("cur", "new", "tmp"):
        (box / sub).mkdir(parents=True)
    data = config(f"sqlite:///{tmp_path}/t.db", daemon={"poll_interval_seconds": 60},
                  mailboxes=[{"name": "warsaw", "embassy": "pl", "url": f"maildir:{box}"}])
    return write_toml(tmp_path / "triage.toml", data)


def _start(args: list[str], sock: NotifySocket, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("WATCHDOG_PID", "JOURNAL_STREAM")}
    env.update(NOTIFY_SOCKET=sock.address, WATCHDOG_USEC="1000000")
    with (tmp_path / "stderr").open("wb") as stderr:  # the child has its own copy of the descriptor
        return subprocess.Popen([sys.executable, *args], cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=stderr)


def _next(sock: NotifySocket, child: subprocess.Popen[bytes], tmp_path: Path) -> list[str]:
    try:
        return sock.receive(timeout=60)
    except TimeoutError:
        child.kill()
        child.wait()
        pytest.fail("no sd_notify message; stderr:\n" + (tmp_path / "stderr").read_text())


def test_run_under_notify_socket_reports_ready_pings_and_stops_cleanly(
        tmp_path: Path, notify_socket: NotifySocket) -> None:
    child = _start(["-m", "triage", "--config", str(_config(tmp_path)), "run"], notify_socket, tmp_path)
    try:
        ready = _next(notify_socket, child, tmp_path)
        assert ready[0] == "READY=1"
        assert ready[1].startswith("STATUS=stored 0, parsed 0, ")
        assert ready[1].endswith("failed 0; mailboxes ok 0/1") or ready[1].endswith("mailboxes ok 1/1")
        pings, statuses = 0, []
        while pings < PINGS:
            message = _next(notify_socket, child, tmp_path)
            pings += message == ["WATCHDOG=1"]
            statuses += [line for line in message if line.startswith("STATUS=")]
        assert statuses and statuses[-1].endswith("; mailboxes ok 1/1")  # the first poll has succeeded
        child.send_signal(signal.SIGTERM)
        while (message := _next(notify_socket, child, tmp_path)) != ["STOPPING=1"]:
            assert message == ["WATCHDOG=1"] or message[0].startswith("STATUS=")
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_run_with_stalled_scheduler_stops_the_watchdog_pings(
        tmp_path: Path, notify_socket: NotifySocket) -> None:
    child = _start(["-m", "tests.stall_child", str(_config(tmp_path))], notify_socket, tmp_path)
    try:
        assert _next(notify_socket, child, tmp_path)[0] == "READY=1"
        while _next(notify_socket, child, tmp_path) != ["X_TEST_STALLED=1"]:
            pass
        # The scheduler is stuck from here on. Ticks were due every 0.5 s: six missed ticks show that no
        # ping comes any more (this waits for silence; it measures nothing).
        with pytest.raises(TimeoutError):
            while True:
                assert notify_socket.receive(timeout=3) != ["WATCHDOG=1"]
        assert child.poll() is None  # alive but silent: exactly what systemd's watchdog is for
    finally:
        child.kill()
        child.wait()


class FailingStatus:
    def __call__(self) -> str:
        raise StoreError("cannot count the queues: gone")


def test_reporter_tick_with_failing_database_still_pings(notify_socket: NotifySocket) -> None:
    reporter = ServiceReporter(Notifier(notify_socket.address), FailingStatus())
    reporter.tick()
    assert notify_socket.receive() == ["WATCHDOG=1"]
    assert notify_socket.receive() == ["STATUS=database unavailable"]


def test_reporter_ready_with_failing_database_raises(notify_socket: NotifySocket) -> None:
    reporter = ServiceReporter(Notifier(notify_socket.address), FailingStatus())
    with pytest.raises(StoreError):
        reporter.ready()


def test_reporter_without_notify_socket_does_nothing() -> None:
    reporter = ServiceReporter(Notifier(None, watchdog_usec=1_000_000), FailingStatus())
    assert reporter.tick_seconds() is None
    reporter.ready()
    reporter.tick()
    reporter.stopping()


def test_reporter_tick_seconds_is_half_the_watchdog_interval() -> None:
    reporter = ServiceReporter(Notifier("@x", watchdog_usec=30_000_000), FailingStatus())
    assert reporter.tick_seconds() == 15.0


def test_queue_status_counts_queues_and_healthy_mailboxes(tmp_path: Path) -> None:
    from triage.stages.fetch import Fetcher, FetchOptions

    with make_app(config(f"sqlite:///{tmp_path}/t.db")) as app:
        fetcher = Fetcher(app.sessions, app.clock, FetchOptions())
        fetcher.record("warsaw", "", error=None)
        fetcher.record("berlin", "INBOX", error=None)
        fetcher.record("berlin", "Junk", error="cannot select 'Junk'")
        status = queue_status(app.sessions, ["warsaw", "berlin", "kyiv"])()
    assert status == ("stored 0, parsed 0, classified 0, extracted 0, linked 0, failed 0; "
                      "mailboxes ok 1/3")
