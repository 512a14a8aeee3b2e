"""Schema migrations (Alembic): upgrade a database to this version, or tell how far behind it is."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from triage.errors import SchemaError, StoreError

MIGRATIONS = Path(__file__).with_name("migrations")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database is at, or None for an empty database."""
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open the database: {_reason(exc)}") from None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to *revision* (default: this version's head)."""
    config = _config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except SQLAlchemyError as exc:
        raise StoreError(f"migration failed: {_reason(exc)}") from None


def ensure_current(engine: Engine, *, create_if_empty: bool = True) -> None:
    """Upgrade an empty database; raise SchemaError when an existing one is behind or ahead."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if current is None and create_if_empty:
        upgrade(engine)
        return
    raise SchemaError(f"database schema is at {current or 'nothing'}, this version needs {head}: "
                      "run `triage db upgrade`")


def _reason(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
