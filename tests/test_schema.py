"""The migrations build exactly the schema the models declare, on SQLite and PostgreSQL, and step back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from triage.store.db import make_engine
from triage.store.models import Base
from triage.store.schema import MIGRATIONS, upgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path}/s.db" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    made = make_engine(url)
    try:
        yield made
    finally:
        made.dispose()


def differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_migrations_build_the_schema_of_the_models(engine: Engine) -> None:
    upgrade(engine)
    assert differences(engine) == []


def downgrade(engine: Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def key_indexes(engine: Engine) -> dict[str, list[str | None]]:
    return {str(i["name"]): i["column_names"] for i in inspect(engine).get_indexes("applicant_key")}


def test_the_link_index_migration_steps_back_and_forth(engine: Engine) -> None:
    upgrade(engine, "0005")
    before = key_indexes(engine)
    assert before["ix_applicant_key_key"] == ["key"]
    upgrade(engine)
    after = key_indexes(engine)
    assert after["ix_applicant_key_key_applicant_id"] == ["key", "applicant_id"]
    assert "ix_applicant_key_key" not in after
    downgrade(engine, "0005")
    assert key_indexes(engine) == before
