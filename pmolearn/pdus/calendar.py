"""Calendar events for a person's credentials: renewal deadlines and the end of grace."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Event

from pmolearn.database import today, utcnow
from pmolearn.pdus.services import credential_views
from pmolearn.people.models import Person


def _event(uid: str, day, summary: str, description: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", utcnow())
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def credential_events(person: Person) -> list[Event]:
    """One all-day event per deadline, with stable UIDs so calendar apps update, not duplicate."""
    events = []
    for view in credential_views(person, today()):
        cycle, code = view.cycle, view.credential.certification.code
        if cycle.end is None or view.status in ("expired", "retired"):
            continue
        step = view.compliance.next_step if view.compliance else "Renewal rules unconfirmed."
        events.append(
            _event(
                f"credential-{view.credential.id}-cycle-{cycle.number}-end@pmolearn",
                cycle.end,
                f"{code} expires today: last day of the cycle",
                step,
            )
        )
        if view.compliance is not None:
            events.append(
                _event(
                    f"credential-{view.credential.id}-cycle-{cycle.number}-grace@pmolearn",
                    view.compliance.grace_ends_on,
                    f"{code} suspension ends: last day to renew",
                    "After this day the credential expires and the exam must be passed again.",
                )
            )
    return events
