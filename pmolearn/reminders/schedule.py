"""What is due to be reminded on a date: the one home of the reminder rules. Pure (standard
library and other pure modules), over plain facts the services load in bulk.

Each rule gives a series of possible reminders, each with its due date; on a day ``as_of`` a
series yields at most one: the latest one already due and still useful. A run that comes after
a gap (a missed day, a record entered late, a mail server that was down) catches up with that
one only, so it never sends stale lead times twice over: a credential entered 20 days before
its deadline gets the 30-day reminder, not the 180-, 90- and 30-day ones at once.

The series (``kind``):
- ``renewal``: the cycle ends in ``lead`` days, for each of the person's lead times (default
  180, 90, 30, 7 and 0: the day itself), while the credential is active.
- ``escalation``: within 30 days of the end with PDUs still missing: once per cycle, to the
  person's manager and to the head of their PMO unit (the services find them).
- ``pace``: the PDU pace has fallen behind (at most once a calendar month), while the end is
  more than 30 days away (closer, the renewal reminders say it).
- ``suspended``: the cycle ended unrenewed and the grace period began (once per cycle).
- ``expired``: the grace period ended too (once; only within 30 days after, so that a record
  entered years later does not announce old news).
- ``exam``: a scheduled exam in 14, 7 or 1 days.
- ``study``: a study plan behind by more than a week of its own hours (at most once a week).
- ``window``: PMI's eligibility window closes in 60, 30 or 7 days with no exam scheduled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

DEFAULT_LEAD_DAYS = (180, 90, 30, 7, 0)
ESCALATE_WITHIN_DAYS = 30
PACE_QUIET_DAYS = 30
EXPIRED_NEWS_DAYS = 30
EXAM_LEAD_DAYS = (14, 7, 1)
WINDOW_LEAD_DAYS = (60, 30, 7)
STUDY_STAGES = ("planning", "studying", "eligible", "applied", "exam_scheduled")
WINDOW_STAGES = ("eligible", "applied", "failed")

KINDS = ("renewal", "escalation", "pace", "suspended", "expired", "exam", "study", "window")


@dataclass(frozen=True)
class CredentialFacts:
    credential_id: int
    person_id: int
    certification: str
    #: "active", "suspended", "expired" or "retired" on the day.
    status: str
    cycle_end: date | None
    grace_end: date | None
    #: The engine's verdict: "complete", "on_track", "at_risk", "behind", "grace", "lapsed";
    #: None when the renewal rules are unconfirmed.
    compliance: str | None = None
    #: PDUs still needed (None: unconfirmed rules).
    remaining: Decimal | None = None


@dataclass(frozen=True)
class PursuitFacts:
    pursuit_id: int
    person_id: int
    certification: str
    stage: str
    exam_on: date
    behind_hours: Decimal = Decimal(0)
    weekly_hours: Decimal = Decimal(1)
    #: The end of the issuer's eligibility window (None: no window, or not applied yet).
    window_ends_on: date | None = None


@dataclass(frozen=True)
class Due:
    """One reminder due: for whom, about what, which series and its due date."""

    person_id: int
    subject_type: str
    subject_id: int
    kind: str
    due_on: date
    #: Days before the date it is about (renewal, exam, window); None for the others.
    lead: int | None = None
    #: The date it is about: the cycle end, the exam, the window end, the grace end.
    about: date | None = None


def latest_due(target: date, leads: Iterable[int], as_of: date) -> tuple[date, int] | None:
    """(due date, lead) of the latest lead time already due on ``as_of``, if the target has
    not passed; None when none is due yet or the target is gone."""
    if as_of > target:
        return None
    due = [(target - timedelta(days=lead), lead) for lead in set(leads)]
    reached = [(day, lead) for day, lead in due if day <= as_of]
    return max(reached) if reached else None


def for_credential(c: CredentialFacts, as_of: date, leads: Sequence[int]) -> list[Due]:
    found: list[Due] = []

    def add(kind: str, due_on: date, lead: int | None = None, about: date | None = None):
        found.append(Due(c.person_id, "credential", c.credential_id, kind, due_on, lead, about))

    if c.status == "active" and c.cycle_end is not None:
        if hit := latest_due(c.cycle_end, leads, as_of):
            add("renewal", hit[0], hit[1], c.cycle_end)
        days_left = (c.cycle_end - as_of).days
        missing = c.remaining is not None and c.remaining > 0
        if 0 <= days_left <= ESCALATE_WITHIN_DAYS and missing:
            add("escalation", c.cycle_end - timedelta(days=ESCALATE_WITHIN_DAYS), None, c.cycle_end)
        if c.compliance == "behind" and days_left > PACE_QUIET_DAYS:
            add("pace", as_of.replace(day=1), None, c.cycle_end)
    elif c.status == "suspended" and c.cycle_end is not None:
        add("suspended", c.cycle_end + timedelta(days=1), None, c.grace_end)
    elif (
        c.status == "expired"
        and c.grace_end is not None
        and (as_of - c.grace_end).days <= EXPIRED_NEWS_DAYS
    ):
        add("expired", c.grace_end + timedelta(days=1), None, c.grace_end)
    return found


def for_pursuit(p: PursuitFacts, as_of: date) -> list[Due]:
    found: list[Due] = []

    def add(kind: str, due_on: date, lead: int | None = None, about: date | None = None):
        found.append(Due(p.person_id, "pursuit", p.pursuit_id, kind, due_on, lead, about))

    if p.stage == "exam_scheduled" and (hit := latest_due(p.exam_on, EXAM_LEAD_DAYS, as_of)):
        add("exam", hit[0], hit[1], p.exam_on)
    if p.stage in STUDY_STAGES and p.behind_hours > p.weekly_hours and as_of <= p.exam_on:
        monday = as_of - timedelta(days=as_of.weekday())
        add("study", monday, None, p.exam_on)
    window = p.window_ends_on if p.stage in WINDOW_STAGES else None
    if window is not None and (hit := latest_due(window, WINDOW_LEAD_DAYS, as_of)):
        add("window", hit[0], hit[1], window)
    return found


def due(
    as_of: date,
    credentials: Iterable[CredentialFacts],
    pursuits: Iterable[PursuitFacts],
    lead_days: Mapping[int, Sequence[int]] | None = None,
) -> list[Due]:
    """Everything due on ``as_of``; ``lead_days`` per person (default ``DEFAULT_LEAD_DAYS``)."""
    leads = lead_days or {}
    found: list[Due] = []
    for c in credentials:
        found += for_credential(c, as_of, leads.get(c.person_id, DEFAULT_LEAD_DAYS))
    for p in pursuits:
        found += for_pursuit(p, as_of)
    return found


def upcoming(
    as_of: date,
    credentials: Iterable[CredentialFacts],
    pursuits: Iterable[PursuitFacts],
    lead_days: Mapping[int, Sequence[int]] | None = None,
) -> list[Due]:
    """The dated reminders still ahead (renewal lead times, exam and window countdowns), soonest
    first; the others (pace, study, suspension) depend on what happens until then."""
    leads = lead_days or {}
    found: list[Due] = []
    for c in credentials:
        if c.status == "active" and c.cycle_end is not None:
            for lead in sorted(set(leads.get(c.person_id, DEFAULT_LEAD_DAYS)), reverse=True):
                day = c.cycle_end - timedelta(days=lead)
                if day > as_of:
                    found.append(
                        Due(c.person_id, "credential", c.credential_id, "renewal", day, lead,
                            c.cycle_end)
                    )  # fmt: skip
    for p in pursuits:
        series = []
        if p.stage == "exam_scheduled":
            series.append(("exam", p.exam_on, EXAM_LEAD_DAYS))
        if p.stage in WINDOW_STAGES and p.window_ends_on is not None:
            series.append(("window", p.window_ends_on, WINDOW_LEAD_DAYS))
        for kind, target, lead_times in series:
            for lead in lead_times:
                day = target - timedelta(days=lead)
                if day > as_of:
                    found.append(Due(p.person_id, "pursuit", p.pursuit_id, kind, day, lead, target))
    return sorted(found, key=lambda d: (d.due_on, d.kind, d.subject_id))
