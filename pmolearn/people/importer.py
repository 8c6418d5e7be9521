"""Import people from an HR system's CSV export, matched by email.

Every row is checked by the same rules as the admin form and ``POST /people``
(``services.clean_person``) before anything is written, and each line gets an outcome: what
would be created, changed (and which fields), left alone, or refused and why. A file with any
refused row writes nothing unless ``skip_invalid``; a dry run writes nothing at all, and says
exactly what the real run would do (it runs the same code and rolls back). Managers may be
anyone already in pmolearn or any row of the same file. The caller commits.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import select

from pmolearn.errors import ApiError, ValidationFailed
from pmolearn.extensions import db
from pmolearn.people import fields, services
from pmolearn.people.models import OrgUnit, Person
from pmolearn.people.roles import ROLE_VALUES, AccessRole

REQUIRED = ("email", "name", "org_unit")
OPTIONAL = (
    "manager_email",
    "job_title",
    "roles",
    "current_role",
    "target_role",
    "pmi_member",
    "active",
)
COLUMNS = REQUIRED + OPTIONAL
MAX_ROWS = 20_000
MAX_BYTES = 16 * 1024 * 1024
TRUE, FALSE = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}


@dataclass
class Outcome:
    line: int
    email: str
    #: "create", "update", "unchanged" or "refused".
    action: str
    changes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Result:
    outcomes: list[Outcome]
    file_errors: list[str] = field(default_factory=list)
    written: bool = False

    def count(self, action: str) -> int:
        return sum(o.action == action for o in self.outcomes)

    @property
    def refused(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == "refused"]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.refused


class ImportRefused(Exception):
    def __init__(self, result: Result):
        super().__init__("the file has errors")
        self.result = result


def _rows(data: bytes) -> tuple[list[tuple[int, dict]], list[str]]:
    if len(data) > MAX_BYTES:
        return [], [f"The file is larger than {MAX_BYTES // 2**20} MB."]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], ["The file is not UTF-8 text (save it as CSV UTF-8)."]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    problems = []
    if missing:
        problems.append("Missing column(s): " + ", ".join(missing) + ".")
    if unknown:
        known = ", ".join(COLUMNS)
        problems.append("Unknown column(s): " + ", ".join(unknown) + f"; known: {known}.")
    if problems:
        return [], problems
    reader.fieldnames = header
    rows = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            return [], [f"More than {MAX_ROWS} rows: split the file."]
        if None in row:
            rows.append((reader.line_num, {"__extra__": "more cells than columns"}))
            continue
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    if not rows:
        problems.append("The file has no row under its header.")
    return rows, problems


def _role_code(person: Person | None, name: str) -> str | None:
    role = getattr(person, name) if person is not None else None
    return role.code if role is not None else None


def _flag(value: str, name: str, errors: list[str]) -> bool | None:
    lowered = value.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    errors.append(f"{name}: give yes or no, not {value[:20]!r}.")
    return None


def import_people(
    data: bytes, *, actor: Person | None, dry_run: bool, skip_invalid: bool = False
) -> Result:
    """Check, then (unless ``dry_run``) write; returns every line's outcome.

    :raises ImportRefused: the file, or a row, has errors and ``skip_invalid`` is not set
        (nothing was written).
    """
    rows, file_errors = _rows(data)
    result = Result([], file_errors)
    if file_errors:
        raise ImportRefused(result)
    units = db.session.scalars(select(OrgUnit)).all()
    by_code = {u.code.upper(): u for u in units}
    by_name: dict[str, list[OrgUnit]] = {}
    for u in units:
        by_name.setdefault(u.name.lower(), []).append(u)
    emails = [fields.normalise_email(r.get("email")) for _line, r in rows]
    existing = {
        p.email: p
        for p in db.session.scalars(
            select(Person).where(Person.email.in_([e for e in emails if e]))
        )
    }
    in_file: dict[str, int] = {}
    checked: list[tuple[Outcome, services.PersonData | None, str]] = []
    for (line, row), email in zip(rows, emails, strict=True):
        outcome = Outcome(line, email, "refused")
        errors = outcome.errors
        if "__extra__" in row:
            errors.append("The row has more cells than the header has columns.")
            checked.append((outcome, None, ""))
            continue
        if email in in_file:
            errors.append(f"email: already on line {in_file[email]} of this file.")
        elif email:
            in_file[email] = line
        unit = by_code.get(row["org_unit"].upper())
        if unit is None:
            named = by_name.get(row["org_unit"].lower(), [])
            if len(named) == 1:
                unit = named[0]
            elif named:
                name = row["org_unit"]
                errors.append(f"org_unit: several units are called {name!r}; give the code.")
            elif row["org_unit"]:
                name = row["org_unit"][:60]
                errors.append(f"org_unit: no unit has the code or name {name!r}.")
            else:
                errors.append("org_unit: required.")
        person = existing.get(email)
        roles_text = row.get("roles", "")
        roles = [r.strip().lower() for r in roles_text.replace(",", ";").split(";") if r.strip()]
        if not roles:
            roles = sorted(person.role_codes) if person else [AccessRole.PRACTITIONER.value]
        unknown_roles = [r for r in roles if r not in ROLE_VALUES]
        if unknown_roles:
            known = ", ".join(sorted(ROLE_VALUES))
            errors.append(f"roles: unknown {', '.join(unknown_roles)}; known: {known}.")
        member = _flag(row.get("pmi_member", ""), "pmi_member", errors)
        active = True if not row.get("active") else _flag(row["active"], "active", errors)
        data = services.PersonData(
            email=row.get("email", ""),
            name=row.get("name", ""),
            org_unit_id=unit.id if unit else None,
            roles=roles,
            manager_id=person.manager_id if person else None,
            job_title=row.get("job_title") or (person.job_title if person else None),
            current_role=row.get("current_role") or _role_code(person, "current_role"),
            target_role=row.get("target_role") or _role_code(person, "target_role"),
            active=bool(active) if active is not None else True,
            pmi_member=bool(member) if member is not None else False,
        )
        field_errors: dict[str, list[str]] = {}
        services.clean_person(data, person, field_errors)
        field_errors.pop("manager_id", None)  # managers are settled once every row exists
        for name, messages in field_errors.items():
            if not (name == "org_unit_id" and unit is None):
                errors.extend(f"{name}: {m}" for m in messages)
        checked.append((outcome, data, fields.normalise_email(row.get("manager_email", ""))))
    known_emails = set(existing) | set(in_file)
    missing_managers = {m for _o, _d, m in checked if m and m not in known_emails}
    if missing_managers:
        found = set(
            db.session.scalars(select(Person.email).where(Person.email.in_(missing_managers)))
        )
        known_emails |= found
    for outcome, _data, manager in checked:
        if manager and manager not in known_emails:
            outcome.errors.append(f"manager_email: nobody has the email {manager!r}.")
        if manager and manager == outcome.email:
            outcome.errors.append("manager_email: a person cannot manage themselves.")
    result.outcomes = [o for o, _d, _m in checked]
    if any(o.errors for o in result.outcomes) and not skip_invalid:
        raise ImportRefused(result)
    _write(checked, existing, actor, result)
    if dry_run:
        db.session.rollback()
    else:
        result.written = True
    return result


def _write(checked, existing: dict[str, Person], actor, result: Result) -> None:
    """Create and update in order, then set the managers; each outcome says what happened."""
    saved: dict[str, Person] = {}
    for outcome, data, _manager in checked:
        if outcome.errors:
            continue
        person = existing.get(outcome.email)
        before = services.person_snapshot(person) if person is not None else None
        try:
            person = services.save_person(data, person, actor=actor)
        except (ValidationFailed, ApiError) as error:
            outcome.errors.append(str(error))
            continue
        saved[outcome.email] = person
        after = services.person_snapshot(person)
        if before is None:
            outcome.action = "create"
        else:
            outcome.changes = sorted(k for k in after if before.get(k) != after.get(k))
            outcome.action = "update" if outcome.changes else "unchanged"
    managers = {
        p.email: p
        for p in db.session.scalars(
            select(Person).where(Person.email.in_({m for _o, _d, m in checked if m}))
        )
    }
    for outcome, _data, manager in checked:
        person = saved.get(outcome.email)
        if person is None or not manager:
            continue
        boss = managers.get(manager)
        if boss is not None and person.manager_id != boss.id:
            problems: dict[str, list[str]] = {}
            services._check_manager(person, boss.id, problems)
            if problems:
                outcome.errors.extend(f"manager_email: {m}" for m in problems["manager_id"])
                continue
            person.manager_id = boss.id
            if outcome.action == "unchanged":
                outcome.action = "update"
            outcome.changes = sorted({*outcome.changes, "manager_id"})
    for outcome in result.outcomes:
        if outcome.errors:
            outcome.action = "refused"
    db.session.flush()
