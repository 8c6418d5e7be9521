"""A study plan and its progress. Pure (standard library and ``clock``, ``text``).

A plan spreads a total of hours over the exam outline's domains by their weights, and over the
weeks up to the exam at a weekly pace. Progress compares the hours logged with the hours planned
to date, per domain too, follows the practice-exam scores, and projects the day the plan will be
done at the pace so far. The outline is the one in force on the target exam date (PMP: People
33 %, Process 41 %, Business Environment 26 % for exams from 9 July 2026).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal

from pmolearn import text

CENT = Decimal("0.01")
WEEK = Decimal(7)
ZERO = Decimal(0)


# --- the outline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Domain:
    name: str
    weight: Decimal  # per cent of the exam
    area: str | None = None


@dataclass(frozen=True)
class Outline:
    """An exam outline version: its domains and what is known (or disputed) of its length."""

    version: str
    domains: tuple[Domain, ...]
    questions: int | None = None
    minutes: int | None = None
    disputed: Mapping | None = None
    #: Said when the weights had to be derived (ranges, domains unconfirmed).
    note: str = ""


def outline_on(exam: Mapping, day: date) -> Outline | None:
    """The outline in force on ``day``: the version whose dates hold it, else the current one."""
    versions = [v for v in exam.get("versions") or [] if not v.get("superseded")]
    chosen = next((v for v in versions if _in_force(v, day)), None)
    if chosen is None:
        current = exam.get("current_version")
        chosen = next((v for v in versions if v.get("id") == current), None)
    if chosen is None:
        return None
    domains, note = _domains(chosen)
    if not domains:
        return None
    return Outline(
        version=str(chosen.get("id")),
        domains=domains,
        questions=chosen.get("questions"),
        minutes=chosen.get("minutes"),
        disputed=chosen.get("disputed"),
        note=note,
    )


def _in_force(version: Mapping, day: date) -> bool:
    start, end = version.get("effective_from"), version.get("effective_to")
    if start is None and end is None:
        return False
    return (start is None or _date(start) <= day) and (end is None or day <= _date(end))


def _date(value) -> date:
    text_value = str(value)
    return date.fromisoformat(text_value if len(text_value) == 10 else text_value + "-01")


def _domains(version: Mapping) -> tuple[tuple[Domain, ...], str]:
    """Weights as published; a range counts at its middle and the known ones are scaled to 100."""
    if version.get("domains"):
        return tuple(
            Domain(d["name"], Decimal(str(d["weight_pct"])), d.get("area"))
            for d in version["domains"]
        ), ""
    ranged = [d for d in version.get("domains_weight_range_pct") or [] if d.get("min") is not None]
    if not ranged:
        return (), ""
    middles = [(Decimal(str(d["min"])) + Decimal(str(d["max"]))) / 2 for d in ranged]
    scale = Decimal(100) / sum(middles, ZERO)
    domains = tuple(
        Domain(d["name"], (m * scale).quantize(CENT), d.get("area"))
        for d, m in zip(ranged, middles, strict=True)
    )
    note = (
        "The outline gives ranges and leaves some domains unconfirmed: the plan uses the middle "
        "of each known range, scaled to 100 %."
    )
    return domains, note


# --- the plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedDomain:
    name: str
    weight: Decimal
    planned_hours: Decimal
    area: str | None = None


@dataclass(frozen=True)
class Plan:
    started_on: date
    exam_on: date
    weekly_hours: Decimal
    total_hours: Decimal
    domains: tuple[PlannedDomain, ...]

    @property
    def weeks(self) -> Decimal:
        return max(Decimal((self.exam_on - self.started_on).days) / WEEK, Decimal(1))

    @property
    def reachable_hours(self) -> Decimal:
        """What the weekly pace adds up to by the exam date."""
        return min(self.total_hours, (self.weekly_hours * self.weeks).quantize(CENT))

    @property
    def weekly_needed(self) -> Decimal:
        """The pace that finishes the total by the exam date."""
        return (self.total_hours / self.weeks).quantize(Decimal("0.1"), rounding=ROUND_CEILING)


def default_total(
    suggested: int | None, weekly_hours: Decimal, started_on: date, exam_on: date
) -> Decimal:
    """pmolearn's suggested hours for the exam, else what the weekly pace reaches by then."""
    if suggested:
        return Decimal(suggested)
    weeks = max(Decimal((exam_on - started_on).days) / WEEK, Decimal(1))
    return (weekly_hours * weeks).quantize(Decimal(1), rounding=ROUND_CEILING)


def make_plan(
    outline: Outline, started_on: date, exam_on: date, weekly_hours: Decimal, total: Decimal
) -> Plan:
    """Hours per domain in proportion to the weights, to the hundredth, adding up to ``total``
    (the hundredths left by rounding down go to the heaviest domains first)."""
    weights = sum((d.weight for d in outline.domains), ZERO)
    exact = [total * d.weight / weights for d in outline.domains]
    hours = [h.quantize(CENT, rounding=ROUND_DOWN) for h in exact]
    left = int((total - sum(hours, ZERO)) / CENT)

    def owed(i: int) -> tuple[Decimal, Decimal]:
        return exact[i] - hours[i], outline.domains[i].weight

    order = sorted(range(len(hours)), key=owed, reverse=True)
    for i in order[:left]:
        hours[i] += CENT
    domains = tuple(
        PlannedDomain(d.name, d.weight, h, d.area)
        for d, h in zip(outline.domains, hours, strict=True)
    )
    return Plan(started_on, exam_on, weekly_hours, total, domains)


@dataclass(frozen=True)
class Milestone:
    week: int
    ends_on: date
    planned_hours: Decimal


def milestones(plan: Plan) -> list[Milestone]:
    """Where the plan should stand at the end of each week up to the exam."""
    result = []
    week = 1
    while True:
        ends = min(plan.started_on + timedelta(days=7 * week), plan.exam_on)
        result.append(Milestone(week, ends, planned_by(plan, ends)))
        if ends >= plan.exam_on:
            return result
        week += 1


def planned_by(plan: Plan, day: date) -> Decimal:
    """Hours planned from the start to ``day``, at the weekly pace, never past the total."""
    days = Decimal(max((min(day, plan.exam_on) - plan.started_on).days, 0))
    return min(plan.total_hours, (plan.weekly_hours * days / WEEK).quantize(CENT))


# --- progress --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    studied_on: date
    minutes: int
    domain: str
    kind: str
    score: int | None = None


@dataclass(frozen=True)
class DomainProgress:
    name: str
    weight: Decimal
    planned_hours: Decimal
    hours_logged: Decimal

    @property
    def share(self) -> Decimal:
        """The part of its planned hours logged, 0 to 1 (more is capped for bars)."""
        if self.planned_hours <= 0:
            return Decimal(1)
        return min(self.hours_logged / self.planned_hours, Decimal(1))


@dataclass(frozen=True)
class Progress:
    on: date
    hours_logged: Decimal
    hours_planned_to_date: Decimal
    behind_by_hours: Decimal
    by_domain: tuple[DomainProgress, ...]
    scores: tuple[tuple[date, int], ...]
    projected_ready_on: date | None
    pace_per_week: Decimal

    @property
    def score_trend(self) -> int | None:
        """Points gained (or lost) from the first practice exam to the last."""
        if len(self.scores) < 2:
            return None
        return self.scores[-1][1] - self.scores[0][1]

    def to_dict(self) -> dict:
        return {
            "hours_logged": float(self.hours_logged),
            "hours_planned_to_date": float(self.hours_planned_to_date),
            "behind_by_hours": float(self.behind_by_hours),
            "by_domain": [
                {
                    "name": d.name,
                    "weight": float(d.weight),
                    "hours_logged": float(d.hours_logged),
                    "planned_hours": float(d.planned_hours),
                }
                for d in self.by_domain
            ],
            "practice_scores": [{"on": day.isoformat(), "score": s} for day, s in self.scores],
            "score_trend": self.score_trend,
            "pace_per_week": float(self.pace_per_week),
            "projected_ready_on": text.iso(self.projected_ready_on),
        }


def hours(minutes: int) -> Decimal:
    """Minutes as hours to the hundredth; totals are summed in minutes first, then converted
    once, so a page, the team board and the API agree to the cent."""
    return (Decimal(minutes) / 60).quantize(CENT)


@dataclass(frozen=True)
class Pace:
    """Hours logged by a day against the hours the plan has planned by then."""

    hours_logged: Decimal
    hours_planned_to_date: Decimal
    behind_by_hours: Decimal


def pace(plan: Plan, minutes_logged: int, on: date) -> Pace:
    """Where a plan stands on ``on`` given the minutes logged up to then."""
    logged = hours(minutes_logged)
    planned = planned_by(plan, on)
    return Pace(logged, planned, max(planned - logged, ZERO))


def progress(plan: Plan, sessions: Iterable[Session], on: date) -> Progress:
    """Hours logged against the plan on ``on``; sessions after ``on`` are not counted."""
    done = sorted((s for s in sessions if s.studied_on <= on), key=lambda s: s.studied_on)
    standing = pace(plan, sum(s.minutes for s in done), on)
    logged = standing.hours_logged
    by_domain = tuple(
        DomainProgress(
            d.name,
            d.weight,
            d.planned_hours,
            hours(sum(s.minutes for s in done if s.domain == d.name)),
        )
        for d in plan.domains
    )
    # The pace so far, over at least a week: one evening's study is not a weekly habit yet.
    days = max((on - plan.started_on).days + 1, 7)
    per_week = (logged * WEEK / Decimal(days)).quantize(CENT)
    return Progress(
        on=on,
        hours_logged=logged,
        hours_planned_to_date=standing.hours_planned_to_date,
        behind_by_hours=standing.behind_by_hours,
        by_domain=by_domain,
        scores=tuple((s.studied_on, s.score) for s in done if s.score is not None),
        projected_ready_on=_projected(plan, done, logged, per_week, on),
        pace_per_week=per_week,
    )


def _projected(
    plan: Plan, done: Sequence[Session], logged: Decimal, pace: Decimal, on: date
) -> date | None:
    """When the total is reached: the day it was, or at the pace so far (None: no pace yet)."""
    if logged >= plan.total_hours:
        running = 0
        for session in done:
            running += session.minutes
            if hours(running) >= plan.total_hours:
                return session.studied_on
    if pace <= 0:
        return None
    weeks = (plan.total_hours - logged) / pace
    return on + timedelta(days=int((weeks * WEEK).to_integral_value(rounding=ROUND_CEILING)))


@dataclass(frozen=True)
class BurnUpPoint:
    on: date
    planned: Decimal
    logged: Decimal | None  # None after today: the future is not logged yet
    today: bool = False


def burn_up(plan: Plan, sessions: Iterable[Session], on: date) -> list[BurnUpPoint]:
    """Planned and logged hours at the start, at the end of each week up to the exam, and on
    ``on`` itself (where the logged line ends) when it falls inside the plan."""
    dated = sorted(sessions, key=lambda s: s.studied_on)

    def logged_by(day: date) -> Decimal:
        return hours(sum(s.minutes for s in dated if s.studied_on <= day))

    points = [BurnUpPoint(plan.started_on, ZERO, ZERO if on > plan.started_on else None)]
    for milestone in milestones(plan):
        day = milestone.ends_on
        if points[-1].on <= on < day:
            points.append(BurnUpPoint(on, planned_by(plan, on), logged_by(on), today=True))
        logged = logged_by(day) if day <= on else None
        points.append(BurnUpPoint(day, milestone.planned_hours, logged, today=day == on))
    return points
