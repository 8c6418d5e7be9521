"""Calendar events for a person's credentials: renewal deadlines and the end of grace."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Event

from pmolearn import clock
from pmolearn.credentials import cycles
from pmolearn.credentials.services import person_credentials, views_of
from pmolearn.people.models import Person


def _event(uid: str, day: date, summary: str, description: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", clock.now())
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def credential_events(person: Person) -> list[Event]:
    """One all-day event per deadline, with stable UIDs so calendar apps update, not duplicate."""
    events = []
    for view in views_of(person_credentials(person.id), clock.today()):
        cycle, code = view.credential.latest_cycle, view.credential.certification.code
        if cycle.end is None or view.status in (cycles.EXPIRED, cycles.RETIRED):
            continue
        uid = f"credential-{view.credential.id}-cycle-{cycle.number}"
        step = view.compliance.next_step if view.compliance else "Renewal rules unconfirmed."
        events.append(
            _event(
                f"{uid}-end@pmolearn",
                cycle.end,
                f"{code} expires today: last day of the cycle",
                step,
            )  # fmt: skip
        )
        if cycle.grace_months:
            events.append(
                _event(
                    f"{uid}-grace@pmolearn",
                    cycles.grace_end(cycle.end, cycle.grace_months),
                    f"{code} suspension ends: last day to renew",
                    "After this day the credential expires and the exam must be passed again.",
                )
            )
    return events
