"""Starting a pursuit with its plan, and changing it: its exam date, hours and stages. A passed
exam hands over to ``credentials`` (the credential, earned on the exam date), which sits below
this package."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from pmolearn import clock
from pmolearn.audit.services import record
from pmolearn.catalog import snapshot as catalog_snapshot
from pmolearn.credentials import services as credentials
from pmolearn.errors import ApiError, ValidationFailed
from pmolearn.extensions import db
from pmolearn.fields import Field, parse_date
from pmolearn.people.models import Person
from pmolearn.study import background, fields, plan
from pmolearn.study.models import ExamAttempt, PlanDomain, Pursuit
from pmolearn.study.services import MAX_YEARS_AHEAD, NEXT_STAGE, standing_of, view

# --- starting a pursuit ----------------------------------------------------------------------


def _check_exam_date(value, errors: dict, *, today: date) -> date | None:
    spec = fields.TARGET_EXAM_ON
    if value in (None, ""):
        errors[spec.name] = ["Give the date you plan to sit the exam (YYYY-MM-DD)."]
        return None
    value = parse_date(value)
    if value is None:
        errors[spec.name] = ["Not a valid date (YYYY-MM-DD)."]
        return None
    if value <= today:
        errors[spec.name] = ["Pick a date after today."]
    elif value > clock.add_years(today, MAX_YEARS_AHEAD):
        errors[spec.name] = [f"At most {MAX_YEARS_AHEAD} years ahead."]
    else:
        return value
    return None


def _check_taken_on(value, pursuit: Pursuit, errors: dict, today: date) -> date | None:
    """With a result, the exam date is the day it was taken: not after today, not before the
    plan began."""
    spec = fields.TARGET_EXAM_ON
    taken = background.check_date(value, spec, errors, today=today)
    if taken is not None and taken < pursuit.started_on:
        errors[spec.name] = [f"Not before the plan began ({pursuit.started_on.isoformat()})."]
        return None
    return taken


def _hours(value, spec: Field, errors: dict, high: Decimal) -> Decimal | None:
    return background.check_number(value, spec, errors, low=Decimal("0.5"), high=high, step="0.5")


def start_pursuit(person: Person, raw: dict, *, actor: Person, today: date) -> Pursuit:
    """Start working toward a certification: a plan over the outline in force on the exam date.

    :raises ValidationFailed: unknown certification, bad date or hours (every field at once).
    :raises ApiError: 409 when the exam is closed to new candidates, has no outline, or the
        person already pursues it.
    """
    errors: dict[str, list[str]] = {}
    for name in sorted(
        set(raw) - {"certification", "target_exam_on", "weekly_hours", "total_hours"}
    ):
        errors[name] = ["Unknown field."]
    code = fields.CERTIFICATION.clean(raw.get("certification"), errors)
    certification = None
    if code and "certification" not in errors:
        certification = catalog_snapshot.current().by_code.get(code)
        if certification is None:
            errors["certification"] = [f"Unknown certification '{code}'."]
    exam_on = _check_exam_date(raw.get("target_exam_on"), errors, today=today)
    weekly = _hours(raw.get("weekly_hours"), fields.WEEKLY_HOURS, errors, fields.MAX_WEEKLY_HOURS)
    total = None
    if raw.get("total_hours") not in (None, ""):
        total = _hours(raw.get("total_hours"), fields.TOTAL_HOURS, errors, fields.MAX_TOTAL_HOURS)
    if errors:
        raise ValidationFailed(errors)
    rules = certification.rules_on(exam_on)
    if rules is not None and rules.rules.get("closed"):
        raise ApiError(409, rules.rules["closed"], {"certification": [rules.rules["closed"]]})
    outline = plan.outline_on(certification.exam or {}, exam_on)
    if outline is None:
        message = f"The catalog has no exam outline for {code}: a plan cannot follow one."
        raise ApiError(409, message, {"certification": [message]})
    open_ones = db.session.scalar(
        select(Pursuit.id).where(
            Pursuit.person_id == person.id,
            Pursuit.certification_id == certification.id,
            Pursuit.stage.in_(fields.OPEN_STAGES),
        )
    )
    if open_ones is not None:
        message = f"{person.name} already works toward {code}: change that pursuit instead."
        raise ApiError(409, message, {"certification": ["Already pursued."]})
    total = total or plan.default_total(certification.study_hours, weekly, today, exam_on)
    the_plan = plan.make_plan(outline, today, exam_on, weekly, total)
    pursuit = Pursuit(
        person_id=person.id,
        certification_id=certification.id,
        stage="planning",
        target_exam_on=exam_on,
        weekly_hours=weekly,
        total_hours=total,
        outline=outline.version,
        started_on=today,
    )
    pursuit.domains = _domains(the_plan)
    db.session.add(pursuit)
    db.session.flush()
    record(
        "create",
        "pursuit",
        pursuit.id,
        actor_id=actor.id,
        person_id=person.id,
        after=snapshot(pursuit),
    )
    return pursuit


def _domains(the_plan: plan.Plan) -> list[PlanDomain]:
    return [
        PlanDomain(
            position=n, name=d.name, weight_pct=d.weight, planned_hours=d.planned_hours, area=d.area
        )
        for n, d in enumerate(the_plan.domains)
    ]


def snapshot(pursuit: Pursuit) -> dict:
    return {
        "certification": pursuit.certification.code,
        "stage": pursuit.stage,
        "target_exam_on": pursuit.target_exam_on.isoformat(),
        "weekly_hours": str(pursuit.weekly_hours),
        "total_hours": str(pursuit.total_hours),
        "applied_on": pursuit.applied_on.isoformat() if pursuit.applied_on else None,
    }


# --- changing a pursuit ----------------------------------------------------------------------


def update_pursuit(pursuit: Pursuit, raw: dict, *, actor: Person, today: date) -> Pursuit:
    """Change the exam date, the hours, or move to another stage (in order only).

    :raises ValidationFailed: a bad value, or a stage that is not next.
    :raises ApiError: 409 when the move breaks a rule (eligibility not met, no attempt left, an
        exam not yet taken).
    """
    errors: dict[str, list[str]] = {}
    for name in sorted(set(raw) - {"stage", "target_exam_on", "weekly_hours", "total_hours"}):
        errors[name] = ["Unknown field."]
    changes: dict = {}
    if "target_exam_on" in raw:
        if pursuit.stage in ("passed", "withdrawn"):
            errors["target_exam_on"] = ["The pursuit has ended."]
        elif raw.get("stage") in ("passed", "failed"):
            taken = raw["target_exam_on"]
            changes["target_exam_on"] = _check_taken_on(taken, pursuit, errors, today)
        else:
            changes["target_exam_on"] = _check_exam_date(raw["target_exam_on"], errors, today=today)
    if "weekly_hours" in raw:
        changes["weekly_hours"] = _hours(
            raw["weekly_hours"], fields.WEEKLY_HOURS, errors, fields.MAX_WEEKLY_HOURS
        )
    if "total_hours" in raw:
        changes["total_hours"] = _hours(
            raw["total_hours"], fields.TOTAL_HOURS, errors, fields.MAX_TOTAL_HOURS
        )
    stage = raw.get("stage")
    if "stage" in raw and stage != pursuit.stage:
        allowed = (*NEXT_STAGE.get(pursuit.stage, ()), "withdrawn")
        if pursuit.stage not in fields.OPEN_STAGES:
            errors["stage"] = [f"The pursuit has ended ({pursuit.stage})."]
        elif stage not in fields.STAGES:
            errors["stage"] = ["Must be one of " + ", ".join(fields.STAGES) + "."]
        elif stage not in allowed:
            errors["stage"] = [
                f"From {pursuit.stage} the next stage is " + " or ".join(allowed) + "."
            ]
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(pursuit)
    _replan(pursuit, changes)
    if stage and stage != pursuit.stage:
        _move(pursuit, stage, actor=actor, today=today)
    db.session.flush()
    record(
        "update",
        "pursuit",
        pursuit.id,
        actor_id=actor.id,
        person_id=pursuit.person_id,
        before=before,
        after=snapshot(pursuit),
    )
    return pursuit


def _replan(pursuit: Pursuit, changes: dict) -> None:
    """New dates or hours make a new plan (the outline may change with the exam date)."""
    if not changes:
        return
    for name, value in changes.items():
        setattr(pursuit, name, value)
    outline = plan.outline_on(pursuit.certification.exam or {}, pursuit.target_exam_on)
    if outline is None:
        return
    the_plan = plan.make_plan(
        outline,
        pursuit.started_on,
        pursuit.target_exam_on,
        pursuit.weekly_hours,
        pursuit.total_hours,
    )
    current = {d.name: d for d in pursuit.domains}
    if set(current) == {d.name for d in the_plan.domains}:
        for planned in the_plan.domains:
            current[planned.name].weight_pct = planned.weight
            current[planned.name].planned_hours = planned.planned_hours
    else:
        pursuit.domains = _domains(the_plan)
    pursuit.outline = outline.version


def _move(pursuit: Pursuit, stage: str, *, actor: Person, today: date) -> None:
    """The rules of each move; the stage is set only when they all hold."""
    if stage == "eligible":
        result = view(pursuit, today).eligibility
        if result is not None and not result.met:
            missing = [i.requirement for i in result.items if not i.met]
            raise ApiError(
                409,
                "Not eligible yet: " + "; ".join(missing) + ".",
                extra={"eligibility": result.to_dict()},
            )
    elif stage == "applied":
        standing = standing_of(pursuit, today)
        if pursuit.stage == "failed" and standing.again_on and standing.again_on > today:
            raise ApiError(409, standing.reason)
        pursuit.applied_on = today
    elif stage == "exam_scheduled":
        standing = standing_of(pursuit, today)
        if not standing.may_sit:
            raise ApiError(409, standing.reason)
        if pursuit.target_exam_on <= today:
            raise ApiError(
                409,
                "Set the exam date (after today) to schedule it.",
                {"target_exam_on": ["Pick a date after today."]},
            )
        if standing.window_ends_on and pursuit.target_exam_on > standing.window_ends_on:
            raise ApiError(
                409,
                f"The exam date is after the eligibility window ends "
                f"({standing.window_ends_on.isoformat()}).",
                {"target_exam_on": ["After the eligibility window."]},
            )
    elif stage in ("passed", "failed"):
        if pursuit.target_exam_on > today:
            raise ApiError(
                409,
                "The exam date has not come yet: set the day it was taken.",
                {"target_exam_on": ["Still in the future."]},
            )
        pursuit.attempts.append(
            ExamAttempt(taken_on=pursuit.target_exam_on, passed=stage == "passed")
        )
        if stage == "passed":
            owner = db.session.get(Person, pursuit.person_id)
            credential = credentials.add_credential(
                owner,
                pursuit.certification.code,
                None,
                pursuit.target_exam_on,
                actor=actor,
                today=today,
            )
            pursuit.credential_id = credential.id
            pursuit.closed_on = today
    elif stage == "withdrawn":
        pursuit.closed_on = today
    pursuit.stage = stage
