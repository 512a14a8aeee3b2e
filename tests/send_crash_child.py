"""Run `triage once` in a child process that SIGKILLs itself while sending a draft.

Usage: python -m tests.send_crash_child POINT CONFIG, POINT one of:
  before-smtp   the draft is committed as sending, no SMTP command sent yet
  during-smtp   the server has accepted the recipient, the message data is not sent
"""

from __future__ import annotations

import os
import signal
import smtplib
import sys
from typing import Any

from triage import cli
from triage.adapters import smtp


def die(*_: Any, **__: Any) -> Any:
    os.kill(os.getpid(), signal.SIGKILL)


def main(point: str, config: str) -> None:
    if point == "before-smtp":
        smtp.SmtpSender.send = die  # type: ignore[method-assign]
    elif point == "during-smtp":
        original = smtplib.SMTP.rcpt

        def rcpt_then_die(self: smtplib.SMTP, *args: Any, **kwargs: Any) -> Any:
            original(self, *args, **kwargs)
            die()

        smtplib.SMTP.rcpt = rcpt_then_die  # type: ignore[method-assign]
    else:
        raise SystemExit(f"unknown point {point}")
    sys.exit(cli.main(["--config", config, "once"]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
