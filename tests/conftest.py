"""Fixtures: one database per test run (a SQLite file, or TEST_DATABASE_URL) with the catalog
loaded once; every other table emptied after each test; a pinned clock; role users; sign-in by
session cookie; a live server for the browser tests."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_login.utils import _create_identifier
from sqlalchemy import text

from pmolearn import clock, create_app, revisions
from pmolearn.accounts.services import create_token
from pmolearn.catalog import snapshot
from pmolearn.cli import load_seeds
from pmolearn.config import normalise_database_url
from pmolearn.credentials.services import add_credential
from pmolearn.extensions import db
from tests.factories import PASSWORD, Factories, build_units
from tests.mailserver import smtp

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
#: The day API.md's example is computed on: the practitioner's PMP has 96 days left.
TODAY = date(2026, 11, 25)
#: Loaded once per run by ``pmolearn seed``'s own loader; tests never empty these.
CATALOG_TABLES = frozenset({
    "sources", "issuers", "certifications", "renewal_policies", "activity_types",
    "eligibility_rule_sets", "catalog_state",
    "skill_levels", "skills", "job_roles", "job_role_skills", "job_role_certification_groups",
    "certification_skills",
})  # fmt: skip

__all__ = ["PASSWORD", "ROOT", "TODAY", "smtp"]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _config(database_url: str, instance: Path, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "UPLOAD_FOLDER": str(instance / "evidence"),
        "SERVER_NAME": "localhost",
        # The catalog changes only through this process here: no rechecks of its revision
        # in the middle of a statement count (tests/catalog/test_snapshot.py tests them).
        "CATALOG_RECHECK_SECONDS": None,
        **extra,
    }


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    """The schema from the models (the migration test checks they agree), and the catalog."""
    app = create_app(_config(database_url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        load_seeds(SEEDS)
        db.session.commit()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def today():
    """Every test runs on ``TODAY`` unless it pins another day (``clock.pin``)."""
    clock.pin(TODAY)
    yield TODAY
    clock.pin(None)


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
        empty_tables()
        db.engine.dispose()


def empty_tables(*, catalog: bool = False) -> None:
    """Delete every row the test wrote (the catalog too, when asked)."""
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if catalog or table.name not in CATALOG_TABLES:
                conn.execute(table.delete())
    if catalog:
        snapshot.invalidate()
    revisions.forget()


@pytest.fixture
def catalog(app):
    """The seeded catalog (loaded once per run): named for tests that rely on it."""


@pytest.fixture
def empty_catalog(app):
    """A test that needs the catalog gone (or changes it) gets it back, as seeded, after."""
    db.session.remove()
    empty_tables(catalog=True)
    yield
    db.session.remove()
    empty_tables(catalog=True)
    load_seeds(SEEDS)
    db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """Factories for people, credentials and activities (``tests/factories.py``)."""
    return Factories(build_units())


@pytest.fixture
def make_person(make):
    """``make_person("a@x.org", roles=("practitioner",), unit=unit)``; ``.units`` has the tree."""

    def person(*args, **kwargs):
        return make.person(*args, **kwargs)

    person.units = make.units
    return person


@pytest.fixture
def people(make):
    """The four demo-like roles plus a colleague in the PMO subtree and one outside it."""
    units = make.units
    result = {
        "admin": make.person("admin@example.org", roles=("admin", "practitioner")),
        "hr": make.person("hr@example.org", roles=("hr", "practitioner")),
        "pmo": make.person("pmo@example.org", roles=("pmo_head", "practitioner"),
                           unit=units["pmo"]),
        "practitioner": make.person("prac@example.org", unit=units["pmo"]),
        "colleague": make.person("colleague@example.org", unit=units["delivery"]),
        "outsider": make.person("outsider@example.org", unit=units["finance"]),
    }  # fmt: skip
    db.session.commit()
    return result


@pytest.fixture
def bearer(people):
    """``headers=bearer("practitioner")``: a fresh API token for one of ``people``."""

    def token_for(name: str) -> dict:
        _token, plain = create_token(people[name], "tests")
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}

    return token_for


@pytest.fixture
def pmp(people, catalog):
    """The practitioner's PMP, earned 2024-03-01 (cycle ends 2027-03-01), as in API.md."""
    credential = add_credential(
        people["practitioner"],
        "PMP",
        "1234567",
        date(2024, 3, 1),
        actor=people["practitioner"],
        today=TODAY,
    )
    db.session.commit()
    return credential


@pytest.fixture
def login(client):
    """Sign a person in by writing Flask-Login's session keys into the cookie (the sign-in
    form itself is tested in test_auth.py with ``sign_in_form``)."""

    def do(person):
        with client.application.test_request_context(environ_base=client.environ_base):
            identifier = _create_identifier()  # what "strong" session protection checks
        with client.session_transaction() as session:
            session["_user_id"] = person.get_id()
            session["_fresh"] = True
            session["_id"] = identifier

    return do


@pytest.fixture
def sign_in_form(client):
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
