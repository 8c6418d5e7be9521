"""Generate a realistic demo organisation of any size, deterministically, inserted in bulk.

``build_demo`` rebuilds the organisation: it deletes every person (with their access roles, API
tokens and whatever ``CLEAR_ORDER`` lists) and every org unit, then inserts a new company. The
catalog (certifications, skills, job roles) is kept. It only adds and flushes; the caller commits.

Determinism: one ``random.Random(seed)`` and one ``Faker`` seeded with the same seed drive every
choice, in a fixed order, and every id is assigned here (starting at 1 after the clear), so the
same seed (and ``today``) gives byte-identical rows: names, emails, units, managers, job titles,
roles, flags and calendar tokens.

Shape of the company (see ``plan_organisation``)::

    <Company> (HQ): CEO, admin@, a few staff
    ├── Enterprise PMO (PMO): pmo@ (Head of PMO), practitioner@, PMO staff
    │   ├── Delivery PMO · Portfolio Office · Agile Centre of Excellence
    ├── Human Resources (HR): head, hr@ …  ── 2-4 teams
    └── Technology, Finance, Operations, Sales & Marketing, Strategy & Transformation ── 2-4 teams

Small companies get fewer units (about one per ``MIN_AVERAGE_UNIT_SIZE`` people); in big ones a
unit above ``MAX_UNIT_SIZE`` people is split into teams of about ``TEAM_SIZE`` under its head.
The first person of every unit is its manager; members report to the unit's manager, and a
unit's manager reports to the parent unit's manager.

Later features (credentials, PDU history, pursuits, skill assessments) plug in through
``EXTRA_BUILDERS``: functions called with the ``DemoContext`` once people are inserted.

This module is the entry point; the parts are modules beside it: ``titles`` (job titles and
career stages), ``organisation`` (the company's shape), ``people``, ``context`` (what builders
are handed) and ``bulk`` (clearing and bulk inserts).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from faker import Faker
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from pmolearn import clock
from pmolearn.demo.bulk import _next_id, advance_sequences, clear_organisation
from pmolearn.demo.context import (
    Builder,
    DemoContext,
    DemoPerson,
    DemoSignIn,
    DemoSummary,
    DemoUnit,
)
from pmolearn.demo.credentials import build_credentials
from pmolearn.demo.organisation import plan_organisation
from pmolearn.demo.people import SIGN_IN_EMAILS, generate_people
from pmolearn.demo.reminders import build_reminders
from pmolearn.demo.skills import build_skills
from pmolearn.demo.study import build_study
from pmolearn.extensions import db
from pmolearn.people.models import OrgUnit, Person, PersonRole
from pmolearn.skills.models import JobRole

LOCALE = "en_GB"
MIN_STAFF = 4  # the four sign-ins

#: PMO job roles the demo refers to (``JobRole.code``); missing ones are simply left unset.
JOB_ROLE_CODES = (
    "project_coordinator",
    "pmo_analyst",
    "project_manager",
    "senior_project_manager",
    "program_manager",
    "portfolio_manager",
    "pmo_manager",
    "pmo_director",
    "agile_pmo_lead",
    "release_train_engineer",
    "agile_transformation_lead",
)

#: Called in order after people are inserted; their counts go into the summary. A feature adds
#: its builder here; its module takes ``DemoContext`` from ``demo.context``, which imports no
#: builder, so there is no import cycle.
EXTRA_BUILDERS: list[Builder] = [build_credentials, build_study, build_skills, build_reminders]


def build_demo(
    staff: int = 200,
    seed: int = 1,
    password: str = "demo-password",  # noqa: S107 - the documented demo default
    today: date | None = None,
    *,
    builders: Sequence[Builder] | None = None,
) -> DemoSummary:
    """Replace the organisation with a generated one of ``staff`` people (sign-ins included).

    ``builders`` defaults to ``EXTRA_BUILDERS``. Adds and flushes only: the caller commits.
    """
    if staff < MIN_STAFF:
        raise ValueError(f"A demo organisation needs at least {MIN_STAFF} people.")
    if not password:
        raise ValueError("Give the demo sign-ins a password.")
    today = today or clock.today()
    rng = random.Random(seed)
    faker = Faker(LOCALE)
    faker.seed_instance(seed)
    company = faker.company()

    clear_organisation()
    job_role_ids = dict(
        db.session.execute(
            select(JobRole.code, JobRole.id).where(JobRole.code.in_(JOB_ROLE_CODES))
        ).all()
    )
    units = plan_organisation(rng, staff, company, first_id=_next_id(OrgUnit))
    people = generate_people(rng, faker, units, first_id=_next_id(Person))
    ctx = DemoContext(
        seed=seed,
        rng=rng,
        faker=faker,
        today=today,
        password_hash=generate_password_hash(password),  # once: hashing is slow on purpose
        units=units,
        people=people,
        job_role_ids=job_role_ids,
        sign_ins={p.sign_in: p for p in people if p.sign_in},
        created_at=datetime.combine(today, time.min, tzinfo=UTC),
    )
    counts = {
        "org_units": ctx.insert(OrgUnit, [_unit_row(u) for u in units]),
        "people": ctx.insert(Person, [_person_row(ctx, p) for p in people]),
        "person_roles": ctx.insert(
            PersonRole, [{"person_id": p.id, "role": r} for p in people for r in p.roles]
        ),
        "unit_managers": sum(p.is_unit_manager for p in people),
        "pmi_members": sum(p.pmi_member for p in people),
        "inactive": sum(not p.active for p in people),
    }
    for builder in EXTRA_BUILDERS if builders is None else builders:
        for key, value in builder(ctx).items():
            counts[key] = counts.get(key, 0) + value
    advance_sequences(ctx.explicit_id_tables)
    db.session.flush()
    return DemoSummary(
        seed=seed,
        password=password,
        counts=counts,
        sign_ins=[_sign_in(ctx, key) for key in SIGN_IN_EMAILS],
    )


def _unit_row(unit: DemoUnit) -> dict[str, Any]:
    return {
        "id": unit.id,
        "name": unit.name,
        "code": unit.code,
        "parent_id": unit.parent.id if unit.parent else None,
        "path": unit.path,
    }


def _person_row(ctx: DemoContext, person: DemoPerson) -> dict[str, Any]:
    return {
        "id": person.id,
        "email": person.email,
        "name": person.name,
        "org_unit_id": person.unit.id,
        "manager_id": person.manager_id,
        "job_title": person.job_title,
        "current_role_id": ctx.job_role_ids.get(person.current_role or ""),
        "target_role_id": ctx.job_role_ids.get(person.target_role or ""),
        "active": person.active,
        "pmi_member": person.pmi_member,
        "password_hash": ctx.password_hash,
        "calendar_token": person.calendar_token,
        "created_at": ctx.created_at,
        "updated_at": ctx.created_at,
    }


_SIGN_IN_DESCRIPTIONS = {
    "admin": "administrator, in the root unit",
    "hr": "HR, in Human Resources",
    "pmo": "PMO head, manager of the Enterprise PMO",
    "practitioner": "practitioner, Project Manager in the Enterprise PMO",
}


def _sign_in(ctx: DemoContext, key: str) -> DemoSignIn:
    person = ctx.sign_ins[key]
    return DemoSignIn(
        key=key,
        email=person.email,
        name=person.name,
        roles=person.roles,
        description=_SIGN_IN_DESCRIPTIONS[key],
    )
