"""Delivering the reminder emails: each row claimed first (a conditional UPDATE only one run can
win), marked sent only once the mail server accepted it, released on failure so the next run
delivers what a down mail server kept back. A claim a dead run left behind is taken over after
``CLAIM_MINUTES``. People who asked for a weekly digest get theirs once their last email is
``DIGEST_DAYS`` old."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select, update

from pmolearn import clock
from pmolearn.extensions import db
from pmolearn.mail import Mailer, MailError
from pmolearn.reminders.messages import email_for
from pmolearn.reminders.models import Reminder

if TYPE_CHECKING:  # for annotations only
    from pmolearn.reminders.services import World

CLAIM_MINUTES = 15
DIGEST_DAYS = 7


#: Emails claimed, sent and settled together: one commit per step per chunk, not per email.
CHUNK = 200


@dataclass(frozen=True)
class Pending:
    """An email reminder waiting to be sent (plain values: commits expire ORM objects)."""

    id: int
    person_id: int
    title: str
    body: str
    link: str


def _claim(ids: list[int], now: datetime) -> set[int]:
    """Claim what no other run holds, in one conditional UPDATE; returns the ids this run now
    holds (committed, so another host sees them held before anything is sent)."""
    stale = now - timedelta(minutes=CLAIM_MINUTES)
    held = db.session.execute(
        update(Reminder)
        .where(
            Reminder.id.in_(ids),
            Reminder.sent_at.is_(None),
            or_(Reminder.claimed_at.is_(None), Reminder.claimed_at < stale),
        )
        .values(claimed_at=now)
        .returning(Reminder.id)
        .execution_options(synchronize_session=False)
    )
    claimed = {row[0] for row in held}
    db.session.commit()
    return claimed


def _settle(sent: list[int], failed: list[tuple[list[int], str]], now: datetime) -> None:
    """Mark what the server accepted as sent and release the rest for the next run."""
    if sent:
        db.session.execute(
            update(Reminder)
            .where(Reminder.id.in_(sent))
            .values(sent_at=now, claimed_at=None)
            .execution_options(synchronize_session=False)
        )
    for ids, error in failed:
        db.session.execute(
            update(Reminder)
            .where(Reminder.id.in_(ids))
            .values(claimed_at=None, attempts=Reminder.attempts + 1, last_error=error[:300])
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def pending_email(world: World) -> dict[int, list[Pending]]:
    """Unsent email reminders of active people, by person; weekly-digest people only when their
    last email is at least a week old."""
    rows = db.session.execute(
        select(Reminder.id, Reminder.person_id, Reminder.title, Reminder.body, Reminder.link)
        .where(Reminder.channel == "email", Reminder.sent_at.is_(None))
        .order_by(Reminder.person_id, Reminder.due_on, Reminder.id)
    )
    grouped: dict[int, list[Pending]] = defaultdict(list)
    for row in rows:
        if row.person_id in world.people:
            grouped[row.person_id].append(Pending(*row))
    weekly = [p for p in grouped if world.settings[p].digest == "weekly"]
    if weekly:
        last = dict(
            db.session.execute(
                select(Reminder.person_id, func.max(Reminder.sent_at))
                .where(Reminder.person_id.in_(weekly), Reminder.channel == "email")
                .group_by(Reminder.person_id)
            ).all()
        )
        cutoff = clock.now() - timedelta(days=DIGEST_DAYS)
        for person_id in weekly:
            when = last.get(person_id)
            if when is not None and _aware(when) > cutoff:
                del grouped[person_id]
    return grouped


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=clock.now().tzinfo)


def deliver(world: World, mailer: Mailer) -> Delivery:
    """Send every pending email once: claim a chunk, send it, settle it."""
    done = Delivery()
    grouped = pending_email(world)
    mails: list[list[Pending]] = []
    for person_id, pending in grouped.items():
        weekly = world.settings[person_id].digest == "weekly"
        mails += [pending] if weekly else [[p] for p in pending]
    if not mails:
        return done
    try:
        with mailer:
            for start in range(0, len(mails), CHUNK):
                chunk = mails[start : start + CHUNK]
                held = _claim([p.id for mail in chunk for p in mail], clock.now())
                sent: list[int] = []
                failed: list[tuple[list[int], str]] = []
                for mail in chunk:
                    mine = [p for p in mail if p.id in held]
                    if not mine:
                        continue
                    try:
                        mailer.send(email_for(world.people[mine[0].person_id], mine))
                    except MailError as error:
                        failed.append(([p.id for p in mine], str(error)))
                        done.errors.append(str(error))
                        continue
                    sent += [p.id for p in mine]
                _settle(sent, failed, clock.now())
                done.sent += len(sent)
                done.failed += sum(len(ids) for ids, _ in failed)
    except MailError as error:  # the server could not be reached: everything waits
        done.failed = sum(len(mail) for mail in mails) - done.sent
        done.errors.append(str(error))
    return done
