"""`triage users add|passwd|disable|enable|list`: staff accounts of the web UI."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from triage.commands.loading import app_from
from triage.store.models import UserRole
from triage.web.accounts import add_user, list_users, set_active, set_password


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "users",
        help="manage staff accounts of the web UI: add, passwd, disable, enable, list",
        description="Staff accounts log in to `triage web`. Roles: viewer (reads), approver (also decides "
        "drafts, merges, requeues), admin (also manages accounts). --embassy scopes an account to some "
        "embassies (repeat it); without it the account sees every embassy. Passwords are read from "
        "--password-file (first line) or asked on the terminal; they are stored as argon2 hashes.",
    )
    actions = parser.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create an account")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in UserRole])
    add.add_argument("--embassy", action="append", default=[], metavar="CODE", help="scope to an embassy")
    add.add_argument("--password-file", type=Path, help="read the password from this file")
    add.set_defaults(func=run_add)
    pw = actions.add_parser("passwd", help="set an account's password")
    pw.add_argument("name")
    pw.add_argument("--password-file", type=Path)
    pw.set_defaults(func=run_passwd)
    for verb in ("disable", "enable"):
        act = actions.add_parser(verb, help=f"{verb} an account")
        act.add_argument("name")
        act.set_defaults(func=run_active, active=verb == "enable")
    lst = actions.add_parser("list", help="list accounts")
    lst.set_defaults(func=run_list)


def _password(path: Path | None) -> str:
    if path is not None:
        lines = path.read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        print("triage users: the passwords differ", file=sys.stderr)
        raise SystemExit(2)
    return first


def run_add(args: argparse.Namespace) -> int:
    password = _password(args.password_file)
    with app_from(args) as app:
        unknown = sorted(set(args.embassy) - set(app.embassy_addresses))
        if unknown:
            print(f"triage users: --embassy: no embassy with code {', '.join(unknown)}", file=sys.stderr)
            return 2
        with app.sessions.begin() as session:
            add_user(session, args.name, password, args.role, args.embassy, "cli", app.clock.now())
        print(f"user {args.name}: added ({args.role})")
        return 0


def run_passwd(args: argparse.Namespace) -> int:
    password = _password(args.password_file)
    with app_from(args) as app:
        with app.sessions.begin() as session:
            set_password(session, args.name, password, "cli", app.clock.now())
        print(f"user {args.name}: password changed")
        return 0


def run_active(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        with app.sessions.begin() as session:
            set_active(session, args.name, args.active, "cli", app.clock.now())
        print(f"user {args.name}: {'enabled' if args.active else 'disabled'}")
        return 0


def run_list(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        with app.sessions() as session:
            for user in list_users(session):
                scope = ",".join(user.embassies) or "all"
                state = "active" if user.is_active else "disabled"
                print(f"{user.username:<20} {user.role:<9} {state:<8} embassies={scope}")
        return 0
