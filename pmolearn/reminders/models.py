"""Reminders: each one a row with a unique key, so no run, and no two hosts at once, sends it
twice; the runs of the reminder command; each person's notification settings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pmolearn.clock import now
from pmolearn.extensions import db
from pmolearn.reminders.schedule import DEFAULT_LEAD_DAYS

CHANNELS = ("email", "inbox")
#: What makes a reminder the same reminder.
KEY = ("person_id", "subject_type", "subject_id", "kind", "due_on", "channel")


class Reminder(db.Model):
    """One reminder for one person on one channel. The key (person, subject, kind, due date,
    channel) is unique in the database: inserting it claims it, so it is made once only."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint(*KEY, name="uq_reminders_once"),
        CheckConstraint("channel IN ('email', 'inbox')", "known_channel"),
        Index("ix_reminders_pending", "channel", "sent_at"),
        Index("ix_reminders_inbox", "person_id", "channel", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    #: "credential" or "pursuit".
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(30))
    due_on: Mapped[date]
    channel: Mapped[str] = mapped_column(String(10))
    #: For an escalation: whose deadline it is (the recipient is their manager or PMO head).
    about_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    #: The page it is about, as a path (links are built from PMOLEARN_BASE_URL).
    link: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=now)
    #: Email: when the mail server accepted it; inbox: when it was made (delivered at once).
    sent_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
    #: A run sending it holds it from this moment (another run leaves it alone meanwhile).
    claimed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))


class ReminderRun(db.Model):
    """One run of ``pmolearn reminders send``: when, for which day, and what it did."""

    __tablename__ = "reminder_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=now)
    finished_at: Mapped[datetime | None]
    as_of: Mapped[date]
    dry_run: Mapped[bool] = mapped_column(default=False)
    host: Mapped[str] = mapped_column(String(120), default="")
    #: Reminders found due (per channel), new ones made, emails sent and emails failed.
    due: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    sent: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)


class NotificationSettings(db.Model):
    """A person's channels, lead times and digest; no row means the defaults."""

    __tablename__ = "notification_settings"
    __table_args__ = (CheckConstraint("digest IN ('immediate', 'weekly')", "known_digest"),)

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[bool] = mapped_column(default=True)
    inbox: Mapped[bool] = mapped_column(default=True)
    lead_days: Mapped[list] = mapped_column(JSON, default=lambda: list(DEFAULT_LEAD_DAYS))
    digest: Mapped[str] = mapped_column(String(10), default="immediate")
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
