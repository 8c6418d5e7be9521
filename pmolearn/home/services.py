"""What the home page shows a PMO head, HR or an admin about the people they oversee."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from pmolearn.authz import sees_everyone
from pmolearn.extensions import db
from pmolearn.pdus.services import Deadline, upcoming_deadlines
from pmolearn.people.models import OrgUnit, Person
from pmolearn.people.services import scope_filter

DEADLINE_WINDOW_DAYS = 90


@dataclass(frozen=True)
class TeamSummary:
    label: str
    size: int
    unit_count: int
    deadlines: list[Deadline]
    window_days: int = DEADLINE_WINDOW_DAYS


def team_summary(viewer: Person, as_of: date) -> TeamSummary:
    """Head count, units and the renewals due soon or overdue: three queries."""
    size = db.session.scalar(select(func.count()).select_from(Person).where(scope_filter(viewer)))
    units = select(func.count()).select_from(OrgUnit)
    if not sees_everyone(viewer):
        units = units.where(OrgUnit.path.startswith(viewer.org_unit.path))
    return TeamSummary(
        label="Organisation" if sees_everyone(viewer) else "My team",
        size=size,
        unit_count=db.session.scalar(units),
        deadlines=upcoming_deadlines(viewer, as_of, within_days=DEADLINE_WINDOW_DAYS),
    )
