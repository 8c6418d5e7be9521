"""The costs report: renewal and exam fees in the next 12 months."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import select

from pmolearn import text
from pmolearn.catalog.models import Certification
from pmolearn.clock import add_months
from pmolearn.credentials import cycles
from pmolearn.extensions import db
from pmolearn.people.models import OrgUnit, Person
from pmolearn.reports.definitions.base import Column, Report, _in_scope
from pmolearn.reports.definitions.roster import RosterReport
from pmolearn.reports.filters import Filters
from pmolearn.study.models import Pursuit


class CostsReport(Report):
    name = "costs"
    title = "Renewal and exam costs, next 12 months"
    description = (
        "Renewal fees of cycles ending in the next 12 months (member or non-member price) and exam "
        "fees of planned exams, from the catalog's dated fees; an unconfirmed fee is unknown, "
        "never zero."
    )
    columns = (
        Column("kind", "Kind"),
        Column("due_on", "Due"),
        Column("person_id", "Person id"),
        Column("name", "Name"),
        Column("org_unit", "Org unit"),
        Column("certification", "Certification"),
        Column("member", "PMI member"),
        Column("fee", "Fee"),
        Column("currency", "Currency"),
        Column("fee_as_of", "Fee as of"),
    )
    statuses = ("renewal", "exam")
    sorts = ("due_on", "name", "certification", "fee")
    default_sort = "due_on"

    def rows(self, f: Filters) -> Iterator[dict]:
        until = add_months(f.on, 12)
        rows = []
        if f.status in (None, "renewal"):
            for held in RosterReport()._held(
                Filters(f.viewer, f.on, f.unit, f.certification, cycles.ACTIVE)
            ):
                if held.cycle_end is None or not f.on <= held.cycle_end <= until:
                    continue
                rows.append(
                    (
                        "renewal",
                        held.cycle_end,
                        held.person_id,
                        held.name,
                        held.unit,
                        held.certification,
                    )
                )
        if f.status in (None, "exam"):
            query = (
                select(
                    Pursuit.target_exam_on, Person.id, Person.name, OrgUnit.name, Certification.code
                )
                .join(Person, Person.id == Pursuit.person_id)
                .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
                .join(Certification, Certification.id == Pursuit.certification_id)
                .where(
                    Pursuit.stage.in_(
                        ("planning", "studying", "eligible", "applied", "exam_scheduled", "failed")
                    ),
                    Pursuit.target_exam_on >= f.on,
                    Pursuit.target_exam_on <= until,
                )
            )
            query = _in_scope(query, f)
            if f.certification is not None:
                query = query.where(Pursuit.certification_id == f.certification.id)
            for due, pid, name, unit, code in db.session.execute(query):
                rows.append(("exam", due, pid, name, unit, code))
        members = (
            dict(
                db.session.execute(
                    select(Person.id, Person.pmi_member).where(Person.id.in_({r[2] for r in rows}))
                ).all()
            )
            if rows
            else {}
        )
        prices = _prices(f.on)
        found = []
        for kind, due, pid, name, unit, code in rows:
            member = bool(members.get(pid))
            fee, currency, as_of = prices.get((code, kind, member), (None, None, None))
            found.append(
                {
                    "kind": kind,
                    "due_on": text.iso(due),
                    "person_id": pid,
                    "name": name,
                    "org_unit": unit,
                    "certification": code,
                    "member": member,
                    "fee": fee,
                    "currency": currency,
                    "fee_as_of": as_of,
                }
            )
        key = f.sort_key or self.default_sort
        found.sort(
            key=lambda r: (r[key] is None, r[key] if r[key] is not None else 0, r["name"]),
            reverse=f.descending,
        )
        yield from found


def _prices(on: date) -> dict[tuple[str, str, bool], tuple]:
    """(code, kind, member) -> (fee or None, currency, as-of date) from the catalog."""
    prices = {}
    for certification in db.session.scalars(select(Certification)):
        fees = certification.fees or {}
        currency = fees.get("currency") or "USD"
        as_of = fees.get("as_of")
        policy = certification.policy_on(on)
        for member in (True, False):
            exam = fees.get("exam_member" if member else "exam_non_member")
            prices[(certification.code, "exam", member)] = (
                float(exam) if exam is not None else None,
                currency,
                as_of,
            )
            renewal = None
            if policy is not None:
                renewal = policy.renewal_fee_member if member else policy.renewal_fee_non_member
            prices[(certification.code, "renewal", member)] = (
                float(renewal) if renewal is not None else None,
                "USD",
                as_of,
            )
    return prices
