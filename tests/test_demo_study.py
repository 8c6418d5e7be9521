"""The demo's study records (``pmolearn.demo.study``), on the real seeds: pursuits at every
stage that obey the stage rules, sessions inside their plans, backgrounds, the sign-ins' story,
and determinism."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from pmolearn.demo.generator import build_demo
from pmolearn.extensions import db
from pmolearn.people.models import Person
from pmolearn.study import fields, queries, services
from pmolearn.study.models import (
    ExamAttempt,
    ExperienceEntry,
    PlanDomain,
    Pursuit,
    StudySession,
    TrainingEntry,
)

TODAY = date(2026, 11, 25)


@pytest.fixture
def demo(app, catalog):
    summary = build_demo(staff=200, seed=3, today=TODAY)
    db.session.commit()
    return summary


def person(email: str) -> Person:
    return db.session.scalar(select(Person).where(Person.email == email))


def test_pursuits_come_at_every_stage_with_plans_sessions_and_backgrounds(demo):
    stages = Counter(db.session.scalars(select(Pursuit.stage)))
    assert set(stages) == set(fields.STAGES), stages
    for model in (PlanDomain, StudySession, ExamAttempt, ExperienceEntry, TrainingEntry):
        assert db.session.scalar(select(func.count()).select_from(model)) > 0, model
    assert demo.counts["pursuits"] == sum(stages.values())


def test_every_pursuit_obeys_the_stage_rules(demo):
    pursuits = db.session.scalars(services.pursuits_query()).all()
    views = {v.pursuit.id: v for v in services.views_of(pursuits, TODAY)}
    for p in pursuits:
        view = views[p.id]
        assert sum(d.planned_hours for d in p.domains) == p.total_hours, p
        assert all(p.started_on <= s.studied_on <= TODAY for s in view.sessions), p
        assert {s.domain for s in view.sessions} <= {d.name for d in p.domains}, p
        if p.stage in ("planning", "studying", "eligible", "applied", "exam_scheduled"):
            assert p.target_exam_on > TODAY, p
        if p.stage in ("eligible", "applied", "exam_scheduled"):
            assert view.eligibility is None or view.eligibility.met, p
        if p.stage == "exam_scheduled":
            assert p.target_exam_on > TODAY and p.applied_on is not None, p
            window_end = view.standing.window_ends_on  # None: no window (Scaled Agile)
            assert window_end is None or window_end >= p.target_exam_on, p
        if p.stage in ("passed", "failed"):
            assert [(a.taken_on, a.passed) for a in p.attempts] == [
                (p.target_exam_on, p.stage == "passed")
            ], p
            assert p.target_exam_on <= TODAY
        if p.stage == "passed":
            assert p.credential_id is not None and p.closed_on == p.target_exam_on
        open_codes = [q.certification_id for q in pursuits
                      if q.person_id == p.person_id and q.stage in fields.OPEN_STAGES]  # fmt: skip
        assert len(open_codes) == len(set(open_codes)), p.person_id


def test_the_practitioner_is_behind_and_a_month_short_and_the_pmo_head_sees_it(demo):
    me = person("practitioner@example.com")
    [view] = services.views_of(services.pursuits_of(me.id), TODAY)
    assert (view.pursuit.certification.code, view.pursuit.stage) == ("PgMP", "studying")
    assert view.progress.behind_by_hours > 0
    assert not view.eligibility.met
    missing = [i for i in view.eligibility.items if not i.met]
    assert [(i.requirement, i.required, i.have) for i in missing] == [
        ("Programme management experience in the last 15 years", 48, 47)
    ]
    board = queries.team_board(person("pmo@example.com"), TODAY)
    assert me.name in {r.name for r in board.behind}
    assert me.name in {r.name for r in board.not_eligible}
    head = services.views_of(services.pursuits_of(person("pmo@example.com").id), TODAY)
    assert [(v.pursuit.certification.code, v.pursuit.stage) for v in head] == [
        ("PMI-PMOCP", "exam_scheduled")
    ]
    assert board.upcoming


def test_the_same_seed_gives_the_same_study_records(app, catalog):
    def snapshot():
        build_demo(staff=120, seed=5, today=TODAY)
        db.session.commit()
        rows = db.session.execute(
            select(StudySession.pursuit_id, StudySession.studied_on, StudySession.minutes,
                   StudySession.domain, StudySession.kind, StudySession.score)
            .order_by(StudySession.id)
        ).all()  # fmt: skip
        return rows

    assert snapshot() == snapshot()
