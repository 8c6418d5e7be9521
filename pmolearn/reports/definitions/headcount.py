"""The headcount report: certified people per certification, month by month."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from sqlalchemy import select

from pmolearn.catalog.models import Certification
from pmolearn.clock import add_months
from pmolearn.credentials import cycles
from pmolearn.credentials.models import Credential, CredentialCycle
from pmolearn.extensions import db
from pmolearn.people.models import OrgUnit, Person
from pmolearn.reports.definitions.base import Column, Report, _in_scope
from pmolearn.reports.definitions.roster import _grace_months
from pmolearn.reports.filters import Filters


class HeadcountReport(Report):
    name = "headcount"
    title = "Certified headcount by month"
    description = "People holding an active credential of each certification at each month's end."
    columns = (
        Column("month", "Month"),
        Column("certification", "Certification"),
        Column("people", "People"),
    )
    sorts = ("month", "certification", "people")
    default_sort = "month"
    months = 12

    def rows(self, f: Filters) -> Iterator[dict]:
        query = (
            select(
                Credential.id,
                Credential.person_id,
                Certification.code,
                Credential.retired_on,
                CredentialCycle.number,
                CredentialCycle.start,
                CredentialCycle.end,
                CredentialCycle.renewed_on,
            )
            .join(CredentialCycle, CredentialCycle.credential_id == Credential.id)
            .join(Certification, Certification.id == Credential.certification_id)
            .join(Person, Person.id == Credential.person_id)
            .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
            .order_by(Credential.id, CredentialCycle.number)
        )
        query = _in_scope(query, f)
        if f.certification is not None:
            query = query.where(Credential.certification_id == f.certification.id)
        graces = _grace_months()
        found: dict[int, list] = defaultdict(list)
        owner: dict[int, tuple[int, str, date | None]] = {}
        for cid, pid, code, retired, n, start, end, renewed in db.session.execute(query):
            found[cid].append(cycles.CycleDates(n, start, end, renewed, graces.get(cid, 0)))
            owner[cid] = (pid, code, retired)
        rows = []
        first = add_months(f.on.replace(day=1), -(self.months - 1))
        for k in range(self.months):
            day = add_months(first, k)
            day = day.replace(day=calendar.monthrange(day.year, day.month)[1])
            day = min(day, f.on)
            people: dict[str, set[int]] = defaultdict(set)
            for cid, dates in found.items():
                pid, code, retired = owner[cid]
                if cycles.credential_status(tuple(dates), day, retired_on=retired) == cycles.ACTIVE:
                    people[code].add(pid)
            for code in sorted({c for _p, c, _r in owner.values()}):
                rows.append(
                    {"month": f"{day:%Y-%m}", "certification": code, "people": len(people[code])}
                )
        key = f.sort_key or self.default_sort
        rows.sort(key=lambda r: (r[key], r["month"], r["certification"]), reverse=f.descending)
        yield from rows
