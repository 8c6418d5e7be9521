"""A person's background that eligibility is judged on: education, experience and training taken
outside pmolearn; and the facts ``study.eligibility`` reads, gathered in a fixed number of
queries for one person or many."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

from sqlalchemy import (
    Boolean,
    Date,
    Numeric,
    String,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)

from pmolearn.audit.services import record
from pmolearn.catalog import snapshot as catalog_snapshot
from pmolearn.credentials import cycles
from pmolearn.credentials.models import Credential
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db, read
from pmolearn.fields import Field, parse_date
from pmolearn.people.models import Person
from pmolearn.people.scope import scope_filter
from pmolearn.study import eligibility, fields
from pmolearn.study.models import (
    ExperienceEntry,
    Pursuit,
    StudyProfile,
    StudySession,
    TrainingEntry,
)
from pmolearn.web import found_or_404

EARLIEST = date(1960, 1, 1)


def check_date(value, spec: Field, errors: dict, *, today: date, required: bool = True):
    """A date from JSON (ISO text) or a form (a date); never in the future."""
    if value is None or (value == "" and required):
        if required:
            errors[spec.name] = ["Required (YYYY-MM-DD)."]
        return None
    value = parse_date(value)
    if value is None:
        errors[spec.name] = ["Not a valid date (YYYY-MM-DD)."]
        return None
    if value > today:
        errors[spec.name] = ["Cannot be in the future."]
    elif value < EARLIEST:
        errors[spec.name] = ["Too far in the past."]
    else:
        return value
    return None


def check_number(value, spec: Field, errors: dict, *, low: Decimal, high: Decimal, step="0.25"):
    """A positive amount (hours) within bounds, in steps of ``step``."""
    if isinstance(value, bool) or value in (None, ""):
        errors[spec.name] = ["Required: a number."]
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[spec.name] = ["Must be a number."]
        return None
    if not number.is_finite() or number < low or number > high:
        errors[spec.name] = [f"Must be from {low} to {high}."]
    elif number % Decimal(step):
        errors[spec.name] = [f"Must be in steps of {step}."]
    else:
        return number.quantize(Decimal("0.01"))
    return None


#: A key the caller left out (a default applies), unlike an explicit null or "" (refused).
MISSING = object()


def _choice(value, spec: Field, options, errors: dict, default=None):
    value = default if value is MISSING else value
    if not isinstance(value, str) or value not in options:
        errors[spec.name] = ["Must be one of " + ", ".join(options) + "."]
        return None
    return value


# --- the study profile (education) -----------------------------------------------------------

EDUCATION = Field("education_level", "Highest education")


def profile_of(person_id: int) -> StudyProfile | None:
    return db.session.get(StudyProfile, person_id)


def save_profile(person: Person, raw: dict, *, actor: Person) -> StudyProfile:
    errors: dict[str, list[str]] = {}
    for name in sorted(set(raw) - {"education_level", "gac_accredited"}):
        errors[name] = ["Unknown field."]
    level = _choice(raw.get("education_level"), EDUCATION, fields.EDUCATION_LEVELS, errors)
    gac = raw.get("gac_accredited", False)
    if not isinstance(gac, bool):
        errors["gac_accredited"] = ["Must be true or false."]
    if errors:
        raise ValidationFailed(errors)
    profile = profile_of(person.id) or StudyProfile(person_id=person.id)
    before = {"education_level": profile.education_level, "gac_accredited": profile.gac_accredited}
    profile.education_level, profile.gac_accredited = level, gac
    db.session.add(profile)
    db.session.flush()
    record(
        "update" if before["education_level"] else "create",
        "study_profile",
        person.id,
        actor_id=actor.id,
        person_id=person.id,
        before=before,
        after={"education_level": level, "gac_accredited": gac},
    )
    return profile


# --- experience and training -----------------------------------------------------------------


def add_experience(person: Person, raw: dict, *, actor: Person, today: date) -> ExperienceEntry:
    """:raises ValidationFailed: every bad field at once; nothing is written."""
    errors: dict[str, list[str]] = {}
    known = {"title", "organisation", "kind", "agile", "started_on", "ended_on"}
    for name in sorted(set(raw) - known):
        errors[name] = ["Unknown field."]
    entry = ExperienceEntry(
        person_id=person.id,
        title=fields.TITLE.clean(raw.get("title"), errors),
        organisation=fields.ORGANISATION.clean(raw.get("organisation"), errors),
        kind=_choice(raw.get("kind"), Field("kind", "Kind"), fields.EXPERIENCE_KINDS, errors),
        agile=raw.get("agile", False),
        started_on=check_date(
            raw.get("started_on"), Field("started_on", "From"), errors, today=today
        ),
        ended_on=check_date(
            raw.get("ended_on"), Field("ended_on", "To"), errors, today=today, required=False
        ),
    )
    if not isinstance(entry.agile, bool):
        errors["agile"] = ["Must be true or false."]
    if entry.started_on and entry.ended_on and entry.ended_on < entry.started_on:
        errors["ended_on"] = ["Must be on or after the start."]
    if errors:
        raise ValidationFailed(errors)
    db.session.add(entry)
    db.session.flush()
    record(
        "create",
        "experience",
        entry.id,
        actor_id=actor.id,
        person_id=person.id,
        after={"title": entry.title, "kind": entry.kind},
    )
    return entry


def add_training(person: Person, raw: dict, *, actor: Person, today: date) -> TrainingEntry:
    """:raises ValidationFailed: every bad field at once; nothing is written."""
    errors: dict[str, list[str]] = {}
    for name in sorted(set(raw) - {"title", "provider", "hours", "completed_on", "topic"}):
        errors[name] = ["Unknown field."]
    entry = TrainingEntry(
        person_id=person.id,
        title=fields.TITLE.clean(raw.get("title"), errors),
        provider=fields.PROVIDER.clean(raw.get("provider"), errors),
        topic=_choice(
            raw.get("topic", MISSING),
            Field("topic", "Topic"),
            fields.TRAINING_TOPICS,
            errors,
            default="project_management",
        ),
        hours=check_number(
            raw.get("hours"),
            fields.HOURS,
            errors,
            low=fields.TRAINING_HOURS_STEP,
            high=fields.MAX_TRAINING_HOURS,
            step=fields.TRAINING_HOURS_STEP,
        ),
        completed_on=check_date(
            raw.get("completed_on"), Field("completed_on", "Completed"), errors, today=today
        ),
    )
    if errors:
        raise ValidationFailed(errors)
    db.session.add(entry)
    db.session.flush()
    record(
        "create",
        "training",
        entry.id,
        actor_id=actor.id,
        person_id=person.id,
        after={"title": entry.title, "hours": str(entry.hours)},
    )
    return entry


def experience_of(person_id: int) -> list[ExperienceEntry]:
    return list(
        db.session.scalars(
            select(ExperienceEntry)
            .where(ExperienceEntry.person_id == person_id)
            .order_by(ExperienceEntry.started_on.desc(), ExperienceEntry.id)
        )
    )


def training_of(person_id: int) -> list[TrainingEntry]:
    return list(
        db.session.scalars(
            select(TrainingEntry)
            .where(TrainingEntry.person_id == person_id)
            .order_by(TrainingEntry.completed_on.desc(), TrainingEntry.id)
        )
    )


def owned_or_404(model, entry_id: int, viewer: Person, *, change: bool):
    """An experience or training entry of someone ``viewer`` may see (404) and change (403)."""
    entry = db.session.scalar(
        select(model)
        .join(Person, Person.id == model.person_id)
        .where(model.id == entry_id, scope_filter(viewer))
    )
    return found_or_404(entry, viewer, lambda e: e.person_id, change=change)


def delete_entry(entry, *, actor: Person) -> None:
    kind = "experience" if isinstance(entry, ExperienceEntry) else "training"
    record(
        "delete",
        kind,
        entry.id,
        actor_id=actor.id,
        person_id=entry.person_id,
        before={"title": entry.title},
    )
    db.session.delete(entry)
    db.session.flush()


# --- the facts eligibility reads -------------------------------------------------------------

#: The training topic a certification's own course sessions count as.
TOPIC_OF = {
    "PMI-ACP": "agile",
    "PMI-PMOCP": "pmo",
    "PgMP": "program_management",
    "SAFe-SPC": "implementing_safe",
}


@cache
def _facts_statement():
    """The profile, experience, training and course hours of many people in one statement
    (four kinds of row joined by UNION ALL, each filling the columns it has), built once with
    the people as an expanding parameter. On PostgreSQL each statement is a round trip, and
    these four were a third of a dashboard's.

    Columns: kind, person, text (education level, experience kind, training topic, or the
    certification of course sessions or of a credential), flag (GAC accredited, agile), three
    days (experience from/to; training or last course day; a credential's latest end, grace
    end and retirement), amount (training hours, course minutes). Credentials ride along too:
    which are active is a fact, and a fifth round trip was one too many."""
    people = bindparam("ids", expanding=True)

    def row(kind, person_id, text=None, flag=None, day=None, until=None, since=None, amount=None):
        """A kind's columns, each missing one a typed NULL (PostgreSQL needs the types; a
        real date is never cast: SQLite would read CAST(... AS DATE) as a number)."""
        columns = {"text": (text, String), "flag": (flag, Boolean), "day": (day, Date),
                   "until": (until, Date), "since": (since, Date),
                   "amount": (amount, Numeric(12, 2))}  # fmt: skip
        return (
            literal(kind).label("kind"),
            person_id.label("person_id"),
            *(
                (cast(null(), kind_of) if value is None else value).label(name)
                for name, (value, kind_of) in columns.items()
            ),
        )

    return union_all(
        select(
            *row(
                "profile",
                StudyProfile.person_id,
                text=StudyProfile.education_level,
                flag=StudyProfile.gac_accredited,
            )
        ).where(StudyProfile.person_id.in_(people)),
        select(
            *row(
                "experience",
                ExperienceEntry.person_id,
                text=ExperienceEntry.kind,
                flag=ExperienceEntry.agile,
                day=ExperienceEntry.started_on,
                until=ExperienceEntry.ended_on,
            )
        ).where(ExperienceEntry.person_id.in_(people)),
        select(
            *row(
                "training",
                TrainingEntry.person_id,
                text=TrainingEntry.topic,
                day=TrainingEntry.completed_on,
                amount=TrainingEntry.hours,
            )
        ).where(TrainingEntry.person_id.in_(people)),
        select(
            *row(
                "course",
                Pursuit.person_id,
                text=cast(Pursuit.certification_id, String),
                day=func.max(StudySession.studied_on),
                amount=func.sum(StudySession.minutes),
            )
        )
        .join(StudySession, StudySession.pursuit_id == Pursuit.id)
        .where(
            Pursuit.person_id.in_(people),
            StudySession.kind == "course",
            StudySession.studied_on <= bindparam("on"),
        )
        .group_by(Pursuit.person_id, Pursuit.certification_id),
        select(
            *row(
                "held",
                Credential.person_id,
                text=cast(Credential.certification_id, String),
                day=Credential.latest_end,
                until=Credential.latest_grace_end,
                since=Credential.retired_on,
            )
        ).where(Credential.person_id.in_(people)),
    )


def facts_for(person_ids: list[int], on: date) -> dict[int, eligibility.Facts]:
    """Each person's eligibility facts on ``on``: one statement for any number of people.

    Training counts the entries taken elsewhere and the hours of ``course`` sessions of the
    person's pursuits, in the topic of the pursuit's certification (PMP: project management).
    """
    if not person_ids:
        return {}
    profiles: dict[int, tuple] = {}
    experience: dict[int, list[eligibility.Period]] = defaultdict(list)
    training: dict[int, list[eligibility.Training]] = defaultdict(list)
    active: dict[int, set[str]] = defaultdict(set)
    rows = read(_facts_statement(), {"ids": list(person_ids), "on": on})
    for kind, person_id, text, flag, day, until, since, amount in rows:
        if kind == "profile":
            profiles[person_id] = (text, flag)
        elif kind == "experience":
            experience[person_id].append(eligibility.Period(day, until, text, flag))
        elif kind == "training":
            training[person_id].append(eligibility.Training(amount, text, day))
        elif kind == "held":
            if cycles.status_between(day, until, on, retired_on=since) == cycles.ACTIVE:
                active[person_id].add(catalog_snapshot.certification(int(text)).code)
        else:
            code = catalog_snapshot.certification(int(text)).code
            topic = TOPIC_OF.get(code, "project_management")
            hours = (Decimal(amount) / 60).quantize(Decimal("0.01"))
            training[person_id].append(eligibility.Training(hours, topic, day))
    return {
        pid: eligibility.Facts(
            education=profiles.get(pid, (None, False))[0],
            gac=bool(profiles.get(pid, (None, False))[1]),
            experience=tuple(experience[pid]),
            training=tuple(training[pid]),
            credentials=frozenset(active[pid]),
        )
        for pid in person_ids
    }
