"""The compliance report: PDU status by org unit."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pmolearn.credentials import cycles
from pmolearn.credentials.models import Credential
from pmolearn.credentials.services import views_of
from pmolearn.extensions import db
from pmolearn.people.models import OrgUnit, Person
from pmolearn.reports.definitions.base import CHUNK, COMPLIANCE, Column, Report, _in_scope
from pmolearn.reports.filters import Filters


class ComplianceReport(Report):
    name = "compliance"
    title = "PDU compliance by org unit"
    description = (
        "Active and suspended credentials per unit and certification, by the engine's verdict."
    )
    columns = (
        Column("org_unit", "Org unit"),
        Column("certification", "Certification"),
        Column("credentials", "Credentials"),
        *(Column(s, s.replace("_", " ").capitalize()) for s in COMPLIANCE),
        Column("share_on_track", "Complete or on track"),
    )
    statuses = COMPLIANCE
    sorts = ("org_unit", "certification", "credentials")
    default_sort = "org_unit"

    def rows(self, f: Filters) -> Iterator[dict]:
        query = (
            select(Credential.id, OrgUnit.name)
            .join(Person, Person.id == Credential.person_id)
            .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
            .where(Credential.retired_on.is_(None))
        )
        query = _in_scope(query, f)
        if f.certification is not None:
            query = query.where(Credential.certification_id == f.certification.id)
        unit_of = dict(db.session.execute(query).all())
        counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
        ids = list(unit_of)
        for start in range(0, len(ids), CHUNK):
            chunk = db.session.scalars(
                select(Credential)
                .options(selectinload(Credential.cycles))
                .where(Credential.id.in_(ids[start : start + CHUNK]))
            ).all()
            for view in views_of(list(chunk), f.on, detail=False):
                if view.status not in (cycles.ACTIVE, cycles.SUSPENDED):
                    continue
                verdict = view.compliance.status if view.compliance else "unconfirmed"
                key = (unit_of[view.credential.id], view.credential.certification.code)
                counts[key][verdict] += 1
        rows = []
        for (unit, code), by in counts.items():
            if f.status is not None and not by[f.status]:
                continue
            total = sum(by.values())
            good = by["complete"] + by["on_track"]
            rows.append(
                {
                    "org_unit": unit,
                    "certification": code,
                    "credentials": total,
                    **{s: by[s] for s in COMPLIANCE},
                    "share_on_track": round(good / total, 3) if total else None,
                }
            )
        key = f.sort_key or self.default_sort
        rows.sort(key=lambda r: (r[key], r["org_unit"], r["certification"]), reverse=f.descending)
        yield from rows
