"""Summaries of many people's credentials for list pages and the team view, in fixed queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pmolearn.catalog.models import Certification, RenewalPolicy
from pmolearn.extensions import db
from pmolearn.pdus import engine
from pmolearn.pdus.models import (
    Credential,
    CredentialCycle,
)
from pmolearn.pdus.services.credentials import credential_status
from pmolearn.people.models import Person

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
