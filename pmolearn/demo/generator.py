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
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import IntEnum
from typing import Any

from faker import Faker
from sqlalchemy import delete, func, insert, select, text
from werkzeug.security import generate_password_hash

from pmolearn import clock
from pmolearn.accounts.models import ApiToken, PasswordLink
from pmolearn.audit.models import AuditEvent
from pmolearn.credentials.models import Credential, CredentialCycle
from pmolearn.demo.credentials import build_credentials
from pmolearn.demo.reminders import build_reminders
from pmolearn.demo.skills import build_skills
from pmolearn.demo.study import build_study
from pmolearn.extensions import db
from pmolearn.pdus.models import EvidenceFile, PduActivity, pdu_applications
from pmolearn.people.models import OrgUnit, Person, PersonRole, new_calendar_token
from pmolearn.people.roles import AccessRole
from pmolearn.reminders.models import NotificationSettings, Reminder, ReminderRun
from pmolearn.skills.models import JobRole, SkillAssessment
from pmolearn.study.models import (
    ExamAttempt,
    ExperienceEntry,
    PlanDomain,
    Pursuit,
    StudyProfile,
    StudySession,
    TrainingEntry,
)

LOCALE = "en_GB"
EMAIL_DOMAIN = "demo.example.com"
MIN_STAFF = 4  # the four sign-ins
#: From this size on, the root unit and HR have a manager of their own besides admin@ and hr@;
#: below it, admin@ runs the company and hr@ heads Human Resources.
SEPARATE_HEADS_FROM = 6
MIN_AVERAGE_UNIT_SIZE = 6
MAX_UNIT_SIZE = 40
TEAM_SIZE = 30
INSERT_CHUNK = 2000
PMI_MEMBER_SHARE = 0.6
INACTIVE_SHARE = 0.02
TARGET_ROLE_SHARE = 0.75  # project people with a next step on their ladder
BUSINESS_TARGET_SHARE = 0.1  # other staff who aim at project coordination

ADMIN_EMAIL = "admin@example.com"
HR_EMAIL = "hr@example.com"
PMO_EMAIL = "pmo@example.com"
PRACTITIONER_EMAIL = "practitioner@example.com"

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


# --- job titles ---------------------------------------------------------------------------


class CareerStage(IntEnum):
    """Seniority, whatever the track (an Accountant is a PRACTITIONER on the business track)."""

    ENTRY = 1
    PRACTITIONER = 2
    SENIOR = 3
    LEAD = 4
    EXECUTIVE = 5


#: Tracks: project professions ("delivery", "pmo", "agile", "analysis", "change") and "business".
BUSINESS = "business"


@dataclass(frozen=True)
class TitleInfo:
    stage: CareerStage
    track: str
    current_role: str | None = None
    target_roles: tuple[str, ...] = ()


_S = CareerStage
TITLES: dict[str, TitleInfo] = {
    # project, programme, portfolio and PMO ladder
    "Project Coordinator": TitleInfo(
        _S.ENTRY, "delivery", "project_coordinator", ("project_manager",)
    ),
    "PMO Analyst": TitleInfo(_S.ENTRY, "pmo", "pmo_analyst", ("pmo_manager", "project_manager")),
    "Portfolio Analyst": TitleInfo(_S.ENTRY, "pmo", "pmo_analyst", ("portfolio_manager",)),
    "Project Manager": TitleInfo(
        _S.PRACTITIONER, "delivery", "project_manager", ("senior_project_manager",)
    ),
    "Senior Project Manager": TitleInfo(
        _S.SENIOR, "delivery", "senior_project_manager", ("program_manager",)
    ),
    "Program Manager": TitleInfo(
        _S.LEAD, "delivery", "program_manager", ("portfolio_manager", "pmo_director")
    ),
    "Portfolio Manager": TitleInfo(_S.LEAD, "pmo", "portfolio_manager", ("pmo_director",)),
    "PMO Manager": TitleInfo(_S.SENIOR, "pmo", "pmo_manager", ("pmo_director",)),
    "Head of PMO": TitleInfo(_S.EXECUTIVE, "pmo", "pmo_director"),
    # agile
    "Scrum Master": TitleInfo(
        _S.PRACTITIONER, "agile", None, ("release_train_engineer", "agile_pmo_lead")
    ),
    "Product Owner": TitleInfo(_S.PRACTITIONER, "agile"),
    "Agile Coach": TitleInfo(_S.SENIOR, "agile", "agile_pmo_lead", ("agile_transformation_lead",)),
    "Agile PMO Lead": TitleInfo(
        _S.SENIOR, "agile", "agile_pmo_lead", ("agile_transformation_lead",)
    ),
    "Release Train Engineer": TitleInfo(
        _S.LEAD, "agile", "release_train_engineer", ("agile_transformation_lead",)
    ),
    # analysis and change
    "Business Analyst": TitleInfo(
        _S.PRACTITIONER, "analysis", None, ("project_manager", "pmo_analyst")
    ),
    "Change Manager": TitleInfo(_S.PRACTITIONER, "change", None, ("project_manager",)),
    # business staff
    "Executive Assistant": TitleInfo(_S.ENTRY, BUSINESS),
    "Strategy Analyst": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Systems Administrator": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Software Engineer": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Senior Software Engineer": TitleInfo(_S.SENIOR, BUSINESS),
    "Data Analyst": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Data Engineer": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Security Analyst": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Engineering Manager": TitleInfo(_S.LEAD, BUSINESS),
    "Accountant": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Financial Analyst": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Procurement Specialist": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Treasury Analyst": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Operations Analyst": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Supply Chain Planner": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Customer Operations Specialist": TitleInfo(_S.ENTRY, BUSINESS),
    "Quality Engineer": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Facilities Coordinator": TitleInfo(_S.ENTRY, BUSINESS),
    "Account Executive": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Marketing Specialist": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Partner Manager": TitleInfo(_S.SENIOR, BUSINESS),
    "Customer Success Manager": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Recruiter": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Learning Specialist": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "HR Advisor": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "HR Business Partner": TitleInfo(_S.SENIOR, BUSINESS),
    "Reward Analyst": TitleInfo(_S.PRACTITIONER, BUSINESS),
    "Enterprise Architect": TitleInfo(_S.SENIOR, BUSINESS),
    "Team Lead": TitleInfo(_S.LEAD, BUSINESS),
}

#: Who works in a unit, by the unit's profile: (job title, relative weight).
PROFILES: dict[str, tuple[tuple[str, float], ...]] = {
    "exec": (("Executive Assistant", 2), ("Strategy Analyst", 1)),
    "pmo": (
        ("PMO Analyst", 4),
        ("Project Manager", 3),
        ("Senior Project Manager", 2),
        ("Project Coordinator", 2),
        ("PMO Manager", 1),
        ("Program Manager", 1),
    ),
    "pmo_delivery": (
        ("Project Coordinator", 3),
        ("Project Manager", 5),
        ("Senior Project Manager", 3),
        ("Program Manager", 1),
        ("PMO Analyst", 1),
    ),
    "pmo_portfolio": (
        ("Portfolio Analyst", 3),
        ("PMO Analyst", 3),
        ("Portfolio Manager", 2),
        ("Program Manager", 1),
        ("PMO Manager", 1),
    ),
    "pmo_agile": (
        ("Scrum Master", 5),
        ("Agile Coach", 2),
        ("Agile PMO Lead", 1),
        ("Release Train Engineer", 1),
        ("Business Analyst", 1),
    ),
    "tech": (
        ("Software Engineer", 6),
        ("Senior Software Engineer", 3),
        ("Data Analyst", 2),
        ("Data Engineer", 2),
        ("Security Analyst", 2),
        ("Product Owner", 2),
        ("Scrum Master", 3),
        ("Project Manager", 3),
        ("Business Analyst", 2),
        ("Project Coordinator", 1),
        ("Senior Project Manager", 1),
        ("Release Train Engineer", 0.5),
    ),
    "finance": (
        ("Accountant", 5),
        ("Financial Analyst", 4),
        ("Procurement Specialist", 2),
        ("Treasury Analyst", 1),
        ("Business Analyst", 1),
        ("Project Manager", 1.5),
        ("Project Coordinator", 1),
    ),
    "operations": (
        ("Operations Analyst", 4),
        ("Supply Chain Planner", 3),
        ("Customer Operations Specialist", 4),
        ("Quality Engineer", 2),
        ("Facilities Coordinator", 1),
        ("Project Manager", 2),
        ("Project Coordinator", 2),
        ("Senior Project Manager", 1),
        ("Business Analyst", 1),
    ),
    "sales": (
        ("Account Executive", 5),
        ("Marketing Specialist", 4),
        ("Partner Manager", 2),
        ("Customer Success Manager", 3),
        ("Project Manager", 1),
        ("Project Coordinator", 1),
    ),
    "hr": (
        ("HR Advisor", 4),
        ("Recruiter", 3),
        ("Learning Specialist", 2),
        ("Reward Analyst", 1),
        ("HR Business Partner", 2),
        ("Project Coordinator", 1),
        ("Project Manager", 0.5),
    ),
    "strategy": (
        ("Change Manager", 3),
        ("Business Analyst", 3),
        ("Project Manager", 4),
        ("Senior Project Manager", 3),
        ("Program Manager", 2),
        ("Enterprise Architect", 2),
        ("Strategy Analyst", 2),
        ("Project Coordinator", 1),
    ),
}

#: The manager of a team split off a big unit, by profile (default "Team Lead").
TEAM_LEAD_TITLES = {
    "pmo_delivery": "PMO Manager",
    "pmo_portfolio": "Portfolio Manager",
    "pmo_agile": "Release Train Engineer",
    "tech": "Engineering Manager",
    "strategy": "Program Manager",
}

EXPERIENCE_YEARS = {
    CareerStage.ENTRY: (0, 3),
    CareerStage.PRACTITIONER: (2, 8),
    CareerStage.SENIOR: (6, 15),
    CareerStage.LEAD: (8, 20),
    CareerStage.EXECUTIVE: (12, 30),
}


# --- organisation template ----------------------------------------------------------------


@dataclass(frozen=True)
class DivisionTemplate:
    code: str
    name: str
    profile: str
    teams: tuple[tuple[str, str], ...]  # (code suffix, name); 2-4 of them are used
    team_head: TitleInfo = TitleInfo(CareerStage.LEAD, BUSINESS)


#: Human Resources comes first: it always exists (hr@ works there).
DIVISIONS = (
    DivisionTemplate(
        "HR",
        "Human Resources",
        "hr",
        (
            ("TA", "Talent Acquisition"),
            ("LD", "Learning & Development"),
            ("POPS", "People Operations"),
            ("RWD", "Reward & Benefits"),
        ),
    ),
    DivisionTemplate(
        "TECH",
        "Technology",
        "tech",
        (
            ("PLAT", "Platform Engineering"),
            ("DATA", "Data & Analytics"),
            ("DIGI", "Digital Products"),
            ("SEC", "Cyber Security"),
        ),
    ),
    DivisionTemplate(
        "FIN",
        "Finance",
        "finance",
        (
            ("FPA", "Financial Planning & Analysis"),
            ("ACC", "Accounting"),
            ("PROC", "Procurement"),
            ("TRSY", "Treasury"),
        ),
    ),
    DivisionTemplate(
        "OPS",
        "Operations",
        "operations",
        (
            ("SCM", "Supply Chain"),
            ("CUST", "Customer Operations"),
            ("QC", "Quality & Compliance"),
            ("FAC", "Facilities"),
        ),
    ),
    DivisionTemplate(
        "SALES",
        "Sales & Marketing",
        "sales",
        (
            ("ENT", "Enterprise Sales"),
            ("MKT", "Marketing"),
            ("PART", "Partnerships"),
            ("CS", "Customer Success"),
        ),
    ),
    DivisionTemplate(
        "STRAT",
        "Strategy & Transformation",
        "strategy",
        (
            ("BTO", "Business Transformation"),
            ("CHG", "Change Management"),
            ("EA", "Enterprise Architecture"),
        ),
        team_head=TitleInfo(
            CareerStage.LEAD, "delivery", "program_manager", ("portfolio_manager",)
        ),
    ),
)

#: (code, name, profile, the head's title info)
PMO_SUBUNITS = (
    (
        "PMO-DEL",
        "Delivery PMO",
        "pmo_delivery",
        TitleInfo(CareerStage.LEAD, "pmo", "pmo_manager", ("pmo_director",)),
    ),
    (
        "PMO-PFO",
        "Portfolio Office",
        "pmo_portfolio",
        TitleInfo(CareerStage.LEAD, "pmo", "portfolio_manager", ("pmo_director",)),
    ),
    (
        "PMO-ACE",
        "Agile Centre of Excellence",
        "pmo_agile",
        TitleInfo(CareerStage.LEAD, "agile", "agile_transformation_lead"),
    ),
)

ROOT_CODE, PMO_CODE, HR_CODE = "HQ", "PMO", "HR"
SIGN_IN_UNITS = frozenset({ROOT_CODE, PMO_CODE, HR_CODE})


# --- data handed to builders --------------------------------------------------------------


@dataclass(eq=False)
class DemoUnit:
    """One org unit of the demo; ``id``/``path`` are final, ``manager_id`` set with people."""

    code: str
    name: str
    kind: str  # root, pmo, pmo_sub, division, team
    profile: str
    parent: DemoUnit | None = field(default=None, repr=False)
    head: TitleInfo = field(default=TitleInfo(CareerStage.LEAD, BUSINESS), repr=False)
    head_title: str = ""
    weight: float = 1.0
    minimum: int = 1
    size: int = 0
    children: list[DemoUnit] = field(default_factory=list, repr=False)
    id: int = 0
    path: str = "/"
    manager_id: int | None = None

    @property
    def in_pmo(self) -> bool:
        """The Enterprise PMO or one of its sub-units."""
        unit: DemoUnit | None = self
        while unit is not None:
            if unit.code == PMO_CODE:
                return True
            unit = unit.parent
        return False

    def walk(self) -> Iterator[DemoUnit]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(eq=False, slots=True)
class DemoPerson:
    id: int
    email: str
    name: str
    unit: DemoUnit
    manager_id: int | None
    job_title: str
    stage: CareerStage
    track: str
    current_role: str | None  # JobRole code (kept even when the catalog lacks it)
    target_role: str | None
    experience_years: int
    active: bool
    pmi_member: bool
    roles: tuple[str, ...]
    is_unit_manager: bool
    calendar_token: str
    sign_in: str | None = None  # "admin", "hr", "pmo", "practitioner"

    @property
    def is_project_professional(self) -> bool:
        return self.track != BUSINESS


@dataclass(eq=False)
class DemoContext:
    """Everything a builder needs; builders insert through ``insert`` and return their counts."""

    seed: int
    rng: random.Random
    faker: Faker
    today: date
    password_hash: str
    units: list[DemoUnit]
    people: list[DemoPerson]
    job_role_ids: dict[str, int]
    sign_ins: dict[str, DemoPerson]
    created_at: datetime
    #: Tables that received explicit ids (their PostgreSQL sequences are advanced at the end).
    explicit_id_tables: set[str] = field(default_factory=set)

    def stream(self, name: str) -> random.Random:
        """A random stream of its own per builder, so adding one builder changes no other."""
        return random.Random(f"{self.seed}:{name}")

    def unit(self, code: str) -> DemoUnit:
        return next(u for u in self.units if u.code == code)

    def next_id(self, model: type) -> int:
        """The first free id of ``model``'s table, for builders that assign their own ids."""
        return _next_id(model)

    def insert(self, model: type, rows: Sequence[dict[str, Any]]) -> int:
        """Bulk-insert ``rows`` (dicts with the same keys) in chunks; returns how many."""
        return insert_rows(model, rows, self.explicit_id_tables)


Builder = Callable[[DemoContext], dict[str, int]]

#: Called in order after people are inserted; their counts go into the summary. A feature adds
#: its builder here. To avoid an import cycle, its module imports ``DemoContext`` only under
#: ``TYPE_CHECKING``, or is imported at the bottom of this module (with a noqa for E402).
EXTRA_BUILDERS: list[Builder] = [build_credentials, build_study, build_skills, build_reminders]


@dataclass(frozen=True)
class DemoSignIn:
    key: str
    email: str
    name: str
    roles: tuple[str, ...]
    description: str

    def __iter__(self) -> Iterator[str]:
        """Unpacks as ``email, roles`` (roles joined with "+"), as the CLI prints them."""
        return iter((self.email, "+".join(self.roles)))


@dataclass
class DemoSummary:
    seed: int
    password: str
    counts: dict[str, int]
    sign_ins: list[DemoSignIn]

    @property
    def staff(self) -> int:
        return self.counts["people"]

    def lines(self) -> list[str]:
        """What ``pmolearn demo`` prints."""
        out = [f"Demo organisation (seed {self.seed}):"]
        out += [f"  {name}: {count}" for name, count in self.counts.items()]
        out.append(f"Sign-ins (password: {self.password}):")
        out += [
            f"  {s.email:<26} {'+'.join(s.roles):<24} {s.name} - {s.description}"
            for s in self.sign_ins
        ]
        return out


# --- clearing -----------------------------------------------------------------------------

#: Deleted in this order by ``clear_organisation`` (rows that reference others first). A feature
#: whose table references people or org units adds its model at the front.
CLEAR_ORDER: list = [
    AuditEvent,
    SkillAssessment,
    ReminderRun,
    Reminder,
    NotificationSettings,
    StudySession,
    ExamAttempt,
    PlanDomain,
    Pursuit,
    ExperienceEntry,
    TrainingEntry,
    StudyProfile,
    EvidenceFile,
    pdu_applications,
    PduActivity,
    CredentialCycle,
    Credential,
    ApiToken,
    PasswordLink,
    PersonRole,
    Person,
    OrgUnit,
]


def clear_organisation() -> dict[str, int]:
    """Delete every person, org unit and the rows that hang off them; the catalog stays."""
    deleted = {}
    for model in CLEAR_ORDER:
        result = db.session.execute(delete(model).execution_options(synchronize_session=False))
        name = getattr(model, "__tablename__", None) or model.name
        deleted[name] = max(result.rowcount or 0, 0)
    db.session.expire_all()
    return deleted


# --- bulk helpers -------------------------------------------------------------------------


def insert_rows(model: type, rows: Sequence[dict[str, Any]], explicit_id_tables: set[str]) -> int:
    for start in range(0, len(rows), INSERT_CHUNK):
        db.session.execute(insert(model), rows[start : start + INSERT_CHUNK])
    if rows and "id" in rows[0]:
        explicit_id_tables.add(model.__tablename__)
    return len(rows)


def advance_sequences(tables: set[str]) -> None:
    """PostgreSQL: after inserting explicit ids, move each ``id`` sequence past the maximum."""
    bind = db.session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    quote = bind.dialect.identifier_preparer.quote
    for table in sorted(tables):
        db.session.execute(
            text(  # the table name is ours (a model's __tablename__), quoted anyway
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM {quote(table)}), 0) + 1, false)"
            ),
            {"table": table},
        )


# --- planning the organisation ------------------------------------------------------------


def plan_organisation(
    rng: random.Random, staff: int, company: str, first_id: int = 1
) -> list[DemoUnit]:
    """The units in tree (pre-)order with ids, paths and a head count each summing to ``staff``."""
    # with separate heads, admin@ and hr@ are the second people of their units
    own_head = 2 if staff >= SEPARATE_HEADS_FROM else 1
    root = DemoUnit(
        ROOT_CODE,
        company,
        "root",
        "exec",
        minimum=own_head,
        head=TitleInfo(CareerStage.EXECUTIVE, BUSINESS),
        head_title="Chief Executive Officer",
    )
    pmo = DemoUnit(
        PMO_CODE,
        "Enterprise PMO",
        "pmo",
        "pmo",
        root,
        minimum=2,
        head=TITLES["Head of PMO"],
        head_title="Head of PMO",
    )
    divisions, teams_by_division = [], []
    for template in DIVISIONS:
        division = DemoUnit(
            template.code,
            template.name,
            "division",
            template.profile,
            root,
            head=TitleInfo(CareerStage.EXECUTIVE, BUSINESS),
            head_title=f"Head of {template.name}",
            minimum=own_head if template.code == HR_CODE else 1,
            weight=2.0,
        )
        divisions.append(division)
        count = rng.randint(2, min(4, len(template.teams)))
        chosen = sorted(rng.sample(range(len(template.teams)), count))
        teams_by_division.append(
            [
                DemoUnit(
                    f"{template.code}-{template.teams[i][0]}",
                    template.teams[i][1],
                    "team",
                    template.profile,
                    division,
                    head=template.team_head,
                    head_title=f"Head of {template.teams[i][1]}",
                    weight=rng.uniform(0.6, 1.5),
                )
                for i in chosen
            ]
        )
    subunits = [
        DemoUnit(
            code,
            name,
            "pmo_sub",
            profile,
            pmo,
            head=head,
            head_title=f"Head of {name}",
            weight=rng.uniform(1.0, 1.6),
        )
        for code, name, profile, head in PMO_SUBUNITS
    ]
    teams = [  # round robin, so every division gets its first teams before any gets a third
        team_list[i]
        for i in range(max(map(len, teams_by_division)))
        for team_list in teams_by_division
        if i < len(team_list)
    ]
    # Priority order; a parent always comes before its children. Small staff: fewer units.
    candidates = [root, pmo, *divisions, *subunits, *teams]
    chosen_units = candidates[: max(3, staff // MIN_AVERAGE_UNIT_SIZE)]
    for unit in chosen_units[1:]:
        assert unit.parent is not None
        unit.parent.children.append(unit)
    for unit in chosen_units:  # tree order: the template's order within each parent
        unit.children.sort(key=candidates.index)
    _allocate(chosen_units, staff)
    for unit in list(chosen_units):
        if unit.code not in SIGN_IN_UNITS and not unit.children and unit.size > MAX_UNIT_SIZE:
            _split_into_teams(unit)
    units = list(root.walk())
    for number, unit in enumerate(units, start=first_id):
        unit.id = number
        unit.path = f"{unit.parent.path if unit.parent else '/'}{number}/"
    assert sum(u.size for u in units) == staff
    return units


def _allocate(units: list[DemoUnit], staff: int) -> None:
    """Head counts: units with sub-units keep a small office, leaves share the rest by weight."""
    overheads = {
        "root": min(staff // 100, 8),
        "division": min(staff // 100, 8),
        "pmo": min(staff // 40, 12),
    }
    leaves = [u for u in units if not u.children]
    for unit in units:
        unit.size = unit.minimum + (overheads.get(unit.kind, 0) if unit.children else 0)
    remaining = staff - sum(u.size for u in units)
    if remaining < 0:  # tiny staff: minimums only
        for unit in units:
            unit.size = unit.minimum
        remaining = staff - sum(u.size for u in units)
    total = sum(u.weight for u in leaves)
    quotas = [remaining * u.weight / total for u in leaves]
    shares = [math.floor(q) for q in quotas]
    by_fraction = sorted(range(len(leaves)), key=lambda i: (shares[i] - quotas[i], i))
    for i in by_fraction[: remaining - sum(shares)]:
        shares[i] += 1
    for unit, share in zip(leaves, shares, strict=True):
        unit.size += share


def _split_into_teams(unit: DemoUnit) -> None:
    """A big leaf keeps only its head, who manages team leads of ``TEAM_SIZE``-ish teams."""
    members = unit.size - 1
    count = math.ceil(members / TEAM_SIZE)
    lead_title = TEAM_LEAD_TITLES.get(unit.profile, "Team Lead")
    for number in range(1, count + 1):
        size = members // count + (1 if number <= members % count else 0)
        unit.children.append(
            DemoUnit(
                f"{unit.code}-{number:02d}",
                f"{unit.name} Team {number}",
                "team",
                unit.profile,
                unit,
                head=TITLES[lead_title],
                head_title=lead_title,
                size=size,
            )
        )
    unit.size = 1


# --- people -------------------------------------------------------------------------------


class _EmailMaker:
    """``first.last@demo.example.com``, then ``first.last2@…``: unique by construction (the
    local part before the number holds letters, dots and hyphens only)."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, first: str, last: str) -> str:
        base = f"{_slug(first)}.{_slug(last)}".strip(".") or "person"
        n = self.seen[base] = self.seen.get(base, 0) + 1
        return f"{base}{n if n > 1 else ''}@{EMAIL_DOMAIN}"


def _slug(text_: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text_).encode("ascii", "ignore").decode()
    return re.sub(r"-+", "-", re.sub(r"[^a-z-]", "", ascii_text.lower())).strip("-")


def _calendar_token(used: set[str]) -> str:
    """A secret feed token from ``secrets`` (never from the seeded generator: anyone who knows
    the seed could then predict every demo person's private calendar address)."""
    while True:
        token = new_calendar_token()
        if token not in used:
            used.add(token)
            return token


def generate_people(
    rng: random.Random, faker: Faker, units: list[DemoUnit], first_id: int = 1
) -> list[DemoPerson]:
    """Everyone, unit by unit in tree order: the unit's manager first, then its members."""
    emails = _EmailMaker()
    tokens: set[str] = set()
    people: list[DemoPerson] = []
    next_id = first_id
    for unit in units:
        for position in range(unit.size):
            first, last = faker.first_name(), faker.last_name()
            sign_in = _sign_in_at(unit, position)
            if position == 0:
                title, info = unit.head_title, unit.head
            else:
                title = SIGN_IN_TITLES.get(sign_in or "") or _draw_title(rng, unit.profile)
                info = TITLES[title]
            target = _target_role(rng, info)
            low, high = EXPERIENCE_YEARS[info.stage]
            experience = rng.randint(low, high)
            inactive = rng.random() < INACTIVE_SHARE
            member = rng.random() < PMI_MEMBER_SHARE
            token = _calendar_token(tokens)
            if sign_in == "practitioner":
                target, member = "senior_project_manager", True
            if sign_in == "pmo":
                target = None
            roles = {AccessRole.PRACTITIONER.value}
            if position == 0 and unit.in_pmo:
                roles.add(AccessRole.PMO_HEAD.value)
            if sign_in == "admin":
                roles.add(AccessRole.ADMIN.value)
            if sign_in == "hr":
                roles.add(AccessRole.HR.value)
            if position == 0:
                unit.manager_id = next_id
                manager_id = unit.parent.manager_id if unit.parent else None
            else:
                manager_id = unit.manager_id
            people.append(
                DemoPerson(
                    id=next_id,
                    email=SIGN_IN_EMAILS[sign_in] if sign_in else emails(first, last),
                    name=f"{first} {last}",
                    unit=unit,
                    manager_id=manager_id,
                    job_title=title,
                    stage=info.stage,
                    track=info.track,
                    current_role=info.current_role,
                    target_role=target,
                    experience_years=experience,
                    active=not inactive or position == 0 or sign_in is not None,
                    pmi_member=member,
                    roles=tuple(sorted(roles)),
                    is_unit_manager=position == 0,
                    calendar_token=token,
                    sign_in=sign_in,
                )
            )
            next_id += 1
    return people


SIGN_IN_EMAILS = {
    "admin": ADMIN_EMAIL,
    "hr": HR_EMAIL,
    "pmo": PMO_EMAIL,
    "practitioner": PRACTITIONER_EMAIL,
}


#: The job titles of the sign-ins who are not unit managers.
SIGN_IN_TITLES = {
    "admin": "Systems Administrator",
    "hr": "HR Business Partner",
    "practitioner": "Project Manager",
}


def _draw_title(rng: random.Random, profile: str) -> str:
    pool = PROFILES[profile]
    return rng.choices([title for title, _ in pool], weights=[w for _, w in pool])[0]


def _sign_in_at(unit: DemoUnit, position: int) -> str | None:
    """pmo@ heads the Enterprise PMO and practitioner@ is its second person (reporting to pmo@);
    admin@ and hr@ are the second people of the root unit and Human Resources, or their
    managers in a company too small for both (``SEPARATE_HEADS_FROM``)."""
    if unit.code == PMO_CODE:
        return {0: "pmo", 1: "practitioner"}.get(position)
    if unit.code in (ROOT_CODE, HR_CODE) and position == unit.minimum - 1:
        return "admin" if unit.code == ROOT_CODE else "hr"
    return None


def _target_role(rng: random.Random, info: TitleInfo) -> str | None:
    draw = rng.random()
    if info.target_roles:
        return rng.choice(info.target_roles) if draw < TARGET_ROLE_SHARE else None
    if info.track == BUSINESS and info.stage <= CareerStage.PRACTITIONER:
        return "project_coordinator" if draw < BUSINESS_TARGET_SHARE else None
    return None


# --- the entry point ----------------------------------------------------------------------


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


def _next_id(model: type) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


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
