"""Credentials and their cycles: statuses by date, compliance through the pure engine, renewal.

Reads load a person's credentials, cycles, policies and activities in a fixed number of bulk
queries and hand plain dataclasses to ``pdus.engine``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import lazyload, selectinload

from pmolearn.audit.services import record
from pmolearn.catalog.models import Certification, RenewalPolicy
from pmolearn.errors import ApiError, ValidationFailed
from pmolearn.extensions import db
from pmolearn.pdus import engine
from pmolearn.pdus.models import (
    Credential,
    CredentialCycle,
    PduActivity,
    pdu_applications,
)
from pmolearn.people.models import Person

EARLIEST_DATE = date(1970, 1, 1)


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


def credentials_query() -> Select:
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
        credentials_query()
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
        credentials_query().where(
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


# --- scope -------------------------------------------------------------------------------


def credential_for(viewer: Person, credential_id: int) -> Credential | None:
    """The credential if its holder is in ``viewer``'s scope, else None (callers answer 404)."""
    from pmolearn.people.services import scope_filter

    return db.session.scalar(
        credentials_query()
        .join(Person, Person.id == Credential.person_id)
        .where(Credential.id == credential_id, scope_filter(viewer))
    )
