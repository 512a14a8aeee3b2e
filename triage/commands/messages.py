"""`triage messages`: list stored messages with their status, category and the rule that decided."""

from __future__ import annotations

import argparse
import json

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from triage.commands.loading import app_from
from triage.store.models import Message


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "messages",
        help="list stored messages: status, category, rule, embassy, mailbox",
        description="List stored messages, newest first: where each stands in the pipeline, its category "
        "and the rule that decided, the embassy it was written to, and the error of a failed one.",
    )
    parser.add_argument("--status", help="only this status (e.g. failed, classified)")
    parser.add_argument("--category", help="only this category (e.g. application, bounce)")
    parser.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    parser.add_argument("--format", choices=["table", "jsonl"], default="table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        query = select(Message).options(selectinload(Message.copies)).order_by(Message.id.desc())
        if args.status:
            query = query.where(Message.status == args.status)
        if args.category:
            query = query.where(Message.category == args.category)
        with app.readers() as session:
            rows = list(session.scalars(query.limit(args.limit)))
            for message in rows:
                item = {
                    "id": message.id,
                    "status": message.status,
                    "category": message.category,
                    "rule": message.category_rule,
                    "embassy": message.embassy_code,
                    "mailboxes": sorted({c.mailbox for c in message.copies}),
                    "message_id": message.message_id_header,
                    "from": message.author_email,
                    "forward": message.is_forward,
                    "subject": message.subject,
                    "error": message.last_error,
                }
                if args.format == "jsonl":
                    print(json.dumps(item, ensure_ascii=False))
                    continue
                verdict = f"{item['category'] or '-'} ({item['rule']})" if item["category"] else "-"
                mailboxes = ",".join(sorted({c.mailbox for c in message.copies}))
                line = (
                    f"msg#{message.id:<5} {message.status:<10} {verdict:<40} "
                    f"embassy={item['embassy'] or '?':<6} {mailboxes}"
                )
                if message.last_error and message.status == "failed":
                    line += f"  error: {message.last_error[:80]}"
                print(line)
        return 0
