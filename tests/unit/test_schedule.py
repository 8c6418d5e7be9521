"""The reminder schedule by hand-worked cases: lead times, catching up without stale repeats,
escalation once per cycle, pace monthly, suspension and expiry once, exams, study, windows."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from pmolearn.reminders.schedule import (
    CredentialFacts,
    PursuitFacts,
    due,
    for_credential,
    for_pursuit,
    latest_due,
)

END = date(2027, 3, 7)
LEADS = (180, 90, 30, 7, 0)


def pmp(status="active", compliance="at_risk", remaining=D(16), end=END):
    grace = date(end.year + 1, end.month, end.day)
    return CredentialFacts(7, 1, "PMP", status, end, grace, compliance, remaining)


def kinds(found):
    return [(d.kind, d.due_on, d.lead) for d in found]


def test_each_lead_time_falls_due_on_its_day():
    assert for_credential(pmp(), END - timedelta(days=181), LEADS) == []
    assert kinds(for_credential(pmp(), END - timedelta(days=180), LEADS)) == [
        ("renewal", END - timedelta(days=180), 180)
    ]
    assert kinds(for_credential(pmp(), END, LEADS))[0] == ("renewal", END, 0)


def test_a_run_after_a_gap_catches_up_with_the_latest_lead_only():
    """Entered 20 days before the end: the 30-day reminder, not 180, 90 and 30 at once."""
    found = for_credential(pmp(compliance="complete", remaining=D(0)), END - timedelta(20), LEADS)
    assert kinds(found) == [("renewal", END - timedelta(days=30), 30)]


def test_the_person_s_own_lead_times_count():
    found = for_credential(pmp(), END - timedelta(days=60), (60, 14))
    assert kinds(found)[0] == ("renewal", END - timedelta(days=60), 60)


def test_escalation_once_per_cycle_within_30_days_with_pdus_missing():
    early = for_credential(pmp(), END - timedelta(days=31), LEADS)
    assert "escalation" not in [d.kind for d in early]
    days = [END - timedelta(days=n) for n in (30, 12, 0)]
    keys = {
        (d.kind, d.due_on)
        for day in days
        for d in for_credential(pmp(), day, LEADS)
        if d.kind == "escalation"
    }
    assert keys == {("escalation", END - timedelta(days=30))}  # one key: sent once
    done = for_credential(pmp(compliance="complete", remaining=D(0)), END - timedelta(5), LEADS)
    assert "escalation" not in [d.kind for d in done]


def test_pace_behind_at_most_monthly_and_quiet_near_the_end():
    on = date(2026, 5, 20)
    assert ("pace", date(2026, 5, 1), None) in kinds(
        for_credential(pmp(compliance="behind"), on, LEADS)
    )
    again = for_credential(pmp(compliance="behind"), date(2026, 5, 28), LEADS)
    assert ("pace", date(2026, 5, 1), None) in kinds(again)  # same key: not twice
    near = for_credential(pmp(compliance="behind"), END - timedelta(days=20), LEADS)
    assert "pace" not in [d.kind for d in near]


def test_suspension_and_expiry_once_and_old_expiry_is_not_news():
    suspended = for_credential(pmp(status="suspended"), END + timedelta(days=40), LEADS)
    assert kinds(suspended) == [("suspended", END + timedelta(days=1), None)]
    grace_end = date(2028, 3, 7)
    expired = for_credential(pmp(status="expired"), grace_end + timedelta(days=3), LEADS)
    assert kinds(expired) == [("expired", grace_end + timedelta(days=1), None)]
    assert for_credential(pmp(status="expired"), grace_end + timedelta(days=31), LEADS) == []
    assert for_credential(pmp(status="retired"), END - timedelta(days=7), LEADS) == []


def test_exam_reminders_at_14_7_and_1_days():
    exam = date(2027, 1, 20)
    p = PursuitFacts(3, 1, "PMP", "exam_scheduled", exam)
    assert for_pursuit(p, exam - timedelta(days=15)) == []
    assert kinds(for_pursuit(p, exam - timedelta(days=10))) == [("exam", exam - timedelta(14), 14)]
    assert kinds(for_pursuit(p, exam - timedelta(days=1))) == [("exam", exam - timedelta(1), 1)]
    assert for_pursuit(p, exam + timedelta(days=1)) == []


def test_a_plan_behind_by_more_than_a_week_weekly():
    p = PursuitFacts(3, 1, "PgMP", "studying", date(2027, 4, 6), D("13.35"), D(6))
    wednesday = date(2026, 12, 2)
    assert kinds(for_pursuit(p, wednesday)) == [("study", date(2026, 11, 30), None)]
    within_a_week = PursuitFacts(3, 1, "PgMP", "studying", date(2027, 4, 6), D(5), D(6))
    assert for_pursuit(within_a_week, wednesday) == []


def test_the_eligibility_window_closing_without_an_exam_booked():
    ends = date(2027, 6, 1)
    applied = PursuitFacts(3, 1, "PMP", "applied", date(2027, 9, 1), window_ends_on=ends)
    assert kinds(for_pursuit(applied, ends - timedelta(days=45))) == [
        ("window", ends - timedelta(days=60), 60)
    ]
    booked = PursuitFacts(3, 1, "PMP", "exam_scheduled", date(2027, 5, 1), window_ends_on=ends)
    assert "window" not in [d.kind for d in for_pursuit(booked, ends - timedelta(days=45))]


def test_due_uses_each_person_s_lead_times():
    found = due(END - timedelta(days=60), [pmp()], [], {1: (60,)})
    assert kinds(found) == [("renewal", END - timedelta(days=60), 60)]


@given(st.integers(-400, 400), st.lists(st.integers(0, 365), min_size=1, max_size=6))
def test_latest_due_is_never_after_the_day_nor_before_the_earliest_lead(offset, leads):
    on = END + timedelta(days=offset)
    hit = latest_due(END, leads, on)
    if hit is None:
        assert on > END or all(END - timedelta(days=lead) > on for lead in leads)
    else:
        day, lead = hit
        assert day <= on <= END and lead in leads
        assert all(not (day < END - timedelta(days=x) <= on) for x in leads)
