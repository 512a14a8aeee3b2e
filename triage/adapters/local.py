"""Local mail on disk: a Maildir, a directory of .eml files, or mbox files; read, never changed."""

from __future__ import annotations

import hashlib
import mailbox as stdlib_mailbox
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from triage.errors import MailboxError
from triage.ports import FetchedMail, FolderReader, MailRef


def header_only(raw: bytes) -> bytes:
    """The header block of *raw* (what is kept of an oversized message)."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        end = raw.find(separator)
        if end >= 0:
            return raw[: end + len(separator)]
    return raw[:65536]


def is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() or (path / "new").is_dir()


def is_mbox(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"From "
    except OSError:
        return False


class LocalFolder:
    """The files of one Maildir or directory, keyed by file name (Maildir flags stripped)."""

    def __init__(self, mailbox: str, root: Path) -> None:
        self._mailbox = mailbox
        self._root = root
        self._paths: dict[str, Path] = {}

    @property
    def uidvalidity(self) -> int | None:
        return None

    def _files(self) -> Iterator[Path]:
        if is_maildir(self._root):
            for sub in ("new", "cur"):
                folder = self._root / sub
                if folder.is_dir():
                    yield from (p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
        else:
            yield from (p for p in self._root.rglob("*.eml") if p.is_file() and not p.name.startswith("."))

    def list_new(self, after_uid: int) -> list[MailRef]:
        try:
            paths = sorted(self._files(), key=lambda p: (p.stat().st_mtime, p.name))
        except OSError as exc:
            raise MailboxError(self._mailbox, f"cannot list {self._root}: {exc.strerror}") from exc
        maildir = is_maildir(self._root)  # once per poll, not once per file
        refs = []
        for path in paths:
            key = path.name.split(":2,")[0] if maildir else str(path.relative_to(self._root))
            self._paths[key] = path
            refs.append(MailRef(key=key))
        return refs

    def fetch(self, refs: Sequence[MailRef], max_bytes: int) -> list[FetchedMail]:
        fetched = []
        for ref in refs:
            path = self._paths.get(ref.key)
            if path is None:
                continue
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                continue  # moved by another program meanwhile (Maildir new -> cur): found next time
            except OSError as exc:
                raise MailboxError(self._mailbox, f"cannot read {path}: {exc.strerror}") from exc
            if len(raw) > max_bytes:
                fetched.append(FetchedMail(ref=ref, raw=header_only(raw), size=len(raw), is_oversized=True))
            else:
                fetched.append(FetchedMail(ref=ref, raw=raw, size=len(raw)))
        return fetched

    def mark(self, refs: Sequence[MailRef], keyword: str) -> None:
        """Local mail is never changed."""


class LocalMailbox:
    """A Maildir or a directory of message files named by a ``maildir:`` URL."""

    def __init__(self, name: str, root: Path) -> None:
        self.name = name
        self._root = root

    def folders(self) -> Sequence[str]:
        return [""]

    @contextmanager
    def open(self, folder: str) -> Iterator[FolderReader]:
        if not self._root.is_dir():
            raise MailboxError(self.name, f"{self._root} is not a directory")
        yield LocalFolder(self.name, self._root)

    def close(self) -> None:
        """Nothing to close."""


@dataclass(frozen=True, slots=True)
class LocalMessage:
    """One message read from a path given to ``triage ingest``."""

    origin: str
    raw: bytes


def read_paths(paths: Iterable[Path]) -> Iterator[LocalMessage]:
    """Yield every message under *paths*: files named, the .eml files of directories (recursive), Maildirs
    and mbox files."""
    for path in paths:
        if path.is_dir():
            if is_maildir(path):
                for sub in ("new", "cur"):
                    if (path / sub).is_dir():
                        yield from read_paths(sorted((path / sub).iterdir()))
            else:
                yield from read_paths(sorted(p for p in path.rglob("*.eml") if p.is_file()))
        elif is_mbox(path):
            box = stdlib_mailbox.mbox(path, create=False)
            try:
                for index, key in enumerate(box.iterkeys()):
                    yield LocalMessage(origin=f"{path}#{index}", raw=box.get_bytes(key))
            finally:
                box.close()
        elif path.is_file():
            yield LocalMessage(origin=str(path), raw=path.read_bytes())


def content_key(raw: bytes) -> str:
    """The key of an ingested file: the SHA-256 of its bytes, so the same file is stored once."""
    return hashlib.sha256(raw).hexdigest()
