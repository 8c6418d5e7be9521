"""Study plans and progress, by hand-worked cases on the catalog's own outlines."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from pmolearn.study.plan import (
    Session,
    burn_up,
    default_total,
    make_plan,
    milestones,
    outline_on,
    progress,
)

SEEDS = yaml.safe_load((Path(__file__).parents[2] / "seeds" / "certifications.yaml").read_text())
EXAMS = {c["code"]: c["exam"] for c in SEEDS["certifications"]}
START = date(2026, 9, 1)


def test_the_plan_follows_the_outline_in_force_on_the_exam_date():
    """PMP: People 33 %, Process 41 %, Business Environment 26 % from 9 July 2026; 42/50/8 for
    an exam before it (S20, S21, S16)."""
    new = outline_on(EXAMS["PMP"], date(2027, 1, 15))
    assert new.version == "ECO-2026"
    assert [(d.name, d.weight) for d in new.domains] == [
        ("People", D(33)),
        ("Process", D(41)),
        ("Business Environment", D(26)),
    ]
    assert new.questions is None and [r["value"] for r in new.disputed["questions"]] == [185, 180]
    old = outline_on(EXAMS["PMP"], date(2026, 7, 8))
    assert [d.weight for d in old.domains] == [D(42), D(50), D(8)]


def test_hours_per_domain_are_in_proportion_and_add_up():
    outline = outline_on(EXAMS["PMP"], date(2027, 1, 15))
    plan = make_plan(outline, START, date(2027, 1, 15), D(6), D(120))
    assert [d.planned_hours for d in plan.domains] == [D("39.60"), D("49.20"), D("31.20")]
    odd = make_plan(outline, START, date(2027, 1, 15), D(6), D(100.01))
    assert sum(d.planned_hours for d in odd.domains) == D("100.01")


def test_spc_ranges_count_at_their_middle_scaled_to_100():
    outline = outline_on(EXAMS["SAFe-SPC"], date(2027, 1, 15))
    assert abs(sum(d.weight for d in outline.domains) - 100) <= D("0.05")
    assert "middle of each known range" in outline.note
    assert len(outline.domains) == 9  # the unconfirmed remainder is not planned


def test_default_total_is_pmoleans_suggestion_else_the_pace():
    assert default_total(120, D(6), START, date(2027, 1, 15)) == D(120)
    assert default_total(None, D(5), START, START + timedelta(weeks=10)) == D(50)


def test_weekly_milestones_run_to_the_exam_and_stop_at_the_total():
    outline = outline_on(EXAMS["CAPM"], date(2026, 12, 1))
    plan = make_plan(outline, START, START + timedelta(days=17), D(10), D(20))
    marks = milestones(plan)
    assert [(m.week, m.ends_on, m.planned_hours) for m in marks] == [
        (1, date(2026, 9, 8), D(10)),
        (2, date(2026, 9, 15), D(20)),
        (3, date(2026, 9, 18), D(20)),
    ]


def test_progress_behind_by_and_projected_ready_date():
    """Four weeks in at 6 h a week, 18 h logged: 24 planned, 6 behind; at 18 h in 29 days
    (4.34 h a week) the remaining 102 of 120 take 23.5 weeks."""
    outline = outline_on(EXAMS["PMP"], date(2027, 3, 1))
    plan = make_plan(outline, START, date(2027, 3, 1), D(6), D(120))
    sessions = [Session(START + timedelta(days=7 * i), 270, "People", "course") for i in range(4)]
    on = START + timedelta(days=28)
    result = progress(plan, sessions, on)
    assert (result.hours_logged, result.hours_planned_to_date) == (D(18), D(24))
    assert result.behind_by_hours == D(6)
    assert result.by_domain[0].hours_logged == D(18) and result.by_domain[1].hours_logged == 0
    assert result.pace_per_week == D("4.34")
    assert result.projected_ready_on == on + timedelta(days=165)


def test_practice_scores_and_their_trend():
    outline = outline_on(EXAMS["PMP"], date(2027, 3, 1))
    plan = make_plan(outline, START, date(2027, 3, 1), D(6), D(120))
    sessions = [
        Session(START + timedelta(days=d), 60, "Process", "practice_exam", s)
        for d, s in ((3, 58), (10, 64), (20, 71))
    ]
    result = progress(plan, sessions, START + timedelta(days=30))
    assert [s for _, s in result.scores] == [58, 64, 71] and result.score_trend == 13


def test_burn_up_has_planned_and_logged_per_week_and_no_future_logged():
    """Logged ends on today (day 9: 10 h a week → 12.86 planned); later weeks have none."""
    outline = outline_on(EXAMS["CAPM"], date(2026, 12, 1))
    plan = make_plan(outline, START, START + timedelta(days=21), D(10), D(30))
    sessions = [
        Session(START + timedelta(days=2), 120, "Business Analysis Frameworks", "reading"),
        Session(START + timedelta(days=8), 30, "Business Analysis Frameworks", "reading"),
    ]
    points = burn_up(plan, sessions, START + timedelta(days=9))
    assert [((p.on - START).days, p.planned, p.logged, p.today) for p in points] == [
        (0, D(0), D(0), False),
        (7, D(10), D(2), False),
        (9, D("12.86"), D("2.5"), True),
        (14, D(20), None, False),
        (21, D(30), None, False),
    ]


def test_burn_up_on_the_first_day_counts_what_was_logged_today():
    outline = outline_on(EXAMS["CAPM"], date(2026, 12, 1))
    plan = make_plan(outline, START, START + timedelta(days=14), D(10), D(20))
    sessions = [Session(START, 90, "Business Analysis Frameworks", "reading")]
    points = burn_up(plan, sessions, START)
    assert [(p.on, p.planned, p.logged) for p in points[:2]] == [
        (START, D(0), None),
        (START, D(0), D("1.5")),
    ]
    after = burn_up(plan, sessions, START + timedelta(days=30))
    assert [p.logged for p in after] == [D(0), D("1.5"), D("1.5")]


@given(st.integers(1, 2000), st.integers(1, 30), st.integers(1, 400))
def test_planned_hours_always_add_up_to_the_total(total, weekly, days):
    outline = outline_on(EXAMS["PfMP"], date(2027, 1, 1))
    plan = make_plan(outline, START, START + timedelta(days=days), D(weekly), D(total))
    assert sum(d.planned_hours for d in plan.domains) == D(total)
    assert milestones(plan)[-1].planned_hours <= D(total)
