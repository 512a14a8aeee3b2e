"""`triage config check`: validate the configuration and the secrets it names."""

from __future__ import annotations

import argparse

from triage.commands.loading import settings_from
from triage.settings import read_secret


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("config", help="check the configuration",
                            description="Configuration tools.")
    actions = parser.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check", help="validate the config file and that every password file can be read",
        description="Validate the config (unknown keys and bad values are errors naming the key) and "
                    "read every password file or credential it names. Prints nothing secret.")
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    for index, mailbox in enumerate(settings.mailboxes):
        if mailbox.scheme != "maildir":
            read_secret(f"mailboxes[{index}]", mailbox.password_file, mailbox.password_credential)
    if settings.smtp is not None and (settings.smtp.password_file or settings.smtp.password_credential):
        read_secret("smtp", settings.smtp.password_file, settings.smtp.password_credential)
    print(f"config ok: {len(settings.embassies)} embassies, {len(settings.mailboxes)} mailboxes, "
          f"database {settings.database.url.split('://')[0]}")
    return 0
