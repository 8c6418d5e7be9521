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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pmolearn.catalog.models import Certification
from pmolearn.clock import add_months, add_years
from pmolearn.credentials import cycles
from pmolearn.credentials.models import Credential
from pmolearn.credentials.queries import held_by
from pmolearn.extensions import db
from pmolearn.study import eligibility, plan
from pmolearn.study.background import TOPIC_OF
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


class _Builder:
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

    # --- background ---------------------------------------------------------------------

    def _background(self, person: DemoPerson) -> Background:
        rng = self.rng
        education = _draw(rng, EDUCATION)
        gac = education in ("bachelor", "postgraduate") and rng.random() < 0.06
        found = Background(education, gac)
        years = max(person.experience_years, 1)
        began = add_years(self.today, -years) - timedelta(days=rng.randrange(0, 200))
        kind = KIND_OF_TITLE.get(person.job_title, "project")
        agile = person.track == "agile"
        if years > 4 and rng.random() < 0.8:  # an earlier job, often overlapping the current
            switch = add_years(self.today, -rng.randint(2, min(years - 1, 8)))
            ended = switch + timedelta(days=rng.randrange(0, 120))
            earlier_agile = agile and rng.random() < 0.5
            found.experience.append(self._entry(person, began, ended, "project", earlier_agile))
            began = switch
        found.experience.append(self._entry(person, began, None, kind, agile))
        if years > 6 and kind == "project" and rng.random() < 0.3:  # a programme on the side
            side = add_years(self.today, -rng.randint(1, 4))
            found.experience.append(self._entry(person, side, None, "program", False))
        return found

    def _training_behind_holdings(self, person: DemoPerson) -> None:
        """The contact hours an exam asked for, a few weeks before the credential was earned."""
        for held in self.held.get(person.id, []):
            hours = {"PMP": 35, "CAPM": 23, "PMI-ACP": 21, "PgMP": 21}.get(held.certification)
            earned = self.earned.get(held.credential_id)
            if hours and earned:
                topic = TOPIC_OF.get(held.certification, "project_management")
                self._training(person.id, topic, Decimal(hours), earned - timedelta(weeks=6))

    def _entry(self, person, start: date, end: date | None, kind: str, agile: bool) -> dict:
        rng = self.rng
        if end is None:
            title, organisation = person.job_title, self.ctx.units[0].name
        else:
            title, organisation = rng.choice(PROJECTS), rng.choice(ORGANISATIONS)
        return {
            "person_id": person.id,
            "title": title,
            "organisation": organisation,
            "kind": kind,
            "agile": agile,
            "started_on": start,
            "ended_on": end,
            "created_at": self.created_at,
        }

    def _training(self, person_id: int, topic: str, hours: Decimal, on: date) -> None:
        title, provider = COURSES[topic]
        self.backgrounds[person_id].training.append(
            {
                "person_id": person_id,
                "title": title,
                "provider": provider,
                "topic": topic,
                "hours": hours,
                "completed_on": min(on, self.today),
                "created_at": self.created_at,
            }
        )

    # --- pursuits -----------------------------------------------------------------------

    def _codes_held(self, person_id: int, *, active_only: bool = True) -> frozenset[str]:
        return frozenset(
            h.certification
            for h in self.held.get(person_id, [])
            if h.status == cycles.ACTIVE or not active_only
        )

    def _next_code(self, person: DemoPerson) -> str | None:
        held = self._codes_held(person.id, active_only=False)
        title = person.job_title
        if person.track == "agile":
            options = [c for c in AGILE_CODES if c not in held]
        elif "PMP" not in held:
            junior = title in ("Project Coordinator", "PMO Analyst", "Portfolio Analyst")
            options = ["CAPM"] if junior and "CAPM" not in held else ["PMP"]
        elif title in ("Portfolio Manager", "Head of PMO"):
            options = ["PfMP", "PgMP"]
        elif KIND_OF_TITLE.get(title) == "pmo":
            options = ["PMI-PMOCP"]
        else:
            options = ["PgMP", "PMI-ACP", "PMI-PMOCP"]
        options = [c for c in options if c not in held and c in self.certifications]
        return options[0] if options else None

    def _recent_passes(self, person: DemoPerson) -> None:
        for held in self.held.get(person.id, []):
            earned = self.earned.get(held.credential_id)
            if not earned or (self.today - earned).days > RECENT_PASS_DAYS:
                continue
            if self.rng.random() >= RECENT_PASS_SHARE:
                continue
            code = held.certification
            start = earned - timedelta(weeks=self.rng.randint(10, 20))
            self._add(
                person,
                code,
                "passed",
                start,
                earned,
                Decimal(self.rng.choice((5, 6, 8))),
                pace=1.0,
                credential_id=held.credential_id,
            )

    def _pursuit(self, person: DemoPerson) -> None:
        code = self._next_code(person)
        if code is None:
            return
        rng = self.rng
        stage = self.unshown.pop(0) if self.unshown else _draw(rng, STAGES)
        weekly = Decimal(rng.choice((3, 4, 5, 6, 8, 10)))
        pace = rng.choice((0.4, 0.6, 0.75, 0.9, 1.0, 1.1, 1.3))
        start, exam = self._dates(stage)
        facts = self.backgrounds[person.id].facts(self._codes_held(person.id))
        needs_eligibility = stage not in ("planning", "studying", "withdrawn")
        if needs_eligibility and not self._eligible(code, facts, exam):
            self._give_training(person.id, code, start)
            facts = self.backgrounds[person.id].facts(self._codes_held(person.id))
            if not self._eligible(code, facts, exam):
                self.unshown.append(stage)
                stage = "studying"
                start, exam = self._dates(stage)
        self._add(person, code, stage, start, exam, weekly, pace)

    def _dates(self, stage: str) -> tuple[date, date]:
        """(started on, exam on) that suit the stage: a result lies in the past, a booked exam
        within 90 days, a plan being made has just begun."""
        rng, today = self.rng, self.today

        def days(low: int, high: int) -> timedelta:
            return timedelta(days=rng.randint(low, high))

        if stage == "planning":
            return today - days(0, 9), today + days(100, 260)
        if stage == "exam_scheduled":
            return today - days(70, 150), today + days(6, 85)
        if stage == "failed":
            exam = today - days(10, 80)
            return exam - days(84, 140), exam
        if stage == "withdrawn":
            start = today - days(84, 280)
            return start, start + days(112, 182)
        return today - days(21, 112), today + days(40, 200)

    def _eligible(self, code: str, facts: eligibility.Facts, exam: date) -> bool:
        rules = self.certifications[code].rules_on(exam)
        if rules is None:
            return True
        rule_set = eligibility.RuleSet(rules.label, rules.rules, rules.disputed)
        return eligibility.evaluate(rule_set, facts, min(exam, self.today)).met

    def _give_training(self, person_id: int, code: str, before: date) -> None:
        topic = TOPIC_OF.get(code, "project_management")
        rules = self.certifications[code].rules_on(self.today)
        hours = ((rules.rules.get("training") or {}).get("hours") if rules else None) or 21
        self._training(person_id, topic, Decimal(str(hours)), before - timedelta(days=30))

    def _add(self, person, code, stage, start, exam, weekly, pace, credential_id=None) -> None:
        certification = self.certifications[code]
        outline = plan.outline_on(certification.exam or {}, exam)
        rules = certification.rules_on(exam)
        if outline is None or (rules is not None and rules.rules.get("closed")):
            return
        total = plan.default_total(certification.study_hours, weekly, start, exam)
        the_plan = plan.make_plan(outline, start, exam, weekly, total)
        pursuit_id = self.next_pursuit_id
        self.next_pursuit_id += 1
        window = certification.exam_rules or {}
        applied_on = None
        if stage in ("applied", "exam_scheduled", "failed", "passed"):
            applied_on = start + (exam - start) * 2 // 3
            if stage == "applied":
                applied_on = self.today - timedelta(days=self.rng.randint(3, 40))
            if window.get("eligibility_window_months"):
                floor = add_months(exam, -window["eligibility_window_months"]) + timedelta(days=1)
                applied_on = max(applied_on, floor)
        closed = {"passed": exam, "withdrawn": min(exam, self.today)}.get(stage)
        self.pursuits.append(
            {
                "id": pursuit_id,
                "person_id": person.id,
                "certification_id": certification.id,
                "stage": stage,
                "target_exam_on": exam,
                "weekly_hours": weekly,
                "total_hours": total,
                "outline": outline.version,
                "started_on": start,
                "applied_on": applied_on,
                "credential_id": credential_id,
                "closed_on": closed,
                "created_at": self.created_at,
                "updated_at": self.created_at,
            }
        )
        for position, d in enumerate(the_plan.domains):
            self.domains.append(
                {
                    "pursuit_id": pursuit_id,
                    "position": position,
                    "name": d.name,
                    "weight_pct": d.weight,
                    "planned_hours": d.planned_hours,
                    "area": d.area,
                }
            )
        until = min(self.today, exam, closed or self.today)
        if stage == "withdrawn":
            until = min(until, start + timedelta(weeks=self.rng.randint(2, 8)))
        self._sessions(pursuit_id, the_plan, until, pace)
        if stage in ("passed", "failed"):
            self.attempts.append(
                {
                    "pursuit_id": pursuit_id,
                    "taken_on": exam,
                    "passed": stage == "passed",
                    "created_at": self.created_at,
                }
            )

    def _sessions(self, pursuit_id: int, the_plan: plan.Plan, until: date, pace: float) -> None:
        rng = self.rng
        weights = [(d.name, float(d.weight)) for d in the_plan.domains]
        span = max((the_plan.exam_on - the_plan.started_on).days, 1)
        score = rng.randint(48, 62)
        week_start = the_plan.started_on
        while week_start <= until:
            minutes_left = int(float(the_plan.weekly_hours) * 60 * pace * rng.uniform(0.6, 1.4))
            while minutes_left >= 20:
                minutes = min(rng.choice((30, 45, 60, 60, 90, 120)), minutes_left)
                minutes_left -= minutes
                day = week_start + timedelta(days=rng.randrange(0, 7))
                if day > until:
                    continue
                kind = _draw(rng, KINDS)
                late = (day - the_plan.started_on).days / span > 0.5
                if kind == "practice_exam" and not late:
                    kind = "reading"
                session_score = None
                if kind == "practice_exam":
                    score = min(score + rng.randint(-2, 7), 92)
                    session_score, minutes = score, max(minutes, 60)
                self.sessions.append(
                    {
                        "pursuit_id": pursuit_id,
                        "studied_on": day,
                        "minutes": minutes,
                        "domain": _draw(rng, weights),
                        "kind": kind,
                        "score": session_score,
                        "notes": None,
                        "created_at": self.created_at,
                    }
                )
            week_start += timedelta(days=7)

    # --- the sign-ins -------------------------------------------------------------------

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

    # --- rows ---------------------------------------------------------------------------

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


def _draw(rng: random.Random, options) -> Any:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights)[0]
