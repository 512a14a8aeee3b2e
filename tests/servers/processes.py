"""Stopping a server that runs as a process group (a master and its children), quickly and completely."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

_POLL_SECONDS = 0.005


@dataclass(frozen=True)
class Member:
    """A process of a process group, as /proc shows it."""

    pid: int
    name: str
    zombie: bool


def group_members(pgid: int) -> list[Member] | None:
    """Return the processes of process group *pgid*, or None where /proc is not available."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    members: list[Member] = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # exited since the listing
        # "pid (name) state ppid pgrp ...": the name may contain spaces and parentheses.
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        state, _ppid, pgrp = stat[stat.rindex(")") + 2 :].split()[:3]
        if int(pgrp) == pgid:
            members.append(Member(int(entry.name), name, zombie=state == "Z"))
    return members


def stop_group(
    process: subprocess.Popen[bytes],
    *,
    grace: float = 3.0,
    last_out: Collection[str] = (),
) -> None:
    """Send SIGTERM to *process*, the leader of its own process group, and wait until the group is gone.

    Once the only processes left besides the leader are named in *last_out* (helpers the leader keeps
    until it exits, such as a log writer) or have exited, the leader has nothing more to do and is
    killed instead of waited for. Whatever is still alive after *grace* seconds is killed.
    """
    pgid = process.pid
    deadline = time.monotonic() + grace
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    while process.poll() is None:
        members = group_members(pgid)
        if members is not None and all(m.pid == pgid or m.zombie or m.name in last_out for m in members):
            process.kill()
            break
        if time.monotonic() > deadline:
            _kill_group(pgid)
            break
        time.sleep(_POLL_SECONDS)
    process.wait()
    # Children outlive the leader for a moment (the log writer drains its pipes, then exits).
    while (alive := _alive(group_members(pgid))) and time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)
    if alive:
        _kill_group(pgid)


def _alive(members: list[Member] | None) -> bool:
    return members is not None and any(not m.zombie for m in members)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
