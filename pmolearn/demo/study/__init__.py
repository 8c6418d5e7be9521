"""Demo study: the background eligibility is judged on, and pursuits at every stage with their
plans, sessions and attempts: ``build_study``, one of the demo's extra builders (after
credentials, whose rows it reads).

Background: every project professional gets an education level and one to three experience
entries that cover their years of experience (the current one by job title: programme,
portfolio, PMO or project, agile on the agile track; an earlier one often overlaps it), and the
training behind what they hold (35 hours before a PMP, 23 before a CAPM).

Pursuits: about one project professional in six (one in two in the Enterprise PMO) works
toward the next certification (``NEXT``: a CAPM toward the PMP, a PMP toward the PgMP, PfMP or
PMI-PMOCP by job title, agile roles toward PMI-ACP or SAFe SPC). The stage is drawn from
``STAGES``; a stage past ``studying`` needs eligibility met (judged by the pure engine on the
facts generated here), else it stays at ``studying``. Holders of a credential earned in the
last 18 months also have the passed pursuit that led to it (exam on the earned date). Sessions
follow the plan at a pace of their own (some ahead, many behind), practice-exam scores rise.

Sign-ins: ``practitioner@`` (PMP) studies for the PgMP, behind plan and not yet eligible: a
month of programme experience short; ``pmo@`` has a PMI-PMOCP exam scheduled within 90 days.

Deterministic: a random stream of its own (``ctx.stream("study")``), ``ctx.today`` for dates.
Inserted in bulk with explicit ids for pursuits; a fixed number of statements at any size.

The builder's phases are modules: ``background`` and ``pursuits``; ``tables`` holds the data.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pmolearn.catalog.models import Certification
from pmolearn.clock import add_months, add_years
from pmolearn.credentials.models import Credential
from pmolearn.credentials.queries import held_by
from pmolearn.demo.study.background import BackgroundWriter
from pmolearn.demo.study.pursuits import PursuitWriter
from pmolearn.demo.study.tables import (
    BUSINESS,
    PMO_PURSUIT_SHARE,
    PURSUIT_SHARE,
    STAGES,
    STREAM,
    Background,
)
from pmolearn.extensions import db
from pmolearn.study.models import (
    ExamAttempt,
    ExperienceEntry,
    PlanDomain,
    Pursuit,
    StudyProfile,
    StudySession,
    TrainingEntry,
)

if TYPE_CHECKING:  # for annotations only
    import random

    from pmolearn.demo.context import DemoContext, DemoPerson


def build_study(ctx: DemoContext) -> dict[str, int]:
    """Backgrounds, pursuits, sessions and attempts; {} when the catalog is not seeded."""
    certifications = {
        c.code: c
        for c in db.session.scalars(
            select(Certification).options(selectinload(Certification.eligibility_rules))
        )
    }
    if "PMP" not in certifications:
        return {}
    return _Builder(ctx, certifications).build()


class _Builder(BackgroundWriter, PursuitWriter):
    """Backgrounds first, then pursuits; the sign-ins' own stories; the rows."""

    def __init__(self, ctx: DemoContext, certifications: dict[str, Certification]) -> None:
        self.ctx, self.today = ctx, ctx.today
        self.rng: random.Random = ctx.stream(STREAM)
        self.certifications = certifications
        self.created_at = datetime.combine(ctx.today, time.min, tzinfo=UTC)
        self.held = held_by([p.id for p in ctx.people], ctx.today)
        #: Every credential's earned date (the demo's own: the organisation was cleared first).
        self.earned = dict(db.session.execute(select(Credential.id, Credential.earned_on)).all())
        self.backgrounds: dict[int, Background] = {}
        self.pursuits: list[dict] = []
        self.domains: list[dict] = []
        self.sessions: list[dict] = []
        self.attempts: list[dict] = []
        self.next_pursuit_id = ctx.next_id(Pursuit)
        #: Stages not shown yet: the first pursuits take them, so every stage appears.
        self.unshown = [stage for stage, _share in STAGES]

    def build(self) -> dict[str, int]:
        people = [p for p in self.ctx.people if p.active and p.track != BUSINESS]
        for person in people:
            self.backgrounds[person.id] = self._background(person)
            self._training_behind_holdings(person)
        for person in people:
            self._recent_passes(person)
            if person.sign_in == "practitioner":
                self._practitioner(person)
            elif person.sign_in == "pmo":
                self._pmo_head(person)
            else:
                share = PMO_PURSUIT_SHARE if person.unit.in_pmo else PURSUIT_SHARE
                if self.rng.random() < share:
                    self._pursuit(person)
        return self._insert()

    def _practitioner(self, person: DemoPerson) -> None:
        """PgMP, behind plan; eligible but for a month of programme experience."""
        today = self.today
        found = Background("bachelor", False)
        found.experience = [
            self._entry(person, add_years(today, -9), add_years(today, -3), "project", False),
            self._entry(person, add_years(today, -3) + timedelta(days=1), None, "project", False),
            self._entry(person, add_months(today, -47), None, "program", False),
        ]
        found.experience[2]["title"] = "Coordinating the ERP programme"
        self.backgrounds[person.id] = found
        self._training(person.id, "project_management", Decimal(35), add_years(today, -7))
        start, exam = today - timedelta(weeks=10), today + timedelta(weeks=18)
        self._add(person, "PgMP", "studying", start, exam, Decimal(6), pace=0.7)

    def _pmo_head(self, person: DemoPerson) -> None:
        """PMI-PMOCP with the exam booked in seven weeks."""
        self._training(person.id, "pmo", Decimal(12), self.today - timedelta(weeks=14))
        start, exam = self.today - timedelta(weeks=16), self.today + timedelta(weeks=7)
        self._add(person, "PMI-PMOCP", "exam_scheduled", start, exam, Decimal(4), pace=1.05)

    def _insert(self) -> dict[str, int]:
        ctx = self.ctx
        profiles = [
            {
                "person_id": pid,
                "education_level": b.education,
                "gac_accredited": b.gac,
                "updated_at": self.created_at,
            }
            for pid, b in self.backgrounds.items()
        ]
        experience = [e for b in self.backgrounds.values() for e in b.experience]
        training = [t for b in self.backgrounds.values() for t in b.training]
        return {
            "study_profiles": ctx.insert(StudyProfile, profiles),
            "experience_entries": ctx.insert(ExperienceEntry, experience),
            "training_entries": ctx.insert(TrainingEntry, training),
            "pursuits": ctx.insert(Pursuit, self.pursuits),
            "plan_domains": ctx.insert(PlanDomain, self.domains),
            "study_sessions": ctx.insert(StudySession, self.sessions),
            "exam_attempts": ctx.insert(ExamAttempt, self.attempts),
        }
