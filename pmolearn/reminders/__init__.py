"""Reminders: what is due (schedule.py, pure), email, the inbox, settings, the calendar feed."""

from __future__ import annotations

from flask import Flask

from pmolearn.accounts.views import PROFILE_SECTIONS
from pmolearn.people.models import add_signed_in_extra
from pmolearn.reminders.inbox import UNREAD_EXTRA
from pmolearn.reminders.views import profile_section


def init_app(app: Flask) -> None:
    """Notification settings and the calendar feed on the profile page; the unread count
    read with the signed-in person."""
    PROFILE_SECTIONS.add(profile_section)
    add_signed_in_extra(UNREAD_EXTRA)
