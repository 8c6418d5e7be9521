"""The roster and expiring reports: one row per credential."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased, selectinload

from pmolearn import text
from pmolearn.catalog.models import Certification, RenewalPolicy
from pmolearn.credentials import cycles
from pmolearn.credentials.models import Credential, CredentialCycle
from pmolearn.credentials.services import views_of
from pmolearn.extensions import db
from pmolearn.people.models import OrgUnit, Person
from pmolearn.reports.definitions.base import CHUNK, STATUSES, Column, Report, _in_scope
from pmolearn.reports.filters import Filters


@dataclass(frozen=True)
class _Held:
    credential_id: int
    person_id: int
    name: str
    email: str
    unit: str
    certification: str
    number: str | None
    earned_on: date
    cycle_end: date | None
    status: str


class RosterReport(Report):
    name = "roster"
    title = "Certification roster"
    description = "Every credential in scope with its status and the PDUs of the cycle in force."
    columns = (
        Column("person_id", "Person id"),
        Column("name", "Name"),
        Column("email", "Email"),
        Column("org_unit", "Org unit"),
        Column("certification", "Certification"),
        Column("number", "Number"),
        Column("earned_on", "Earned"),
        Column("cycle_end", "Cycle ends"),
        Column("status", "Status"),
        Column("pdus_applied", "PDUs applied"),
        Column("pdus_required", "PDUs required"),
        Column("pdus_remaining", "PDUs remaining"),
    )
    statuses = STATUSES
    sorts = ("name", "certification", "earned_on", "cycle_end", "org_unit")
    default_sort = "name"

    def _held(self, f: Filters) -> list[_Held]:
        latest = (
            select(CredentialCycle.credential_id, func.max(CredentialCycle.number).label("n"))
            .group_by(CredentialCycle.credential_id)
            .subquery()
        )
        cycle = aliased(CredentialCycle)
        query = (
            select(
                Credential.id,
                Person.id,
                Person.name,
                Person.email,
                OrgUnit.name,
                Certification.code,
                Credential.number,
                Credential.earned_on,
                Credential.retired_on,
                cycle.number,
                cycle.start,
                cycle.end,
                cycle.renewed_on,
            )
            .join(Person, Person.id == Credential.person_id)
            .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
            .join(Certification, Certification.id == Credential.certification_id)
            .join(latest, latest.c.credential_id == Credential.id)
            .join(cycle, and_(cycle.credential_id == Credential.id, cycle.number == latest.c.n))
        )
        query = _in_scope(query, f)
        if f.certification is not None:
            query = query.where(Credential.certification_id == f.certification.id)
        column = {
            "name": Person.name,
            "certification": Certification.code,
            "earned_on": Credential.earned_on,
            "cycle_end": cycle.end,
            "org_unit": OrgUnit.name,
        }[f.sort_key or self.default_sort]
        query = query.order_by(column.desc() if f.descending else column, Credential.id)
        graces = _grace_months()
        held = []
        for row in db.session.execute(query):
            cid, pid, name, email, unit, code, number, earned, retired, n, start, end, renewed = row
            dates = cycles.CycleDates(n, start, end, renewed, graces.get(cid, 0))
            status = cycles.credential_status((dates,), f.on, retired_on=retired)
            if self.keep(status, end, f):
                held.append(_Held(cid, pid, name, email, unit, code, number, earned, end, status))
        return held

    def keep(self, status: str, end: date | None, f: Filters) -> bool:
        if f.status is not None and status != f.status:
            return False
        if f.expiring_within is not None:
            return end is not None and f.on <= end <= f.on + timedelta(days=f.expiring_within)
        return True

    def _with_pdus(self, held: list[_Held], on: date) -> Iterator[dict]:
        for start in range(0, len(held), CHUNK):
            chunk = held[start : start + CHUNK]
            credentials = db.session.scalars(
                select(Credential)
                .options(selectinload(Credential.cycles))
                .where(Credential.id.in_([h.credential_id for h in chunk]))
            ).all()
            judged = {
                v.credential.id: v.compliance for v in views_of(list(credentials), on, detail=False)
            }
            for h in chunk:
                result = judged.get(h.credential_id)
                yield {
                    "person_id": h.person_id,
                    "name": h.name,
                    "email": h.email,
                    "org_unit": h.unit,
                    "certification": h.certification,
                    "number": h.number,
                    "earned_on": text.iso(h.earned_on),
                    "cycle_end": text.iso(h.cycle_end),
                    "status": h.status,
                    "pdus_applied": float(result.applied) if result else None,
                    "pdus_required": text.number(result.required) if result else None,
                    "pdus_remaining": float(result.remaining.total) if result else None,
                }

    def rows(self, f: Filters) -> Iterator[dict]:
        return self._with_pdus(self._held(f), f.on)

    def page(self, f: Filters, offset: int, limit: int) -> tuple[int, list[dict]]:
        held = self._held(f)
        return len(held), list(self._with_pdus(held[offset : offset + limit], f.on))


def _grace_months() -> dict[int, int]:
    """Each credential's grace months, from its newest cycle's policy (one statement)."""
    latest = (
        select(CredentialCycle.credential_id, func.max(CredentialCycle.number).label("n"))
        .group_by(CredentialCycle.credential_id)
        .subquery()
    )
    rows = db.session.execute(
        select(CredentialCycle.credential_id, RenewalPolicy.grace_months)
        .join(
            latest,
            and_(
                latest.c.credential_id == CredentialCycle.credential_id,
                latest.c.n == CredentialCycle.number,
            ),
        )
        .join(RenewalPolicy, RenewalPolicy.id == CredentialCycle.policy_id)
    )
    return {cid: months or 0 for cid, months in rows}


class ExpiringReport(RosterReport):
    name = "expiring"
    title = "Expiring or suspended"
    description = (
        "Credentials whose cycle ends within the window (90 days unless asked), and those "
        "suspended: still recoverable by renewing."
    )
    statuses = (cycles.ACTIVE, cycles.SUSPENDED)
    default_sort = "cycle_end"

    def keep(self, status: str, end: date | None, f: Filters) -> bool:
        if f.status is not None and status != f.status:
            return False
        if status == cycles.SUSPENDED:
            return True
        days = f.expiring_within or 90
        return (
            status == cycles.ACTIVE
            and end is not None
            and f.on <= end <= f.on + timedelta(days=days)
        )
