"""`triage ingest PATH...`: store local mail files (.eml, directories, Maildir, mbox) and process them."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from tqdm import tqdm

from triage.adapters.local import content_key, header_only, read_paths
from triage.app import App
from triage.commands.loading import app_from
from triage.ports import FetchedMail, MailRef
from triage.stages.fetch import FetchOptions, StoreResult, known_keys, store_batch

log = logging.getLogger(__name__)
BATCH = 200


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "ingest",
        help="store local mail files and run them through the pipeline",
        description="Read .eml files, directories of them (recursively), Maildirs and mbox files, store "
        "each message once (the same file ingested again is recognised), then run every stage. "
        "Shows a progress bar on a terminal and prints a summary line.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("--mailbox", default="local", help="mailbox name to record (default: local)")
    parser.add_argument("--embassy", default=None, help="embassy code the mail was written to, if known")
    parser.add_argument(
        "--no-process", action="store_true", help="store only; leave processing to the daemon"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print(f"triage ingest: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return 2
    with app_from(args) as app:
        if args.embassy and args.embassy not in app.embassy_addresses:
            print(f"triage ingest: --embassy: no embassy with code {args.embassy!r}", file=sys.stderr)
            return 2
        options = FetchOptions(
            max_message_bytes=app.settings.daemon.max_message_bytes,
            mailbox_embassy=args.embassy,
            embassy_addresses=app.embassy_addresses,
        )
        total = StoreResult()
        files = 0
        show = sys.stderr.isatty()
        batch: list[FetchedMail] = []
        with tqdm(desc="storing", unit="msg", disable=not show) as bar:
            for item in read_paths(args.paths):
                files += 1
                size = len(item.raw)
                oversized = size > options.max_message_bytes
                raw = item.raw if not oversized else header_only(item.raw)
                batch.append(FetchedMail(MailRef(key=content_key(item.raw)), raw, size, oversized))
                if len(batch) >= BATCH:
                    _store(app, args.mailbox, batch, options, total)
                    bar.update(len(batch))
                    batch = []
            if batch:
                _store(app, args.mailbox, batch, options, total)
                bar.update(len(batch))
        summary = (
            f"ingest: {files} messages read, {total.stored} stored, {total.seen_again} already stored"
            f" or seen elsewhere, {total.oversized} oversized"
        )
        if not args.no_process:
            pipeline = app.pipeline()
            with tqdm(desc="processing", unit="step", disable=not show) as bar:
                report = pipeline.drain(burst=True)
                bar.update(report.total)
            steps = ", ".join(f"{name} {count}" for name, count in report.done.items()) or "nothing to do"
            summary += f"; pipeline: {steps}; {report.failed} failed"
        print(summary)
        return 0


def _store(
    app: App, mailbox: str, batch: list[FetchedMail], options: FetchOptions, total: StoreResult
) -> None:
    with app.sessions.begin() as session:
        known = known_keys(session, mailbox, "", [m.ref.key for m in batch])
        seen: set[str] = set()
        fresh = []
        for mail in batch:
            if mail.ref.key in known or mail.ref.key in seen:
                total.seen_again += 1
                continue
            seen.add(mail.ref.key)
            fresh.append(mail)
        result = store_batch(session, app.clock, mailbox, "", None, fresh, options)
    total.stored += result.stored
    total.seen_again += result.seen_again
    total.oversized += result.oversized
