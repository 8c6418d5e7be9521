"""The reports: each says its columns, the statuses and sorts it takes, and yields its rows in
order, a chunk at a time, so a CSV or XLSX of 100,000 rows never holds them all at once. The
JSON list, the page and the downloads all read these rows: they cannot disagree.

Statuses come from ``credentials.cycles``, PDU figures from the compliance engine, pursuit
stages from ``study``: nothing here re-derives a rule.
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased, selectinload

from pmolearn import text
from pmolearn.audit.models import AuditEvent
from pmolearn.catalog.models import Certification, RenewalPolicy
from pmolearn.clock import add_months
from pmolearn.credentials import cycles
from pmolearn.credentials.models import Credential, CredentialCycle
from pmolearn.credentials.services import views_of
from pmolearn.extensions import db
from pmolearn.people.models import OrgUnit, Person
from pmolearn.people.scope import scope_filter
from pmolearn.reports.filters import Filters
from pmolearn.study.fields import STAGES
from pmolearn.study.models import ExamAttempt, Pursuit

CHUNK = 500
STATUSES = (cycles.ACTIVE, cycles.SUSPENDED, cycles.EXPIRED, cycles.RETIRED)
COMPLIANCE = ("complete", "on_track", "at_risk", "behind", "grace", "lapsed", "unconfirmed")


@dataclass(frozen=True)
class Column:
    key: str
    label: str


class Report:
    name = ""
    title = ""
    description = ""
    columns: tuple[Column, ...] = ()
    statuses: tuple[str, ...] = ()
    sorts: tuple[str, ...] = ()
    default_sort: str | None = None
    admin_only = False
    #: Extra query parameters the report takes.
    extra: frozenset[str] = frozenset()

    def rows(self, f: Filters) -> Iterator[dict]:
        raise NotImplementedError

    def page(self, f: Filters, offset: int, limit: int) -> tuple[int, list[dict]]:
        """(total, the rows of one page)."""
        rows = list(self.rows(f))
        return len(rows), rows[offset : offset + limit]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


def _in_scope(query, f: Filters, person=Person):
    query = query.where(scope_filter(f.viewer), person.active.is_(True))
    if f.unit is not None:
        query = query.where(OrgUnit.path.startswith(f.unit.path))
    return query


# --- roster and expiring: one row per credential ---------------------------------------------


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


# --- compliance: PDU status by org unit ------------------------------------------------------


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


# --- pipeline: pursuits by stage and certification -------------------------------------------


class PipelineReport(Report):
    name = "pipeline"
    title = "Study pipeline and pass rates"
    description = "Pursuits per certification, stage by stage, with attempts and the pass rate."
    columns = (
        Column("certification", "Certification"),
        *(Column(s, s.replace("_", " ").capitalize()) for s in STAGES),
        Column("attempts", "Exam attempts"),
        Column("passes", "Passes"),
        Column("pass_rate", "Pass rate"),
    )
    statuses = STAGES
    sorts = ("certification", "attempts", "pass_rate")
    default_sort = "certification"

    def rows(self, f: Filters) -> Iterator[dict]:
        base = (
            select(Certification.code, Pursuit.stage, func.count())
            .join(Pursuit, Pursuit.certification_id == Certification.id)
            .join(Person, Person.id == Pursuit.person_id)
            .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
            .group_by(Certification.code, Pursuit.stage)
        )
        base = _in_scope(base, f)
        attempts = (
            select(
                Certification.code,
                func.count(),
                func.sum(case((ExamAttempt.passed.is_(True), 1), else_=0)),
            )
            .join(Pursuit, Pursuit.certification_id == Certification.id)
            .join(ExamAttempt, ExamAttempt.pursuit_id == Pursuit.id)
            .join(Person, Person.id == Pursuit.person_id)
            .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
            .group_by(Certification.code)
        )
        attempts = _in_scope(attempts, f)
        if f.certification is not None:
            base = base.where(Pursuit.certification_id == f.certification.id)
            attempts = attempts.where(Pursuit.certification_id == f.certification.id)
        stages: dict[str, Counter] = defaultdict(Counter)
        for code, stage, n in db.session.execute(base):
            stages[code][stage] += n
        tried = {code: (n, int(p or 0)) for code, n, p in db.session.execute(attempts)}
        rows = []
        for code in sorted(set(stages) | set(tried)):
            if f.status is not None and not stages[code][f.status]:
                continue
            n, passes = tried.get(code, (0, 0))
            rows.append(
                {
                    "certification": code,
                    **{s: stages[code][s] for s in STAGES},
                    "attempts": n,
                    "passes": passes,
                    "pass_rate": round(passes / n, 3) if n else None,
                }
            )
        key = f.sort_key or self.default_sort
        rows.sort(
            key=lambda r: (r[key] is None, r[key] if r[key] is not None else 0),
            reverse=f.descending,
        )
        yield from rows


# --- costs: renewal and exam fees in the next 12 months --------------------------------------


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


# --- headcount: certified people per certification by month -----------------------------------


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


# --- audit: the audit trail (admins) ---------------------------------------------------------


class AuditReport(Report):
    name = "audit"
    title = "Audit trail"
    description = "Who created, changed or deleted what, and when (newest first)."
    columns = (
        Column("at", "When (UTC)"),
        Column("actor", "By"),
        Column("action", "Action"),
        Column("entity_type", "Record"),
        Column("entity_id", "Record id"),
        Column("person", "About"),
        Column("changes", "Changes"),
    )
    statuses = ("create", "update", "delete", "renew", "upload")
    sorts = ("at",)
    default_sort = "-at"
    admin_only = True

    def _query(self, f: Filters):
        actor, about = aliased(Person), aliased(Person)
        query = (
            select(AuditEvent, actor.name, about.name)
            .outerjoin(actor, actor.id == AuditEvent.actor_id)
            .outerjoin(about, about.id == AuditEvent.person_id)
        )
        if f.status is not None:
            query = query.where(AuditEvent.action == f.status)
        if f.unit is not None:
            query = query.join(OrgUnit, OrgUnit.id == about.org_unit_id).where(
                OrgUnit.path.startswith(f.unit.path)
            )
        descending = f.descending if f.sort else True
        order = AuditEvent.at.desc() if descending else AuditEvent.at
        return query.order_by(order, AuditEvent.id.desc() if descending else AuditEvent.id)

    @staticmethod
    def _row(event: AuditEvent, actor: str | None, about: str | None) -> dict:
        changes = ""
        if event.before or event.after:
            keys = sorted(set(event.before or {}) | set(event.after or {}))
            changes = "; ".join(
                f"{k}: {(event.before or {}).get(k, '—')} → {(event.after or {}).get(k, '—')}"
                for k in keys
            )
        return {
            "at": text.timestamp(event.at),
            "actor": actor,
            "action": event.action,
            "entity_type": event.entity_type,
            "entity_id": event.entity_id,
            "person": about,
            "changes": changes[:2000],
        }

    def rows(self, f: Filters) -> Iterator[dict]:
        for event, actor, about in db.session.execute(
            self._query(f).execution_options(yield_per=CHUNK)
        ):
            yield self._row(event, actor, about)

    def page(self, f: Filters, offset: int, limit: int) -> tuple[int, list[dict]]:
        query = self._query(f)
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        rows = db.session.execute(query.limit(limit).offset(offset))
        return total, [self._row(e, a, p) for e, a, p in rows]


REPORTS: dict[str, Report] = {
    r.name: r
    for r in (
        RosterReport(),
        ExpiringReport(),
        ComplianceReport(),
        PipelineReport(),
        CostsReport(),
        HeadcountReport(),
        AuditReport(),
    )
}
