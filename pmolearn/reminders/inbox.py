"""The in-app inbox: a person's inbox reminders, the unread count, marking them read."""

from __future__ import annotations

from functools import cache

from flask import g, has_request_context
from sqlalchemy import bindparam, func, select, update

from pmolearn import clock
from pmolearn.extensions import db
from pmolearn.people.models import Person, SignedInExtra
from pmolearn.reminders.models import Reminder

# --- the inbox -------------------------------------------------------------------------------


def inbox_query(person_id: int):
    return (
        select(Reminder)
        .where(Reminder.person_id == person_id, Reminder.channel == "inbox")
        .order_by(Reminder.created_at.desc(), Reminder.id.desc())
    )


def unread_count(person_id: int) -> int:
    """Asked by the navigation on every page and by the inbox itself: counted once a request."""
    memo = g.setdefault("unread_counts", {}) if has_request_context() else {}
    if person_id not in memo:
        memo[person_id] = _count_unread(person_id)
    return memo[person_id]


def _unread_of(person_id):
    """The one count of a person's unread inbox reminders, for a value or a column."""
    return (
        select(func.count())
        .select_from(Reminder)
        .where(
            Reminder.person_id == person_id, Reminder.channel == "inbox", Reminder.read_at.is_(None)
        )
    )


@cache
def _unread():
    """Built once: the inbox asks for anyone's count."""
    return _unread_of(bindparam("person_id"))


def _count_unread(person_id: int) -> int:
    return db.session.scalar(_unread(), {"person_id": person_id}) or 0


def _unread_of_signed_in():
    """The same count, correlated to the signed-in person's row (see ``UNREAD_EXTRA``)."""
    return _unread_of(Person.id).scalar_subquery()


def _keep_unread(person: Person, count: int | None) -> None:
    if has_request_context():
        g.setdefault("unread_counts", {})[person.id] = count or 0


#: The navigation's count on every page, read in the signed-in person's own statement.
UNREAD_EXTRA = SignedInExtra("unread_inbox", _unread_of_signed_in, _keep_unread)


def mark_read(person_id: int, reminder_id: int | None = None) -> int:
    """Mark one of the person's inbox reminders (or all of them) read; returns how many."""
    condition = [
        Reminder.person_id == person_id,
        Reminder.channel == "inbox",
        Reminder.read_at.is_(None),
    ]
    if reminder_id is not None:
        condition.append(Reminder.id == reminder_id)
    result = db.session.execute(
        update(Reminder)
        .where(*condition)
        .values(read_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if has_request_context():
        g.pop("unread_counts", None)
    return result.rowcount or 0


def reminders_of(person_id: int):
    """Every reminder of a person on every channel, newest due first (the API's list)."""
    return (
        select(Reminder)
        .where(Reminder.person_id == person_id)
        .order_by(Reminder.due_on.desc(), Reminder.id.desc())
    )
