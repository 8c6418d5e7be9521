"""The demo study's data: education levels, stages, kinds of experience, organisations,
projects and courses, and the background a person is judged on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pmolearn.study import eligibility

if TYPE_CHECKING:  # for annotations only
    import random


STREAM = "study"
BUSINESS = "business"
PURSUIT_SHARE, PMO_PURSUIT_SHARE = 0.16, 0.5
RECENT_PASS_DAYS, RECENT_PASS_SHARE = 540, 0.6

EDUCATION = (("secondary", 0.1), ("associate", 0.08), ("bachelor", 0.6), ("postgraduate", 0.22))
#: Open stages and their shares (passed pursuits come from recent credentials instead).
STAGES = (
    ("planning", 0.12),
    ("studying", 0.42),
    ("eligible", 0.1),
    ("applied", 0.1),
    ("exam_scheduled", 0.12),
    ("failed", 0.07),
    ("withdrawn", 0.07),
)
#: (kind, share) of sessions; practice exams only in the second half of a plan.
KINDS = (
    ("reading", 0.3),
    ("video", 0.2),
    ("course", 0.18),
    ("flashcards", 0.14),
    ("study_group", 0.06),
    ("practice_exam", 0.12),
)
AGILE_CODES = ("PMI-ACP", "SAFe-SPC")
KIND_OF_TITLE = {
    "Program Manager": "program",
    "Portfolio Manager": "portfolio",
    "Portfolio Analyst": "portfolio",
    "PMO Manager": "pmo",
    "PMO Analyst": "pmo",
    "Head of PMO": "pmo",
}
ORGANISATIONS = (
    "Northwind Consulting",
    "Contoso Engineering",
    "Fabrikam Logistics",
    "Tailspin Energy",
    "Litware Health",
)
PROJECTS = (
    "ERP roll-out",
    "Data-centre move",
    "CRM replacement",
    "Warehouse automation",
    "Regulatory reporting programme",
    "Cloud migration",
    "Network refresh",
    "Mobile banking app",
    "Plant expansion",
    "Finance transformation",
)
COURSES = {
    "project_management": ("PMP exam preparation, 35 contact hours", "Kestrel Project Academy"),
    "agile": ("Agile project delivery", "Northgate PM Training"),
    "pmo": ("PMO fundamentals", "PMO Global Alliance"),
    "program_management": ("Programme management essentials", "Meridian Learning Partners"),
    "implementing_safe": ("Implementing SAFe", "Scaled Agile"),
}


@dataclass
class Background:
    education: str
    gac: bool
    experience: list[dict] = field(default_factory=list)
    training: list[dict] = field(default_factory=list)

    def facts(self, held: frozenset[str]) -> eligibility.Facts:
        return eligibility.Facts(
            education=self.education,
            gac=self.gac,
            experience=tuple(
                eligibility.Period(e["started_on"], e["ended_on"], e["kind"], e["agile"])
                for e in self.experience
            ),
            training=tuple(
                eligibility.Training(t["hours"], t["topic"], t["completed_on"])
                for t in self.training
            ),
            credentials=held,
        )


def _draw(rng: random.Random, options) -> Any:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights)[0]
