"""Whole-input validation of a PDU claim: every bad field at once, each with a plain message.

The same rules judge a claim whatever door it comes through: the form, the API, the importer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from pmolearn.catalog import snapshot as catalog_snapshot
from pmolearn.catalog.values import ActivityType
from pmolearn.credentials.compliance import AREAS
from pmolearn.credentials.fields import EARLIEST_DATE
from pmolearn.credentials.models import Credential
from pmolearn.credentials.services import credentials_query
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db
from pmolearn.fields import MAX_ID, parse_date
from pmolearn.pdus import fields
from pmolearn.pdus.models import PduActivity
from pmolearn.people.models import Person

CENTS = Decimal("0.01")


def catalog_activity_types() -> dict[str, ActivityType]:
    """Every activity type code in the catalog (first definition wins for name/category)."""
    types: dict[str, ActivityType] = {}
    policies = catalog_snapshot.current().policies
    for policy_id in sorted(policies):
        for activity_type in policies[policy_id].activity_types:
            types.setdefault(activity_type.code, activity_type)
    return types


def type_names() -> dict[str, str]:
    return {code: t.name for code, t in catalog_activity_types().items()}


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
    elif number > fields.MAX_PDUS:
        errors[name] = [f"At most {fields.MAX_PDUS}."]
    elif number != number.quantize(CENTS) or number % fields.QUARTER != 0:
        errors[name] = ["Must be in steps of 0.25 (e.g. 1.25)."]
    else:
        return number.quantize(CENTS)
    return None


def _date(value, spec, errors: dict, *, today: date) -> date | None:
    if value in (None, ""):
        if spec.required:
            errors[spec.name] = ["Required (YYYY-MM-DD)."]
        return None
    day = parse_date(value)
    if day is None:
        errors[spec.name] = ["Not a valid date (YYYY-MM-DD)."]
        return None
    if day > today:
        errors[spec.name] = ["Cannot be in the future."]
    elif day < EARLIEST_DATE:
        errors[spec.name] = ["Too far in the past."]
    else:
        return day
    return None


@dataclass
class Lookups:
    """Catalog types and credentials loaded once, for callers that validate many rows."""

    types: dict[str, ActivityType]
    credentials: dict[int, Credential]

    @classmethod
    def load(cls, person_ids: set[int]) -> Lookups:
        credentials = (
            db.session.scalars(credentials_query().where(Credential.person_id.in_(person_ids)))
            .unique()
            .all()
        )
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
    merged = activity_fields(current) if current else {}
    merged.update({k: v for k, v in raw.items() if k in fields.ACTIVITY_NAMES})
    errors: dict[str, list[str]] = {}
    for name in sorted(set(raw) - set(fields.ACTIVITY_NAMES)):
        errors[name] = ["Unknown field."]
    clean = {spec.name: spec.clean(merged.get(spec.name), errors) for spec in fields.TEXT}
    for spec in (fields.COMPLETED_ON, fields.STARTED_ON, fields.REPORTED_ON):
        clean[spec.name] = _date(merged.get(spec.name), spec, errors, today=today)
    clean["pdus"] = _decimal(merged.get("pdus"), "pdus", errors)
    if (
        clean["started_on"]
        and clean["completed_on"]
        and clean["started_on"] > clean["completed_on"]
    ):
        errors["started_on"] = ["Must be on or before the completion date."]
    status = merged.get("status")
    status = "claimed" if status is None else status
    allowed = fields.STATUSES if current else fields.NEW_STATUSES
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
        if area not in AREAS:
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
        credentials = (
            db.session.scalars(
                credentials_query().where(Credential.id.in_(ids), Credential.person_id == person.id)
            )
            .unique()
            .all()
        )
    found = {c.id for c in credentials}
    missing = [i for i in ids if i not in found]
    if missing:
        errors["credential_ids"] = [f"No credential {i} of this person." for i in missing]
        return []
    for credential in credentials:
        _check_fits(credential, clean, errors)
    return list(credentials)


def _check_fits(credential: Credential, clean: dict, errors: dict) -> None:
    """The credential's rules accept the type, and the activity is not before it was earned."""
    policy = credential.latest_cycle.policy
    codes = {t.code for t in (policy.activity_types if policy else [])}
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


def activity_fields(activity: PduActivity) -> dict:
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
