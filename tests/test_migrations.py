"""Migrations build exactly the models' schema, with one Alembic head, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from pmolearn import create_app
from pmolearn.extensions import db
from pmolearn.ops import health

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def test_one_alembic_head():
    config = AlembicConfig(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


@pytest.fixture
def empty_database(database_url, tmp_path):
    """A database with nothing in it: a new SQLite file, or a new PostgreSQL schema."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}", {}
        return
    schema = f"migcheck_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield database_url, {"connect_args": {"options": f"-csearch_path={schema}"}}
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_upgrade_builds_exactly_the_models_schema(empty_database, tmp_path):
    url, engine_options = empty_database
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        }
    )
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert differences == []
        result = app.test_cli_runner().invoke(args=["db", "check"])
        assert result.exit_code == 0, result.output  # `pmolearn db check` is clean
        assert result.exception is None
        db.engine.dispose()


@pytest.mark.skipif(
    not os.environ.get("PMOLEARN_REQUIRE_POSTGRES"),
    reason="only when PostgreSQL is required (CI's second run sets PMOLEARN_REQUIRE_POSTGRES)",
)
def test_suite_database_is_the_one_asked_for(database_url):
    """CI sets PMOLEARN_REQUIRE_POSTGRES: then a silent fallback to SQLite must fail."""
    assert database_url.startswith("postgresql")
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()


def test_readyz_says_ready_only_at_the_migrations_head(empty_database):
    """``/readyz``: 503 with the reason on an empty database, 200 once it is upgraded."""
    url, engine_options = empty_database
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url,
         "SQLALCHEMY_ENGINE_OPTIONS": engine_options}
    )  # fmt: skip
    with app.app_context():
        client = app.test_client()
        before = client.get("/readyz")
        assert before.status_code == 503
        assert before.json == {"status": "unavailable", "reason": health.BEHIND}
        upgrade(directory=str(MIGRATIONS), revision=_one_before_head())
        assert client.get("/readyz").status_code == 503  # one migration short
        upgrade(directory=str(MIGRATIONS))
        after = client.get("/readyz")
        assert (after.status_code, after.json) == (200, {"status": "ok"})
        assert after.headers["Cache-Control"] == "no-store"
        db.engine.dispose()


def _one_before_head() -> str:
    return ScriptDirectory(str(MIGRATIONS)).get_revision("head").down_revision
