"""The demo organisation: sign-ins, tree and reporting lines, determinism, rebuild, bulk speed."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select

from pmolearn import create_app
from pmolearn.demo import generator, organisation
from pmolearn.demo.bulk import CLEAR_ORDER, clear_organisation
from pmolearn.demo.context import DemoContext
from pmolearn.demo.generator import build_demo
from pmolearn.extensions import db
from pmolearn.people.models import OrgUnit, Person, PersonRole

TODAY = date(2026, 3, 2)
PASSWORD = "demo-password-123"
SIGN_INS = {
    "admin@example.com": {"admin", "practitioner"},
    "hr@example.com": {"hr", "practitioner"},
    "pmo@example.com": {"pmo_head", "practitioner"},
    "practitioner@example.com": {"practitioner"},
}


def make_app() -> Flask:
    """The real factory on a private in-memory database."""
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "t",
        }
    )


@pytest.fixture
def demo_db():
    """A fresh in-memory database, inside an app context."""
    app = make_app()
    with app.app_context():
        db.create_all()
        yield
        db.session.remove()
        db.engine.dispose()


def in_fresh_db(fn):
    app = make_app()
    with app.app_context():
        db.create_all()
        try:
            return fn()
        finally:
            db.session.remove()
            db.engine.dispose()


def people_by_email() -> dict[str, Person]:
    return {p.email: p for p in db.session.scalars(select(Person))}


def snapshot() -> list[tuple]:
    """What must be identical for a seed: every person with unit, manager, title, roles, flags
    (not their calendar tokens: secrets come from ``secrets``, never from the seed)."""
    people = list(db.session.scalars(select(Person).order_by(Person.id)))
    email_of = {p.id: p.email for p in people}
    return [
        (
            p.email,
            p.name,
            p.org_unit.code,
            p.org_unit.path,
            email_of.get(p.manager_id),
            p.job_title,
            tuple(sorted(p.role_codes)),
            p.active,
            p.pmi_member,
            p.current_role_id,
            p.target_role_id,
        )
        for p in people
    ]


def build(staff=200, seed=1, **kwargs):
    summary = build_demo(staff=staff, seed=seed, password=PASSWORD, today=TODAY, **kwargs)
    db.session.commit()
    return summary


def test_the_four_sign_ins_exist_with_their_roles_and_password(demo_db):
    summary = build()
    people = people_by_email()
    for email, roles in SIGN_INS.items():
        person = people[email]
        assert person.role_codes == roles, email
        assert person.check_password(PASSWORD)
        assert person.active
    assert [s.email for s in summary.sign_ins] == list(SIGN_INS)
    assert all(set(s.roles) == SIGN_INS[s.email] for s in summary.sign_ins)
    assert people["admin@example.com"].org_unit.parent_id is None
    assert people["hr@example.com"].org_unit.code == "HR"
    practitioner = people["practitioner@example.com"]
    assert practitioner.job_title == "Project Manager"
    assert practitioner.pmi_member
    # every demo person can sign in with the same password (one hash, shared)
    assert len({p.password_hash for p in people.values()}) == 1
    lines = "\n".join(summary.lines())
    assert all(email in lines for email in SIGN_INS) and PASSWORD in lines


def test_pmo_head_manages_the_pmo_unit_and_the_practitioner_is_in_its_subtree(demo_db):
    build()
    people = people_by_email()
    pmo, practitioner = people["pmo@example.com"], people["practitioner@example.com"]
    unit = pmo.org_unit
    assert unit.code == "PMO" and unit.name == "Enterprise PMO"
    assert practitioner.org_unit.path.startswith(unit.path)
    assert practitioner.manager_id == pmo.id
    members = [p for p in people.values() if p.org_unit_id == unit.id]
    assert len(members) > 2  # people in the unit itself ...
    assert all(p.manager_id == pmo.id for p in members if p.id != pmo.id)
    subunits = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id == unit.id)).all()
    assert {u.name for u in subunits} >= {"Delivery PMO", "Portfolio Office"}  # ... and below
    for sub in subunits:  # heads of PMO sub-units are PMO heads and report to pmo@
        head = next(
            p for p in people.values() if p.org_unit_id == sub.id and p.manager_id == pmo.id
        )
        assert "pmo_head" in head.role_codes
    non_pmo_heads = [
        p
        for p in people.values()
        if "pmo_head" in p.role_codes and not p.org_unit.path.startswith(unit.path)
    ]
    assert non_pmo_heads == []


def test_exactly_n_people_and_every_reporting_line_follows_the_tree(demo_db):
    summary = build(staff=333)
    people = list(db.session.scalars(select(Person)))
    units = {u.id: u for u in db.session.scalars(select(OrgUnit))}
    assert len(people) == summary.counts["people"] == 333
    assert summary.counts["org_units"] == len(units)
    by_id = {p.id: p for p in people}
    heads = {}
    for person in people:
        manager = by_id.get(person.manager_id)
        if manager is None or manager.org_unit_id != person.org_unit_id:
            assert person.org_unit_id not in heads, "one manager per unit"
            heads[person.org_unit_id] = person
    assert set(heads) == set(units), "every unit has a manager"
    for person in people:
        unit, head = units[person.org_unit_id], heads[person.org_unit_id]
        if person is head:
            parent = units.get(unit.parent_id)
            expected = heads[parent.id].id if parent else None
            assert person.manager_id == expected
            if parent is None:
                assert person.job_title == "Chief Executive Officer"
        else:
            assert person.manager_id == head.id
    for unit in units.values():  # materialised paths match the parent links
        parent = units.get(unit.parent_id)
        assert unit.path == f"{parent.path if parent else '/'}{unit.id}/"
    roles = Counter(r.role for r in db.session.scalars(select(PersonRole)))
    assert roles["practitioner"] == 333 and roles["admin"] == 1 and roles["hr"] == 1
    emails = [p.email for p in people]
    assert len(set(emails)) == len(emails)
    assert all(e == e.lower() for e in emails)
    assert sum(e.endswith("@demo.example.com") for e in emails) == 333 - 4
    assert len({p.calendar_token for p in people}) == 333


def test_realistic_organisation(demo_db):
    build(staff=1000)
    units = {u.code: u for u in db.session.scalars(select(OrgUnit))}
    assert {"PMO", "PMO-DEL", "PMO-PFO", "PMO-ACE", "HR", "TECH", "FIN", "OPS", "SALES"} <= set(
        units
    )
    for code in ("HR", "TECH", "FIN", "OPS", "SALES"):
        teams = [u for u in units.values() if u.parent_id == units[code].id]
        assert 2 <= len(teams) <= 4, code
    people = list(db.session.scalars(select(Person)))
    sizes = Counter(p.org_unit_id for p in people)
    assert max(sizes.values()) <= organisation.MAX_UNIT_SIZE
    assert 0.5 <= sum(p.pmi_member for p in people) / len(people) <= 0.7
    assert 0.005 <= sum(not p.active for p in people) / len(people) <= 0.04
    titles = Counter(p.job_title for p in people)
    for title in (
        "Project Coordinator",
        "PMO Analyst",
        "Project Manager",
        "Senior Project Manager",
        "Program Manager",
        "Portfolio Manager",
        "Scrum Master",
        "Business Analyst",
        "Head of PMO",
    ):
        assert titles[title] > 0, title


def test_job_roles_come_from_the_catalog_when_it_is_seeded(demo_db):
    from pmolearn.skills.models import JobRole

    build(staff=50)
    assert db.session.scalar(select(func.count()).where(Person.current_role_id.is_not(None))) == 0
    for code in generator.JOB_ROLE_CODES:
        db.session.add(JobRole(code=code, name=code.replace("_", " ").title()))
    db.session.commit()
    build(staff=200)
    people = people_by_email()
    practitioner = people["practitioner@example.com"]
    assert practitioner.current_role.code == "project_manager"
    assert practitioner.target_role.code == "senior_project_manager"
    assert people["pmo@example.com"].current_role.code == "pmo_director"
    with_roles = [p for p in people.values() if p.current_role_id is not None]
    assert len(with_roles) > 50
    assert all(p.current_role.code in generator.JOB_ROLE_CODES for p in with_roles)


def test_same_seed_gives_identical_data_in_two_databases():
    def run():
        build(staff=250, seed=7)
        return snapshot()

    first, second = in_fresh_db(run), in_fresh_db(run)
    assert first == second
    assert len(first) == 250


def test_a_different_seed_gives_different_people():
    def names(seed):
        def run():
            build(staff=100, seed=seed)
            return [row[1] for row in snapshot()]

        return in_fresh_db(run)

    one, two = names(1), names(2)
    assert one != two
    assert len(set(one) & set(two)) < 20


def test_rebuild_replaces_the_organisation(demo_db):
    from pmolearn.accounts.models import ApiToken

    build(staff=120, seed=3)
    before = snapshot()
    pmo = people_by_email()["pmo@example.com"]
    db.session.add(ApiToken(person_id=pmo.id, name="cli", token_hash="x" * 64, prefix="abc"))
    db.session.commit()
    build(staff=120, seed=3)
    assert db.session.scalar(select(func.count()).select_from(Person)) == 120
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
    assert snapshot() == before  # ids restart at 1: the rebuild is the same organisation
    build(staff=80, seed=4)
    assert db.session.scalar(select(func.count()).select_from(Person)) == 80
    assert set(SIGN_INS) <= set(people_by_email())


@pytest.mark.parametrize("staff", [4, 5, 6, 7, 30])
def test_small_organisations_still_have_the_four_sign_ins(demo_db, staff):
    summary = build(staff=staff)
    assert summary.counts["people"] == staff
    people = people_by_email()
    assert {e: p.role_codes for e, p in people.items() if e in SIGN_INS} == SIGN_INS
    pmo, practitioner = people["pmo@example.com"], people["practitioner@example.com"]
    assert pmo.org_unit.code == "PMO" and practitioner.manager_id == pmo.id
    assert people["hr@example.com"].org_unit.code == "HR"
    assert people["admin@example.com"].org_unit.parent_id is None


def test_invalid_arguments_are_refused(demo_db):
    with pytest.raises(ValueError):
        build_demo(staff=generator.MIN_STAFF - 1)
    with pytest.raises(ValueError):
        build_demo(staff=50, password="")


def test_the_demo_command_prints_the_sign_ins(demo_db):
    from flask import current_app

    if "demo" not in current_app.cli.commands:
        pytest.skip("the demo command is not registered yet")
    result = current_app.test_cli_runner().invoke(
        args=["demo", "--staff", "40", "--seed", "2", "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    assert all(email in result.output for email in SIGN_INS)
    assert db.session.scalar(select(func.count()).select_from(Person)) == 40


def test_extra_builders_run_after_people_and_their_counts_are_summed(demo_db):
    seen = {}

    def builder(ctx: DemoContext) -> dict[str, int]:
        seen["people"] = db.session.scalar(select(func.count()).select_from(Person))
        seen["practitioner"] = ctx.sign_ins["practitioner"].email
        seen["today"] = ctx.today
        seen["stream"] = ctx.stream("credentials").random()
        return {"widgets": 3}

    summary = build(staff=60, builders=[builder, lambda ctx: {"widgets": 2, "gadgets": 1}])
    assert seen["people"] == 60
    assert seen["practitioner"] == "practitioner@example.com"
    assert seen["today"] == TODAY
    assert summary.counts["widgets"] == 5 and summary.counts["gadgets"] == 1
    assert seen["stream"] == random.Random("1:credentials").random()  # a stream per builder


def test_clear_organisation_knows_every_table_that_references_people_or_units(demo_db):
    """A new table pointing at people or org units must join ``CLEAR_ORDER`` (dependents first),
    or ``pmolearn demo`` would fail on its foreign keys."""
    cleared = [getattr(model, "__table__", model) for model in CLEAR_ORDER]
    targets = {Person.__table__, OrgUnit.__table__}
    changed = True
    while changed:  # everything that (transitively) references people or org units
        changed = False
        for table in db.metadata.sorted_tables:
            if table not in targets and any(
                fk.column.table in targets for fk in table.foreign_keys
            ):
                targets.add(table)
                changed = True
    assert targets <= set(cleared), sorted(t.name for t in targets - set(cleared))
    for position, table in enumerate(cleared):
        for fk in table.foreign_keys:
            if fk.column.table in cleared and fk.column.table is not table:
                assert cleared.index(fk.column.table) > position, table.name
    build(staff=30)
    clear_organisation()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(OrgUnit)) == 0
