"""The audit report: the audit trail, for admins."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from pmolearn import text
from pmolearn.audit.models import AuditEvent
from pmolearn.extensions import db
from pmolearn.people.models import OrgUnit, Person
from pmolearn.reports.definitions.base import CHUNK, Column, Report
from pmolearn.reports.filters import Filters


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
