"""The use cases that create and change people and org units.

Who sees whom is ``people/scope.py``. PMO job roles belong to ``skills`` (above this package);
a person only points at one, so the job-role table is read here through a two-column table
clause rather than by importing the skills models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import column, func, select, table

from pmolearn.audit.services import record
from pmolearn.errors import ApiError, ValidationFailed
from pmolearn.extensions import db
from pmolearn.fields import text_problem
from pmolearn.people import fields
from pmolearn.people.models import OrgUnit, Person
from pmolearn.people.roles import ROLE_VALUES, AccessRole

#: The PMO job roles a person may hold or target (the table ``skills`` owns).
job_roles = table("job_roles", column("id"), column("code"), column("name"))


@dataclass
class PersonData:
    email: str
    name: str
    org_unit_id: int | None
    roles: list[str] = field(default_factory=lambda: [AccessRole.PRACTITIONER.value])
    manager_id: int | None = None
    #: The manager by email or full name (a page's field); resolved to ``manager_id``.
    manager: str | None = None
    job_title: str | None = None
    current_role: str | None = None
    target_role: str | None = None
    active: bool = True
    pmi_member: bool = False
    password: str | None = None


def job_role_choices() -> list[tuple[str, str]]:
    """(code, name) of every PMO job role, by name."""
    rows = db.session.execute(select(job_roles.c.code, job_roles.c.name).order_by(job_roles.c.name))
    return [tuple(row) for row in rows]


def _job_role_id(code: str | None, spec: fields.Field, errors: dict) -> int | None:
    code = spec.clean(code, errors)
    if not code or spec.name in errors:
        return None
    role_id = db.session.scalar(select(job_roles.c.id).where(job_roles.c.code == code))
    if role_id is None:
        errors[spec.name] = [f"Unknown PMO role '{code}'."]
    return role_id


def _check_manager(person: Person | None, manager_id: int | None, errors: dict) -> None:
    if manager_id is None:
        return
    manager = db.session.get(Person, manager_id)
    if manager is None:
        errors["manager_id"] = ["No such person."]
        return
    seen = set()
    while manager is not None and manager.id not in seen:  # walk up: no management loops
        if person is not None and manager.id == person.id:
            errors["manager_id"] = ["A person cannot (indirectly) manage themselves."]
            return
        seen.add(manager.id)
        manager = manager.manager


def _manager_by_name(text: str, errors: dict) -> int | None:
    """The one active person with this email, else this exact name; a clear error otherwise."""
    wanted = text.strip()
    if not wanted:
        return None
    by_email = db.session.scalar(
        select(Person.id).where(Person.email == fields.normalise_email(wanted))
    )
    if by_email is not None:
        return by_email
    named = db.session.execute(
        select(Person.id, Person.email).where(
            func.lower(Person.name) == wanted.lower(), Person.active.is_(True)
        )
    ).all()
    if len(named) == 1:
        return named[0][0]
    if named:
        emails = ", ".join(email for _id, email in named[:5])
        errors["manager"] = [f"Several people are called {wanted!r}: give the email ({emails})."]
    else:
        errors["manager"] = [f"Nobody is called or has the email {wanted[:80]!r}."]
    return None


def managers() -> list[tuple[str, str]]:
    """(email, name) of everyone who manages someone, by name."""
    boss = select(Person.manager_id).where(Person.manager_id.is_not(None)).distinct()
    return [
        tuple(row)
        for row in db.session.execute(
            select(Person.email, Person.name).where(Person.id.in_(boss)).order_by(Person.name)
        )
    ]


def _check_password(password: str | None, errors: dict) -> None:
    if not password:
        return
    if not fields.PASSWORD_MIN <= len(password) <= fields.PASSWORD_MAX or text_problem(password):
        errors["password"] = [
            f"Use {fields.PASSWORD_MIN} to {fields.PASSWORD_MAX} characters on one line."
        ]


def clean_person(data: PersonData, person: Person | None, errors: dict) -> dict:
    """Every field of ``data`` checked at once; problems land in ``errors``."""
    clean = {
        "email": fields.clean_email(data.email, errors),
        "name": fields.NAME.clean(data.name, errors),
        "job_title": fields.JOB_TITLE.clean(data.job_title, errors),
        "current_role_id": _job_role_id(data.current_role, fields.CURRENT_ROLE, errors),
        "target_role_id": _job_role_id(data.target_role, fields.TARGET_ROLE, errors),
    }
    if data.org_unit_id is None or db.session.get(OrgUnit, data.org_unit_id) is None:
        errors["org_unit_id"] = ["Choose an existing org unit."]
    roles = set(data.roles or [])
    if not roles or not roles <= ROLE_VALUES:
        errors["roles"] = [f"Roles must be a non-empty subset of {sorted(ROLE_VALUES)}."]
    clean["roles"] = roles
    if data.manager is not None:
        data.manager_id = _manager_by_name(data.manager, errors)
    _check_manager(person, data.manager_id, errors)
    _check_password(data.password, errors)
    return clean


#: ``(person) -> (message, category) | None``: what features above people do once an admin has
#: added someone (accounts: email an invitation to choose a password).
ON_CREATED: list[Callable] = []


def person_created(person: Person) -> list[tuple[str, str]]:
    """Run the hooks for a person just committed; their messages, for the admin to read."""
    return [m for m in (hook(person) for hook in ON_CREATED) if m]


def save_person(
    data: PersonData, person: Person | None = None, *, actor: Person | None = None
) -> Person:
    """Create (``person`` None) or update a person; refuses the whole change on any error.

    :raises ValidationFailed: 422 with every field's message at once.
    :raises ApiError: 409 when the email belongs to someone else.
    """
    errors: dict[str, list[str]] = {}
    clean = clean_person(data, person, errors)
    if errors:
        raise ValidationFailed(errors)
    clash = db.session.scalar(select(Person.id).where(Person.email == clean["email"]))
    if clash is not None and (person is None or clash != person.id):
        raise ApiError(409, "That email is already used.", {"email": ["Already used."]})
    before = person_snapshot(person) if person is not None else None
    if person is None:
        person = Person()
        db.session.add(person)
    person.email, person.name, person.org_unit_id = clean["email"], clean["name"], data.org_unit_id
    person.manager_id, person.job_title = data.manager_id, clean["job_title"]
    person.current_role_id, person.target_role_id = (
        clean["current_role_id"],
        clean["target_role_id"],
    )
    person.active, person.pmi_member = data.active, data.pmi_member
    person.set_roles(clean["roles"])
    if data.password:
        person.set_password(data.password)
    db.session.flush()
    record(
        "update" if before else "create",
        "person",
        person.id,
        actor_id=actor.id if actor else None,
        person_id=person.id,
        before=before,
        after=person_snapshot(person, password_changed=bool(data.password)),
    )
    return person


def person_snapshot(person: Person, *, password_changed: bool = False) -> dict:
    """What the audit trail keeps of a person (never the password hash itself)."""
    snapshot = {
        "email": person.email,
        "name": person.name,
        "org_unit_id": person.org_unit_id,
        "manager_id": person.manager_id,
        "job_title": person.job_title,
        "current_role_id": person.current_role_id,
        "target_role_id": person.target_role_id,
        "roles": sorted(person.role_codes),
        "active": person.active,
        "pmi_member": person.pmi_member,
    }
    if password_changed:
        snapshot["password_changed"] = True
    return snapshot


# --- org units ---------------------------------------------------------------------------


def save_org_unit(name: str, code: str, parent_id: int | None, unit: OrgUnit | None = None):
    """Create or rename/move a unit, keeping every descendant's materialised path right.

    :raises ValidationFailed: blank fields, unknown parent, or a move under its own subtree.
    """
    errors: dict[str, list[str]] = {}
    name = fields.UNIT_NAME.clean(name, errors)
    code = (fields.UNIT_CODE.clean(code, errors) or "").upper()
    if code and " " in code:
        errors["code"] = ["Give a short code without spaces."]
    parent = db.session.get(OrgUnit, parent_id) if parent_id is not None else None
    if parent_id is not None and parent is None:
        errors["parent_id"] = ["No such org unit."]
    if unit is not None and parent is not None and parent.path.startswith(unit.path):
        errors["parent_id"] = ["A unit cannot move under itself or its own sub-units."]
    clash = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == code)) if code else None
    if clash is not None and (unit is None or clash != unit.id):
        errors["code"] = ["Another unit already uses this code."]
    if errors:
        raise ValidationFailed(errors)
    if unit is None:
        unit = OrgUnit()
        db.session.add(unit)
    old_path = unit.path if unit.id else None
    unit.name, unit.code, unit.parent_id = name, code, parent.id if parent else None
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    if old_path and old_path != unit.path:
        for child in db.session.scalars(
            select(OrgUnit).where(OrgUnit.path.startswith(old_path), OrgUnit.id != unit.id)
        ):
            child.path = unit.path + child.path[len(old_path) :]
    db.session.flush()
    return unit


def unit_member_counts() -> dict[int, int]:
    """People per unit (direct members), one grouped query."""
    rows = db.session.execute(select(Person.org_unit_id, func.count()).group_by(Person.org_unit_id))
    return dict(rows.all())
