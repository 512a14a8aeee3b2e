"""`triage status`: counts per status, category and mailbox; `--json` for other tools."""

from __future__ import annotations

import argparse
import json

from triage.commands.loading import app_from
from triage.store.queries import status_summary


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "status", help="show message counts per status, category and mailbox",
        description="Show how many messages are stored, where they stand in the pipeline, their "
                    "categories, failures, and each mailbox's last poll and error.")
    parser.add_argument("--json", action="store_true", help="print the JSON document other tools read")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        with app.readers() as session:
            summary = status_summary(session, [m.name for m in app.settings.mailboxes])
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return 0
    print(f"messages: {summary['messages_total']} ({summary['failed']} failed)")
    print("by status:   " + (", ".join(f"{k} {v}" for k, v in summary["by_status"].items()) or "-"))
    print("by category: " + (", ".join(f"{k} {v}" for k, v in summary["by_category"].items()) or "-"))
    print(f"applicants:  {summary['applicants_total']} ({summary['suggestions_open']} possible duplicates "
          "to review)")
    print("drafts:      " + (", ".join(f"{k} {v}" for k, v in summary["drafts"].items()) or "-"))
    if summary["failed_by_stage"]:
        print("failed in:   " + ", ".join(f"{k} {v}" for k, v in summary["failed_by_stage"].items()))
    for name, box in summary["mailboxes"].items():
        line = f"mailbox={name}: {box['messages']} messages, last poll {box['last_poll_at'] or 'never'}"
        print(line + (f", error: {box['last_error']}" if box["last_error"] else ""))
    return 0
