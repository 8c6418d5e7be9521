"""Credentials: finding one for a viewer, judging a cycle, recording one, renewing it.

Reads load credentials, cycles, policies and claims in a fixed number of bulk queries and hand
plain dataclasses to the pure ``cycles`` and ``compliance`` modules; nothing here decides a date
or a cap again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from weakref import WeakKeyDictionary

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from pmolearn.audit.services import record
from pmolearn.catalog import snapshot as catalog_snapshot
from pmolearn.catalog import values
from pmolearn.credentials import claims as claim_source
from pmolearn.credentials import compliance, cycles, fields
from pmolearn.credentials.claims import ClaimRecord
from pmolearn.credentials.models import Credential, CredentialCycle, label_of
from pmolearn.errors import ApiError, ValidationFailed
from pmolearn.extensions import db, read
from pmolearn.people.models import Person
from pmolearn.people.scope import scope_clause, scope_kind, scope_params
from pmolearn.web import found_or_404

# --- policies ----------------------------------------------------------------------------


#: Engine policies made from the catalog's snapshot, kept as long as the snapshot (built once a
#: process, not once a request).
_ENGINE_POLICIES: WeakKeyDictionary = WeakKeyDictionary()


def engine_policy(policy: values.Policy | None) -> compliance.Policy | None:
    """The engine's view of a catalog policy; None while its numbers are unconfirmed."""
    if policy is None:
        return None
    if policy not in _ENGINE_POLICIES:
        _ENGINE_POLICIES[policy] = _engine_policy(policy)
    return _ENGINE_POLICIES[policy]


def _engine_policy(policy: values.Policy) -> compliance.Policy | None:
    if not policy.is_confirmed:
        return None
    return compliance.Policy(
        label=policy.label,
        cycle_years=policy.cycle_years,
        pdus_required=Decimal(policy.pdus_required),
        categories={
            code: compliance.CategoryRule(
                Decimal(str(rule.get("min") or 0)),
                None if rule.get("max") is None else Decimal(str(rule["max"])),
            )
            for code, rule in (policy.categories or {}).items()
        },
        area_minimums={a: Decimal(str(v)) for a, v in (policy.area_minimums or {}).items()},
        activity_types={
            t.code: compliance.ActivityType(
                t.code, t.category, t.cap_per_activity, t.cap_per_cycle, t.transferable, t.name
            )
            for t in policy.activity_types
        },
        area_category=policy.area_category,
        carry_over_max=policy.carry_over_max if policy.carry_over_allowed else None,
        carry_over_window_months=policy.carry_over_window_months,
        grace_months=policy.grace_months or 0,
    )


# --- judging a cycle ---------------------------------------------------------------------


def carried_claims(cycle: CredentialCycle) -> tuple[compliance.Claim, ...]:
    """The PDUs a renewal carried into ``cycle``, as claims dated its start."""
    return tuple(
        compliance.Claim(
            id=-(n + 1),
            activity_type=item["activity_type"],
            completed_on=cycle.start,
            pdus=Decimal(str(item["pdus"])),
            areas={a: Decimal(str(v)) for a, v in item.get("areas", {}).items()},
        )
        for n, item in enumerate(cycle.carried_in or [])
    )


def counting_window(credential: Credential, cycle: CredentialCycle) -> cycles.Window:
    return cycles.window(credential.cycle_dates, credential.cycles.index(cycle))


def evaluate_cycle(
    credential: Credential,
    cycle: CredentialCycle,
    claims: list[ClaimRecord],
    as_of: date,
    *,
    window: cycles.Window | None = None,
    detail: bool = True,
) -> compliance.Compliance | None:
    """Run the engine for one cycle as of a date; None when the policy is unconfirmed.

    "As of" a past date means what was completed by then, not what was logged since.
    """
    policy = engine_policy(cycle.policy)
    if policy is None or cycle.end is None:
        return None
    window = (window or counting_window(credential, cycle)).through(as_of)
    judged = compliance.Cycle(cycle.start, cycle.end, window, carried_claims(cycle))
    return compliance.evaluate(policy, judged, [c.claim for c in claims], as_of, detail=detail)


@dataclass
class CredentialView:
    """A credential on a date: its status, the cycle in force and that cycle's compliance."""

    credential: Credential
    as_of: date
    status: str
    cycle: CredentialCycle
    compliance: compliance.Compliance | None
    claims: list[ClaimRecord]

    @property
    def next_cycle(self) -> CredentialCycle | None:
        """The cycle an early renewal opened, not started yet on ``as_of``."""
        latest = self.credential.latest_cycle
        return latest if latest is not self.cycle else None

    def claims_in(self, cycle: CredentialCycle) -> list[ClaimRecord]:
        """The claims counting toward ``cycle`` (any status), by the one window rule."""
        window = counting_window(self.credential, cycle)
        return [c for c in self.claims if window.contains(c.completed_on)]

    @property
    def unplaced_claims(self) -> list[ClaimRecord]:
        """Claims no cycle counts (completed before earning it, or after an expiry)."""
        dates = self.credential.cycle_dates
        return [c for c in self.claims if cycles.cycle_holding(dates, c.completed_on) is None]


def view_of(
    credential: Credential, claims: list[ClaimRecord], as_of: date, *, detail: bool = True
) -> CredentialView:
    dates = credential.cycle_dates  # each cycle's grace months come from its policy: once
    index = cycles.in_force(dates, as_of)
    cycle = credential.cycles[index]
    window = cycles.window(dates, index)
    return CredentialView(
        credential=credential,
        as_of=as_of,
        status=cycles.credential_status(dates, as_of, retired_on=credential.retired_on),
        cycle=cycle,
        compliance=evaluate_cycle(credential, cycle, claims, as_of, window=window, detail=detail),
        claims=claims,
    )


def views_of(
    credentials: list[Credential], as_of: date, *, detail: bool = True, in_force_only: bool = False
) -> list[CredentialView]:
    """Views of many credentials with one bulk read of their claims (``detail=False``: the
    figures of a long report, without what only a page shows).

    ``in_force_only``: read only the claims that can count toward the cycles in force (none
    completed before the earliest of their starts), for cards and the API, which judge those
    cycles and list no claim. A holder of many cycles has most of their claims behind them
    (the demo's head of PMO: 108 claims, 37 in force). Such a view's ``claims`` are that part.
    """
    since = None
    if in_force_only and credentials:
        since = min(c.cycles[cycles.in_force(c.cycle_dates, as_of)].start for c in credentials)
    grouped = claim_source.source().for_credentials([c.id for c in credentials], since=since)
    return [view_of(c, grouped.get(c.id, []), as_of, detail=detail) for c in credentials]


def view(credential: Credential, as_of: date) -> CredentialView:
    return views_of([credential], as_of)[0]


# --- finding one -------------------------------------------------------------------------


def credentials_query() -> Select:
    """Credentials with their cycles joined into the same statement (a credential has a
    handful); their certifications and policies come from the catalog's snapshot. Run it
    with ``.unique()``."""
    return select(Credential).options(joinedload(Credential.cycles))


def credential_or_404(viewer: Person, credential_id: int, *, change: bool = False) -> Credential:
    """The credential if its holder is in ``viewer``'s scope (else 404), and ``viewer`` may
    change it (else 403)."""
    credential = (
        db.session.execute(
            _credential_lookup(scope_kind(viewer)),
            {"credential_id": credential_id, **scope_params(viewer)},
        )
        .unique()
        .scalar_one_or_none()
    )
    return found_or_404(credential, viewer, lambda c: c.person_id, change=change)


@cache
def _credential_lookup(kind: str):
    """Built once per kind of scope, the credential and the viewer as parameters."""
    return (
        credentials_query()
        .join(Person, Person.id == Credential.person_id)
        .where(Credential.id == bindparam("credential_id"), scope_clause(kind))
    )


@cache
def _person_credentials():
    """Built once (a person's credentials are on most pages): composing the statement with
    its loader options cost as much as running it."""
    return (
        credentials_query()
        .where(Credential.person_id == bindparam("person_id"))
        .order_by(Credential.earned_on.desc(), Credential.id)
    )


def person_credentials(person_id: int) -> list[Credential]:
    """A person's credentials, newest first, with their cycles: one statement."""
    return list(db.session.scalars(_person_credentials(), {"person_id": person_id}).unique())


@cache
def _credential_choices():
    return (
        select(Credential.id, Credential.certification_id, Credential.number)
        .where(Credential.person_id == bindparam("person_id"))
        .order_by(Credential.earned_on.desc(), Credential.id)
    )


def credential_choices(person_id: int) -> list[tuple[int, str]]:
    """A person's credentials as (id, label) choices, in ``person_credentials``' order: three
    columns as rows (loading them with their cycles as objects cost a tenth of the PDU list)."""
    rows = read(_credential_choices(), {"person_id": person_id})
    return [(id_, label_of(catalog_snapshot.certification(cid).code, number))
            for id_, cid, number in rows]  # fmt: skip


# --- recording and renewing --------------------------------------------------------------


def snapshot(credential: Credential) -> dict:
    return {
        "certification": credential.certification.code,
        "number": credential.number,
        "earned_on": credential.earned_on.isoformat(),
        "cycles": [
            {"start": c.start.isoformat(), "end": c.end.isoformat() if c.end else None}
            for c in credential.cycles
        ],
    }


def _check_date(value: date | None, spec, errors: dict, today: date) -> None:
    if value is None:
        errors[spec.name] = ["Give the date (YYYY-MM-DD)."]
    elif value > today:
        errors[spec.name] = ["The date cannot be in the future."]
    elif value < fields.EARLIEST_DATE:
        errors[spec.name] = ["The date is too far in the past."]


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
    code = fields.CERTIFICATION.clean(code, errors)
    certification = None
    if code and not errors:
        certification = catalog_snapshot.current().by_code.get(code)
        if certification is None:
            errors["certification"] = [f"Unknown certification '{code}'."]
    number = fields.NUMBER.clean(number, errors)
    _check_date(earned_on, fields.EARNED_ON, errors, today)
    if errors:
        raise ValidationFailed(errors)
    held = (
        db.session.scalars(
            credentials_query().where(
                Credential.person_id == person.id, Credential.certification_id == certification.id
            )
        )
        .unique()
        .all()
    )
    if any(cycles.credential_status(c.cycle_dates, today, retired_on=c.retired_on)
           in (cycles.ACTIVE, cycles.SUSPENDED) for c in held):  # fmt: skip
        raise ApiError(
            409,
            f"{person.name} already holds {certification.code}; renew it instead.",
            {"certification": ["Already held."]},
        )
    policy = certification.policy_on(earned_on)
    years = policy.cycle_years if policy else None
    credential = Credential(
        person_id=person.id, certification_id=certification.id, number=number, earned_on=earned_on
    )
    credential.cycles = [
        CredentialCycle(
            number=1,
            start=earned_on,
            end=cycles.cycle_end(earned_on, years) if years else None,
            policy_id=policy.id if policy else None,
            carried_in=[],
        )
    ]
    db.session.add(credential)
    db.session.flush()
    record("create", "credential", credential.id, actor_id=actor.id, person_id=person.id,
           after=snapshot(credential))  # fmt: skip
    return credential


def renew(credential: Credential, renewed_on: date | None, *, actor: Person, today: date):
    """Open the next cycle the day after the current one ends, carrying over what PMI allows.

    :raises ValidationFailed: missing or future date, or a date before the cycle started.
    :raises ApiError: 409 while the cycle is incomplete (saying what is missing), when the
        credential has expired, or when the cycle length is unconfirmed. When only the PDU
        rules are unconfirmed (SAFe SPC), the renewal is recorded without a PDU check.
    """
    cycle = credential.latest_cycle
    errors: dict[str, list[str]] = {}
    _check_date(renewed_on, fields.RENEWED_ON, errors, today)
    if not errors and renewed_on < cycle.start:
        errors["renewed_on"] = ["The date is before the current cycle started."]
    if errors:
        raise ValidationFailed(errors)
    problem = cycles.renewal_problem(cycle.dates, renewed_on)
    if problem or cycle.policy is None:
        raise ApiError(409, problem or "This certification has no renewal policy in the catalog.")
    # Judge the cycle as if renewed on that date: what counted through then (and in grace).
    claims = claim_source.source().for_credentials([credential.id]).get(credential.id, [])
    window = cycles.Window(cycle.start, max(cycle.end, renewed_on),
                           counting_window(credential, cycle).after)  # fmt: skip
    result = evaluate_cycle(credential, cycle, claims, renewed_on, window=window)
    # With the PDU rules unconfirmed (result None) the renewal is recorded unchecked.
    if result is not None and not result.is_complete:
        raise ApiError(
            409,
            "The cycle is not complete: " + result.next_step,
            extra={"remaining": result.to_dict()["remaining"]},
        )
    before = snapshot(credential)
    cycle.renewed_on = renewed_on
    policy = credential.certification.policy_on(cycles.next_start(cycle.dates)) or cycle.policy
    opened = cycles.next_cycle(cycle.dates, policy.cycle_years or cycle.policy.cycle_years)
    credential.cycles.append(
        CredentialCycle(
            number=opened.number,
            start=opened.start,
            end=opened.end,
            policy_id=policy.id,
            carried_in=[
                {
                    "activity_type": c.activity_type,
                    "pdus": str(c.pdus),
                    "areas": {a: str(v) for a, v in c.areas.items()},
                }
                for c in (result.carry_over_claims if result else ())
            ],
        )
    )
    db.session.flush()
    record("renew", "credential", credential.id, actor_id=actor.id,
           person_id=credential.person_id, before=before, after=snapshot(credential))  # fmt: skip
    return credential.latest_cycle
