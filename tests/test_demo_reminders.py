"""The demo's reminder history: the sign-ins have inbox items (the latest unread), email that was
sent, runs on the admins' page, and nothing twice."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from pmolearn.demo.generator import build_demo
from pmolearn.extensions import db
from pmolearn.people.models import Person
from pmolearn.reminders import inbox
from pmolearn.reminders.models import KEY, Reminder, ReminderRun

TODAY = date(2026, 11, 25)


def test_the_sign_ins_have_a_reminder_history_and_an_unread_inbox(app, catalog):
    build_demo(staff=200, seed=3, today=TODAY)
    db.session.commit()
    practitioner = db.session.scalar(
        select(Person).where(Person.email == "practitioner@example.com")
    )
    mine = db.session.scalars(select(Reminder).where(Reminder.person_id == practitioner.id)).all()
    assert {r.channel for r in mine} == {"email", "inbox"}
    assert {r.kind for r in mine} >= {"renewal", "study"}
    assert all(r.sent_at is not None for r in mine)
    assert 0 < inbox.unread_count(practitioner.id) < len([r for r in mine if r.channel == "inbox"])
    keys = Counter(tuple(getattr(r, k) for k in KEY) for r in db.session.scalars(select(Reminder)))
    assert max(keys.values()) == 1
    assert db.session.scalars(select(ReminderRun)).all()
