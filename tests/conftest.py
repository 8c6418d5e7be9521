"""Fixtures: one database per test session (SQLite file, or TEST_DATABASE_URL), emptied after
every test; role users; a signed-in client; a live server for the browser tests."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from pmolearn import create_app
from pmolearn.config import normalise_database_url
from pmolearn.extensions import db

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"


@functools.cache
def password_hash() -> str:
    """Hash the test password once; scrypt per person would dominate the suite's time."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    """Build the schema once per session from the models (the migration test checks they agree)."""
    app = create_app(_config(database_url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        db.drop_all()
        _drop_alembic_version()
        db.create_all()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def _drop_alembic_version() -> None:
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _config(database_url: str, instance: Path, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "UPLOAD_FOLDER": str(instance / "evidence"),
        "SERVER_NAME": "localhost",
        **extra,
    }


@pytest.fixture
def app_config(database_url, tmp_path) -> dict:
    """Override in a test module (or parametrize) to change settings for one app."""
    return _config(database_url, tmp_path)


class FreshContextClient(FlaskClient):
    """Each request in its own app context (own ``g`` and DB session), as in production.

    Without this, requests would share the test's app context, and Flask-Login's user cached
    in ``g`` would leak from one request into the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(_schema, app_config):
    app = create_app(app_config)
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


def _empty_all_tables() -> None:
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def catalog(app):
    """The real seeds/ catalog, loaded as ``pmolearn seed`` loads it."""
    from pmolearn.catalog.seeding import load_seeds

    load_seeds(ROOT / "seeds")
    db.session.commit()


@pytest.fixture
def make_person(app):
    """Factory: ``make_person("a@x.org", roles=("practitioner",), unit=unit)``."""
    from pmolearn.people.models import Person

    counter = iter(range(1, 10_000))

    def make(email=None, *, roles=("practitioner",), unit=None, name=None, **fields):
        n = next(counter)
        person = Person(
            email=email or f"person{n}@example.org",
            name=name or f"Person {n}",
            org_unit=unit or org["root"],
            **fields,
        )
        person.password_hash = password_hash()
        person.set_roles(set(roles))
        db.session.add(person)
        db.session.flush()
        return person

    org = {}
    org.update(build_units())
    make.units = org
    return make


def build_units() -> dict:
    """Root → PMO → Delivery PMO, and Root → Finance: enough tree to test scopes."""
    from pmolearn.people.services import save_org_unit

    root = save_org_unit("Acme", "ROOT", None)
    pmo = save_org_unit("Enterprise PMO", "PMO", root.id)
    delivery = save_org_unit("Delivery PMO", "DPMO", pmo.id)
    finance = save_org_unit("Finance", "FIN", root.id)
    return {"root": root, "pmo": pmo, "delivery": delivery, "finance": finance}


@pytest.fixture
def people(make_person):
    """The four demo-like roles plus a colleague in the PMO subtree and one outside it."""
    units = make_person.units
    result = {
        "admin": make_person("admin@example.org", roles=("admin", "practitioner")),
        "hr": make_person("hr@example.org", roles=("hr", "practitioner")),
        "pmo": make_person("pmo@example.org", roles=("pmo_head", "practitioner"),
                           unit=units["pmo"]),
        "practitioner": make_person("prac@example.org", unit=units["pmo"]),
        "colleague": make_person("colleague@example.org", unit=units["delivery"]),
        "outsider": make_person("outsider@example.org", unit=units["finance"]),
    }
    db.session.commit()
    return result


@pytest.fixture
def login(client):
    """Sign a person in through the real form; returns the response."""

    def do(person, password=PASSWORD):
        return client.post("/login", data={"email": person.email, "password": password})

    return do


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as counted: ...`` then ``counted()`` is the statement count."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting():
        statements = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield lambda: len(statements)
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting


def make_engine(url: str):
    return create_engine(url)
