"""The sd_notify client against a real datagram socket standing in for systemd's $NOTIFY_SOCKET."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest

from tests.notify_socket import NotifySocket
from triage.notify import MAX_STATUS_CHARS, Notifier


@pytest.fixture
def notify_socket() -> Iterator[NotifySocket]:
    with NotifySocket() as sock:
        yield sock


def test_notifier_with_socket_path_sends_each_state_as_one_datagram(notify_socket: NotifySocket) -> None:
    notifier = Notifier.from_environ({"NOTIFY_SOCKET": notify_socket.address})
    notifier.ready()
    notifier.status("stored 3,\n parsed 0")
    notifier.watchdog()
    notifier.stopping()
    assert notify_socket.receive() == ["READY=1"]
    assert notify_socket.receive() == ["STATUS=stored 3, parsed 0"]
    assert notify_socket.receive() == ["WATCHDOG=1"]
    assert notify_socket.receive() == ["STOPPING=1"]


def test_notifier_ready_with_status_sends_both_lines_together(notify_socket: NotifySocket) -> None:
    Notifier.from_environ({"NOTIFY_SOCKET": notify_socket.address}).ready("starting")
    assert notify_socket.receive() == ["READY=1", "STATUS=starting"]


def test_notifier_with_abstract_socket_reaches_the_abstract_namespace() -> None:
    with NotifySocket(abstract=True) as sock:
        assert sock.address.startswith("@")
        Notifier.from_environ({"NOTIFY_SOCKET": sock.address}).watchdog()
        assert sock.receive() == ["WATCHDOG=1"]


def test_notifier_with_long_status_cuts_it() -> None:
    with NotifySocket() as sock:
        Notifier(sock.address).status("x" * 5000)
        [line] = sock.receive()
        assert line == "STATUS=" + "x" * MAX_STATUS_CHARS


def test_notifier_without_socket_does_nothing() -> None:
    notifier = Notifier.from_environ({"WATCHDOG_USEC": "1000000"})
    assert not notifier.enabled
    assert notifier.watchdog_interval() is None
    notifier.ready()
    notifier.watchdog()
    notifier.stopping()


def test_notifier_with_vanished_socket_logs_once_and_does_not_raise(caplog: pytest.LogCaptureFixture) -> None:
    with NotifySocket() as sock:
        address = sock.address
    notifier = Notifier(address)
    with caplog.at_level(logging.DEBUG, logger="triage.notify"):
        notifier.watchdog()
        notifier.watchdog()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "sd_notify" in warnings[0].getMessage()


def test_watchdog_interval_from_usec_in_seconds() -> None:
    notifier = Notifier.from_environ({"NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": "30000000"})
    assert notifier.watchdog_interval() == 30.0


def test_watchdog_interval_for_another_pid_is_none() -> None:
    environ = {"NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid() + 1)}
    assert Notifier.from_environ(environ).watchdog_interval() is None


def test_watchdog_interval_for_this_pid_is_read() -> None:
    environ = {"NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": "2500000", "WATCHDOG_PID": str(os.getpid())}
    assert Notifier.from_environ(environ).watchdog_interval() == 2.5


@pytest.mark.parametrize("usec", ["", "0", "-5", "soon"])
def test_watchdog_interval_with_unusable_usec_is_none(usec: str) -> None:
    assert Notifier.from_environ({"NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": usec}).watchdog_interval() is None
