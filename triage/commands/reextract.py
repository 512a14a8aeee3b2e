"""`triage reextract`: run extraction again on stored messages and compare with what is stored."""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from sqlalchemy import select

from triage.commands.loading import app_from
from triage.extraction import FIELDS, Extractor, default_models_dir
from triage.mail.category import Category
from triage.mail.message import ParsedMessage
from triage.store.models import AuditEvent, Message


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "reextract",
        help="run extraction again on stored messages and show what would change",
        description="Run the current extraction rules on stored messages and compare the applicants' "
        "fields with what is stored: one line per changed message, then a summary by field. "
        "With --write the new results replace the stored ones (audited).",
    )
    parser.add_argument("ids", nargs="*", type=int, metavar="MSG_ID", help="only these messages")
    parser.add_argument("--category", action="append", help="only this category (repeatable)")
    parser.add_argument("--show-values", action="store_true", help="print old and new values")
    parser.add_argument("--write", action="store_true", help="store the new results")
    parser.add_argument("--by", default="cli", help="who asks (recorded in the audit log with --write)")
    parser.set_defaults(func=run)


def _values(extraction: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [{f: a.get(f) for f in FIELDS} for a in (extraction or {}).get("applicants", [])]


def changes(old: dict[str, Any] | None, new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """The (field, old, new) triples that differ, applicant by applicant."""
    before, after = _values(old), _values(new)
    out = []
    for index in range(max(len(before), len(after))):
        a = before[index] if index < len(before) else {}
        b = after[index] if index < len(after) else {}
        for name in FIELDS:
            if a.get(name) != b.get(name):
                label = name if index == 0 else f"{name}[{index}]"
                out.append((label, a.get(name), b.get(name)))
    return out


def run(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        settings = app.settings.extraction
        extractor = Extractor(
            default_models_dir(settings.models_dir), ner_mode=settings.ner, ner_models=settings.ner_models
        )
        query = select(Message).where(Message.extraction.is_not(None), Message.category.is_not(None))
        if args.ids:
            query = query.where(Message.id.in_(args.ids))
        if args.category:
            query = query.where(Message.category.in_(args.category))
        total, changed, by_field = 0, 0, Counter[str]()
        with app.sessions.begin() as session:
            for message in session.scalars(query.order_by(Message.id)):
                total += 1
                parsed = ParsedMessage.from_dict(message.parsed or {})
                new = extractor.extract(parsed, Category(message.category or "other")).to_json()
                diff = changes(message.extraction, new)
                if not diff:
                    continue
                changed += 1
                by_field.update(label.split("[")[0] for label, _, _ in diff)
                if args.show_values:
                    shown = "; ".join(f"{label}: {old!r} -> {value!r}" for label, old, value in diff)
                else:
                    shown = ", ".join(label for label, _, _ in diff)
                print(f"msg#{message.id}: {shown}")
                if args.write:
                    message.extraction = new
                    message.language = new["language"]
                    message.updated_at = app.clock.now()
                    session.add(
                        AuditEvent(
                            at=app.clock.now(),
                            actor=args.by,
                            action="reextract",
                            subject_type="message",
                            subject_id=str(message.id),
                            details={"fields": sorted({d[0] for d in diff})},
                        )
                    )
            if not args.write:
                session.rollback()
        fields = ", ".join(f"{name} {count}" for name, count in by_field.most_common()) or "none"
        verb = "changed" if args.write else "would change"
        print(f"reextract: {total} messages, {changed} {verb}; fields: {fields}")
        return 0
