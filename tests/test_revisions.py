"""The organisation's data token, and the figures kept until it moves: the team's renewals, the
org units a filter offers and the directory's total must never show what the data no longer
say."""

from __future__ import annotations

from datetime import date

from flask_login import current_user
from sqlalchemy import insert, select, update

from pmolearn import revisions
from pmolearn.authz import allow
from pmolearn.extensions import db
from pmolearn.people.models import Person


def _home(client, login, who):
    login(who)
    return client.get("/").get_data(as_text=True)


def test_a_change_to_a_credential_gives_the_token_a_new_value(make, people, catalog):
    before = revisions.read_token()
    make.credential(people["practitioner"], earned_on=date(2023, 1, 10))
    db.session.commit()
    after = revisions.read_token()
    assert after is not None and after != before
    # a commit that touches nothing the token covers leaves it alone
    db.session.commit()
    assert revisions.read_token() == after


def test_a_rolled_back_change_leaves_the_token(make, people, catalog):
    make.credential(people["practitioner"])
    db.session.commit()
    token = revisions.read_token()
    people["colleague"].name = "Renamed, then not"
    db.session.flush()
    db.session.rollback()
    assert revisions.read_token() == token


def test_the_team_renewals_follow_a_new_credential_at_once(client, login, make, people, catalog):
    """The PMO head's home keeps its renewals table; a credential due soon added in scope
    shows on the very next visit (the token moved), without waiting for anything."""
    pmo = people["pmo"]
    assert revisions.read_token() is not None  # figures are kept from here on
    first = _home(client, login, pmo)
    assert "Nothing is due" in first
    # earned on 10 January 2024: its cycle ends 10 January 2027, within 90 days of today
    make.credential(people["colleague"], earned_on=date(2024, 1, 10))
    db.session.commit()
    second = _home(client, login, pmo)
    assert "Nothing is due" not in second
    assert people["colleague"].name in second


def test_the_directory_total_and_units_follow_a_new_person(client, login, make, people):
    login(people["hr"])
    assert revisions.read_token() is not None
    before = client.get("/people").get_data(as_text=True)
    count = db.session.scalar(select(db.func.count(Person.id)))
    assert f"{count} people" in before
    unit = make.units["finance"]
    make.person("newcomer@example.org", unit=unit, name="Newcomer Person")
    db.session.commit()
    after = client.get("/people").get_data(as_text=True)
    assert f"{count + 1} people" in after


def test_nothing_is_kept_without_a_token(app):
    calls = []
    with app.test_request_context("/"):
        for _ in range(2):
            revisions.remember(("k",), lambda: calls.append(1))
    assert len(calls) == 2


def test_another_hosts_change_is_seen_through_the_token(client, login, make, people):
    """Another host's change reaches this process only through the token it reads with the
    signed-in person: rows and token changed on another connection, nothing forgotten here."""
    login(people["hr"])
    count = db.session.scalar(select(db.func.count(Person.id)))
    assert f"{count} people" in client.get("/people").get_data(as_text=True)
    with db.engine.begin() as conn:
        conn.execute(
            insert(Person).values(
                email="elsewhere@example.org",
                name="Added Elsewhere",
                calendar_token="t" * 32,
                org_unit_id=make.units["finance"].id,
                active=True,
                pmi_member=False,
                session_version=0,
            )
        )
        conn.execute(update(revisions.DataRevision).values(token="set-by-another-host"))
    assert f"{count + 1} people" in client.get("/people").get_data(as_text=True)


def test_a_change_committed_without_a_flush_of_its_own_moves_the_token(people):
    """The commit's own flush comes after ``before_commit``: the token must still move."""
    token = revisions.read_token()
    people["colleague"].name = "Renamed at commit"
    db.session.commit()
    assert revisions.read_token() not in (None, token)


def test_a_get_that_writes_is_refused_on_every_database(app, client, login, people):
    """A read-only request must not write (on PostgreSQL it would commit statement by
    statement): the flush fails, nothing is written, on SQLite too."""

    @app.route("/_test/write-on-get")
    @allow()
    def write_on_get():
        current_user.name = "Written by a GET"
        db.session.flush()
        return "written"

    login(people["practitioner"])
    response = client.get("/_test/write-on-get")
    assert response.status_code == 500
    db.session.expire_all()
    assert db.session.get(Person, people["practitioner"].id).name != "Written by a GET"
