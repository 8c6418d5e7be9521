"""Small read helpers the PDU pages need beside ``pdus.services`` (choices, history, filters).

Each runs a fixed number of statements, whatever the number of activities.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import aliased
from wtforms import SelectChoice

from pmolearn.audit.models import AuditEvent
from pmolearn.catalog.models import ActivityType, Certification
from pmolearn.extensions import db
from pmolearn.pdus.models import Credential, PduActivity
from pmolearn.pdus.presenters import category_name, num
from pmolearn.pdus.services import (
    catalog_activity_types,
    credential_status,
    credentials_query,
)
from pmolearn.people.models import Person


def person_credentials(person_id: int) -> list[Credential]:
    """A person's credentials with their cycles, policies and activity types (3 statements)."""
    return list(
        db.session.scalars(
            credentials_query()
            .where(Credential.person_id == person_id)
            .order_by(Credential.earned_on.desc(), Credential.id)
        )
    )


def credential_choices(credentials: list[Credential], today: date) -> list[SelectChoice]:
    return [
        SelectChoice(
            c.id,
            f"{c.certification.code}"
            + (f" {c.number}" if c.number else "")
            + f" ({credential_status(c, today)})",
        )
        for c in credentials
    ]


def _type_label(activity_type: ActivityType) -> str:
    limits = []
    if activity_type.cap_per_activity is not None:
        limits.append(f"at most {num(activity_type.cap_per_activity)} per activity")
    if activity_type.cap_per_cycle is not None:
        limits.append(f"at most {num(activity_type.cap_per_cycle)} per cycle")
    return activity_type.name + (f" ({', '.join(limits)})" if limits else "")


def activity_type_choices(credentials: list[Credential], keep: str | None = None):
    """Activity types of the person's current policies, grouped by category.

    With no credential (or none with known rules), every type in the catalog. ``keep`` is an
    activity's current type, kept selectable even when no current policy lists it.
    """
    types: dict[str, ActivityType] = {}
    for credential in credentials:
        policy = credential.current_cycle.policy
        for activity_type in policy.activity_types if policy else []:
            types.setdefault(activity_type.code, activity_type)
    if not types or (keep and keep not in types):
        catalog = catalog_activity_types()
        if not types:
            types = catalog
        elif keep in catalog:
            types[keep] = catalog[keep]
    ordered = sorted(types.values(), key=lambda t: (t.category != "education", t.category))
    return [SelectChoice("", "Choose the kind of activity…")] + [
        SelectChoice(t.code, _type_label(t), optgroup=category_name(t.category)) for t in ordered
    ]


def certification_choices() -> list[SelectChoice]:
    rows = db.session.execute(
        select(Certification.code, Certification.name, Certification.status).order_by(
            Certification.code
        )
    )
    return [SelectChoice("", "Choose a certification…")] + [
        SelectChoice(code, f"{code} — {name}" + ("" if status == "active" else f" ({status})"))
        for code, name, status in rows
    ]


def type_names() -> dict[str, str]:
    return {code: t.name for code, t in catalog_activity_types().items()}


def only_reported(stmt: Select, reported: str) -> Select:
    """``reported`` is "yes", "no" or anything else (no filter)."""
    if reported == "yes":
        return stmt.where(PduActivity.reported_on.is_not(None))
    if reported == "no":
        return stmt.where(PduActivity.reported_on.is_(None), PduActivity.status != "draft")
    return stmt


def activity_history(activity: PduActivity) -> list[tuple[AuditEvent, str | None]]:
    """The audit trail of one claim and its evidence uploads, newest first, with who did it."""
    actor = aliased(Person)
    evidence_ids = [f.id for f in activity.evidence]
    return [
        (event, name)
        for event, name in db.session.execute(
            select(AuditEvent, actor.name)
            .outerjoin(actor, actor.id == AuditEvent.actor_id)
            .where(
                or_(
                    and_(
                        AuditEvent.entity_type == "pdu_activity",
                        AuditEvent.entity_id == activity.id,
                    ),
                    and_(
                        AuditEvent.entity_type == "evidence_file",
                        AuditEvent.entity_id.in_(evidence_ids),
                    ),
                )
            )
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        )
    ]
