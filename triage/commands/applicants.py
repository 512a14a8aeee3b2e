"""`triage applicants list|show|merge|unmerge|split|suggestions`: review people, staff decisions."""

from __future__ import annotations

import argparse
import json

from sqlalchemy import or_, select

from triage.applicants.actions import decide_suggestion, merge, reopen_suggestion, split, unmerge
from triage.commands.loading import app_from
from triage.extraction import FIELDS
from triage.store.models import (
    Applicant,
    ApplicantStatus,
    LinkDecision,
    MergeSuggestion,
    SuggestionStatus,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "applicants",
        help="list and review applicants; merge, split, suggestions",
        description="Applicants: one person across messages and embassies.",
    )
    actions = parser.add_subparsers(dest="applicants_command", required=True, metavar="ACTION")
    lst = actions.add_parser("list", help="list applicants (newest first)")
    lst.add_argument("--search", help="part of a name, email or phone")
    lst.add_argument("--limit", type=int, default=50)
    lst.add_argument("--format", choices=["table", "jsonl"], default="table")
    lst.set_defaults(func=run_list)
    show = actions.add_parser("show", help="one applicant: profile with evidence, messages, decisions")
    show.add_argument("applicant_id", type=int)
    show.set_defaults(func=run_show)
    mrg = actions.add_parser("merge", help="merge the second applicant into the first")
    mrg.add_argument("survivor", type=int)
    mrg.add_argument("absorbed", type=int)
    mrg.add_argument("--by", default="cli", help="who decides (audit log)")
    mrg.add_argument(
        "--override",
        action="store_true",
        help="merge even two applicants marked as different people (a split, an unmerge or a rejected "
        "suggestion): this undoes that decision, and the audit log says whose it was",
    )
    mrg.set_defaults(func=run_merge)
    unm = actions.add_parser("unmerge", help="undo a merge: the absorbed applicant comes back")
    unm.add_argument("absorbed", type=int)
    unm.add_argument("--by", default="cli")
    unm.set_defaults(func=run_unmerge)
    spl = actions.add_parser("split", help="move messages of an applicant to a new applicant")
    spl.add_argument("applicant_id", type=int)
    spl.add_argument("messages", type=int, nargs="+", metavar="MSG_ID")
    spl.add_argument("--by", default="cli")
    spl.set_defaults(func=run_split)
    sug = actions.add_parser(
        "suggestions", help="possible duplicates: list, --accept ID, --reject ID or --reopen ID"
    )
    group = sug.add_mutually_exclusive_group()
    group.add_argument("--accept", type=int, metavar="ID", help="merge the pair")
    group.add_argument("--reject", type=int, metavar="ID", help="keep the pair apart (never suggested again)")
    group.add_argument("--reopen", type=int, metavar="ID", help="take a rejection back: open again")
    sug.add_argument("--by", default="cli")
    sug.set_defaults(func=run_suggestions)


def _line(a: Applicant) -> str:
    return (
        f"applicant#{a.id:<6} {a.full_name or '?':<32} {a.email or '-':<32} {a.phone or '-':<16} "
        f"{a.nationality or '--'} {a.message_count} msg"
    )


def run_list(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        query = select(Applicant).where(Applicant.status == ApplicantStatus.active)
        if args.search:
            like = f"%{args.search}%"
            query = query.where(
                or_(Applicant.full_name.ilike(like), Applicant.email.ilike(like), Applicant.phone.like(like))
            )
        with app.readers() as session:
            for a in session.scalars(query.order_by(Applicant.id.desc()).limit(args.limit)):
                if args.format == "jsonl":
                    print(
                        json.dumps(
                            {"applicant_id": a.id, **{f: a.fields.get(f, {}).get("value") for f in FIELDS}},
                            ensure_ascii=False,
                        )
                    )
                else:
                    print(_line(a))
        return 0


def run_show(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        with app.readers() as session:
            a = session.get(Applicant, args.applicant_id)
            if a is None:
                print(f"applicant#{args.applicant_id}: no such applicant")
                return 1
            if a.status != ApplicantStatus.active:
                print(f"applicant#{a.id}: merged into applicant#{a.merged_into_id}")
            print(_line(a))
            for field in FIELDS:
                item = a.fields.get(field) or {}
                if item.get("value") in (None, []):
                    continue
                extra = f"  (also: {item['others']})" if item.get("others") else ""
                conf = (
                    f" [{item['confidence']:.2f}, msg#{item['message_pk']}]" if item.get("confidence") else ""
                )
                print(f"  {field:<22} {item['value']}{conf}{extra}")
            for row in a.messages:
                m = row.message
                print(
                    f"  msg#{m.id} {m.category} {m.date_sent.date() if m.date_sent else '?'} "
                    f"embassy={m.embassy_code or '?'}"
                )
            for d in session.scalars(select(LinkDecision).where(LinkDecision.applicant_id == a.id)):
                print(f"  decision: msg#{d.message_pk} {d.action} score={d.score} {'; '.join(d.reasons)}")
        return 0


def _act(args: argparse.Namespace, action: str) -> int:
    with app_from(args) as app:
        with app.sessions.begin() as session:
            now = app.clock.now()
            if action == "merge":
                result = merge(session, args.survivor, args.absorbed, args.by, now, override=args.override)
                print(f"merged applicant#{args.absorbed} into applicant#{result.id}")
            elif action == "unmerge":
                result = unmerge(session, args.absorbed, args.by, now)
                print(f"applicant#{result.id} restored")
            else:
                result = split(session, args.applicant_id, args.messages, args.by, now)
                print(f"split {len(args.messages)} message(s) into applicant#{result.id}")
        return 0


def run_merge(args: argparse.Namespace) -> int:
    return _act(args, "merge")


def run_unmerge(args: argparse.Namespace) -> int:
    return _act(args, "unmerge")


def run_split(args: argparse.Namespace) -> int:
    return _act(args, "split")


def run_suggestions(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        if args.accept or args.reject or args.reopen:
            with app.sessions.begin() as session:
                if args.reopen:
                    s = reopen_suggestion(session, args.reopen, args.by, app.clock.now())
                else:
                    s = decide_suggestion(
                        session, args.accept or args.reject, bool(args.accept), args.by, app.clock.now()
                    )
                print(f"suggestion#{s.id}: {s.status}")
            return 0
        with app.readers() as session:
            for s in session.scalars(
                select(MergeSuggestion)
                .where(MergeSuggestion.status == SuggestionStatus.open)
                .order_by(MergeSuggestion.id)
            ):
                a, b = session.get(Applicant, s.applicant_a_id), session.get(Applicant, s.applicant_b_id)
                print(
                    f"suggestion#{s.id} score={s.score}: applicant#{s.applicant_a_id} "
                    f"{a.full_name if a else '?'} ~ applicant#{s.applicant_b_id} {b.full_name if b else '?'}"
                )
                print(f"    {'; '.join(s.reasons)}")
        return 0
