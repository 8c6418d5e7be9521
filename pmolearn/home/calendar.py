"""A person's private iCalendar (RFC 5545) feed: their deadlines, for Outlook or Google."""

from __future__ import annotations

from icalendar import Calendar
from sqlalchemy import select

from pmolearn.extensions import db
from pmolearn.pdus.calendar import credential_events
from pmolearn.people.models import Person

#: Functions ``(person) -> list[icalendar.Event]`` whose events make up the feed.
EVENT_SOURCES = [credential_events]


def feed_for_token(token: str) -> bytes | None:
    """The feed of the active person owning ``token``, or None (the view answers 404)."""
    if not token or len(token) > 64:
        return None
    person = db.session.scalar(
        select(Person).where(Person.calendar_token == token, Person.active.is_(True))
    )
    if person is None:
        return None
    calendar = Calendar()
    calendar.add("prodid", "-//pmolearn//certification deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"pmolearn: {person.name}")
    for source in EVENT_SOURCES:
        for event in source(person):
            calendar.add_component(event)
    return calendar.to_ical()
