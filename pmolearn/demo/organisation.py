"""The demo company's shape: its divisions and PMO sub-units, planned for a number of staff
(``plan_organisation``), big units split into teams."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from pmolearn.demo.context import HR_CODE, PMO_CODE, ROOT_CODE, DemoUnit
from pmolearn.demo.titles import BUSINESS, TEAM_LEAD_TITLES, TITLES, CareerStage, TitleInfo

#: From this size on, the root unit and HR have a manager of their own besides admin@ and hr@;
#: below it, admin@ runs the company and hr@ heads Human Resources.
SEPARATE_HEADS_FROM = 6
MIN_AVERAGE_UNIT_SIZE = 6
MAX_UNIT_SIZE = 40
TEAM_SIZE = 30


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

SIGN_IN_UNITS = frozenset({ROOT_CODE, PMO_CODE, HR_CODE})


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
