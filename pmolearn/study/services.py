"""Pursuits as they are read: a pursuit with its plan, progress and eligibility, the cards of a
person's pursuits, the minutes logged. Starting and changing one is ``pursuits``; logging study
sessions (that may also count as PDUs) is ``sessions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import lazyload

from pmolearn.extensions import db
from pmolearn.people.models import Person
from pmolearn.people.scope import scope_filter
from pmolearn.study import background, eligibility, fields, plan
from pmolearn.study.models import Pursuit, StudySession
from pmolearn.web import found_or_404

#: The stage each stage may move to (besides withdrawn, open to every stage not yet ended).
NEXT_STAGE = {
    "planning": ("studying",),
    "studying": ("eligible",),
    "eligible": ("applied",),
    "applied": ("exam_scheduled",),
    "exam_scheduled": ("passed", "failed"),
    "failed": ("exam_scheduled", "applied"),
}
MAX_YEARS_AHEAD = 3


# --- reading ---------------------------------------------------------------------------------


def pursuits_query():
    """Pursuits; their certifications and rule sets come from the catalog's snapshot, plans
    and attempts load by ``selectin``."""
    return select(Pursuit)


def pursuit_or_404(viewer: Person, pursuit_id: int, *, change: bool = False) -> Pursuit:
    pursuit = db.session.scalar(
        pursuits_query()
        .join(Person, Person.id == Pursuit.person_id)
        .where(Pursuit.id == pursuit_id, scope_filter(viewer))
    )
    return found_or_404(pursuit, viewer, lambda p: p.person_id, change=change)


def session_or_404(pursuit: Pursuit, session_id: int) -> StudySession:
    found = db.session.scalar(
        select(StudySession).where(
            StudySession.id == session_id, StudySession.pursuit_id == pursuit.id
        )
    )
    return found_or_404(found, None, lambda s: s, change=False)


def pursuits_of(person_id: int) -> list[Pursuit]:
    """A person's pursuits, open ones first, soonest exam first."""
    found = db.session.scalars(pursuits_query().where(Pursuit.person_id == person_id)).all()
    return sorted(found, key=lambda p: (p.stage not in fields.OPEN_STAGES, p.target_exam_on))


@cache
def _sessions():
    return (
        select(StudySession)
        .where(StudySession.pursuit_id.in_(bindparam("ids", expanding=True)))
        .order_by(StudySession.studied_on, StudySession.id)
    )


def sessions_of(pursuit_ids: list[int]) -> dict[int, list[StudySession]]:
    result: dict[int, list[StudySession]] = {i: [] for i in pursuit_ids}
    if not pursuit_ids:
        return result
    for session in db.session.scalars(_sessions(), {"ids": list(pursuit_ids)}):
        result[session.pursuit_id].append(session)
    return result


def plan_of(pursuit: Pursuit, *, domains: bool = True) -> plan.Plan:
    """The pure plan of a pursuit; ``domains=False`` for lists that need only its pace."""
    return plan.Plan(
        started_on=pursuit.started_on,
        exam_on=pursuit.target_exam_on,
        weekly_hours=pursuit.weekly_hours,
        total_hours=pursuit.total_hours,
        domains=tuple(
            plan.PlannedDomain(d.name, d.weight_pct, d.planned_hours, d.area)
            for d in (pursuit.domains if domains else ())
        ),
    )


def rule_set_of(pursuit: Pursuit) -> eligibility.RuleSet | None:
    rules = pursuit.certification.rules_on(pursuit.target_exam_on)
    if rules is None:
        return None
    return eligibility.RuleSet(rules.label, rules.rules, rules.disputed, tuple(rules.source_codes))


@dataclass
class PursuitView:
    """A pursuit on a date: its plan, progress, eligibility and standing with the exam rules."""

    pursuit: Pursuit
    plan: plan.Plan
    sessions: list[StudySession]
    progress: plan.Progress
    eligibility: eligibility.Result | None
    standing: eligibility.Standing
    outline: plan.Outline | None

    @property
    def open(self) -> bool:
        return self.pursuit.stage in fields.OPEN_STAGES

    @property
    def next_stages(self) -> tuple[str, ...]:
        if not self.open:
            return ()
        return (*NEXT_STAGE.get(self.pursuit.stage, ()), "withdrawn")


def as_sessions(rows: list[StudySession]) -> list[plan.Session]:
    return [plan.Session(s.studied_on, s.minutes, s.domain, s.kind, s.score) for s in rows]


def views_of(pursuits: list[Pursuit], on: date) -> list[PursuitView]:
    """Views of many pursuits in a fixed number of statements (sessions, then facts)."""
    sessions = sessions_of([p.id for p in pursuits])
    judged = eligibility_of(pursuits, on)
    views = []
    for pursuit in pursuits:
        the_plan = plan_of(pursuit)
        mine = sessions[pursuit.id]
        views.append(
            PursuitView(
                pursuit=pursuit,
                plan=the_plan,
                sessions=mine,
                progress=plan.progress(the_plan, as_sessions(mine), on),
                eligibility=judged[pursuit.id],
                standing=standing_of(pursuit, on),
                outline=plan.outline_on(pursuit.certification.exam or {}, pursuit.target_exam_on),
            )
        )
    return views


def eligibility_of(pursuits: list[Pursuit], on: date) -> dict[int, eligibility.Result | None]:
    """Each pursuit's eligibility on ``on`` (None: no rule set known); the facts of all their
    people in a fixed number of statements."""
    facts = background.facts_for(sorted({p.person_id for p in pursuits}), on)
    judged = {}
    for pursuit in pursuits:
        rule_set = rule_set_of(pursuit)
        judged[pursuit.id] = (
            eligibility.evaluate(rule_set, facts[pursuit.person_id], on) if rule_set else None
        )
    return judged


def _minutes_until():
    """The minutes a pursuit's sessions logged up to the ``on`` parameter, correlated to
    ``Pursuit``: the one sum behind every card, list and board that shows hours logged."""
    return (
        select(func.coalesce(func.sum(StudySession.minutes), 0))
        .where(StudySession.pursuit_id == Pursuit.id, StudySession.studied_on <= bindparam("on"))
        .scalar_subquery()
    )


def minutes_logged(pursuit_ids: list[int], on: date) -> dict[int, int]:
    """Minutes logged up to ``on`` by pursuit, summed in the database (one statement): what a
    list of many pursuits shows, where loading every session would not scale."""
    if not pursuit_ids:
        return {}
    rows = db.session.execute(
        select(Pursuit.id, _minutes_until()).where(Pursuit.id.in_(pursuit_ids)), {"on": on}
    )
    return {pursuit_id: int(minutes) for pursuit_id, minutes in rows if minutes}


@dataclass(frozen=True)
class PursuitCard:
    """A pursuit at a glance (home, my study, a person's page): where it stands against its
    plan and whether the person may sit the exam. Read from the minutes summed in the
    database, not from every session, the plan's domains or the attempts."""

    pursuit: Pursuit
    on: date
    progress: plan.Pace
    eligibility: eligibility.Result | None

    @property
    def open(self) -> bool:
        return self.pursuit.stage in fields.OPEN_STAGES


@cache
def _pursuit_cards(open_only: bool):
    """Built once per kind: the pursuits with their minutes in one statement."""
    stmt = (
        select(Pursuit, _minutes_until())
        .options(lazyload(Pursuit.domains), lazyload(Pursuit.attempts))
        .where(Pursuit.person_id == bindparam("person_id"))
    )
    return stmt.where(Pursuit.stage.in_(fields.OPEN_STAGES)) if open_only else stmt


def cards_of(person_id: int, on: date, *, open_only: bool = False) -> list[PursuitCard]:
    """A person's pursuits as cards, open ones first, soonest exam first: two statements and
    the eligibility facts."""
    rows = db.session.execute(_pursuit_cards(open_only), {"person_id": person_id, "on": on}).all()
    rows.sort(key=lambda r: (r[0].stage not in fields.OPEN_STAGES, r[0].target_exam_on))
    judged = eligibility_of([pursuit for pursuit, _ in rows], on)
    return [
        PursuitCard(
            pursuit, on, plan.pace(plan_of(pursuit, domains=False), minutes, on), judged[pursuit.id]
        )
        for pursuit, minutes in rows
    ]


def view(pursuit: Pursuit, on: date) -> PursuitView:
    return views_of([pursuit], on)[0]


def standing_of(pursuit: Pursuit, on: date) -> eligibility.Standing:
    attempts = [(a.taken_on, a.passed) for a in pursuit.attempts]
    return eligibility.exam_standing(
        pursuit.certification.exam_rules or {}, pursuit.applied_on, attempts, on
    )
