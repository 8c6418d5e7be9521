"""PDU claims: create, edit, delete, the lookup of one claim for a viewer, lists, and what a
practitioner still has to do with claims already logged.

A refused request writes nothing; every change is recorded in the audit trail. The rules a
claim must meet are ``pdus.validation``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from sqlalchemy import (
    String,
    and_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from pmolearn.audit.models import AuditEvent
from pmolearn.audit.services import record
from pmolearn.catalog import snapshot as catalog_snapshot
from pmolearn.credentials import cycles
from pmolearn.credentials import services as credential_services
from pmolearn.credentials.compliance import AREAS
from pmolearn.credentials.models import Credential
from pmolearn.database import comma_joined
from pmolearn.extensions import db, read
from pmolearn.pdus.claims import PduClaims
from pmolearn.pdus.models import EvidenceFile, PduActivity, area_split, pdu_applications
from pmolearn.pdus.validation import (
    Lookups,
    activity_fields,
    catalog_activity_types,
    clean_activity,
    type_names,
)
from pmolearn.people.models import Person
from pmolearn.people.scope import scope_filter
from pmolearn.web import Page, found_or_404

__all__ = ["Lookups", "catalog_activity_types", "clean_activity", "type_names"]


def snapshot(activity: PduActivity) -> dict:
    """JSON-safe copy of an activity for the audit trail."""
    values = activity_fields(activity)
    values["areas"] = {a: str(v) for a, v in values["areas"].items()}
    return {
        k: v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v
        for k, v in values.items()
    }


# --- writing ---------------------------------------------------------------------------------

_COPIED = ("title", "provider", "provider_id", "activity_type", "category", "started_on",
           "completed_on", "pdus", "notes", "status", "reported_on")  # fmt: skip


def _apply(activity: PduActivity, clean: dict) -> None:
    for name in _COPIED:
        setattr(activity, name, clean[name])
    for area in AREAS:
        setattr(activity, area, clean["areas"].get(area, Decimal(0)))
    activity.credentials = clean["credentials"]


def log_activity(person: Person, raw: dict, *, actor: Person | None, today: date):
    """Validate and create one activity (``actor`` None: a command-line import)."""
    return create_activity(person, clean_activity(person, raw, today=today), actor=actor)


def create_activity(person: Person, clean: dict, *, actor: Person | None) -> PduActivity:
    """Create an activity from data :func:`clean_activity` has already accepted."""
    activity = PduActivity(person_id=person.id)
    _apply(activity, clean)
    db.session.add(activity)
    db.session.flush()
    record("create", "pdu_activity", activity.id, actor_id=actor.id if actor else None,
           person_id=person.id, after=snapshot(activity))  # fmt: skip
    return activity


def update_activity(activity: PduActivity, raw: dict, *, actor: Person, today: date):
    owner = db.session.get(Person, activity.person_id)
    clean = clean_activity(owner, raw, today=today, current=activity)
    before = snapshot(activity)
    _apply(activity, clean)
    db.session.flush()
    record("update", "pdu_activity", activity.id, actor_id=actor.id,
           person_id=activity.person_id, before=before, after=snapshot(activity))  # fmt: skip
    return activity


def delete_activity(activity: PduActivity, *, actor: Person) -> list[str]:
    """Delete the claim and return its evidence files' stored names for the caller to unlink."""
    stored = [f.stored_name for f in activity.evidence]
    record("delete", "pdu_activity", activity.id, actor_id=actor.id,
           person_id=activity.person_id, before=snapshot(activity))  # fmt: skip
    db.session.delete(activity)
    db.session.flush()
    return stored


# --- reading ---------------------------------------------------------------------------------


def activity_or_404(viewer: Person, activity_id: int, *, change: bool = False) -> PduActivity:
    """The activity if its owner is in ``viewer``'s scope (else 404), and ``viewer`` may change
    it (else 403)."""
    activity = db.session.scalar(
        select(PduActivity)
        .join(Person, Person.id == PduActivity.person_id)
        .where(PduActivity.id == activity_id, scope_filter(viewer))
    )
    return found_or_404(activity, viewer, lambda a: a.person_id, change=change)


@dataclass(frozen=True)
class ListedActivity:
    """A claim as a list shows it: its own columns and the credentials it is applied to (ids
    and certification codes), read as one row. A page of 50 claims built as ORM objects, with
    their credentials and evidence, cost more than the rest of the page."""

    id: int
    person_id: int
    title: str
    provider: str | None
    provider_id: str | None
    activity_type: str
    category: str
    started_on: date | None
    completed_on: date
    pdus: Decimal
    ways_of_working: Decimal
    power_skills: Decimal
    business_acumen: Decimal
    notes: str | None
    status: str
    reported_on: date | None
    created_at: datetime
    updated_at: datetime
    #: Sorted credential ids, and each one's certification code in the same order.
    credential_ids: tuple[int, ...]
    codes: tuple[str, ...]

    @property
    def areas(self) -> dict[str, Decimal]:
        return area_split(self.ways_of_working, self.power_skills, self.business_acumen)

    @classmethod
    def of_row(cls, row) -> ListedActivity:
        *columns, applied = row
        pairs = sorted(
            (int(cid), int(cert))
            for cid, cert in (p.split(":") for p in (applied or "").split(",") if p)
        )
        return cls(
            *columns,
            tuple(cid for cid, _ in pairs),
            tuple(catalog_snapshot.certification(cert).code for _, cert in pairs),
        )


_LISTED_COLUMNS = ("id", "person_id", "title", "provider", "provider_id", "activity_type",
                   "category", "started_on", "completed_on", "pdus", "ways_of_working",
                   "power_skills", "business_acumen", "notes", "status", "reported_on",
                   "created_at", "updated_at")  # fmt: skip


def _applied_to():
    """The credentials an activity is applied to, "id:certification id" joined by commas, in a
    subquery per row (an index probe each)."""
    pair = cast(Credential.id, String) + ":" + cast(Credential.certification_id, String)
    return (
        select(comma_joined(pair))
        .select_from(pdu_applications)
        .join(Credential, Credential.id == pdu_applications.c.credential_id)
        .where(pdu_applications.c.activity_id == PduActivity.id)
        .scalar_subquery()
    )


def _activity_filters(person_id, credential_id, start, end, reported) -> list:
    conditions = [PduActivity.person_id == person_id]
    if credential_id is not None:
        applied = select(pdu_applications.c.activity_id).where(
            pdu_applications.c.credential_id == credential_id
        )
        conditions.append(PduActivity.id.in_(applied))
    if start is not None:
        conditions.append(PduActivity.completed_on >= start)
    if end is not None:
        conditions.append(PduActivity.completed_on <= end)
    if reported == "yes":
        conditions.append(PduActivity.reported_on.is_not(None))
    elif reported == "no":
        conditions += [PduActivity.reported_on.is_(None), PduActivity.status != "draft"]
    return conditions


_NEWEST_FIRST = (PduActivity.completed_on.desc(), PduActivity.id.desc())


@cache
def _activity_page(credential: bool, start: bool, end: bool, reported: str):
    """A page of listed activities with the total beside each row (a window count), built
    once per shape of filter with the values as parameters: building it anew each request
    cost more than running it (composing it, its cache key, and matching 20 columns to the
    cached statement)."""
    conditions = _activity_filters(
        bindparam("person_id"),
        bindparam("credential_id") if credential else None,
        bindparam("start") if start else None,
        bindparam("end") if end else None,
        reported,
    )
    columns = [getattr(PduActivity, name) for name in _LISTED_COLUMNS]
    return (
        select(*columns, _applied_to(), func.count().over())
        .where(*conditions)
        .order_by(*_NEWEST_FIRST)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    ), select(func.count()).select_from(PduActivity).where(*conditions)


def activity_page(
    person_id: int,
    page: int,
    per_page: int,
    *,
    credential_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    reported: str = "",
) -> Page:
    """One page of a person's activities, newest first, and how many there are: one
    statement (a page past the end asks the count alone)."""
    reported = reported if reported in ("yes", "no") else ""
    rows_of, count_of = _activity_page(
        credential_id is not None, start is not None, end is not None, reported
    )
    params = {"person_id": person_id, "credential_id": credential_id, "start": start,
              "end": end, "limit": per_page, "offset": (page - 1) * per_page}  # fmt: skip
    rows = read(rows_of, params).all()
    past_the_end = not rows and page > 1  # no row carries the total
    total = read(count_of, params).scalar() if past_the_end else (rows[0][-1] if rows else 0)
    return Page([ListedActivity.of_row(row[:-1]) for row in rows], total, page, per_page)


def evidence_of(activity_ids: list[int]) -> dict[int, list[EvidenceFile]]:
    """The evidence files of these activities, by activity: one statement."""
    found: dict[int, list[EvidenceFile]] = {i: [] for i in activity_ids}
    if activity_ids:
        for item in db.session.scalars(
            select(EvidenceFile)
            .where(EvidenceFile.activity_id.in_(activity_ids))
            .order_by(EvidenceFile.id)
        ):
            found[item.activity_id].append(item)
    return found


class ToDoItem(NamedTuple):
    """A claim in the to-do: what the list shows of it."""

    id: int
    title: str
    pdus: Decimal
    completed_on: date


@dataclass(frozen=True)
class ToDo:
    """What a practitioner still has to do with claims already logged."""

    drafts: list[ToDoItem]
    unreported: list[ToDoItem]
    without_evidence: list[ToDoItem]
    counts: dict[str, int]

    @property
    def empty(self) -> bool:
        return not any(self.counts.values())


#: The three kinds of the to-do, in the order they are listed.
TODO_KINDS = ("drafts", "unreported", "without_evidence")


@cache
def _todo_statement():
    """Built once, with the person and the limit as parameters: composing this union of
    windows cost more than running it (1.8 ms of 2.1 ms a dashboard, measured)."""
    has_file = exists().where(EvidenceFile.activity_id == PduActivity.id)
    counting = PduActivity.status.in_(("claimed", "approved"))
    conditions = (
        PduActivity.status == "draft",
        and_(counting, PduActivity.reported_on.is_(None)),
        and_(counting, ~has_file),
    )
    newest_first = (PduActivity.completed_on.desc(), PduActivity.id.desc())
    ranked = union_all(
        *(
            select(
                PduActivity.id.label("activity_id"),
                literal(kind).label("kind"),
                func.row_number().over(order_by=newest_first).label("rank"),
                func.count().over().label("total"),
            ).where(PduActivity.person_id == bindparam("person_id"), condition)
            for kind, condition in zip(TODO_KINDS, conditions, strict=True)
        )
    ).subquery()
    return (
        select(
            ranked.c.kind,
            ranked.c.total,
            PduActivity.id,
            PduActivity.title,
            PduActivity.pdus,
            PduActivity.completed_on,
        )
        .join(PduActivity, PduActivity.id == ranked.c.activity_id)
        .where(ranked.c.rank <= bindparam("limit"))
        .order_by(ranked.c.kind, ranked.c.rank)
    )


def todo(person_id: int, *, limit: int = 5) -> ToDo:
    """Drafts not yet claimed, claims not reported to the issuer, claims without evidence:
    the ``limit`` most recent of each and how many in all, in one statement (each kind ranked
    and counted by a window, the three joined by UNION ALL)."""
    rows = read(_todo_statement(), {"person_id": person_id, "limit": limit})
    found: dict[str, list[ToDoItem]] = {kind: [] for kind in TODO_KINDS}
    counts = dict.fromkeys(TODO_KINDS, 0)
    for kind, total, *item in rows:
        found[kind].append(ToDoItem(*item))
        counts[kind] = total
    return ToDo(**found, counts=counts)


def credential_choice_label(credential: Credential, today: date) -> str:
    status = cycles.credential_status(
        credential.cycle_dates, today, retired_on=credential.retired_on
    )
    return f"{credential.label} ({status})"


def cap_notes(activity: PduActivity, as_of: date) -> list[str]:
    """For each credential the claim is applied to: the cap that keeps part of it from
    counting, in the engine's words ("PMP: Organization Meetings count at most 2 PDUs each:
    1 of these 3 will not count.")."""
    credentials = list(activity.credentials)
    claims = PduClaims().for_credentials([c.id for c in credentials])
    notes = []
    for credential in credentials:
        index = cycles.cycle_holding(credential.cycle_dates, activity.completed_on)
        if index is None:
            continue
        result = credential_services.evaluate_cycle(
            credential, credential.cycles[index], claims.get(credential.id, []), as_of
        )
        outcome = result.outcomes.get(activity.id) if result else None
        if outcome is not None and outcome.cap:
            notes.append(f"{credential.certification.code}: {outcome.note}")
    return notes


def history(activity: PduActivity) -> list[tuple[AuditEvent, str | None]]:
    """The audit trail of one claim and its evidence uploads, newest first, with who did it."""
    actor = aliased(Person)
    evidence_ids = [f.id for f in activity.evidence]
    rows = db.session.execute(
        select(AuditEvent, actor.name)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .where(
            or_(
                and_(AuditEvent.entity_type == "pdu_activity", AuditEvent.entity_id == activity.id),
                and_(
                    AuditEvent.entity_type == "evidence_file",
                    AuditEvent.entity_id.in_(evidence_ids),
                ),
            )
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return [(event, name) for event, name in rows]
