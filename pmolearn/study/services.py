"""Pursuits: start one with its plan, move it through its stages, log study sessions (that may
also count as PDUs), and read a pursuit with its plan, progress and eligibility.

A passed exam hands over to ``credentials`` (the credential, earned on the exam date); study
that counts twice hands a draft claim to ``pdus``. Both sit below this package.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import lazyload

from pmolearn import clock
from pmolearn.audit.services import record
from pmolearn.catalog import snapshot as catalog_snapshot
from pmolearn.credentials import services as credentials
from pmolearn.errors import ApiError, ValidationFailed
from pmolearn.extensions import db
from pmolearn.fields import Field
from pmolearn.pdus import services as pdus
from pmolearn.people.models import Person
from pmolearn.people.scope import scope_filter
from pmolearn.study import background, eligibility, fields, plan
from pmolearn.study.models import ExamAttempt, PlanDomain, Pursuit, StudySession
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


# --- starting a pursuit ----------------------------------------------------------------------


def _check_exam_date(value, errors: dict, *, today: date) -> date | None:
    spec = fields.TARGET_EXAM_ON
    if value in (None, ""):
        errors[spec.name] = ["Give the date you plan to sit the exam (YYYY-MM-DD)."]
        return None
    if not isinstance(value, date):
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError(value)
            value = date.fromisoformat(value)
        except ValueError:
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


# --- study sessions --------------------------------------------------------------------------

SESSION_FIELDS = {"studied_on", "minutes", "domain", "kind", "score", "notes", "as_pdu_for"}


def clean_session(pursuit: Pursuit, raw: dict, *, today: date, current=None) -> dict:
    """Validate a whole session; every bad field at once."""
    errors: dict[str, list[str]] = {}
    for name in sorted(set(raw) - SESSION_FIELDS):
        errors[name] = ["Unknown field."]
    merged = (
        {}
        if current is None
        else {
            "studied_on": current.studied_on,
            "minutes": current.minutes,
            "domain": current.domain,
            "kind": current.kind,
            "score": current.score,
            "notes": current.notes,
        }
    )
    merged.update(raw)
    clean = {
        "studied_on": background.check_date(
            merged.get("studied_on"), fields.STUDIED_ON, errors, today=today
        ),
        "notes": fields.NOTES.clean(merged.get("notes"), errors),
    }
    minutes = merged.get("minutes")
    if isinstance(minutes, str) and minutes.strip().isdigit():
        minutes = int(minutes)
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        errors["minutes"] = ["Give the minutes studied, a whole number."]
    elif not 1 <= minutes <= fields.MAX_MINUTES:
        errors["minutes"] = [f"From 1 to {fields.MAX_MINUTES} minutes (a day at most)."]
    clean["minutes"] = minutes
    domains = [d.name for d in pursuit.domains]
    domain = merged.get("domain")
    if not isinstance(domain, str) or domain not in domains:
        errors["domain"] = ["One of the plan's domains: " + "; ".join(domains) + "."]
    clean["domain"] = domain
    kind = merged.get("kind")
    if not isinstance(kind, str) or kind not in fields.SESSION_KINDS:
        errors["kind"] = ["One of: " + ", ".join(fields.SESSION_KINDS) + "."]
    clean["kind"] = kind
    clean["score"] = _score(merged.get("score"), kind, errors)
    if errors:
        raise ValidationFailed(errors)
    return clean


def _score(value, kind, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        errors["score"] = ["A whole percentage from 0 to 100."]
        return None
    if kind != "practice_exam":
        errors["score"] = ["Only a practice exam has a score."]
        return None
    return value


def log_session(pursuit: Pursuit, raw: dict, *, actor: Person, today: date) -> StudySession:
    """Log a session; with ``as_pdu_for`` it also becomes a draft PDU claim for those active
    PMI credentials of the person ("study that counts twice")."""
    credential_ids = raw.get("as_pdu_for")
    clean = clean_session(pursuit, raw, today=today)
    session = StudySession(pursuit_id=pursuit.id, **clean)
    if credential_ids:
        session.pdu_activity_id = _as_pdus(pursuit, session, credential_ids, actor, today).id
    db.session.add(session)
    if pursuit.stage == "planning":
        pursuit.stage = "studying"  # the first session starts the studying
    db.session.flush()
    record(
        "create",
        "study_session",
        session.id,
        actor_id=actor.id,
        person_id=pursuit.person_id,
        after={"minutes": session.minutes, "domain": session.domain},
    )
    return session


def _as_pdus(pursuit, session, credential_ids, actor: Person, today: date):
    """The draft claim: type and Talent Triangle area suggested from the kind and the domain."""
    activity_type = fields.PDU_TYPE_OF_KIND.get(session.kind)
    if activity_type is None:
        kinds = ", ".join(fields.SESSION_KINDS[k] for k in fields.PDU_TYPE_OF_KIND)
        raise ValidationFailed({"as_pdu_for": [f"Only these kinds count as PDUs: {kinds}."]})
    pdus_earned = (Decimal(session.minutes) / 60 / Decimal("0.25")).to_integral_value(
        rounding=ROUND_DOWN
    ) * Decimal("0.25")
    if pdus_earned <= 0:
        raise ValidationFailed({"as_pdu_for": ["At least 15 minutes make a quarter PDU."]})
    area = next((d.area for d in pursuit.domains if d.name == session.domain), None)
    owner = db.session.get(Person, pursuit.person_id)
    raw = {
        "title": f"{pursuit.certification.code} study: {session.domain}",
        "activity_type": activity_type,
        "completed_on": session.studied_on,
        "pdus": str(pdus_earned),
        "areas": {area or "ways_of_working": str(pdus_earned)},
        "credential_ids": credential_ids,
        "status": "draft",
        "notes": "Logged as study toward " + pursuit.certification.name + ".",
    }
    try:
        return pdus.log_activity(owner, raw, actor=actor, today=today)
    except ValidationFailed as failed:
        raise ValidationFailed(
            {"as_pdu_for": [m for ms in failed.fields.values() for m in ms]}
        ) from failed


def update_session(
    session: StudySession, pursuit: Pursuit, raw: dict, *, actor: Person, today: date
) -> StudySession:
    if "as_pdu_for" in raw:
        raise ValidationFailed({"as_pdu_for": ["Only when a session is first logged."]})
    clean = clean_session(pursuit, raw, today=today, current=session)
    for name, value in clean.items():
        setattr(session, name, value)
    db.session.flush()
    record(
        "update",
        "study_session",
        session.id,
        actor_id=actor.id,
        person_id=pursuit.person_id,
        after={"minutes": session.minutes},
    )
    return session


def delete_session(session: StudySession, pursuit: Pursuit, *, actor: Person) -> None:
    record(
        "delete",
        "study_session",
        session.id,
        actor_id=actor.id,
        person_id=pursuit.person_id,
        before={"minutes": session.minutes},
    )
    db.session.delete(session)
    db.session.flush()
