"""`triage requeue`: put failed messages back into the pipeline."""

from __future__ import annotations

import argparse

from triage.commands.loading import app_from
from triage.pipeline import requeue
from triage.store.models import AuditEvent


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "requeue",
        help="put failed messages back before the stage that failed them",
        description="Requeue parked (failed) messages: every one with --all, or the ids given. They are "
        "processed by the next drain (`triage once` or the running daemon).",
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("ids", nargs="*", type=int, default=[], metavar="MSG_ID", help="message ids (msg#N)")
    group.add_argument("--all", action="store_true", help="every failed message")
    parser.add_argument("--by", default="cli", help="who asks (recorded in the audit log)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.all and not args.ids:
        print("triage requeue: give message ids or --all")
        return 2
    with app_from(args) as app:
        with app.sessions.begin() as session:
            done = requeue(session, app.clock, None if args.all else args.ids)
            for message_pk in done:
                session.add(
                    AuditEvent(
                        at=app.clock.now(),
                        actor=args.by,
                        action="requeue",
                        subject_type="message",
                        subject_id=str(message_pk),
                        details={},
                    )
                )
        print(
            f"requeued {len(done)} message(s)" + (f": {', '.join(f'msg#{i}' for i in done)}" if done else "")
        )
        missing = sorted(set(args.ids) - set(done))
        if missing:
            print(f"not failed or not found: {', '.join(f'msg#{i}' for i in missing)}")
            return 1
        return 0
