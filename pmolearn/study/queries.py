"""Read side of study across people: the team's pursuits stage by stage, who is behind, the
exams coming up and who is not eligible yet; and the holders and students of one certification.
A fixed number of statements whatever the size of the team."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import raiseload

from pmolearn.extensions import db
from pmolearn.people.models import Person
from pmolearn.people.scope import scope_filter
from pmolearn.study import fields, plan, services
from pmolearn.study.models import Pursuit

UPCOMING_DAYS = 90


@dataclass(frozen=True)
class Row:
    person_id: int
    name: str
    unit: str
    pursuit_id: int
    certification: str
    stage: str
    target_exam_on: date
    hours_logged: Decimal
    hours_planned_to_date: Decimal
    behind_by: Decimal
    weekly_hours: Decimal
    eligible: bool | None

    @property
    def behind_weeks(self) -> Decimal:
        """How many weeks of the plan's own pace the person is behind."""
        return (self.behind_by / self.weekly_hours).quantize(Decimal("0.1"))


@dataclass
class Board:
    on: date
    stages: dict[str, list[Row]] = field(default_factory=dict)
    behind: list[Row] = field(default_factory=list)
    upcoming: list[Row] = field(default_factory=list)
    not_eligible: list[Row] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.stages.values())


def open_pursuits_in_scope(viewer: Person, certification_id: int | None = None) -> list[Pursuit]:
    query = (
        services.pursuits_query()
        .options(raiseload(Pursuit.domains), raiseload(Pursuit.attempts))  # lists need neither
        .join(Person, Person.id == Pursuit.person_id)
        .where(scope_filter(viewer), Person.active.is_(True), Pursuit.stage.in_(fields.OPEN_STAGES))
        .order_by(Pursuit.target_exam_on, Pursuit.id)
    )
    if certification_id is not None:
        query = query.where(Pursuit.certification_id == certification_id)
    return list(db.session.scalars(query))


def team_board(viewer: Person, on: date, *, certification_id: int | None = None) -> Board:
    """Hours come from minutes summed in the database and go through the same ``plan.pace``
    as a pursuit's own page, so the two agree; eligibility through the same engine."""
    pursuits = open_pursuits_in_scope(viewer, certification_id)
    people = {
        p.id: p
        for p in db.session.scalars(
            select(Person).where(Person.id.in_({x.person_id for x in pursuits}))
        )
    }
    minutes = services.minutes_logged([p.id for p in pursuits], on)
    judged = services.eligibility_of(pursuits, on)
    board = Board(on=on, stages={stage: [] for stage in fields.OPEN_STAGES})
    for pursuit in pursuits:
        person, result = people[pursuit.person_id], judged[pursuit.id]
        standing = plan.pace(
            services.plan_of(pursuit, domains=False), minutes.get(pursuit.id, 0), on
        )
        row = Row(
            person.id,
            person.name,
            person.org_unit.name,
            pursuit.id,
            pursuit.certification.code,
            pursuit.stage,
            pursuit.target_exam_on,
            standing.hours_logged,
            standing.hours_planned_to_date,
            standing.behind_by_hours,
            pursuit.weekly_hours,
            result.met if result else None,
        )
        board.stages[pursuit.stage].append(row)
        if row.behind_by > 0 and pursuit.stage != "failed":  # a failed exam awaits a new date
            board.behind.append(row)
        if on <= row.target_exam_on <= on + timedelta(days=UPCOMING_DAYS):
            board.upcoming.append(row)
        if row.eligible is False and pursuit.stage in ("planning", "studying"):
            board.not_eligible.append(row)
    board.behind.sort(key=lambda r: (-r.behind_weeks, r.name))
    return board


def studying(viewer: Person, certification_id: int, on: date) -> list[Row]:
    """Who in the viewer's scope has an open pursuit of one certification."""
    board = team_board(viewer, on, certification_id=certification_id)
    return sorted((r for rows in board.stages.values() for r in rows), key=lambda r: r.name)
