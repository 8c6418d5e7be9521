"""The demo's data tables: who holds what, what activities are called, how big they are, and
practitioner@'s own PMP history. Read by the builder (``pmolearn.demo.credentials``)."""

from __future__ import annotations

from itertools import accumulate
from typing import TYPE_CHECKING

from pmolearn.credentials import compliance as engine

if TYPE_CHECKING:  # for annotations only
    pass


STREAM = "credentials"
INSERT_CHUNK = 2000
Q = 4  # amounts are handled in quarter PDUs
AREAS = engine.AREAS
WOW, PS, BA = AREAS
EDUCATION, GIVING_BACK = "education", "giving_back"
WAP = "working_as_professional"
PMI = "PMI"
PRACTITIONER_NUMBER = "3141592"
PRACTITIONER_DAYS_LEFT = 96  # as in API.md's example credential
SENIOR, LEAD = 3, 4  # CareerStage values (the generator is not imported at run time)

STATUSES = ("active", "suspended", "expired", "retired")

# --- who holds what -----------------------------------------------------------------------

#: Certifications by job title: (code, probability), drawn independently in this order.
HOLDINGS: dict[str, tuple[tuple[str, float], ...]] = {
    "Project Coordinator": (("CAPM", 0.35), ("PMP", 0.05)),
    "PMO Analyst": (("CAPM", 0.3), ("PMP", 0.12), ("PMO-CP", 0.05), ("PMI-PMOCP", 0.04)),
    "Portfolio Analyst": (("CAPM", 0.25), ("PMP", 0.12)),
    "Project Manager": (("PMP", 0.65), ("CAPM", 0.12), ("PMI-ACP", 0.1)),
    "Senior Project Manager": (("PMP", 0.85), ("PMI-ACP", 0.12), ("PgMP", 0.08), ("CAPM", 0.05)),
    "Program Manager": (("PMP", 0.85), ("PgMP", 0.35), ("PfMP", 0.06), ("PMI-ACP", 0.08)),
    "Portfolio Manager": (("PMP", 0.8), ("PfMP", 0.35), ("PgMP", 0.15)),
    "PMO Manager": (
        ("PMP", 0.85),
        ("PgMP", 0.15),
        ("PMI-PMOCP", 0.2),
        ("PMO-CP", 0.15),
        ("PfMP", 0.05),
    ),
    "Head of PMO": (
        ("PMP", 0.9),
        ("PgMP", 0.4),
        ("PfMP", 0.2),
        ("PMI-PMOCP", 0.25),
        ("PMO-CP", 0.2),
    ),
    "Scrum Master": (("PMI-ACP", 0.3), ("PMP", 0.1), ("SAFe-SPC", 0.04), ("CAPM", 0.05)),
    "Product Owner": (("PMI-ACP", 0.15), ("PMP", 0.05)),
    "Agile Coach": (("PMI-ACP", 0.4), ("SAFe-SPC", 0.35), ("PMP", 0.25)),
    "Agile PMO Lead": (("PMP", 0.5), ("PMI-ACP", 0.45), ("SAFe-SPC", 0.3), ("PMI-PMOCP", 0.1)),
    "Release Train Engineer": (("PMP", 0.45), ("SAFe-SPC", 0.55), ("PMI-ACP", 0.3)),
    "Business Analyst": (("CAPM", 0.1), ("PMP", 0.08), ("PMI-ACP", 0.05)),
    "Change Manager": (("PMP", 0.2), ("CAPM", 0.1)),
    "Engineering Manager": (("PMP", 0.12), ("PMI-ACP", 0.08), ("SAFe-SPC", 0.03)),
    "Enterprise Architect": (("PMP", 0.1), ("SAFe-SPC", 0.05)),
    "Team Lead": (("PMP", 0.1),),
}
#: Unit heads ("Head of Delivery PMO", ...) hold what their PMO role's title holds.
ROLE_TITLES = {
    "project_coordinator": "Project Coordinator",
    "pmo_analyst": "PMO Analyst",
    "project_manager": "Project Manager",
    "senior_project_manager": "Senior Project Manager",
    "program_manager": "Program Manager",
    "portfolio_manager": "Portfolio Manager",
    "pmo_manager": "PMO Manager",
    "pmo_director": "Head of PMO",
    "agile_pmo_lead": "Agile PMO Lead",
    "release_train_engineer": "Release Train Engineer",
    "agile_transformation_lead": "Agile Coach",
}
BUSINESS_LEADS = (("PMP", 0.06),)
BUSINESS_STAFF = (("PMP", 0.02), ("CAPM", 0.015))

#: Years of experience before a certification is usually earned.
MIN_EXPERIENCE = {
    "PMP": 3,
    "PgMP": 6,
    "PfMP": 8,
    "PMI-ACP": 1,
    "SAFe-SPC": 3,
    "PMI-PMOCP": 3,
    "PMO-CP": 2,
}
MAX_AGE_DAYS = 10 * 365 + 120  # earned within the last ~10 years
#: The first PMP holders of the Enterprise PMO subtree: a mixed team for the PMO head.
PMO_TEAM_FATES = (
    ("suspended", "grace"),
    ("active", "behind"),
    ("expired", "lapsed"),
    ("suspended", "grace"),
)

# --- what the activities are called -------------------------------------------------------

TOPICS = {
    WOW: (
        "Risk management in practice",
        "Earned value management",
        "Hybrid delivery approaches",
        "Schedule compression techniques",
        "Scrum for project managers",
        "Requirements and scope management",
        "Estimating with Monte Carlo simulation",
        "Kanban flow metrics",
        "Quality management on projects",
        "Contract and procurement management",
        "Project controls and reporting",
        "Managing dependencies across teams",
    ),
    PS: (
        "Leading high-performing teams",
        "Negotiation for project leaders",
        "Stakeholder engagement",
        "Coaching skills for managers",
        "Resolving conflict in project teams",
        "Emotional intelligence at work",
        "Facilitating effective workshops",
        "Influencing without authority",
        "Leading remote and hybrid teams",
        "Communicating with executives",
        "Psychological safety in teams",
    ),
    BA: (
        "Benefits realisation management",
        "Writing a compelling business case",
        "Finance for project managers",
        "Portfolio prioritisation and governance",
        "Strategy execution with OKRs",
        "Regulatory compliance on projects",
        "Product management essentials",
        "Value stream management",
        "Organisational change and adoption",
        "Sustainability in project delivery",
    ),
}
BOOKS = {
    WOW: (
        "Making Things Happen",
        "Agile Estimating and Planning",
        "Team Topologies",
        "The Phoenix Project",
        "Kanban: Successful Evolutionary Change",
        "Software Estimation: Demystifying the Black Art",
    ),
    PS: (
        "Crucial Conversations",
        "Radical Candor",
        "The Five Dysfunctions of a Team",
        "Never Split the Difference",
        "Drive",
        "Dare to Lead",
    ),
    BA: (
        "How Big Things Get Done",
        "Good Strategy Bad Strategy",
        "Playing to Win",
        "Measure What Matters",
        "The Lean Startup",
        "Project to Product",
    ),
}
#: PMI Authorized Training Partners (fictional names, PMI-style provider ids).
TRAINING_PARTNERS = (
    ("Kestrel Project Academy", "ATP-4021"),
    ("Northgate PM Training", "ATP-3187"),
    ("Meridian Learning Partners", "ATP-2950"),
    ("Bluewater Consulting Academy", "ATP-5112"),
    ("Ashford Institute of Project Leadership", "ATP-1764"),
    ("Clearpath Agile Training", "ATP-6038"),
)
OTHER_COURSE_PROVIDERS = (
    "Project Management Institute",
    "LinkedIn Learning",
    "Coursera",
    "The Open University",
)
MEDIA_PROVIDERS = (
    "ProjectManagement.com",
    "Project Management Institute",
    "LinkedIn Learning",
    "Association for Project Management",
    "Scrum.org",
)
CHAPTERS = (
    ("PMI UK Chapter", 7),
    ("PMI Ireland Chapter", 1),
    ("PMI Netherlands Chapter", 1),
    ("PMI Germany Chapter", 1),
)
#: Common sizes in PDUs, per activity type (the last activity of a batch takes what is left).
SIZES = {
    "course": (2, 3, 3.5, 4, 7, 7, 8, 10.5, 14, 16, 21),
    "online_media": (0.5, 1, 1, 1, 1.5, 2),
    "organization_meeting": (1, 1.5, 2, 2),  # at most 2 per meeting (PMI)
    "reading": (2, 3, 4, 5, 6),
    "informal_learning": (1, 2, 3, 4),
    WAP: (4, 6, 8),
    "create_content": (1, 2, 3),
    "give_presentation": (1, 1.5, 2, 3),
    "share_knowledge": (1, 2, 3, 4),
    "volunteer": (2, 3, 5, 8),
}
EDUCATION_MIX = (
    ("course", 3),
    ("online_media", 4),
    ("organization_meeting", 2),
    ("reading", 1.5),
    ("informal_learning", 1),
)
GIVING_BACK_MIX = (
    ("volunteer", 2),
    ("share_knowledge", 3),
    ("give_presentation", 2),
    ("create_content", 1),
)
_CUMULATIVE = {
    mix: ([k for k, _ in mix], list(accumulate(w for _, w in mix)))
    for mix in (EDUCATION_MIX, GIVING_BACK_MIX)
}


#: practitioner@'s PMP history: (share of the cycle so far, type, title, provider, provider id,
#: PDUs, (Ways of Working, Power Skills, Business Acumen) or None for Giving Back).
PRACTITIONER_HISTORY: tuple[
    tuple[float, str, str, str | None, str | None, float, tuple[float, float, float] | None], ...
] = (
    (
        0.06,
        WAP,
        "Working as a project manager at {company} (first year)",
        "{company}",
        None,
        6,
        None,
    ),
    (
        0.10,
        "course",
        "Risk management in practice",
        "Kestrel Project Academy",
        "ATP-4021",
        8,
        (8, 0, 0),
    ),
    (
        0.18,
        "organization_meeting",
        "PMI UK Chapter meeting: Earned value on fixed-price contracts",
        "PMI UK Chapter",
        None,
        2,
        (1, 0, 1),
    ),
    (0.25, "reading", "Book: How Big Things Get Done", None, None, 4, (0, 0, 4)),
    (
        0.33,
        "online_media",
        "Webinar: Negotiation for project leaders",
        "ProjectManagement.com",
        None,
        2,
        (0, 2, 0),
    ),
    (
        0.41,
        "give_presentation",
        "Lunch-and-learn: Lessons learned from the ERP roll-out",
        None,
        None,
        3,
        None,
    ),
    (
        0.47,
        "course",
        "Benefits realisation management",
        "Meridian Learning Partners",
        "ATP-2950",
        7,
        (0, 0, 7),
    ),
    (
        0.55,
        WAP,
        "Working as a project manager at {company} (second year)",
        "{company}",
        None,
        5.5,
        None,
    ),
    (
        0.62,
        "online_media",
        "Webinar: Estimating with Monte Carlo simulation",
        "ProjectManagement.com",
        None,
        1.5,
        (1.5, 0, 0),
    ),
    (0.70, "course", "Stakeholder engagement", "Northgate PM Training", "ATP-3187", 4, (0, 4, 0)),
    (0.78, "share_knowledge", "Mentoring a junior project manager", None, None, 3, None),
    (0.86, "reading", "Book: Making Things Happen", None, None, 1.5, (1.5, 0, 0)),
)
#: (days ago, title, provider, Power Skills PDUs): logged but not claimed yet.
PRACTITIONER_DRAFTS = (
    (12, "Webinar: Emotional intelligence at work", "ProjectManagement.com", 1),
    (4, "Podcast: Influencing without authority", "Project Management Institute", 0.5),
)
