"""The demo's job titles: each with its career stage and PMO job role, the mix of titles each
kind of unit draws from, and the years of experience a stage brings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


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
