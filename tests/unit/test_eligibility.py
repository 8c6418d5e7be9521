"""Eligibility and the exam window, by hand-worked cases from the catalog (UPDATE-2026-12).

The rule sets are read from the real seeds, so a change to the catalog shows up here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from pmolearn.clock import add_months
from pmolearn.study.eligibility import (
    Facts,
    Period,
    RuleSet,
    Training,
    evaluate,
    exam_standing,
    months_of,
)

SEEDS = yaml.safe_load((Path(__file__).parents[2] / "seeds" / "certifications.yaml").read_text())
CERTS = {c["code"]: c for c in SEEDS["certifications"]}
ON = date(2026, 11, 25)


def rules(code: str, label: str | None = None) -> RuleSet:
    sets = CERTS[code]["eligibility_rules"]
    found = next(s for s in sets if label is None or s["label"] == label)
    return RuleSet(found["label"], found, found.get("disputed"), tuple(found.get("sources", [])))


PMP_2026 = "PMP, exams from 2026-07-09"
PMP_OLD = "PMP, exams up to 2026-07-08"


def item(result, name):
    return next(i for i in result.items if i.requirement.startswith(name))


# --- months of experience --------------------------------------------------------------------


def test_overlapping_projects_are_counted_once():
    """1 January to 31 March and 1 February to 31 May of one year make 5 months (D1)."""
    periods = [
        Period(date(2025, 1, 1), date(2025, 3, 31)),
        Period(date(2025, 2, 1), date(2025, 5, 31)),
    ]
    assert months_of(periods, date(2016, 1, 1), ON) == 5


def test_months_are_whole_and_leftover_days_pool():
    # 15 January to 14 February: one month; two separate 20-day stretches pool into one month.
    assert months_of([Period(date(2025, 1, 15), date(2025, 2, 14))], date(2000, 1, 1), ON) == 1
    apart = [
        Period(date(2025, 3, 1), date(2025, 3, 20)),
        Period(date(2025, 6, 1), date(2025, 6, 20)),
    ]
    assert months_of(apart, date(2000, 1, 1), ON) == 1


def test_only_the_window_counts_and_ongoing_work_runs_to_the_date():
    old = Period(date(2010, 1, 1), date(2012, 12, 31))  # before a 10-year window from 2026
    ongoing = Period(date(2026, 1, 25), None)
    assert months_of([old, ongoing], date(2016, 11, 25), ON) == 10


# --- PMP -------------------------------------------------------------------------------------


def pmp_candidate(months: int, training_hours: int, education="bachelor", credentials=()):
    """``months`` of project leadership up to 31 October 2026."""
    start = add_months(date(2026, 11, 1), -months)
    experience = (Period(start, date(2026, 10, 31)),) if months else ()
    return Facts(
        education=education,
        experience=experience,
        training=(Training(D(training_hours), "project_management", date(2026, 5, 1)),),
        credentials=frozenset(credentials),
    )


def test_capm_credits_23_of_the_35_hours_under_the_2026_rules():
    """An active CAPM counts as 23 of PMP's 35 hours: 12 more are needed (U1; D1)."""
    facts = pmp_candidate(48, 12, credentials={"CAPM"})
    result = evaluate(rules("PMP", PMP_2026), facts, ON)
    training = item(result, "Project management training")
    assert (training.required, training.have, training.met) == (D(35), D(35), True)
    assert "23 hours credited for your active CAPM" in training.note
    short = evaluate(rules("PMP", PMP_2026), pmp_candidate(48, 11, credentials={"CAPM"}), ON)
    assert not item(short, "Project management training").met


def test_before_the_2026_rules_an_active_capm_replaced_all_35_hours():
    result = evaluate(rules("PMP", PMP_OLD), pmp_candidate(48, 0, credentials={"CAPM"}), ON)
    assert item(result, "Project management training").met
    assert result.met


def test_the_2026_rules_are_disputed_and_say_so():
    result = evaluate(rules("PMP", PMP_2026), pmp_candidate(48, 35), ON)
    assert result.met and result.disputed.startswith("PMI's July 2026 exam content outline")
    assert result.to_dict()["disputed"] is True
    assert evaluate(rules("PMP", PMP_OLD), pmp_candidate(48, 35), ON).disputed is None


def test_an_associate_degree_has_its_own_tier_from_2026():
    """48 months with an associate degree (new in 2026); the old rules wanted 60."""
    facts = pmp_candidate(50, 35, education="associate")
    assert evaluate(rules("PMP", PMP_2026), facts, ON).met
    old = evaluate(rules("PMP", PMP_OLD), facts, ON)
    assert not old.met and item(old, "Experience").required == 60


def test_the_window_grew_from_8_to_10_years():
    facts = Facts(
        education="bachelor",
        experience=(Period(date(2016, 12, 1), date(2019, 12, 31)),),
        training=(Training(D(35), "project_management", date(2025, 1, 1)),),
    )
    assert evaluate(rules("PMP", PMP_2026), facts, ON).met  # 36 months, all within 10 years
    assert not evaluate(rules("PMP", PMP_OLD), facts, ON).met  # most of it before 8 years


def test_every_requirement_says_needed_have_and_met():
    result = evaluate(rules("PMP", PMP_2026), Facts(education="secondary"), ON)
    assert [(i.requirement, i.required, i.have, i.met) for i in result.items] == [
        ("Education", "Secondary diploma or higher", "secondary", True),
        ("Experience leading projects in the last 10 years", 60, 0, False),
        ("Project management training", D(35), D(0), False),
    ]


# --- other certifications --------------------------------------------------------------------


def test_pgmp_project_experience_is_met_by_an_active_pmp():
    facts = Facts(
        education="bachelor",
        credentials=frozenset({"PMP"}),
        experience=(Period(date(2021, 1, 1), date(2025, 12, 31), kind="program"),),
    )
    result = evaluate(rules("PgMP"), facts, ON)
    assert result.met
    assert "Met by your active PMP" in item(result, "Project management experience").note


def test_a_graduate_short_of_programme_months_is_shown_the_degree_route():
    """Bachelor, an active PMP, 47 months of programmes: every route fails on programme months
    alone, and the one shown is the degree's 48 months (not the diploma's 84)."""
    facts = Facts(
        education="bachelor",
        experience=(Period(add_months(ON, -47), None, "program"),),
        credentials=frozenset({"PMP"}),
    )
    result = evaluate(rules("PgMP"), facts, ON)
    programme = item(result, "Programme management experience")
    assert not result.met and (programme.required, programme.have) == (48, 47)


def test_pmocp_wants_ten_hours_of_pmo_education_and_36_months_or_a_pmp():
    facts = Facts(
        education="secondary",
        credentials=frozenset({"PMP"}),
        training=(Training(D(10), "pmo", date(2026, 3, 1)),),
    )
    assert evaluate(rules("PMI-PMOCP"), facts, ON).met
    no_pmo_hours = Facts(
        education="secondary",
        credentials=frozenset({"PMP"}),
        training=(Training(D(40), "project_management", date(2026, 3, 1)),),
    )
    assert not evaluate(rules("PMI-PMOCP"), no_pmo_hours, ON).met


def test_spc_needs_the_implementing_safe_course():
    assert not evaluate(rules("SAFe-SPC"), Facts(), ON).met
    taken = Facts(training=(Training(D(32), "implementing_safe", date(2026, 6, 1)),))
    assert evaluate(rules("SAFe-SPC"), taken, ON).met


def test_capm_has_no_experience_route():
    result = evaluate(
        rules("CAPM"),
        Facts(
            education="secondary",
            training=(Training(D(23), "project_management", date(2026, 6, 1)),),
        ),
        ON,
    )
    assert result.met and [i.requirement for i in result.items] == [
        "Education",
        "Project management education",
    ]


def test_the_acp_counts_agile_experience_only():
    plain = Period(date(2023, 1, 1), date(2026, 6, 30))
    agile = Period(date(2023, 1, 1), date(2026, 6, 30), agile=True)
    hours = (Training(D(28), "agile", date(2026, 2, 1)),)
    assert not evaluate(
        rules("PMI-ACP"), Facts("secondary", experience=(plain,), training=hours), ON
    ).met
    assert evaluate(
        rules("PMI-ACP"), Facts("secondary", experience=(agile,), training=hours), ON
    ).met


def test_pmo_cp_is_closed_to_new_candidates():
    result = evaluate(rules("PMO-CP"), Facts(education="postgraduate"), ON)
    assert not result.met and result.closed.startswith("Closed to new candidates")


# --- the exam window and retakes -------------------------------------------------------------

PMI = CERTS["PMP"]["exam_rules"]


def test_three_attempts_in_the_one_year_window():
    applied = date(2026, 1, 10)
    open_ = exam_standing(PMI, applied, [(date(2026, 4, 1), False)], ON)
    assert open_.may_sit and open_.attempts_left == 2 and open_.window_ends_on == date(2027, 1, 10)


def test_after_the_third_failure_wait_a_year():
    """U4 (D1): three failed attempts in the window, then a one-year wait before reapplying."""
    failed = [(date(2026, 3, 1), False), (date(2026, 6, 1), False), (date(2026, 9, 1), False)]
    standing = exam_standing(PMI, date(2026, 1, 10), failed, ON)
    assert not standing.may_sit and standing.attempts_left == 0
    assert standing.again_on == date(2027, 9, 1)
    assert "reapply from 1 September 2027" in standing.reason


def test_a_lapsed_window_with_attempts_left_needs_no_wait():
    standing = exam_standing(PMI, date(2025, 6, 1), [(date(2025, 9, 1), False)], ON)
    assert not standing.may_sit and standing.again_on == ON
    assert "no wait" in standing.reason


@pytest.mark.parametrize(
    ("failures", "opens"),
    [
        ([date(2026, 11, 25)], date(2026, 11, 25)),
        ([date(2026, 11, 1), date(2026, 11, 20)], date(2026, 11, 30)),
        ([date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 10)], date(2026, 12, 10)),
    ],
)
def test_spc_retakes_wait_0_then_10_then_30_days(failures, opens):
    """S11: immediate, 10 days, 30 days (then 30 days each)."""
    spc = CERTS["SAFe-SPC"]["exam_rules"]
    standing = exam_standing(spc, None, [(d, False) for d in failures], ON)
    assert standing.may_sit == (opens <= ON)
    if not standing.may_sit:
        assert standing.again_on == opens
