"""Read side over many people's credentials, for home, the people pages, reminders and reports.

Each runs a fixed number of statements whatever the number of people; statuses come from
``cycles``, never from a date computed here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import Date, bindparam, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from pmolearn.catalog import snapshot as catalog_snapshot
from pmolearn.credentials import cycles
from pmolearn.credentials.models import Credential
from pmolearn.extensions import read
from pmolearn.people.models import OrgUnit, Person
from pmolearn.people.scope import scope_clause, scope_filter, scope_kind, scope_params


@dataclass(frozen=True)
class Held:
    """One credential as a list shows it: its code and status on a date."""

    credential_id: int
    certification: str
    status: str
    cycle_end: date | None


def _held_rows(*conditions):
    """Credentials with what their status turns on: the stored latest dates, no cycle join."""
    return select(
        Credential.person_id,
        Credential.id,
        Credential.certification_id,
        Credential.retired_on,
        Credential.latest_end,
        Credential.latest_grace_end,
    ).where(*conditions)


def _status(row, as_of: date) -> str:
    """The status of a ``_held_rows`` row on ``as_of`` (``cycles`` decides)."""
    _pid, _cid, _certification_id, retired_on, end, grace_last = row[:6]
    return cycles.status_between(end, grace_last, as_of, retired_on=retired_on)


def _code(certification_id: int) -> str:
    return catalog_snapshot.certification(certification_id).code


@cache
def _held_by():
    return _held_rows(Credential.person_id.in_(bindparam("ids", expanding=True))).order_by(
        Credential.earned_on, Credential.id
    )


def held_by(person_ids: list[int], as_of: date) -> dict[int, list[Held]]:
    """Each person's credentials with their status on ``as_of``: one statement."""
    if not person_ids:
        return {}
    rows = read(_held_by(), {"ids": list(person_ids)})
    held: dict[int, list[Held]] = defaultdict(list)
    for row in rows:
        held[row[0]].append(Held(row[1], _code(row[2]), _status(row, as_of), row[4]))
    return held


@dataclass(frozen=True)
class LatestCycle:
    """A credential's latest dates, for asking its status on any day (a timeline)."""

    person_id: int
    certification: str
    end: date | None
    grace_end: date | None
    retired_on: date | None

    def status_on(self, day: date) -> str:
        return cycles.status_between(self.end, self.grace_end, day, retired_on=self.retired_on)


def latest_cycles_of(person_ids: list[int]) -> list[LatestCycle]:
    """Every credential of these people with its latest dates: one statement."""
    if not person_ids:
        return []
    rows = read(_held_rows(Credential.person_id.in_(person_ids)))
    return [
        LatestCycle(pid, _code(certification_id), end, grace_last, retired_on)
        for pid, _cid, certification_id, retired_on, end, grace_last in rows
    ]


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
    rows = read(
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
    return [Holder(row[0], row[6], row[7], _status(row, as_of), row[4]) for row in rows]


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


def status_sql(
    end=Credential.latest_end,
    grace_last=Credential.latest_grace_end,
    retired_on=None,
):
    """``cycles.status_between`` in SQL, on the stored latest dates, on the day bound as
    ``today``: retired from the retirement (when ``retired_on`` is given), active through the
    end, suspended through the grace period, then expired.
    tests/credentials/test_latest_dates.py checks that the two agree on every boundary."""
    today = bindparam("today", type_=Date)
    retired = () if retired_on is None else ((retired_on <= today, cycles.RETIRED),)
    return case(
        *retired,
        (or_(end.is_(None), end >= today), cycles.ACTIVE),
        (grace_last >= today, cycles.SUSPENDED),
        else_=cycles.EXPIRED,
    )


def _urgency(end=Credential.latest_end, grace_last=Credential.latest_grace_end):
    """``status_sql`` as ``URGENCY``'s rank: 0 suspended, 1 active, 2 expired (retired
    credentials are left out by the caller)."""
    return case(URGENCY, value=status_sql(end, grace_last))


@cache
def _due_renewals(kind: str):
    """Built once per kind of scope; the viewer, the day, the window's end and the number of
    rows are parameters. The counts of every status ride on each row (window sums), so one
    statement gives both the table and the totals."""
    newer = aliased(Credential)
    re_earned = exists().where(
        newer.person_id == Credential.person_id,
        newer.certification_id == Credential.certification_id,
        newer.earned_on > Credential.earned_on,
    )
    urgency = _urgency()
    expired = urgency == URGENCY[cycles.EXPIRED]
    totals = [
        func.sum(case((urgency == rank, 1), else_=0)).over().label(status)
        for status, rank in URGENCY.items()
    ]
    return (
        _held_rows(
            scope_clause(kind),
            Credential.retired_on.is_(None),
            Person.active.is_(True),
            Credential.latest_end.is_not(None),
            Credential.latest_end <= bindparam("until", type_=Date),
            ~re_earned,
        )
        .join(Person, Person.id == Credential.person_id)
        .add_columns(Person.name, *totals)
        .order_by(
            urgency,
            case((expired, None), else_=Credential.latest_end),
            case((expired, Credential.latest_end)).desc(),
            Person.name,
            Credential.id,
        )
        .limit(bindparam("rows"))
    )


def due_renewals(viewer: Person, as_of: date, *, within_days: int, limit: int) -> Renewals:
    """Credentials in ``viewer``'s scope whose latest cycle ends within ``within_days``, or that
    are suspended or expired and not earned again since: the ``limit`` most urgent, and how
    many of each status, in one statement.

    Suspended come first (soonest last chance first), then due (soonest end first), then
    expired (most recent first).
    """
    rows = read(
        _due_renewals(scope_kind(viewer)),
        {
            "today": as_of,
            "until": as_of + timedelta(days=within_days),
            "rows": limit,
            **scope_params(viewer),
        },
    ).all()
    deadlines = [
        Deadline(row[0], row[6], row[1], _code(row[2]), row[4], _status(row, as_of)) for row in rows
    ]
    counts = {status: int(rows[0][7 + n] or 0) if rows else 0 for n, status in enumerate(URGENCY)}
    return Renewals(deadlines, counts, within_days)
