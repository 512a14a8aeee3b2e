"""`triage web`: serve the staff web UI and JSON API with uvicorn."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from triage.commands.loading import app_from


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "web",
        help="serve the staff web UI and JSON API",
        description="The staff UI (log in at /login) and the JSON API (/api, described at "
        "/api/openapi.json). It records decisions only; the daemon sends. Serve it on loopback behind a "
        "TLS-terminating proxy and pass --secure-cookies there.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--secure-cookies", action="store_true",
                        help="mark the session cookie Secure (set when served over TLS)")
    parser.add_argument("--session-key-file", type=Path,
                        help="the key that signs session cookies (first line); without it a random key "
                        "per start, so a restart logs everyone out and several web processes cannot "
                        "share sessions")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from triage.web import create_app

    key = None
    if args.session_key_file is not None:
        key = args.session_key_file.read_text(encoding="utf-8").strip()
        if len(key) < 32:
            print("triage web: --session-key-file: the key needs at least 32 characters", file=sys.stderr)
            return 2
    with app_from(args) as app:
        web = create_app(app, secure_cookies=args.secure_cookies, secret_key=key)
        uvicorn.run(web, host=args.host, port=args.port,
                    log_level="info", proxy_headers=False, server_header=False)
        return 0
