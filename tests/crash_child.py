"""Run `triage once` in a child process that SIGKILLs itself at a chosen point of the fetch.

Usage: python -m tests.crash_child POINT CONFIG, POINT one of:
  after-commit   the batch is committed, the server-side keyword not yet set
  mid-batch      the second batch's rows are in the transaction, not committed
  mid-fetch      during the second batch's FETCH
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from triage import cli
from triage.adapters import imap
from triage.stages import fetch


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main(point: str, config: str) -> None:
    calls = {"n": 0}
    if point == "after-commit":
        def mark(self: Any, refs: Any, keyword: str) -> None:
            die()

        imap.ImapFolder.mark = mark  # type: ignore[method-assign]
    elif point == "mid-batch":
        original = fetch.store_batch

        def store_batch(*args: Any, **kwargs: Any) -> Any:
            calls["n"] += 1
            result = original(*args, **kwargs)
            if calls["n"] == 2:
                die()
            return result

        fetch.store_batch = store_batch  # type: ignore[assignment]
    elif point == "mid-fetch":
        original_fetch = imap.ImapFolder.fetch

        def fetch_then_die(self: Any, refs: Any, max_bytes: int) -> Any:
            calls["n"] += 1
            if calls["n"] == 2:
                die()
            return original_fetch(self, refs, max_bytes)

        imap.ImapFolder.fetch = fetch_then_die  # type: ignore[method-assign]
    else:
        raise SystemExit(f"unknown point {point}")
    sys.exit(cli.main(["--config", config, "once"]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
