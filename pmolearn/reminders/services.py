"""The reminder run: load the facts in bulk, ask ``schedule`` what is due, make each reminder
once (the database's unique key decides), and deliver the email ones over SMTP.

Exactly once: a reminder row is inserted with ``ON CONFLICT DO NOTHING``, so two runs, or two
hosts at once, make it once. Sending an email first *claims* its row (a conditional UPDATE only
one run can win), marks it sent only after the mail server accepted it, and releases it on
failure, so the next run delivers what a down mail server kept back. A run that died holding a
claim leaves it for ``delivery.CLAIM_MINUTES``; then another run takes it over. Delivering the
email ones is ``delivery``.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from pmolearn import clock
from pmolearn.credentials import cycles
from pmolearn.credentials.models import Credential
from pmolearn.credentials.services import credentials_query, views_of
from pmolearn.extensions import db
from pmolearn.mail import Mailer
from pmolearn.people.models import OrgUnit, Person, PersonRole
from pmolearn.people.roles import AccessRole
from pmolearn.reminders import schedule
from pmolearn.reminders.delivery import Delivery, _aware, deliver
from pmolearn.reminders.messages import compose
from pmolearn.reminders.models import KEY, Reminder, ReminderRun
from pmolearn.reminders.settings import Settings, settings_of
from pmolearn.study import fields as study_fields
from pmolearn.study import plan
from pmolearn.study import services as study
from pmolearn.study.models import Pursuit

#: Admins are warned when no run happened for this long.
STALE_AFTER = timedelta(days=2)


# --- the facts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    id: int
    name: str
    email: str
    manager_id: int | None
    unit_path: str


@dataclass
class World:
    """Everything one run needs, loaded in a fixed number of statements."""

    as_of: date
    people: dict[int, Recipient]
    credentials: list[schedule.CredentialFacts]
    pursuits: list[schedule.PursuitFacts]
    next_steps: dict[int, str] = field(default_factory=dict)
    #: PMO heads (id, unit path), the deepest unit first.
    heads: list[tuple[int, str]] = field(default_factory=list)
    settings: dict[int, Settings] = field(default_factory=dict)

    def head_of(self, person_id: int) -> int | None:
        """The head of the nearest PMO unit at or above the person's unit."""
        path = self.people[person_id].unit_path
        return next((h for h, unit in self.heads if path.startswith(unit) and h != person_id), None)


def load_world(as_of: date, person_ids: list[int] | None = None) -> World:
    """Everyone active (or only ``person_ids``, for one person's upcoming reminders)."""
    only = [] if person_ids is None else [Person.id.in_(person_ids)]
    rows = db.session.execute(
        select(Person.id, Person.name, Person.email, Person.manager_id, OrgUnit.path)
        .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
        .where(Person.active.is_(True), *only)
    )
    people = {r[0]: Recipient(*r) for r in rows}
    world = World(as_of, people, [], [])
    credentials = list(
        db.session.scalars(
            credentials_query()
            .join(Person, Person.id == Credential.person_id)
            .where(Person.active.is_(True), Credential.retired_on.is_(None), *only)
        ).unique()
    )
    for view in views_of(credentials, as_of):
        cycle, result = view.cycle, view.compliance
        grace = cycles.grace_end(cycle.end, cycle.grace_months) if cycle.end else None
        world.credentials.append(
            schedule.CredentialFacts(
                view.credential.id,
                view.credential.person_id,
                view.credential.certification.code,
                view.status,
                cycle.end,
                grace,
                result.status if result else None,
                result.remaining.total if result else None,
            )
        )
        if result:
            world.next_steps[view.credential.id] = result.next_step
    pursuits = list(
        db.session.scalars(
            study.pursuits_query()
            .join(Person, Person.id == Pursuit.person_id)
            .where(Person.active.is_(True), Pursuit.stage.in_(study_fields.OPEN_STAGES), *only)
        )
    )
    minutes = study.minutes_logged([p.id for p in pursuits], as_of)
    for p in pursuits:
        pace = plan.pace(study.plan_of(p, domains=False), minutes.get(p.id, 0), as_of)
        standing = study.standing_of(p, as_of)
        world.pursuits.append(
            schedule.PursuitFacts(
                p.id,
                p.person_id,
                p.certification.code,
                p.stage,
                p.target_exam_on,
                pace.behind_by_hours,
                p.weekly_hours,
                standing.window_ends_on if p.applied_on else None,
            )
        )
    heads = db.session.execute(
        select(Person.id, OrgUnit.path)
        .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.active.is_(True), PersonRole.role == AccessRole.PMO_HEAD.value)
    )
    world.heads = sorted(((h, path) for h, path in heads), key=lambda h: -len(h[1]))
    world.settings = settings_of(people)
    return world


# --- making reminders ------------------------------------------------------------------------


def recipients(due: schedule.Due, world: World) -> list[int]:
    if due.kind != "escalation":
        return [due.person_id]
    person = world.people[due.person_id]
    found = [person.manager_id, world.head_of(due.person_id)]
    return list(dict.fromkeys(r for r in found if r and r != due.person_id and r in world.people))


def rows_due(world: World) -> list[dict]:
    """Every reminder due on the day, per recipient and channel, as table rows."""
    leads = {pid: s.lead_days for pid, s in world.settings.items()}
    rows = []
    for due in schedule.due(world.as_of, world.credentials, world.pursuits, leads):
        for recipient in recipients(due, world):
            settings = world.settings[recipient]
            channels = [c for c, on in (("email", settings.email), ("inbox", settings.inbox)) if on]
            if not channels:
                continue
            message = compose(due, world, recipient)
            about = due.person_id if recipient != due.person_id else None
            for channel in channels:
                rows.append(
                    {
                        "person_id": recipient,
                        "subject_type": due.subject_type,
                        "subject_id": due.subject_id,
                        "kind": due.kind,
                        "due_on": due.due_on,
                        "channel": channel,
                        "about_person_id": about,
                        "title": message.title[:200],
                        "body": message.body,
                        "link": message.link,
                    }
                )
    return rows


def _key(row) -> tuple:
    return tuple(row[k] if isinstance(row, dict) else getattr(row, k) for k in KEY)


def existing_keys(rows: list[dict]) -> set[tuple]:
    if not rows:
        return set()
    earliest = min(r["due_on"] for r in rows)
    columns = [getattr(Reminder, k) for k in KEY]
    found = db.session.execute(select(*columns).where(Reminder.due_on >= earliest))
    return {tuple(r) for r in found}


def insert_once(rows: list[dict], now: datetime) -> int:
    """Insert the rows the database does not hold yet; returns how many it took."""
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    made = 0
    for start in range(0, len(rows), 500):
        chunk = [
            {**r, "created_at": now, "sent_at": now if r["channel"] == "inbox" else None}
            for r in rows[start : start + 500]
        ]
        statement = (
            insert(Reminder)
            .values(chunk)
            .on_conflict_do_nothing(index_elements=KEY)
            .returning(Reminder.id)
        )
        made += len(db.session.execute(statement).all())
    return made


# --- delivering email ------------------------------------------------------------------------


@dataclass
class RunReport:
    as_of: date
    dry_run: bool
    due: list[dict]
    new: list[dict]
    created: int = 0
    delivery: Delivery = field(default_factory=Delivery)

    @property
    def ok(self) -> bool:
        return self.delivery.failed == 0


def run(as_of: date, *, dry_run: bool = False, mailer_factory: Callable | None = None) -> RunReport:
    """One run of the reminder command; commits its own steps (claims must be visible to other
    hosts before sending)."""
    world = load_world(as_of)
    rows = rows_due(world)
    known = existing_keys(rows)
    new = [r for r in rows if _key(r) not in known]
    report = RunReport(as_of, dry_run, rows, new)
    if dry_run:
        db.session.rollback()
        return report
    record = ReminderRun(as_of=as_of, host=socket.gethostname()[:120], started_at=clock.now())
    db.session.add(record)
    report.created = insert_once(new, clock.now())
    record.due, record.created = len(rows), report.created
    db.session.commit()
    mailer = (mailer_factory or (lambda: Mailer(current_app.config)))()
    report.delivery = deliver(world, mailer)
    record = db.session.get(ReminderRun, record.id)
    record.sent, record.failed = report.delivery.sent, report.delivery.failed
    record.error = "\n".join(dict.fromkeys(report.delivery.errors))[:2000] or None
    record.finished_at = clock.now()
    db.session.commit()
    return report


@dataclass(frozen=True)
class Status:
    last: ReminderRun | None
    recent: list[ReminderRun]
    unsent: int
    stale: bool


def status(now: datetime | None = None) -> Status:
    now = now or clock.now()
    recent = list(
        db.session.scalars(
            select(ReminderRun)
            .where(ReminderRun.dry_run.is_(False))
            .order_by(ReminderRun.started_at.desc(), ReminderRun.id.desc())
            .limit(10)
        )
    )
    last = recent[0] if recent else None
    unsent = db.session.scalar(
        select(func.count())
        .select_from(Reminder)
        .where(Reminder.channel == "email", Reminder.sent_at.is_(None))
    )
    stale = last is None or now - _aware(last.started_at) > STALE_AFTER
    return Status(last, recent, unsent or 0, stale)


def upcoming_of(person_id: int, as_of: date) -> list[dict]:
    """The reminders still ahead for one person, per channel they have on (not yet rows)."""
    world = load_world(as_of, [person_id])
    if person_id not in world.people:
        return []
    settings = world.settings[person_id]
    leads = {person_id: settings.lead_days}
    channels = [c for c, on in (("email", settings.email), ("inbox", settings.inbox)) if on]
    return [
        {
            "kind": due.kind,
            "subject_type": due.subject_type,
            "subject_id": due.subject_id,
            "due_on": due.due_on,
            "channel": channel,
            "sent_at": None,
            "title": compose(due, world, person_id).title,
        }
        for due in schedule.upcoming(as_of, world.credentials, world.pursuits, leads)
        for channel in channels
    ]
