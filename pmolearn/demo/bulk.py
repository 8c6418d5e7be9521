"""Clearing the demo organisation and inserting rows in bulk, with ids assigned by the demo."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, text

from pmolearn.accounts.models import ApiToken, PasswordLink
from pmolearn.audit.models import AuditEvent
from pmolearn.credentials.models import Credential, CredentialCycle
from pmolearn.extensions import db
from pmolearn.pdus.models import EvidenceFile, PduActivity, pdu_applications
from pmolearn.people.models import OrgUnit, Person, PersonRole
from pmolearn.reminders.models import NotificationSettings, Reminder, ReminderRun
from pmolearn.skills.models import SkillAssessment
from pmolearn.study.models import (
    ExamAttempt,
    ExperienceEntry,
    PlanDomain,
    Pursuit,
    StudyProfile,
    StudySession,
    TrainingEntry,
)

INSERT_CHUNK = 2000


#: Deleted in this order by ``clear_organisation`` (rows that reference others first). A feature
#: whose table references people or org units adds its model at the front.
CLEAR_ORDER: list = [
    AuditEvent,
    SkillAssessment,
    ReminderRun,
    Reminder,
    NotificationSettings,
    StudySession,
    ExamAttempt,
    PlanDomain,
    Pursuit,
    ExperienceEntry,
    TrainingEntry,
    StudyProfile,
    EvidenceFile,
    pdu_applications,
    PduActivity,
    CredentialCycle,
    Credential,
    ApiToken,
    PasswordLink,
    PersonRole,
    Person,
    OrgUnit,
]


def clear_organisation() -> dict[str, int]:
    """Delete every person, org unit and the rows that hang off them; the catalog stays."""
    deleted = {}
    for model in CLEAR_ORDER:
        result = db.session.execute(delete(model).execution_options(synchronize_session=False))
        name = getattr(model, "__tablename__", None) or model.name
        deleted[name] = max(result.rowcount or 0, 0)
    db.session.expire_all()
    return deleted


def insert_rows(model: type, rows: Sequence[dict[str, Any]], explicit_id_tables: set[str]) -> int:
    for start in range(0, len(rows), INSERT_CHUNK):
        db.session.execute(insert(model), rows[start : start + INSERT_CHUNK])
    if rows and "id" in rows[0]:
        explicit_id_tables.add(model.__tablename__)
    return len(rows)


def advance_sequences(tables: set[str]) -> None:
    """PostgreSQL: after inserting explicit ids, move each ``id`` sequence past the maximum."""
    bind = db.session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    quote = bind.dialect.identifier_preparer.quote
    for table in sorted(tables):
        db.session.execute(
            text(  # the table name is ours (a model's __tablename__), quoted anyway
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM {quote(table)}), 0) + 1, false)"
            ),
            {"table": table},
        )


def _next_id(model: type) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1
