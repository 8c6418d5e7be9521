"""PDU activities: whole-input validation (one message per field), create, edit, delete.

A refused request writes nothing; every change is recorded in the audit trail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import Select, select

from pmolearn.audit.services import record
from pmolearn.catalog.models import ActivityType
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db
from pmolearn.pdus import engine
from pmolearn.pdus.models import (
    ACTIVITY_STATUSES,
    Credential,
    PduActivity,
    pdu_applications,
)
from pmolearn.pdus.services.credentials import EARLIEST_DATE, credentials_query
from pmolearn.people.models import Person
from pmolearn.validation import MAX_ID, has_control_characters

MAX_PDUS = Decimal("999.75")
QUARTER = Decimal("0.25")
CENTS = Decimal("0.01")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- PDU activities ----------------------------------------------------------------------


def catalog_activity_types() -> dict[str, ActivityType]:
    """Every activity type code in the catalog (first definition wins for name/category)."""
    types: dict[str, ActivityType] = {}
    for activity_type in db.session.scalars(
        select(ActivityType).order_by(ActivityType.policy_id, ActivityType.position)
    ):
        types.setdefault(activity_type.code, activity_type)
    return types


def _decimal(value, name: str, errors: dict, *, positive: bool = True) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        errors[name] = ["Required: a number in steps of 0.25."]
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[name] = ["Must be a number in steps of 0.25."]
        return None
    if not number.is_finite():
        errors[name] = ["Must be a number in steps of 0.25."]
    elif positive and number <= 0:
        errors[name] = ["Must be > 0."]
    elif number < 0:
        errors[name] = ["Must not be negative."]
    elif number > MAX_PDUS:
        errors[name] = [f"At most {MAX_PDUS}."]
    elif number != number.quantize(CENTS) or number % QUARTER != 0:
        errors[name] = ["Must be in steps of 0.25 (e.g. 1.25)."]
    else:
        return number.quantize(Decimal("0.01"))
    return None


def _date(value, name: str, errors: dict, *, required: bool, today: date) -> date | None:
    if value in (None, ""):
        if required:
            errors[name] = ["Required (YYYY-MM-DD)."]
        return None
    if isinstance(value, date):
        day = value
    else:
        try:
            if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
                raise ValueError(value)
            day = date.fromisoformat(value)
        except ValueError:
            errors[name] = ["Not a valid date (YYYY-MM-DD)."]
            return None
    if day > today:
        errors[name] = ["Cannot be in the future."]
    elif day < EARLIEST_DATE:
        errors[name] = ["Too far in the past."]
    else:
        return day
    return None


def _text(value, name: str, errors: dict, *, limit: int, required: bool = False) -> str | None:
    if value is not None and not isinstance(value, str):
        errors[name] = ["Must be text."]
        return None
    text = (value or "").strip()
    if has_control_characters(text, allow_newlines=name == "notes"):
        errors[name] = ["Must not contain control characters."]
    elif required and not text:
        errors[name] = ["Required."]
    elif len(text) > limit:
        errors[name] = [f"At most {limit} characters."]
    return text or None


FIELDS = (
    "title",
    "provider",
    "provider_id",
    "activity_type",
    "started_on",
    "completed_on",
    "pdus",
    "areas",
    "credential_ids",
    "notes",
    "status",
    "reported_on",
)


@dataclass
class Lookups:
    """Catalog types and credentials loaded once, for callers that validate many rows."""

    types: dict[str, ActivityType]
    credentials: dict[int, Credential]

    @classmethod
    def load(cls, person_ids: set[int]) -> Lookups:
        credentials = db.session.scalars(
            credentials_query().where(Credential.person_id.in_(person_ids))
        ).all()
        return cls(catalog_activity_types(), {c.id: c for c in credentials})


def clean_activity(
    person: Person,
    raw: dict,
    *,
    today: date,
    current: PduActivity | None = None,
    lookups: Lookups | None = None,
) -> dict:
    """Validate a whole activity (``raw`` merged over ``current`` for edits) or raise.

    :raises ValidationFailed: every bad field at once, each with a plain message.
    """
    lookups = lookups or Lookups(catalog_activity_types(), {})
    merged = _activity_fields(current) if current else {}
    merged.update({k: v for k, v in raw.items() if k in FIELDS})
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(raw) - set(FIELDS))
    for name in unknown:
        errors[name] = ["Unknown field."]
    clean = {
        "title": _text(merged.get("title"), "title", errors, limit=200, required=True),
        "provider": _text(merged.get("provider"), "provider", errors, limit=200),
        "provider_id": _text(merged.get("provider_id"), "provider_id", errors, limit=60),
        "notes": _text(merged.get("notes"), "notes", errors, limit=5000),
        "completed_on": _date(
            merged.get("completed_on"), "completed_on", errors, required=True, today=today
        ),
        "started_on": _date(
            merged.get("started_on"), "started_on", errors, required=False, today=today
        ),
        "reported_on": _date(
            merged.get("reported_on"), "reported_on", errors, required=False, today=today
        ),
        "pdus": _decimal(merged.get("pdus"), "pdus", errors),
    }
    if (
        clean["started_on"]
        and clean["completed_on"]
        and clean["started_on"] > clean["completed_on"]
    ):
        errors["started_on"] = ["Must be on or before the completion date."]
    status = merged.get("status")
    status = "claimed" if status is None else status
    allowed = ACTIVITY_STATUSES if current else ("draft", "claimed")
    if not isinstance(status, str) or status not in allowed:
        errors["status"] = [f"Must be one of {', '.join(allowed)}."]
    clean["status"] = status
    clean.update(_clean_type_and_areas(merged, clean["pdus"], errors, lookups.types))
    clean["credentials"] = _clean_credentials(
        person, merged.get("credential_ids"), clean, errors, lookups.credentials
    )
    if errors:
        raise ValidationFailed(errors)
    return clean


def _clean_type_and_areas(
    merged: dict, pdus: Decimal | None, errors: dict, types: dict[str, ActivityType]
) -> dict:
    code = merged.get("activity_type")
    activity_type = types.get(code) if isinstance(code, str) else None
    if activity_type is None:
        errors["activity_type"] = [
            "Unknown activity type; one of: " + ", ".join(sorted(types)) + "."
        ]
        return {"activity_type": None, "category": None, "areas": {}}
    raw_areas = merged.get("areas") or {}
    if not isinstance(raw_areas, dict):
        errors["areas"] = ["Must be an object of area: PDUs."]
        raw_areas = {}
    areas: dict[str, Decimal] = {}
    for area, value in raw_areas.items():
        if area not in engine.AREAS:
            errors.setdefault("areas", []).append(f"Unknown area '{area}'.")
            continue
        amount = _decimal(value, f"areas.{area}", errors, positive=False)
        if amount is not None:
            areas[area] = amount
    split_total = sum(areas.values(), Decimal(0))
    if activity_type.category == "education":
        if pdus is not None and split_total != pdus and "areas" not in errors:
            errors["areas"] = [
                f"Split the {pdus.normalize():f} Education PDUs across Ways of Working, Power "
                f"Skills and Business Acumen; the split adds up to {split_total.normalize():f}."
            ]
    elif split_total:
        errors["areas"] = ["Only Education PDUs are split across the Talent Triangle areas."]
    return {"activity_type": activity_type.code, "category": activity_type.category, "areas": areas}


def _clean_credentials(
    person: Person, ids, clean: dict, errors: dict, preloaded: dict[int, Credential]
) -> list[Credential]:
    if ids is None:
        return []
    if not isinstance(ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 < i <= MAX_ID for i in ids
    ):
        errors["credential_ids"] = ["Must be a list of credential ids."]
        return []
    if all(i in preloaded for i in ids):
        credentials = [preloaded[i] for i in dict.fromkeys(ids)]
        credentials = [c for c in credentials if c.person_id == person.id]
    else:
        credentials = db.session.scalars(
            credentials_query().where(Credential.id.in_(ids), Credential.person_id == person.id)
        ).all()
    found = {c.id for c in credentials}
    missing = [i for i in ids if i not in found]
    if missing:
        errors["credential_ids"] = [f"No credential {i} of this person." for i in missing]
        return []
    for credential in credentials:
        codes = {
            t.code
            for t in (
                credential.current_cycle.policy.activity_types
                if credential.current_cycle.policy
                else []
            )
        }
        code = credential.certification.code
        if clean.get("activity_type") and codes and clean["activity_type"] not in codes:
            errors.setdefault("credential_ids", []).append(
                f"{code} does not accept the activity type '{clean['activity_type']}'."
            )
        if clean.get("completed_on") and clean["completed_on"] < credential.earned_on:
            errors.setdefault("credential_ids", []).append(
                f"Completed before {code} was earned ({credential.earned_on.isoformat()}): "
                "activities before certification do not count."
            )
    return list(credentials)


def _activity_fields(activity: PduActivity) -> dict:
    return {
        "title": activity.title,
        "provider": activity.provider,
        "provider_id": activity.provider_id,
        "activity_type": activity.activity_type,
        "started_on": activity.started_on,
        "completed_on": activity.completed_on,
        "pdus": activity.pdus,
        "areas": {a: v for a, v in activity.areas.items() if v},
        "credential_ids": [c.id for c in activity.credentials],
        "notes": activity.notes,
        "status": activity.status,
        "reported_on": activity.reported_on,
    }


def snapshot(activity: PduActivity) -> dict:
    """JSON-safe copy of an activity for the audit trail."""
    fields = _activity_fields(activity)
    return {
        k: (
            v.isoformat()
            if isinstance(v, date)
            else str(v)
            if isinstance(v, Decimal)
            else {a: str(x) for a, x in v.items()}
            if k == "areas"
            else v
        )
        for k, v in fields.items()
    }


def _apply(activity: PduActivity, clean: dict) -> None:
    for name in (
        "title",
        "provider",
        "provider_id",
        "activity_type",
        "category",
        "started_on",
        "completed_on",
        "pdus",
        "notes",
        "status",
        "reported_on",
    ):
        setattr(activity, name, clean[name])
    for area in engine.AREAS:
        setattr(activity, area, clean["areas"].get(area, Decimal(0)))
    activity.credentials = clean["credentials"]


def log_activity(person: Person, raw: dict, *, actor: Person | None, today: date):
    """Validate and create one activity (``actor`` None: a command-line import)."""
    return create_activity(person, clean_activity(person, raw, today=today), actor=actor)


def create_activity(person: Person, clean: dict, *, actor: Person | None) -> PduActivity:
    """Create an activity from data :func:`clean_activity` has already accepted."""
    activity = PduActivity(person_id=person.id)
    _apply(activity, clean)
    db.session.add(activity)
    db.session.flush()
    record(
        "create",
        "pdu_activity",
        activity.id,
        actor_id=actor.id if actor else None,
        person_id=person.id,
        after=snapshot(activity),
    )
    return activity


def update_activity(activity: PduActivity, raw: dict, *, actor: Person, today: date):
    clean = clean_activity(activity_owner(activity), raw, today=today, current=activity)
    before = snapshot(activity)
    _apply(activity, clean)
    db.session.flush()
    record(
        "update",
        "pdu_activity",
        activity.id,
        actor_id=actor.id,
        person_id=activity.person_id,
        before=before,
        after=snapshot(activity),
    )
    return activity


def delete_activity(activity: PduActivity, *, actor: Person) -> list[str]:
    """Delete the claim and return its evidence files' stored names for the caller to unlink."""
    stored = [f.stored_name for f in activity.evidence]
    record(
        "delete",
        "pdu_activity",
        activity.id,
        actor_id=actor.id,
        person_id=activity.person_id,
        before=snapshot(activity),
    )
    db.session.delete(activity)
    db.session.flush()
    return stored


def activity_owner(activity: PduActivity) -> Person:
    return db.session.get(Person, activity.person_id)


def activities_query(
    person_id: int,
    *,
    credential_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Select:
    stmt = select(PduActivity).where(PduActivity.person_id == person_id)
    if credential_id is not None:
        stmt = stmt.join(pdu_applications).where(pdu_applications.c.credential_id == credential_id)
    if start:
        stmt = stmt.where(PduActivity.completed_on >= start)
    if end:
        stmt = stmt.where(PduActivity.completed_on <= end)
    return stmt.order_by(PduActivity.completed_on.desc(), PduActivity.id.desc())


def activity_for(viewer: Person, activity_id: int) -> PduActivity | None:
    """The activity if its owner is in ``viewer``'s scope, else None (callers answer 404)."""
    from pmolearn.people.services import scope_filter

    return db.session.scalar(
        select(PduActivity)
        .join(Person, Person.id == PduActivity.person_id)
        .where(PduActivity.id == activity_id, scope_filter(viewer))
    )
