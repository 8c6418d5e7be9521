"""The demo study's second phase: pursuits toward the next certification."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from pmolearn.clock import add_months
from pmolearn.credentials import cycles
from pmolearn.demo.study.tables import (
    AGILE_CODES,
    KIND_OF_TITLE,
    KINDS,
    RECENT_PASS_DAYS,
    RECENT_PASS_SHARE,
    STAGES,
    _draw,
)
from pmolearn.study import eligibility, plan
from pmolearn.study.background import TOPIC_OF

if TYPE_CHECKING:  # for annotations only
    from pmolearn.demo.context import DemoPerson


class PursuitWriter:
    """Pursuits at every stage, with their plans, sessions and attempts.

    A part of ``_Builder``, which holds the state."""

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
