"""Who sees whom (scope queries) and the use cases that create and change people and units."""

from __future__ import annotations

from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Select, false, func, or_, select, true
from sqlalchemy.orm import selectinload

from pmolearn.audit.services import record
from pmolearn.authz import AccessRole, has_role, sees_everyone
from pmolearn.errors import ApiError, ValidationFailed
from pmolearn.extensions import db
from pmolearn.people.models import OrgUnit, Person
from pmolearn.skills.models import JobRole
from pmolearn.validation import has_control_characters

ROLE_VALUES = {r.value for r in AccessRole}


# --- scope -------------------------------------------------------------------------------


def scope_filter(viewer: Person):
    """SQL condition on ``Person`` for the people ``viewer`` may see: themselves; HR and admins
    everyone; a PMO head the people of their org unit's subtree."""
    if sees_everyone(viewer):
        return true()
    conditions = [Person.id == viewer.id]
    if has_role(viewer, AccessRole.PMO_HEAD):
        subtree = select(OrgUnit.id).where(OrgUnit.path.startswith(viewer.org_unit.path))
        conditions.append(Person.org_unit_id.in_(subtree))
    return or_(*conditions)


def people_query(viewer: Person, *, q: str | None = None, org_unit_id: int | None = None) -> Select:
    """People in ``viewer``'s scope, optionally in one unit's subtree and matching ``q``."""
    stmt = (
        select(Person)
        .where(scope_filter(viewer))
        .options(
            selectinload(Person.role_rows),
            selectinload(Person.current_role),
            selectinload(Person.target_role),
        )
    )
    if org_unit_id is not None:
        unit = db.session.get(OrgUnit, org_unit_id)
        if unit is None:
            return stmt.where(false())
        subtree = select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path))
        stmt = stmt.where(Person.org_unit_id.in_(subtree))
    if q:
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Person.name).like(pattern), Person.email.like(pattern)))
    return stmt.order_by(Person.name, Person.id)


def get_person_for(viewer: Person, person_id: int) -> Person | None:
    """The person if ``viewer`` may see them, else None: out of scope looks like not found."""
    return db.session.scalar(
        select(Person)
        .options(selectinload(Person.role_rows))
        .where(Person.id == person_id, scope_filter(viewer))
    )


def visible_units(viewer: Person) -> list[OrgUnit]:
    stmt = select(OrgUnit).order_by(OrgUnit.path)
    if not sees_everyone(viewer):
        stmt = stmt.where(OrgUnit.path.startswith(viewer.org_unit.path))
    return list(db.session.scalars(stmt))


# --- people ------------------------------------------------------------------------------


@dataclass
class PersonData:
    email: str
    name: str
    org_unit_id: int | None
    roles: list[str] = field(default_factory=lambda: [AccessRole.PRACTITIONER.value])
    manager_id: int | None = None
    job_title: str | None = None
    current_role: str | None = None
    target_role: str | None = None
    active: bool = True
    pmi_member: bool = False
    password: str | None = None


def _clean_email(email: str, errors: dict) -> str:
    try:
        return validate_email(email or "", check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        errors["email"] = [str(error)]
        return ""


def _job_role_id(code: str | None, field_name: str, errors: dict) -> int | None:
    if not code:
        return None
    role_id = db.session.scalar(select(JobRole.id).where(JobRole.code == code))
    if role_id is None:
        errors[field_name] = [f"Unknown PMO role '{code}'."]
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


def save_person(
    data: PersonData, person: Person | None = None, *, actor: Person | None = None
) -> Person:
    """Create (``person`` None) or update a person; refuses the whole change on any error.

    :raises ValidationFailed: 422 with per-field messages.
    :raises ApiError: 409 when the email belongs to someone else.
    """
    errors: dict[str, list[str]] = {}
    email = _clean_email(data.email, errors)
    name = (data.name or "").strip()
    if not name or len(name) > 120 or has_control_characters(name):
        errors["name"] = ["Give a name of 1 to 120 characters (no control characters)."]
    if data.org_unit_id is None or db.session.get(OrgUnit, data.org_unit_id) is None:
        errors["org_unit_id"] = ["Choose an existing org unit."]
    roles = set(data.roles or [])
    if not roles or not roles <= ROLE_VALUES:
        errors["roles"] = [f"Roles must be a non-empty subset of {sorted(ROLE_VALUES)}."]
    _check_manager(person, data.manager_id, errors)
    current_role_id = _job_role_id(data.current_role, "current_role", errors)
    target_role_id = _job_role_id(data.target_role, "target_role", errors)
    if data.password is not None and data.password != "" and len(data.password) < 8:
        errors["password"] = ["Use at least 8 characters."]
    if data.job_title and (len(data.job_title) > 120 or has_control_characters(data.job_title)):
        errors["job_title"] = ["At most 120 characters, no control characters."]
    if errors:
        raise ValidationFailed(errors)
    clash = db.session.scalar(select(Person.id).where(Person.email == email))
    if clash is not None and (person is None or clash != person.id):
        raise ApiError(409, "That email is already used.", {"email": ["Already used."]})
    before = person_snapshot(person) if person is not None else None
    if person is None:
        person = Person()
        db.session.add(person)
    person.email, person.name, person.org_unit_id = email, name, data.org_unit_id
    person.manager_id, person.job_title = data.manager_id, (data.job_title or None)
    person.current_role_id, person.target_role_id = current_role_id, target_role_id
    person.active, person.pmi_member = data.active, data.pmi_member
    person.set_roles(roles)
    if data.password:
        person.set_password(data.password)
    db.session.flush()
    after = person_snapshot(person, password_changed=bool(data.password))
    record(
        "update" if before else "create",
        "person",
        person.id,
        actor_id=actor.id if actor else None,
        person_id=person.id,
        before=before,
        after=after,
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
    name, code = (name or "").strip(), (code or "").strip().upper()
    if not name or len(name) > 120 or has_control_characters(name):
        errors["name"] = ["Give a name of 1 to 120 characters."]
    if not code or len(code) > 40 or not code.isprintable() or " " in code:
        errors["code"] = ["Give a short code of 1 to 40 characters, without spaces."]
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
