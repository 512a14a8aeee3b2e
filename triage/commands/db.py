"""`triage db upgrade|current`: schema migrations."""

from __future__ import annotations

import argparse

from triage.commands.loading import settings_from
from triage.store.db import make_engine
from triage.store.schema import current_revision, head_revision, upgrade


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("db", help="database schema: upgrade, current",
                            description="Manage the database schema (Alembic migrations).")
    actions = parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    up = actions.add_parser("upgrade", help="migrate the database to this version's schema",
                            description="Apply every pending migration. Safe to run again.")
    up.set_defaults(func=run_upgrade)
    cur = actions.add_parser("current", help="print the schema revision of the database and of this version")
    cur.set_defaults(func=run_current)


def run_upgrade(args: argparse.Namespace) -> int:
    engine = make_engine(settings_from(args).database.url)
    try:
        before = current_revision(engine)
        upgrade(engine)
        after = current_revision(engine)
        print(f"database at {after}" + (" (unchanged)" if before == after else f" (was {before or 'empty'})"))
        return 0
    finally:
        engine.dispose()


def run_current(args: argparse.Namespace) -> int:
    engine = make_engine(settings_from(args).database.url)
    try:
        current, head = current_revision(engine), head_revision()
        print(f"database: {current or 'empty'}; this version: {head}")
        return 0 if current == head else 1
    finally:
        engine.dispose()
