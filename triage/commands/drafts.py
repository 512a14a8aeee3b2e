"""`triage drafts list|show|approve|reject|edit`: the staff approval of drafted replies."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from triage.clock import as_utc
from triage.commands.loading import app_from
from triage.replies.approval import approve, edit, reject
from triage.store.models import Draft


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "drafts",
        help="review drafted replies: list, show, approve, reject, edit",
        description="Drafted replies wait for staff. Approval only records the decision; "
        "the daemon (or `triage once`) sends approved drafts, each at most once.",
    )
    actions = parser.add_subparsers(dest="drafts_command", required=True, metavar="ACTION")
    lst = actions.add_parser("list", help="list drafts, oldest first")
    lst.add_argument("--state", help="only this state (pending, approved, sending, sent, rejected, failed)")
    lst.add_argument("--limit", type=int, default=200)
    lst.add_argument("--format", choices=["table", "jsonl"], default="table")
    lst.set_defaults(func=run_list)
    show = actions.add_parser("show", help="one draft in full")
    show.add_argument("draft_id", type=int)
    show.set_defaults(func=run_show)
    app_ = actions.add_parser("approve", help="approve drafts for sending")
    app_.add_argument("ids", type=int, nargs="+", metavar="ID")
    app_.add_argument("--by", default="cli", help="who approves (audit log)")
    app_.set_defaults(func=run_approve)
    rej = actions.add_parser("reject", help="reject drafts; they are never sent")
    rej.add_argument("ids", type=int, nargs="+", metavar="ID")
    rej.add_argument("--reason", required=True)
    rej.add_argument("--by", default="cli")
    rej.set_defaults(func=run_reject)
    edt = actions.add_parser("edit", help="change a draft's subject or body (it then needs approval again)")
    edt.add_argument("draft_id", type=int)
    edt.add_argument("--subject")
    edt.add_argument("--body-file", type=Path, help="the new body, from a UTF-8 file ('-' for stdin)")
    edt.add_argument("--by", default="cli")
    edt.set_defaults(func=run_edit)


def record(draft: Draft) -> dict[str, Any]:
    """A draft as other tools read it (DESIGN §12)."""
    return {
        "draft_id": draft.id,
        "state": draft.state,
        "applicant_id": draft.applicant_id,
        "to": draft.to_address,
        "language": draft.language,
        "template": draft.template,
        "in_reply_to": draft.in_reply_to,
        "message_id": draft.outbound_message_id,
        "kind": draft.kind,
        "embassy": draft.embassy_code,
        "subject": draft.subject,
        "created_at": _iso(draft.created_at),
        "last_error": draft.last_error,
    }


def _iso(value: datetime) -> str:
    aware = as_utc(value)
    return aware.isoformat() if aware else ""


def run_list(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        query = select(Draft).order_by(Draft.id)
        if args.state:
            query = query.where(Draft.state == args.state)
        with app.readers() as session:
            for draft in session.scalars(query.limit(args.limit)):
                if args.format == "jsonl":
                    print(json.dumps(record(draft), ensure_ascii=False))
                else:
                    print(
                        f"draft#{draft.id:<5} {draft.state:<9} {draft.template:<16} "
                        f"msg#{draft.message_pk:<5} "
                        f"applicant#{draft.applicant_id or '-'} to {draft.to_address}"
                    )
        return 0


def run_show(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        with app.readers() as session:
            draft = session.get(Draft, args.draft_id)
            if draft is None:
                print(f"draft#{args.draft_id}: no such draft", file=sys.stderr)
                return 1
            for key, value in record(draft).items():
                print(f"{key}: {value}")
            print()
            print(draft.body)
        return 0


def _each(args: argparse.Namespace, verb: str) -> int:
    with app_from(args) as app:
        with app.sessions.begin() as session:
            for draft_id in args.ids:
                if verb == "approve":
                    approve(session, draft_id, args.by, app.clock.now())
                else:
                    reject(session, draft_id, args.by, args.reason, app.clock.now())
        print(f"{verb}d {len(args.ids)} draft(s): {', '.join(f'draft#{i}' for i in args.ids)}")
        return 0


def run_approve(args: argparse.Namespace) -> int:
    return _each(args, "approve")


def run_reject(args: argparse.Namespace) -> int:
    return _each(args, "reject")


def run_edit(args: argparse.Namespace) -> int:
    body = None
    if args.body_file is not None:
        body = sys.stdin.read() if str(args.body_file) == "-" else args.body_file.read_text(encoding="utf-8")
    with app_from(args) as app:
        with app.sessions.begin() as session:
            draft = edit(session, args.draft_id, args.by, app.clock.now(), subject=args.subject, body=body)
            print(f"draft#{draft.id}: {draft.state}")
        return 0
