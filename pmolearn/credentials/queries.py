"""Read side over many people's credentials, for home, the people pages, reminders and reports.

Each runs a fixed number of statements whatever the number of people; statuses come from
``cycles``, never from a date computed here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import and_, bindparam, exists, select
from sqlalchemy.orm import aliased

from pmolearn.catalog.models import Certification, RenewalPolicy
from pmolearn.credentials import cycles
from pmolearn.credentials.models import Credential, CredentialCycle
from pmolearn.extensions import db
from pmolearn.people.models import OrgUnit, Person
from pmolearn.people.scope import scope_clause, scope_filter, scope_kind, scope_params


@dataclass(frozen=True)
class Held:
    """One credential as a list shows it: its code and status on a date."""

    credential_id: int
    certification: str
    status: str
    cycle_end: date | None


@cache
def _newest_cycle():
    """The join condition that keeps a credential's newest cycle only: no cycle of the same
    credential with a higher number. A probe of the (credential_id, number) index per row,
    where grouping every cycle in the database first cost 4-8 ms for one person at 10,000.
    Built once: an alias and its clause cost more to construct than the statement to run."""
    newer = aliased(CredentialCycle)
    return and_(
        CredentialCycle.credential_id == Credential.id,
        ~exists().where(
            newer.credential_id == CredentialCycle.credential_id,
            newer.number > CredentialCycle.number,
        ),
    )


def _held_rows(*conditions):
    return (
        select(
            Credential.person_id,
            Credential.id,
            Certification.code,
            Credential.retired_on,
            CredentialCycle.number,
            CredentialCycle.start,
            CredentialCycle.end,
            CredentialCycle.renewed_on,
            RenewalPolicy.grace_months,
        )
        .join(Certification, Certification.id == Credential.certification_id)
        .join(CredentialCycle, _newest_cycle())
        .outerjoin(RenewalPolicy, RenewalPolicy.id == CredentialCycle.policy_id)
        .where(*conditions)
    )


def _status(row, as_of: date) -> str:
    _pid, _cid, _code, retired_on, number, start, end, renewed_on, grace = row
    dates = (cycles.CycleDates(number, start, end, renewed_on, grace or 0),)
    return cycles.credential_status(dates, as_of, retired_on=retired_on)


@cache
def _held_by():
    return _held_rows(Credential.person_id.in_(bindparam("ids", expanding=True))).order_by(
        Credential.earned_on, Credential.id
    )


def held_by(person_ids: list[int], as_of: date) -> dict[int, list[Held]]:
    """Each person's credentials with their status on ``as_of``: one statement."""
    if not person_ids:
        return {}
    rows = db.session.execute(_held_by(), {"ids": list(person_ids)})
    held: dict[int, list[Held]] = defaultdict(list)
    for row in rows:
        held[row[0]].append(Held(row[1], row[2], _status(row, as_of), row[6]))
    return held


@dataclass(frozen=True)
class LatestCycle:
    """A credential's newest cycle, for asking its status on any day (a timeline)."""

    person_id: int
    certification: str
    dates: cycles.CycleDates
    retired_on: date | None

    def status_on(self, day: date) -> str:
        return cycles.credential_status((self.dates,), day, retired_on=self.retired_on)


def latest_cycles_of(person_ids: list[int]) -> list[LatestCycle]:
    """Every credential of these people with its newest cycle: one statement."""
    if not person_ids:
        return []
    rows = db.session.execute(_held_rows(Credential.person_id.in_(person_ids)))
    found = []
    for pid, _cid, code, retired_on, number, start, end, renewed_on, grace in rows:
        dates = cycles.CycleDates(number, start, end, renewed_on, grace or 0)
        found.append(LatestCycle(pid, code, dates, retired_on))
    return found


@dataclass(frozen=True)
class Holder:
    person_id: int
    name: str
    unit: str
    status: str
    cycle_end: date | None


def holders_of(viewer: Person, certification_id: int, as_of: date) -> list[Holder]:
    """Who in the viewer's scope holds one certification, with its status: one statement.
    Credentials that lapsed stay in the list as expired (they may be re-earned)."""
    rows = db.session.execute(
        _held_rows(
            Credential.certification_id == certification_id,
            Person.active.is_(True),
            scope_filter(viewer),
        )
        .join(Person, Person.id == Credential.person_id)
        .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
        .add_columns(Person.name, OrgUnit.name)
        .order_by(Person.name, Credential.id)
    )
    return [Holder(row[0], row[9], row[10], _status(row[:9], as_of), row[6]) for row in rows]


@dataclass(frozen=True)
class Deadline:
    person_id: int
    person_name: str
    credential_id: int
    certification: str
    cycle_end: date
    status: str


#: The order of urgency in a renewals table: suspended (still recoverable), due, expired.
URGENCY = {cycles.SUSPENDED: 0, cycles.ACTIVE: 1, cycles.EXPIRED: 2}


@dataclass(frozen=True)
class Renewals:
    """Renewals due in a window, or overdue: the first rows by urgency, and counts of all."""

    rows: list[Deadline]
    counts: dict[str, int]
    window_days: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@cache
def _due_renewals(kind: str):
    """Built once per kind of scope, the viewer and the window's end as parameters."""
    newer = aliased(Credential)
    re_earned = exists().where(
        newer.person_id == Credential.person_id,
        newer.certification_id == Credential.certification_id,
        newer.earned_on > Credential.earned_on,
    )
    return (
        _held_rows(
            scope_clause(kind),
            Credential.retired_on.is_(None),
            Person.active.is_(True),
            CredentialCycle.end.is_not(None),
            CredentialCycle.end <= bindparam("until"),
            ~re_earned,
        )
        .join(Person, Person.id == Credential.person_id)
        .add_columns(Person.name)
    )


def due_renewals(viewer: Person, as_of: date, *, within_days: int, limit: int) -> Renewals:
    """Credentials in ``viewer``'s scope whose latest cycle ends within ``within_days``, or that
    are suspended or expired and not earned again since: one statement.

    Suspended come first (soonest last chance first), then due (soonest end first), then
    expired (most recent first).
    """
    rows = db.session.execute(
        _due_renewals(scope_kind(viewer)),
        {"until": as_of + timedelta(days=within_days), **scope_params(viewer)},
    ).all()
    deadlines = [
        Deadline(row[0], row[9], row[1], row[2], row[6], _status(row[:9], as_of)) for row in rows
    ]
    deadlines.sort(
        key=lambda d: (
            URGENCY[d.status],
            -d.cycle_end.toordinal() if d.status == cycles.EXPIRED else d.cycle_end.toordinal(),
            d.person_name,
        )
    )
    counts = {status: 0 for status in URGENCY}
    for deadline in deadlines:
        counts[deadline.status] += 1
    return Renewals(deadlines[:limit], counts, within_days)
