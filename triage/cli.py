"""The `triage` command: global options, subcommands, and the mapping of errors to exit codes.

Exit codes: 0 success, 1 failure at run time, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from triage import __version__
from triage.errors import ConfigError, TriageError
from triage.logs import setup_logging

#: Subcommand modules under triage.commands, in the order --help lists them.
COMMANDS = (
    "run",
    "once",
    "ingest",
    "status",
    "messages",
    "requeue",
    "extract",
    "reextract",
    "applicants",
    "drafts",
    "export",
    "retention",
    "templates",
    "users",
    "web",
    "doctor",
    "db",
    "config",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="triage",
        description="Fetch volunteer mail from embassy mailboxes, classify it, extract applicants, and "
        "prepare replies for staff to approve.",
        epilog="Configuration: --config FILE or $TRIAGE_CONFIG (TOML; see config/triage.example.toml). "
        "Exit codes: 0 ok, 1 failure at run time, 2 usage or configuration error.",
    )
    parser.add_argument("--version", action="version", version=f"triage {__version__}")
    parser.add_argument("-c", "--config", metavar="FILE", help="config file (default: $TRIAGE_CONFIG)")
    parser.add_argument(
        "--database-url", metavar="URL", help="override database.url (default: $TRIAGE_DATABASE_URL)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    parser.add_argument("-q", "--quiet", action="store_true", help="log warnings and errors only")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"triage.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"triage.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = "debug" if args.verbose else "warning" if args.quiet else "info"
    setup_logging(level, os.environ)
    try:
        result: int = args.func(args)
        return result
    except ConfigError as exc:
        print(f"triage: config error: {exc}", file=sys.stderr)
        return 2
    except TriageError as exc:
        print(f"triage: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`triage ... | head`): not an error of ours
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
