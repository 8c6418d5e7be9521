"""Capability of a team: the people × requirements matrix, coverage per skill, supply against
demand per role, who is ready now, the certifications that close the most gaps, and the
timeline of holders and role-ready people as cycles end and exams come. A fixed number of
statements whatever the size of the unit; every rule is ``gap``'s.

A person's levels are computed once (``effective_levels``) and scored against each role;
the timeline recomputes only the people whose active certifications change in a month.
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import aliased

from pmolearn.catalog.models import Certification
from pmolearn.clock import add_months
from pmolearn.credentials import cycles
from pmolearn.credentials.queries import latest_cycles_of
from pmolearn.extensions import db
from pmolearn.people.models import OrgUnit, Person
from pmolearn.people.scope import scope_filter
from pmolearn.skills import gap as rules
from pmolearn.skills.models import JobRole
from pmolearn.skills.services import Framework, active_codes, assessments_of, framework
from pmolearn.study.fields import OPEN_STAGES
from pmolearn.study.models import Pursuit

MAX_MONTHS = 36


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    unit: str
    current_role: str | None
    target_role: str | None


def members(viewer: Person, unit: OrgUnit | None) -> list[Member]:
    """Active people in the viewer's scope (in ``unit``'s subtree when given): one statement."""
    current, target = aliased(JobRole), aliased(JobRole)
    query = (
        select(Person.id, Person.name, OrgUnit.name, current.code, target.code)
        .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
        .outerjoin(current, current.id == Person.current_role_id)
        .outerjoin(target, target.id == Person.target_role_id)
        .where(Person.active.is_(True), scope_filter(viewer))
        .order_by(Person.name, Person.id)
    )
    if unit is not None:
        query = query.where(OrgUnit.path.startswith(unit.path))
    return [Member(*row) for row in db.session.execute(query)]


# --- the matrix ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A requirement: a skill at a level, or a required certification group."""

    key: str
    label: str
    kind: str  # "skill" | "certification"


@dataclass(frozen=True)
class Row:
    member: Member
    role: rules.Role
    gap: rules.Gap

    def cell(self, column: Column):
        if column.kind == "skill":
            return next((s for s in self.gap.skills if s.skill == column.key), None)
        return next((g for g in self.gap.certifications if g.group.label == column.key), None)


@dataclass(frozen=True)
class RoleBalance:
    role: str
    name: str
    #: People in or aiming at the role.
    demand: int
    #: People who meet it now.
    supply: int


@dataclass(frozen=True)
class Lever:
    """A certification and how many requirements across the team earning it would meet."""

    code: str
    closes: int
    people: int


@dataclass
class Capability:
    on: date
    unit: OrgUnit | None
    role: rules.Role | None
    rows: list[Row]
    columns: list[Column]
    coverage: dict[str, dict[int, int]]
    balance: list[RoleBalance]
    ready: list[Row]
    levers: list[Lever]
    without_role: int
    frame: Framework = field(repr=False, default=None)

    @property
    def people(self) -> int:
        return len(self.rows) + self.without_role


def _role_for(member: Member, asked: rules.Role | None, roles: dict[str, rules.Role]):
    if asked is not None:
        return asked
    for code in (member.target_role, member.current_role):
        if code and code in roles:
            return roles[code]
    return None


def capability(viewer: Person, unit: OrgUnit | None, role_code: str | None, on: date) -> Capability:
    """The team against one role (``role_code``), or each person against their own target
    (else current) role."""
    frame = framework()
    asked = frame.roles.get(role_code) if role_code else None
    people = members(viewer, unit)
    ids = [m.id for m in people]
    assessed = assessments_of(ids)
    active = active_codes(ids, on)
    levels = {pid: rules.effective_levels(assessed[pid], active[pid], frame.implied) for pid in ids}
    rows, without = [], 0
    for m in people:
        role = _role_for(m, asked, frame.roles)
        if role is None:
            without += 1
            continue
        result = rules.gap(
            role,
            assessed[m.id],
            active[m.id],
            frame.implied,
            frame.levels_defined,
            names=frame.skill_names,
            with_next_step=False,
        )
        rows.append(Row(m, role, result))
    columns: list[Column] = []
    seen: set[str] = set()
    for row in rows:
        for need in row.role.skills:
            if need.skill not in seen:
                seen.add(need.skill)
                name = frame.skill_names.get(need.skill, need.skill)
                columns.append(Column(need.skill, f"{name} ({need.skill})", "skill"))
        for group in row.role.groups:
            if group.requirement == "required" and group.label not in seen:
                seen.add(group.label)
                columns.append(Column(group.label, group.label, "certification"))
    coverage = {}
    for c in (c for c in columns if c.kind == "skill"):
        people_at = Counter(levels[pid].get(c.key, _none).level for pid in ids)
        coverage[c.key] = {
            level: sum(n for at, n in people_at.items() if at >= level)
            for level in frame.levels_defined.get(c.key, [])
        }
    balance = _balance(people, levels, active, frame)
    ready = [r for r in rows if r.gap.ready and r.member.current_role != r.role.code]
    levers = _levers(rows, assessed, active, frame)
    return Capability(
        on, unit, asked, rows, columns, coverage, balance, ready, levers, without, frame
    )


_none = rules.Level("", 0, "none")


def _meets(role: rules.Role, levels: dict[str, rules.Level], active: frozenset[str]) -> bool:
    if any(levels.get(n.skill, _none).level < n.level for n in role.skills):
        return False
    return all(g.met_by(active) for g in role.groups if g.requirement == "required")


def _balance(people, levels, active, frame: Framework) -> list[RoleBalance]:
    demand: Counter = Counter()
    for m in people:
        for code in {m.current_role, m.target_role} - {None}:
            demand[code] += 1
    result = []
    for code, role in frame.roles.items():
        supply = sum(1 for m in people if _meets(role, levels[m.id], active[m.id]))
        if demand[code] or supply:
            result.append(RoleBalance(code, role.name, demand[code], supply))
    return sorted(result, key=lambda b: (b.supply - b.demand, b.name))


def _levers(rows: list[Row], assessed, active, frame: Framework) -> list[Lever]:
    """For each certification, how many unmet requirements of the rows earning it would meet."""
    closes: Counter = Counter()
    people: Counter = Counter()
    codes = sorted({c for r in rows for g in r.role.groups for c in g.codes} | set(frame.implied))
    for row in rows:
        if row.gap.ready:
            continue
        held = active[row.member.id]
        before = sum(s.gap == 0 for s in row.gap.skills) + sum(
            g.met for g in row.gap.certifications
        )
        needed = {n.skill for n in row.role.skills}
        for code in codes:
            if code in held:
                continue
            # A code in none of the role's groups that implies none of its skills changes
            # nothing the role counts: no need to work the levels out again.
            if not needed.intersection(frame.implied.get(code) or ()) and not any(
                code in g.codes for g in row.role.groups
            ):
                continue
            after = held | {code}
            levels = rules.effective_levels(assessed[row.member.id], after, frame.implied)
            met = sum(levels.get(n.skill, _none).level >= n.level for n in row.role.skills)
            met += sum(g.met_by(after) for g in row.role.groups)
            if met > before:
                closes[code] += met - before
                people[code] += 1
    return [Lever(code, n, people[code]) for code, n in closes.most_common()]


# --- the timeline ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCertification:
    code: str
    valid_holders: int
    expected_holders: int


@dataclass(frozen=True)
class MonthRole:
    role: str
    name: str
    people_meeting: int
    people_expected: int
    people_needed: int


@dataclass(frozen=True)
class Month:
    month: str  # "2027-01"
    on: date  # the last day of the month: what counts is what holds then
    certifications: tuple[MonthCertification, ...]
    roles: tuple[MonthRole, ...]


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def coverage(viewer: Person, unit: OrgUnit | None, months: int, on: date) -> list[Month]:
    """Month by month from this one: valid holders of each certification (a suspended or
    expired credential is not valid; no renewal is assumed), expected holders (adding open
    pursuits whose exam date has passed by then), and the people meeting each role."""
    frame = framework()
    people = members(viewer, unit)
    ids = [m.id for m in people]
    assessed = assessments_of(ids)
    credentials = latest_cycles_of(ids)
    pursuits = db.session.execute(
        select(Pursuit.person_id, Certification.code, Pursuit.target_exam_on)
        .join(Certification, Certification.id == Pursuit.certification_id)
        .where(Pursuit.person_id.in_(ids), Pursuit.stage.in_(OPEN_STAGES))
    ).all()
    demand: Counter = Counter()
    for m in people:
        for code in {m.current_role, m.target_role} - {None}:
            demand[code] += 1
    codes = sorted(
        {c.certification for c in credentials} | {p[1] for p in pursuits},
        key=lambda c: (c not in frame.implied, c),
    )
    cache: dict[tuple[int, frozenset], frozenset[str]] = {}

    def roles_met(pid: int, held: frozenset[str]) -> frozenset[str]:
        key = (pid, held)
        if key not in cache:
            levels = rules.effective_levels(assessed[pid], held, frame.implied)
            cache[key] = frozenset(c for c, r in frame.roles.items() if _meets(r, levels, held))
        return cache[key]

    # People with no credential and no open pursuit hold nothing in any month: whether they
    # meet a role cannot change, so they are judged once (most of a large organisation).
    holders = {c.person_id for c in credentials} | {p[0] for p in pursuits}
    nothing: frozenset[str] = frozenset()
    unchanging: Counter = Counter()
    for pid in ids:
        if pid not in holders:
            unchanging.update(roles_met(pid, nothing))
    timeline = []
    for k in range(months):
        day = month_end(add_months(on.replace(day=1), k))
        valid: dict[int, set[str]] = defaultdict(set)
        for c in credentials:
            if c.status_on(day) == cycles.ACTIVE:
                valid[c.person_id].add(c.certification)
        expected = {pid: set(codes_) for pid, codes_ in valid.items()}
        for pid, code, exam_on in pursuits:
            if exam_on <= day:
                expected.setdefault(pid, set()).add(code)
        # Both hold only people of ``ids``: their credentials and pursuits were read by id.
        valid_count = Counter(code for held in valid.values() for code in held)
        expected_count = Counter(code for held in expected.values() for code in held)
        certs = tuple(
            MonthCertification(code, valid_count[code], expected_count[code]) for code in codes
        )
        meeting, meeting_expected = Counter(unchanging), Counter(unchanging)
        for pid in holders:
            meeting.update(roles_met(pid, frozenset(valid.get(pid, ()))))
            meeting_expected.update(roles_met(pid, frozenset(expected.get(pid, ()))))
        roles = tuple(
            MonthRole(code, role.name, meeting[code], meeting_expected[code], demand[code])
            for code, role in frame.roles.items()
            if demand[code] or meeting_expected[code]
        )
        timeline.append(Month(f"{day:%Y-%m}", day, certs, roles))
    return timeline


def cell_text(row: Row, column: Column) -> str:
    """A matrix cell in words and symbols (for screen readers, print, CSV and XLSX)."""
    cell = row.cell(column)
    if cell is None:
        return "—"
    if column.kind == "skill":
        mark = "✓" if cell.gap == 0 else f"−{cell.gap}"
        return f"{cell.actual}/{cell.required} {mark}"
    return "✓ met" if cell.met else "✗ not met"


def matrix_table(cap: Capability) -> tuple[list[str], list[list]]:
    """The matrix as one header and one row per person: the export's columns."""
    header = ["Person", "Org unit", "Role", "Readiness", "Ready"]
    header += [c.label for c in cap.columns]
    rows = [
        [
            r.member.name,
            r.member.unit,
            r.role.name,
            round(r.gap.readiness, 3),
            "yes" if r.gap.ready else "no",
            *[cell_text(r, c) for c in cap.columns],
        ]
        for r in cap.rows
    ]
    return header, rows
