"""`triage export applicants`: every applicant with profile, Message-IDs and mailboxes, as JSONL or CSV."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from triage.applicants.export import applicant_records, csv_text
from triage.commands.loading import app_from


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "export", help="export applicants as JSON lines or CSV", description="Export data for other tools."
    )
    what = parser.add_subparsers(dest="export_what", required=True, metavar="WHAT")
    applicants = what.add_parser(
        "applicants",
        help="every applicant: profile fields, message_ids, mailboxes",
        description="One record per applicant: applicant_id, the profile fields, message_ids (the "
        "Message-ID headers of the applicant's messages), mailboxes and embassies. CSV opens in "
        "spreadsheets (UTF-8 with a byte-order mark; lists joined with '; ').",
    )
    applicants.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    applicants.add_argument("--output", type=Path, metavar="FILE", help="write here instead of stdout")
    applicants.add_argument(
        "--embassy",
        action="append",
        metavar="CODE",
        help="only applicants who wrote to this embassy (repeatable)",
    )
    applicants.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        with app.readers() as session:
            records = applicant_records(session, frozenset(args.embassy) if args.embassy else None)
            if args.format == "csv":
                chunks = csv_text(records)
            else:
                chunks = (json.dumps(r, ensure_ascii=False) + "\n" for r in records)
            if args.output is not None:
                with args.output.open("w", encoding="utf-8", newline="") as handle:
                    for chunk in chunks:
                        handle.write(chunk)
            else:
                for chunk in chunks:
                    sys.stdout.write(chunk)
        return 0
