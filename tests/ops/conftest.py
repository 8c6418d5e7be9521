"""What the operations tests share: an installation driven by the real ``pmolearn`` command, on
a new database of the suite's kind (a SQLite file, or a new PostgreSQL database)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from pmolearn import create_app
from pmolearn.extensions import db
from tests.conftest import _config

PMOLEARN = str(Path(sys.executable).parent / "pmolearn")


class Installation:
    """A database and an evidence folder, driven by the ``pmolearn`` command."""

    def __init__(self, url: str, folder: Path):
        self.url, self.folder = url, folder
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "PMOLEARN_UPLOAD_FOLDER": str(folder / "evidence"),
            "SECRET_KEY": "backup-test",
            "PMOLEARN_LOG_FORMAT": "text",
        }

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [PMOLEARN, *args], env=self.env, cwd=self.folder, capture_output=True, text=True,
            timeout=300, check=False,
        )  # fmt: skip
        if ok:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def app(self):
        return create_app({
            "TESTING": True, "SECRET_KEY": "backup-test", "SQLALCHEMY_DATABASE_URI": self.url,
            "UPLOAD_FOLDER": str(self.folder / "evidence"), "SERVER_NAME": "localhost",
            "WTF_CSRF_ENABLED": False,
        })  # fmt: skip

    def count(self, table: str) -> int:
        engine = create_engine(self.url)
        try:
            with engine.connect() as connection:
                return connection.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def new_database(database_url, tmp_path_factory):
    """``new_database("name")``: the URL of a new, empty database of the suite's kind."""
    tmp_path = tmp_path_factory.mktemp("databases")
    made: list[str] = []
    admin = None if database_url.startswith("sqlite") else create_engine(
        database_url, isolation_level="AUTOCOMMIT")  # fmt: skip

    def make(name: str) -> str:
        if admin is None:
            return f"sqlite:///{tmp_path / name}.sqlite3"
        database = f"pmolearn_{name}_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
        made.append(database)
        return admin.url.set(database=database).render_as_string(hide_password=False)

    yield make
    if admin is not None:
        with admin.connect() as connection:
            for database in made:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def installation(new_database, tmp_path, name) -> Installation:
    folder = tmp_path / name
    folder.mkdir(parents=True)
    return Installation(new_database(name), folder)


@pytest.fixture
def make_app(_schema, database_url, tmp_path):
    """``make_app(TRUSTED_PROXIES=1, ...)``: an app on the suite's database with these settings."""
    made = []

    def build(**settings):
        app = create_app(_config(database_url, tmp_path, **settings))
        made.append(app)
        return app

    yield build
    for app in made:  # each app has its own engine: close its connections now, not at GC
        with app.app_context():
            db.engine.dispose()
