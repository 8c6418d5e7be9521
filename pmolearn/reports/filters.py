"""The filters every report takes, checked once: org-unit subtree (in the viewer's scope),
certification, status, expiring within N days, sort, and the page. An unknown value is refused
with the field named (422), never ignored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from pmolearn.catalog.models import Certification
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db
from pmolearn.fields import parse_id
from pmolearn.people.models import OrgUnit, Person
from pmolearn.people.scope import unit_in_scope, unknown_unit

MAX_DAYS = 3650
KNOWN = {
    "org_unit",
    "certification",
    "status",
    "expiring_within",
    "sort",
    "format",
    "page",
    "per_page",
}


@dataclass(frozen=True)
class Filters:
    viewer: Person
    on: date
    unit: OrgUnit | None = None
    certification: Certification | None = None
    status: str | None = None
    expiring_within: int | None = None
    sort: str | None = None

    @property
    def descending(self) -> bool:
        return bool(self.sort) and self.sort.startswith("-")

    @property
    def sort_key(self) -> str | None:
        return self.sort.lstrip("-") if self.sort else None


def parse(
    args,
    viewer: Person,
    on: date,
    *,
    statuses: tuple[str, ...],
    sorts: tuple[str, ...],
    extra: frozenset[str] = frozenset(),
) -> Filters:
    """``args`` is a mapping of query strings (a MultiDict or a dict)."""
    errors: dict[str, list[str]] = {}
    for name in sorted(set(args) - KNOWN - extra):
        errors[name] = ["Unknown parameter."]

    def one(name: str) -> str | None:
        value = args.get(name)
        if value is None:
            return None
        value = str(value)
        if not value.strip():
            errors[name] = ["Give a value, or leave the parameter out."]
            return None
        return value.strip()

    unit = None
    if (raw := one("org_unit")) is not None:
        unit_id = parse_id(raw)
        unit = unit_in_scope(viewer, unit_id) if unit_id else None
        if unit is None:
            errors["org_unit"] = [unknown_unit(raw)]
    certification = None
    if (raw := one("certification")) is not None:
        certification = db.session.scalar(
            select(Certification).where(Certification.code == raw[:20])
        )
        if certification is None:
            errors["certification"] = [f"Unknown certification {raw[:20]!r}."]
    status = one("status")
    if status is not None and status not in statuses:
        allowed = ", ".join(statuses) if statuses else "none (this report has no status)"
        errors["status"] = [f"Must be one of {allowed}."]
    days = None
    if (raw := one("expiring_within")) is not None:
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_DAYS:
            errors["expiring_within"] = [f"A whole number of days from 1 to {MAX_DAYS}."]
        else:
            days = int(raw)
    sort = one("sort")
    if sort is not None and sort.lstrip("-") not in sorts:
        errors["sort"] = ["Must be one of " + ", ".join(f"{s}, -{s}" for s in sorts) + "."]
    if errors:
        raise ValidationFailed(errors)
    return Filters(viewer, on, unit, certification, status, days, sort)
