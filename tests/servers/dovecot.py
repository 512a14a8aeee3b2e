"""A real Dovecot IMAP server on loopback, confined to a temporary directory, for protocol tests."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import ssl
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO
from urllib.parse import quote

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from tests.servers import ServerUnavailable
from tests.servers.dovecot_config import Layout, mail_owner, render
from tests.servers.ports import LOOPBACK, free_port, wait_for_greeting
from tests.servers.processes import stop_group
from tests.servers.tls import TestPki, make_test_pki

_SBIN = ("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin")
_APPENDUID = re.compile(rb"\[APPENDUID (\d+) ([0-9:,]+)\]")
_BIND_FAILED = "Address already in use"
_START_ATTEMPTS = 3
_APPEND_BATCH = 500  # messages per MULTIAPPEND command
_EX_NOUSER = 68  # doveadm kick: nobody was connected
_SHM_MIN_FREE_BYTES = 256 * 1024 * 1024


class DovecotError(RuntimeError):
    """Dovecot failed to start, or a doveadm or IMAP set-up step failed; the message ends with its log."""


def find_binary(name: str) -> str | None:
    """Return the path of a Dovecot program, also looking in sbin directories missing from PATH."""
    found = shutil.which(name)
    if found is not None:
        return found
    for directory in _SBIN:
        candidate = Path(directory) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


@dataclass(frozen=True)
class ImapUser:
    """A mailbox account on a running DovecotServer."""

    server: DovecotServer
    name: str
    password: str

    def url(self, folder: str = "INBOX", *, tls: bool = False) -> str:
        """Return the ``imap://`` (or ``imaps://``) URL of *folder* for this user."""
        return self.server.url(self.name, folder, tls=tls)

    def client(self, *, tls: bool = False) -> contextlib.AbstractContextManager[IMAPClient]:
        """Return a context manager yielding an IMAPClient logged in as this user."""
        return self.server.client(self.name, tls=tls)


class DovecotServer:
    """Dovecot in the foreground (``dovecot -F``) with every file in one temporary directory.

    Plain IMAP (STARTTLS offered, plaintext login allowed) and IMAPS listen on free loopback ports; the
    server certificate is signed by a test CA at ``ca_file``. Mailboxes are Maildirs owned by the mail
    user (``nobody`` when running as root). Use as a context manager, or call start() and stop().
    """

    host = LOOPBACK

    def __init__(
        self,
        root: Path | None = None,
        *,
        pki: TestPki | None = None,
        extra_config: str = "",
        start_timeout: float = 10.0,
    ) -> None:
        """Prepare a server under *root* (a new temporary directory, removed at stop, if None).

        *pki* shares one set of certificates between servers; *extra_config* is appended to
        dovecot.conf verbatim.
        """
        dovecot = find_binary("dovecot")
        doveadm = find_binary("doveadm")
        if dovecot is None or doveadm is None:
            raise ServerUnavailable(
                "the dovecot binary is not installed (Debian packages: dovecot-core dovecot-imapd)"
            )
        self._dovecot = dovecot
        self._doveadm = doveadm
        self._owns_root = root is None
        if root is None:
            root = Path(tempfile.mkdtemp(prefix="triage-dovecot-", dir=_scratch_dir()))
        self.root = root
        self._pki = pki
        self._extra_config = extra_config
        self._start_timeout = start_timeout
        self._passwords: dict[str, str] = {}
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._log_offsets: dict[Path, int] = {}
        self.imap_port = 0
        self.imaps_port = 0
        self.layout = Layout(self.root, f"triage-{secrets.token_hex(4)}")
        self.config_file = self.layout.config_file
        self.log_file = self.layout.log_file
        self.users_dir = self.layout.users_dir
        self.home_dir = self.layout.home_dir
        self._owner = mail_owner()

    # -- lifecycle -----------------------------------------------------------------------------------

    def __enter__(self) -> DovecotServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def ca_file(self) -> Path:
        """The PEM file of the CA that signed the server certificate, for ``ssl.create_default_context``."""
        if self._pki is None:
            raise DovecotError("the server has not been started")
        return self._pki.ca_file

    @property
    def running(self) -> bool:
        """True while the Dovecot master process is alive."""
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """The process id of the Dovecot master, which also leads the server's process group."""
        return None if self._process is None else self._process.pid

    def start(self) -> None:
        """Start Dovecot and return once it serves logins; raise DovecotError with the log tail if not.

        On failure everything started so far is stopped and removed again.
        """
        if self._process is not None:
            raise DovecotError("the server is already started")
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        # Mail processes (not root) must reach the users file and their homes.
        self.root.chmod(0o755)
        self.home_dir.mkdir(exist_ok=True)
        if self._pki is None:
            self._pki = make_test_pki(self.layout.tls_dir)
        self.users_dir.mkdir(mode=0o755, exist_ok=True)
        for attempt in range(1, _START_ATTEMPTS + 1):
            self.imap_port, self.imaps_port = free_port(), free_port()
            while self.imaps_port == self.imap_port:
                self.imaps_port = free_port()
            self.config_file.write_text(
                render(
                    self.layout,
                    self._owner,
                    self._pki,
                    imap_port=self.imap_port,
                    imaps_port=self.imaps_port,
                    extra=self._extra_config,
                )
            )
            self._spawn()
            # The master binds every listener before it serves any, and imap-login greets only once the
            # auth process is up: a greeting on the plain port means logins on both ports will work.
            if wait_for_greeting(
                self.imap_port,
                timeout=self._start_timeout,
                greeting=b"* OK",
                still_running=lambda: self.running and not self._fatal_logged(),
            ):
                return
            self._terminate()
            # Another process may have taken a port between free_port() and Dovecot's bind().
            if attempt == _START_ATTEMPTS or _BIND_FAILED not in self._log_since_spawn():
                raise DovecotError(f"dovecot did not start\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop Dovecot (SIGTERM, then wait) and remove the temporary directory if this object made it."""
        self._terminate()
        if self._owns_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def _spawn(self) -> None:
        self._log_offsets = {path: path.stat().st_size if path.exists() else 0 for path in self._log_files}
        self._stderr = self.layout.stderr_file.open("ab")
        self._process = subprocess.Popen(
            [self._dovecot, "-F", "-c", str(self.config_file)],
            stdin=subprocess.DEVNULL,
            stdout=self._stderr,
            stderr=self._stderr,
            start_new_session=True,  # keep terminal signals (Ctrl-C) for pytest
        )

    def _terminate(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            # The master sleeps a fixed second before exiting, once only its log and anvil are left.
            stop_group(process, last_out=("log", "anvil"))
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    @property
    def _log_files(self) -> tuple[Path, Path]:
        return (self.layout.stderr_file, self.log_file)

    def _fatal_logged(self) -> bool:
        # A service that cannot start is retried with back-off while the master runs on; its
        # "Fatal:" line is the only sign that waiting longer will not help.
        return " Fatal: " in self._log_since_spawn()

    def _log_since_spawn(self) -> str:
        text = ""
        for path in self._log_files:
            with contextlib.suppress(OSError), path.open("rb") as log:
                log.seek(self._log_offsets.get(path, 0))
                text += log.read().decode(errors="replace")
        return text

    def log_tail(self, lines: int = 30) -> str:
        """Return the last *lines* lines of Dovecot's log and of its standard error."""
        tail: list[str] = []
        for path in self._log_files:
            with contextlib.suppress(OSError):
                tail += path.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join(tail)

    # -- users and mail ------------------------------------------------------------------------------

    def add_user(self, name: str, password: str) -> ImapUser:
        """Create a mail account; works while the server runs (Dovecot re-reads the users file)."""
        if not re.fullmatch(r"[A-Za-z0-9._-]+", name):
            raise ValueError(f"unsupported user name {name!r}")
        if name in self._passwords:
            raise ValueError(f"user {name!r} already exists")
        if ":" in password or "\n" in password:
            raise ValueError("password must not contain ':' or a newline")
        home = self.home_dir / name
        home.mkdir(parents=True)
        os.chown(home, self._owner.uid, self._owner.gid)
        # One passwd-file per user: Dovecot re-reads a changed file at most once a second, but opens a
        # file it has not seen before at once, so a user added a moment after a login can log in too.
        # Written aside and renamed so the auth process never reads half a file.
        staging = self.users_dir / f".{name}.new"
        staging.write_text(f"{name}:{{PLAIN}}{password}::::::\n")
        staging.chmod(0o644)
        staging.replace(self.users_dir / name)
        self._passwords[name] = password
        return ImapUser(self, name, password)

    def new_user(self) -> ImapUser:
        """Create an account with a random name and password."""
        return self.add_user(f"user-{secrets.token_hex(4)}", secrets.token_hex(8))

    def password(self, user: str) -> str:
        """Return the password of *user*."""
        return self._passwords[user]

    def url(self, user: str, folder: str = "INBOX", *, tls: bool = False) -> str:
        """Return ``imap://user@127.0.0.1:PORT/FOLDER``, or the ``imaps://`` URL when *tls*."""
        scheme, port = ("imaps", self.imaps_port) if tls else ("imap", self.imap_port)
        return f"{scheme}://{quote(user, safe='')}@{self.host}:{port}/{quote(folder, safe='/')}"

    @contextlib.contextmanager
    def client(self, user: str, *, tls: bool = False, timeout: float = 30.0) -> Iterator[IMAPClient]:
        """Yield an IMAPClient logged in as *user*, over IMAPS verified against ``ca_file`` when *tls*."""
        ssl_context = None
        if tls:
            ssl_context = ssl.create_default_context(cafile=str(self.ca_file))
        port = self.imaps_port if tls else self.imap_port
        with IMAPClient(self.host, port, ssl=tls, ssl_context=ssl_context, timeout=timeout) as imap:
            imap.login(user, self._passwords[user])
            yield imap

    def append(
        self,
        user: str,
        folder: str,
        raw: bytes,
        flags: Sequence[str | bytes] = (),
        msg_time: datetime | None = None,
    ) -> int:
        """Append one message to *folder* (created if missing) as *user*; return its UID."""
        with self.client(user) as imap:
            _ensure_folder(imap, folder)
            response = imap.append(folder, raw, flags=flags, msg_time=msg_time)
        uids = _appended_uids(response)
        if len(uids) != 1:
            raise DovecotError(f"unexpected APPEND response {response!r}")
        return uids[0]

    def append_many(self, user: str, folder: str, raws: Iterable[bytes]) -> list[int]:
        """Append messages over one connection with MULTIAPPEND; return their UIDs in order."""
        uids: list[int] = []
        with self.client(user) as imap:
            _ensure_folder(imap, folder)
            batch: list[bytes] = []
            for raw in raws:
                batch.append(raw)
                if len(batch) == _APPEND_BATCH:
                    uids += _multiappend(imap, folder, batch)
                    batch = []
            if batch:
                uids += _multiappend(imap, folder, batch)
        return uids

    def uidvalidity(self, user: str, folder: str) -> int:
        """Return the UIDVALIDITY of *folder*."""
        with self.client(user) as imap:
            status = imap.folder_status(folder, ["UIDVALIDITY"])
        return int(status[b"UIDVALIDITY"])

    def delete_folder(self, user: str, folder: str) -> None:
        """Delete *folder* and its messages (INBOX cannot be deleted; see recreate_folder)."""
        with self.client(user) as imap:
            imap.delete_folder(folder)

    def recreate_folder(self, user: str, folder: str) -> int:
        """Empty *folder* and give it a new UIDVALIDITY, as a server rebuild would; return the new value.

        Other folders are deleted and created again; INBOX, which IMAP cannot delete, is expunged and
        its UIDVALIDITY raised with doveadm. Raise DovecotError if the value did not change.
        """
        with self.client(user) as imap:
            _ensure_folder(imap, folder)
            before = int(imap.folder_status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"])
            if folder.upper() == "INBOX":
                imap.select_folder(folder)
                imap.delete_messages(imap.search("ALL"))
                imap.expunge()
                imap.unselect_folder()
                self.doveadm("mailbox", "update", "-u", user, "--uid-validity", str(before + 1), folder)
            else:
                imap.delete_folder(folder)
                imap.create_folder(folder)
            after = int(imap.folder_status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"])
        if after == before:
            raise DovecotError(f"{user}/{folder}: UIDVALIDITY stayed {before}")
        return after

    def kick(self, user: str) -> None:
        """Drop every live IMAP connection of *user* (their clients see the socket close)."""
        self.doveadm("kick", user, ok_codes=(0, _EX_NOUSER))

    def doveadm(self, *args: str, ok_codes: Sequence[int] = (0,)) -> str:
        """Run ``doveadm`` against this server's configuration and return its standard output."""
        result = subprocess.run(
            [self._doveadm, "-c", str(self.config_file), *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if result.returncode not in ok_codes:
            raise DovecotError(
                f"doveadm {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}\n"
                f"{self.log_tail()}"
            )
        return result.stdout


def _scratch_dir() -> str | None:
    """Prefer a RAM-backed directory: Maildir delivery creates and renames a file per message, which
    is some twenty times slower on a disk file system (3,000 appends: 0.1 s on tmpfs, 2.5 s on ext4).
    """
    shm = "/dev/shm"
    try:
        usage = os.statvfs(shm)
    except OSError:
        return None
    if os.access(shm, os.W_OK | os.X_OK) and usage.f_bavail * usage.f_frsize >= _SHM_MIN_FREE_BYTES:
        return shm
    return None


def _ensure_folder(imap: IMAPClient, folder: str) -> None:
    if folder.upper() != "INBOX" and not imap.folder_exists(folder):
        imap.create_folder(folder)


def _multiappend(imap: IMAPClient, folder: str, raws: list[bytes]) -> list[int]:
    typ, data = imap.multiappend(folder, raws)
    if typ != "OK":
        raise IMAPClientError(f"MULTIAPPEND failed: {typ} {data!r}")
    uids = _appended_uids(data[0])
    if len(uids) != len(raws):
        raise DovecotError(f"MULTIAPPEND of {len(raws)} messages answered {data!r}")
    return uids


def _appended_uids(response: bytes) -> list[int]:
    """Expand the UID set of an APPENDUID response code (RFC 4315), e.g. ``1:3,7`` to [1, 2, 3, 7]."""
    match = _APPENDUID.search(response)
    if match is None:
        raise DovecotError(f"no APPENDUID in {response!r}")
    uids: list[int] = []
    for part in match.group(2).split(b","):
        first, _, last = part.partition(b":")
        low, high = sorted((int(first), int(last or first)))
        uids += range(low, high + 1)
    return uids
