"""Credentials, PDU activities and their compliance: the use cases behind pages and API.

Reads load a person's credentials, cycles, policies and activities in a fixed number of bulk
queries and hand plain dataclasses to the pure engine (``pdus.engine``). Writes validate the
whole input first, so a refused request writes nothing, and record the audit trail.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import Select, select
from sqlalchemy.orm import lazyload, selectinload

from pmolearn.audit.services import record
from pmolearn.catalog.models import ActivityType, Certification, RenewalPolicy
from pmolearn.errors import ApiError, ValidationFailed
from pmolearn.extensions import db
from pmolearn.pdus import engine
from pmolearn.pdus.models import (
    ACTIVITY_STATUSES,
    Credential,
    CredentialCycle,
    PduActivity,
    pdu_applications,
)
from pmolearn.people.models import Person
from pmolearn.validation import MAX_ID, has_control_characters

MAX_PDUS = Decimal("999.75")
QUARTER = Decimal("0.25")
CENTS = Decimal("0.01")
EARLIEST_DATE = date(1970, 1, 1)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- policies and cycles -----------------------------------------------------------------


def engine_policy(policy: RenewalPolicy) -> engine.Policy | None:
    """The engine's view of a catalog policy; None while its numbers are unconfirmed."""
    if not policy.is_confirmed:
        return None
    return engine.Policy(
        label=policy.label,
        cycle_years=policy.cycle_years,
        pdus_required=Decimal(policy.pdus_required),
        categories={
            code: engine.CategoryRule(
                Decimal(str(rule.get("min") or 0)),
                None if rule.get("max") is None else Decimal(str(rule["max"])),
            )
            for code, rule in (policy.categories or {}).items()
        },
        area_minimums={a: Decimal(str(v)) for a, v in (policy.area_minimums or {}).items()},
        activity_types={
            t.code: engine.ActivityType(
                t.code, t.category, t.cap_per_activity, t.cap_per_cycle, t.transferable
            )
            for t in policy.activity_types
        },
        area_category=policy.area_category,
        carry_over_max=policy.carry_over_max if policy.carry_over_allowed else None,
        carry_over_window_months=policy.carry_over_window_months,
        grace_months=policy.grace_months or 0,
    )


def grace_end(cycle: CredentialCycle) -> date | None:
    if cycle.end is None:
        return None
    months = cycle.policy.grace_months if cycle.policy and cycle.policy.grace_months else 0
    return engine.grace_end(cycle.end, months)


def counts_to(cycle: CredentialCycle, is_latest: bool) -> date | None:
    """Last completion date that counts for ``cycle``.

    PMI: while suspended, PDUs still count toward the lapsed cycle (RESEARCH.md §1.6), so the
    latest cycle counts through its grace period, and a cycle renewed in grace counts through
    its renewal date. Those PDUs are not counted again in the next cycle.
    """
    if cycle.end is None:
        return None
    if cycle.renewed_on and cycle.renewed_on > cycle.end:
        return cycle.renewed_on
    return grace_end(cycle) if is_latest and not cycle.renewed_on else cycle.end


def credential_status(credential: Credential, as_of: date) -> str:
    """active, suspended (in grace), expired or retired, from the latest cycle's dates."""
    if credential.retired_on and credential.retired_on <= as_of:
        return "retired"
    cycle = credential.current_cycle
    if cycle.end is None or as_of <= cycle.end:
        return "active"
    return "suspended" if as_of <= grace_end(cycle) else "expired"


def _claim(activity: PduActivity) -> engine.Claim:
    return engine.Claim(
        id=activity.id,
        activity_type=activity.activity_type,
        completed_on=activity.completed_on,
        pdus=Decimal(activity.pdus),
        areas={a: Decimal(v) for a, v in activity.areas.items() if v},
        status=activity.status,
    )


def _carried_claims(cycle: CredentialCycle) -> tuple[engine.Claim, ...]:
    return tuple(
        engine.Claim(
            id=-(n + 1),
            activity_type=item["activity_type"],
            completed_on=cycle.start,
            pdus=Decimal(str(item["pdus"])),
            areas={a: Decimal(str(v)) for a, v in item.get("areas", {}).items()},
        )
        for n, item in enumerate(cycle.carried_in or [])
    )


def evaluate_cycle(
    credential: Credential,
    cycle: CredentialCycle,
    activities: list[PduActivity],
    as_of: date,
    *,
    until: date | None = None,
) -> engine.Compliance | None:
    """Run the engine for one cycle; None when the policy's numbers are unconfirmed."""
    policy = engine_policy(cycle.policy) if cycle.policy else None
    if policy is None or cycle.end is None:
        return None
    index = credential.cycles.index(cycle)
    is_latest = index == len(credential.cycles) - 1
    after = counts_to(credential.cycles[index - 1], False) if index > 0 else None
    claims = [_claim(a) for a in activities if after is None or a.completed_on > after]
    # "As of" a past date means what was completed by then, not what was logged since.
    last_day = min(until or counts_to(cycle, is_latest), as_of)
    window = engine.Cycle(
        start=cycle.start,
        end=cycle.end,
        counts_to=last_day,
        carried_in=_carried_claims(cycle),
    )
    return engine.evaluate(policy, window, claims, as_of)


@dataclass
class CredentialView:
    """A credential with its computed status and the compliance of its latest cycle."""

    credential: Credential
    status: str
    compliance: engine.Compliance | None
    activities: list[PduActivity]

    @property
    def cycle(self) -> CredentialCycle:
        return self.credential.current_cycle


def _credentials_query() -> Select:
    return select(Credential).options(
        selectinload(Credential.cycles)
        .joinedload(CredentialCycle.policy)
        .selectinload(RenewalPolicy.activity_types),
    )


def applied_activities(credential_ids: list[int]) -> dict[int, list[PduActivity]]:
    """Every activity applied to these credentials, grouped by credential: one query."""
    if not credential_ids:
        return {}
    rows = db.session.execute(
        select(PduActivity, pdu_applications.c.credential_id)
        .join(pdu_applications, pdu_applications.c.activity_id == PduActivity.id)
        .where(pdu_applications.c.credential_id.in_(credential_ids))
        .options(lazyload(PduActivity.credentials), lazyload(PduActivity.evidence))
        .order_by(PduActivity.completed_on, PduActivity.id)
    )
    grouped: dict[int, list[PduActivity]] = defaultdict(list)
    for activity, credential_id in rows:
        grouped[credential_id].append(activity)
    return grouped


def credential_views(person: Person, as_of: date) -> list[CredentialView]:
    """All of a person's credentials with their compliance, in a fixed number of queries."""
    credentials = db.session.scalars(
        _credentials_query()
        .where(Credential.person_id == person.id)
        .order_by(Credential.earned_on.desc(), Credential.id)
    ).all()
    return _views(credentials, as_of)


def _views(credentials, as_of: date) -> list[CredentialView]:
    grouped = applied_activities([c.id for c in credentials])
    views = []
    for credential in credentials:
        activities = grouped.get(credential.id, [])
        compliance = evaluate_cycle(credential, credential.current_cycle, activities, as_of)
        views.append(
            CredentialView(credential, credential_status(credential, as_of), compliance, activities)
        )
    return views


def credential_view(credential: Credential, as_of: date) -> CredentialView:
    return _views([credential], as_of)[0]


def get_credential(credential_id: int) -> Credential | None:
    return db.session.scalar(_credentials_query().where(Credential.id == credential_id))


# --- credentials -------------------------------------------------------------------------


def _snapshot_credential(credential: Credential) -> dict:
    return {
        "certification": credential.certification.code,
        "number": credential.number,
        "earned_on": credential.earned_on.isoformat(),
        "cycles": [
            {"start": c.start.isoformat(), "end": c.end.isoformat() if c.end else None}
            for c in credential.cycles
        ],
    }


def add_credential(
    person: Person,
    code: str,
    number: str | None,
    earned_on: date | None,
    *,
    actor: Person,
    today: date,
) -> Credential:
    """Record a certification ``person`` holds; its first cycle starts on ``earned_on``.

    :raises ValidationFailed: unknown certification, bad number, missing or future date.
    :raises ApiError: 409 when the person already holds it in an unexpired credential.
    """
    errors: dict[str, list[str]] = {}
    certification = db.session.scalar(
        select(Certification)
        .options(selectinload(Certification.policies))
        .where(Certification.code == (code or ""))
    )
    if certification is None:
        errors["certification"] = [f"Unknown certification '{code}'."]
    number = (number or "").strip() or None
    if number and len(number) > 40:
        errors["number"] = ["At most 40 characters."]
    if earned_on is None:
        errors["earned_on"] = ["Give the date the exam was passed (YYYY-MM-DD)."]
    elif earned_on > today:
        errors["earned_on"] = ["The date cannot be in the future."]
    elif earned_on < EARLIEST_DATE:
        errors["earned_on"] = ["The date is too far in the past."]
    if errors:
        raise ValidationFailed(errors)
    existing = db.session.scalars(
        _credentials_query().where(
            Credential.person_id == person.id, Credential.certification_id == certification.id
        )
    ).all()
    if any(credential_status(c, today) in ("active", "suspended") for c in existing):
        raise ApiError(
            409,
            f"{person.name} already holds {certification.code}; renew it instead.",
            {"certification": ["Already held."]},
        )
    policy = certification.policy_on(earned_on)
    end = engine.cycle_end(earned_on, policy.cycle_years) if policy and policy.cycle_years else None
    credential = Credential(
        person_id=person.id, certification=certification, number=number, earned_on=earned_on
    )
    credential.cycles = [
        CredentialCycle(number=1, start=earned_on, end=end, policy=policy, carried_in=[])
    ]
    db.session.add(credential)
    db.session.flush()
    record(
        "create",
        "credential",
        credential.id,
        actor_id=actor.id,
        person_id=person.id,
        after=_snapshot_credential(credential),
    )
    return credential


def renew(credential: Credential, renewed_on: date | None, *, actor: Person, today: date):
    """Open the next cycle the day after the current one ends, carrying over what PMI allows.

    :raises ValidationFailed: missing or future date, or a date before the cycle started.
    :raises ApiError: 409 while the cycle is incomplete (saying what is missing), when the
        credential has expired, or when the cycle length is unconfirmed. When only the PDU
        rules are unconfirmed (SAFe SPC), the renewal is recorded without a PDU check.
    """
    cycle = credential.current_cycle
    if renewed_on is None:
        raise ValidationFailed({"renewed_on": ["Give the renewal date (YYYY-MM-DD)."]})
    if renewed_on > today:
        raise ValidationFailed({"renewed_on": ["The renewal date cannot be in the future."]})
    if renewed_on < cycle.start:
        raise ValidationFailed({"renewed_on": ["The date is before the current cycle started."]})
    if cycle.end is None or cycle.policy is None:
        raise ApiError(409, "This certification's renewal cycle is unconfirmed in the catalog.")
    if renewed_on > grace_end(cycle):
        raise ApiError(
            409,
            f"The credential expired after {grace_end(cycle).isoformat()}; "
            "the exam must be passed again.",
        )
    activities = applied_activities([credential.id]).get(credential.id, [])
    compliance = evaluate_cycle(
        credential, cycle, activities, renewed_on, until=max(cycle.end, renewed_on)
    )
    # With the PDU rules unconfirmed (compliance None) the renewal is recorded unchecked.
    if compliance is not None and not compliance.is_complete:
        raise ApiError(
            409,
            "The cycle is not complete: " + compliance.next_step,
            extra={"remaining": compliance.to_dict()["remaining"]},
        )
    before = _snapshot_credential(credential)
    cycle.renewed_on = renewed_on
    start = cycle.end + timedelta(days=1)
    policy = credential.certification.policy_on(start) or cycle.policy
    credential.cycles.append(
        CredentialCycle(
            number=cycle.number + 1,
            start=start,
            end=engine.add_years(cycle.end, policy.cycle_years or cycle.policy.cycle_years),
            policy=policy,
            carried_in=[
                {
                    "activity_type": c.activity_type,
                    "pdus": str(c.pdus),
                    "areas": {a: str(v) for a, v in c.areas.items()},
                }
                for c in (compliance.carry_over_claims if compliance else ())
            ],
        )
    )
    db.session.flush()
    record(
        "renew",
        "credential",
        credential.id,
        actor_id=actor.id,
        person_id=credential.person_id,
        before=before,
        after=_snapshot_credential(credential),
    )
    return credential.current_cycle


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
            _credentials_query().where(Credential.person_id.in_(person_ids))
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
            _credentials_query().where(Credential.id.in_(ids), Credential.person_id == person.id)
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


# --- scope -------------------------------------------------------------------------------


def credential_for(viewer: Person, credential_id: int) -> Credential | None:
    """The credential if its holder is in ``viewer``'s scope, else None (callers answer 404)."""
    from pmolearn.people.services import scope_filter

    return db.session.scalar(
        _credentials_query()
        .join(Person, Person.id == Credential.person_id)
        .where(Credential.id == credential_id, scope_filter(viewer))
    )


def activity_for(viewer: Person, activity_id: int) -> PduActivity | None:
    """The activity if its owner is in ``viewer``'s scope, else None (callers answer 404)."""
    from pmolearn.people.services import scope_filter

    return db.session.scalar(
        select(PduActivity)
        .join(Person, Person.id == PduActivity.person_id)
        .where(PduActivity.id == activity_id, scope_filter(viewer))
    )


# --- team summaries ----------------------------------------------------------------------


def credential_statuses(person_ids: list[int], as_of: date) -> dict[int, list[tuple[str, str]]]:
    """(certification code, status) per person, for list pages: fixed queries per page."""
    if not person_ids:
        return {}
    credentials = db.session.scalars(
        select(Credential)
        .options(selectinload(Credential.cycles).joinedload(CredentialCycle.policy))
        .where(Credential.person_id.in_(person_ids))
        .order_by(Credential.earned_on)
    ).all()
    statuses: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for credential in credentials:
        statuses[credential.person_id].append(
            (credential.certification.code, credential_status(credential, as_of))
        )
    return statuses


@dataclass(frozen=True)
class Deadline:
    person_id: int
    person_name: str
    credential_id: int
    certification: str
    cycle_end: date
    status: str


def upcoming_deadlines(viewer: Person, as_of: date, *, within_days: int = 90, limit: int = 10):
    """Credentials in ``viewer``'s scope whose latest cycle ends within ``within_days`` or that
    are suspended (ended, still in PMI's 12-month grace): one query, soonest first."""
    from sqlalchemy import func

    from pmolearn.people.services import scope_filter

    latest = (
        select(CredentialCycle.credential_id, func.max(CredentialCycle.number).label("number"))
        .group_by(CredentialCycle.credential_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Person.id,
            Person.name,
            Credential.id,
            Certification.code,
            CredentialCycle.end,
            RenewalPolicy.grace_months,
        )
        .join(Credential, Credential.person_id == Person.id)
        .join(Certification, Certification.id == Credential.certification_id)
        .join(latest, latest.c.credential_id == Credential.id)
        .join(
            CredentialCycle,
            (CredentialCycle.credential_id == Credential.id)
            & (CredentialCycle.number == latest.c.number),
        )
        .outerjoin(RenewalPolicy, RenewalPolicy.id == CredentialCycle.policy_id)
        .where(
            scope_filter(viewer),
            Person.active.is_(True),
            Credential.retired_on.is_(None),
            CredentialCycle.end.is_not(None),
            CredentialCycle.end <= as_of + timedelta(days=within_days),
            CredentialCycle.end >= engine.add_months(as_of, -12),
        )
        .order_by(CredentialCycle.end, Person.name)
        .limit(limit)
    ).all()
    deadlines = [
        Deadline(pid, name, cid, code, end, _status_on(end, grace or 0, as_of))
        for pid, name, cid, code, end, grace in rows
    ]
    return [d for d in deadlines if d.status != "expired"]


def _status_on(end: date, grace_months: int, as_of: date) -> str:
    if as_of <= end:
        return "active"
    return "suspended" if as_of <= engine.grace_end(end, grace_months) else "expired"
