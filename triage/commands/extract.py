"""`triage extract PATH...`: print the extracted applicants of .eml files as JSON lines; no database."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "extract",
        help="extract applicants from .eml files and print them as JSON lines",
        description="Parse, classify and extract each .eml file (directories are searched recursively) "
        "and print one JSON object per message: category, language and applicants with the "
        "evidence for every field. Reads no configuration and no database.",
    )
    parser.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format (default: jsonl)")
    parser.add_argument(
        "--models", metavar="DIR", help="the models directory (default: the checkout's models/)"
    )
    parser.add_argument("--candidates", action="store_true", help="also print every candidate considered")
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".eml files or directories holding them")
    parser.set_defaults(func=run)


def _files(paths: list[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.eml") if p.is_file())
        else:
            yield path


def extract_file(path: Path, extractor: Any, *, candidates: bool = False) -> dict[str, Any]:
    """Return the output object of one file; a file that cannot be read or parsed gets an ``error``."""
    from triage.mail.classify import classify
    from triage.mail.forwards import unwrap_forward
    from triage.mail.parse import parse_message

    row: dict[str, Any] = {
        "file": path.name,
        "message_id": None,
        "category": None,
        "language": None,
        "applicants": [],
    }
    try:
        raw = path.read_bytes()
    except OSError as exc:
        row["error"] = f"cannot read: {exc.strerror or exc}"
        return row
    try:
        parsed = parse_message(raw)
        if parsed.forward is None:
            parsed.forward = unwrap_forward(parsed)
        verdict = classify(parsed)
        result = extractor.extract(parsed, verdict.category)
    except Exception as exc:
        log.warning("%s: extraction failed: %s", path.name, type(exc).__name__)
        row["error"] = f"{type(exc).__name__}: {exc}"
        return row
    row.update(
        message_id=parsed.message_id,
        category=str(verdict.category),
        language=result.language,
        applicants=[a.to_json() for a in result.applicants],
    )
    if candidates:
        row["candidates"] = [c.to_json() for c in result.candidates]
    return row


def run(args: argparse.Namespace) -> int:
    from triage.extraction import ExtractionError, Extractor, default_models_dir

    try:
        extractor = Extractor(default_models_dir(args.models))
    except ExtractionError as exc:
        print(f"triage extract: {exc}", file=sys.stderr)
        return 2
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"triage extract: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return 2
    for path in _files(args.paths):
        row = extract_file(path, extractor, candidates=args.candidates)
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0
