"""`triage retention [--dry-run]`: purge what is older than retention.days, or show what would go."""

from __future__ import annotations

import argparse

from triage.commands.loading import app_from
from triage.retention import purge


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "retention",
        help="purge raw mail and closed applicants' personal data older than retention.days",
        description="Purge the raw bytes of messages older than retention.days, and the personal data of "
        "applicants closed that long (last message that old, no draft waiting). Audited. --dry-run shows "
        "what would go and changes nothing.",
    )
    parser.add_argument("--dry-run", action="store_true", help="report only")
    parser.add_argument("--days", type=int, help="override retention.days for this run")
    parser.add_argument("--by", default="retention", help="who runs it (audit log)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        days = args.days if args.days is not None else app.settings.retention.days
        if days <= 0:
            print("retention: retention.days is 0 (keep everything); give --days N to purge anyway")
            return 0
        with app.sessions.begin() as session:
            report = purge(session, app.clock.now(), days, actor=args.by, dry_run=args.dry_run)
            if args.dry_run:
                session.rollback()
        verb = "would purge" if args.dry_run else "purged"
        print(
            f"retention ({days} days): {verb} the raw bytes of {report.raw_messages} messages and the "
            f"personal data of {report.applicants} closed applicants ({report.messages_cleared} messages, "
            f"{report.drafts_cleared} drafts)"
        )
        return 0
