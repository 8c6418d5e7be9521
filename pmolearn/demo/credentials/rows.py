"""The builder's last phase: the plans as rows, inserted in bulk."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert

from pmolearn.credentials import cycles as rules_of_cycles
from pmolearn.credentials.models import Credential, CredentialCycle
from pmolearn.demo.credentials.plans import Activity, _pdus
from pmolearn.demo.credentials.tables import INSERT_CHUNK, PMI, STATUSES
from pmolearn.extensions import db
from pmolearn.pdus.models import PduActivity, pdu_applications

if TYPE_CHECKING:  # for annotations only
    from pmolearn.demo.context import DemoContext


class RowWriter:
    """Inserts what was planned (``insert``).

    A part of ``_Builder``, which holds the state."""

    def insert(self) -> dict[str, int]:
        ctx = self.ctx
        credential_rows, cycle_rows = [], []
        next_cycle_id = ctx.next_id(CredentialCycle)
        for plan in self.credentials:
            latest_end, latest_grace_end = rules_of_cycles.latest_dates(plan.cycle_dates)
            credential_rows.append(
                {
                    "id": plan.id,
                    "person_id": plan.person.id,
                    "certification_id": plan.certification.id,
                    "number": plan.number,
                    "earned_on": plan.earned_on,
                    "retired_on": plan.retired_on,
                    "latest_end": latest_end,
                    "latest_grace_end": latest_grace_end,
                    "created_at": self._stamp(plan.earned_on + timedelta(days=7)),
                }
            )
            for cycle in plan.cycles:
                cycle_rows.append(
                    {
                        "id": next_cycle_id,
                        "credential_id": plan.id,
                        "number": cycle.number,
                        "start": cycle.start,
                        "end": cycle.end,
                        "policy_id": cycle.policy.id if cycle.policy else None,
                        "renewed_on": cycle.renewed_on,
                        "carried_in": cycle.carried_in,
                    }
                )
                next_cycle_id += 1
        activity_rows, application_rows = [], []
        for person_id, acts in self.activities.items():
            holders = [
                (plan.id, plan.earned_on, plan.last_counting_day(self.today))
                for plan in self.by_person[person_id]
                if plan.certification.issuer.code == PMI
            ]
            for activity in acts:
                activity_rows.append(self._activity_row(person_id, activity))
                day = activity.completed_on
                application_rows += [
                    {"activity_id": activity.id, "credential_id": credential_id}
                    for credential_id, first, last in holders
                    if first <= day <= last
                ]
        counts = {
            "credentials": _insert(ctx, Credential, credential_rows),
            "credential_cycles": _insert(ctx, CredentialCycle, cycle_rows),
            "pdu_activities": _insert(ctx, PduActivity, activity_rows),
            "pdu_applications": _insert(ctx, pdu_applications, application_rows),
        }
        statuses = [
            rules_of_cycles.credential_status(
                plan.cycle_dates, self.today, retired_on=plan.retired_on
            )
            for plan in self.credentials
        ]
        counts |= {f"credentials_{status}": statuses.count(status) for status in STATUSES}
        return counts

    def _activity_row(self, person_id: int, activity: Activity) -> dict[str, Any]:
        areas = activity.areas
        stamp = self._stamp(activity.reported_on or activity.completed_on + timedelta(days=3))
        return {
            "id": activity.id,
            "person_id": person_id,
            "title": activity.title,
            "provider": activity.provider,
            "provider_id": activity.provider_id,
            "activity_type": activity.type,
            "category": activity.category,
            "started_on": activity.started_on,
            "completed_on": activity.completed_on,
            "pdus": _pdus(activity.quarters),
            "ways_of_working": _pdus(areas[0]),
            "power_skills": _pdus(areas[1]),
            "business_acumen": _pdus(areas[2]),
            "notes": activity.notes,
            "status": activity.status,
            "reported_on": activity.reported_on,
            "created_at": stamp,
            "updated_at": stamp,
        }

    def _stamp(self, day: date) -> datetime:
        return datetime.combine(min(day, self.today), time(9), tzinfo=UTC)


def _insert(ctx: DemoContext, model: Any, rows: list[dict[str, Any]]) -> int:
    """Bulk insert in chunks, like ``ctx.insert``, as a Core INSERT of the model's table.

    Why not the ORM bulk INSERT that ``ctx.insert`` uses: it leaves a None out of its row, and
    rows whose None columns differ cannot share a batch (with nullable provider, dates and
    notes, that is nearly one statement per activity); its per-row bookkeeping costs more too.
    Every row here has every column, so no default applies.
    """
    table = getattr(model, "__table__", model)
    statement = insert(table)
    for start in range(0, len(rows), INSERT_CHUNK):
        db.session.execute(statement, rows[start : start + INSERT_CHUNK])
    if rows and "id" in rows[0]:
        ctx.explicit_id_tables.add(table.name)
    return len(rows)
