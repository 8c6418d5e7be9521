"""A person's private iCalendar feed (RFC 5545, built with the ``icalendar`` library): renewal
deadlines, grace ends, exam dates and study milestones as all-day events with stable UIDs (so
calendar apps update them rather than add copies) and alarms."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Alarm, Calendar, Event

from pmolearn import clock, text
from pmolearn.credentials import cycles
from pmolearn.credentials.services import person_credentials, views_of
from pmolearn.people.models import Person
from pmolearn.study import plan
from pmolearn.study import services as study
from pmolearn.study.fields import OPEN_STAGES
from pmolearn.web import public_url

#: Alarms before each kind of event (days).
DEADLINE_ALARMS = (30, 7)
EXAM_ALARMS = (7, 1)


def _event(uid: str, day: date, summary: str, description: str, url: str, alarms=()) -> Event:
    event = Event()
    event.add("uid", f"{uid}@pmolearn")
    event.add("dtstamp", clock.now())
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", f"{description}\n\n{url}".strip())
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    for days in alarms:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", timedelta(days=-days))
        event.add_component(alarm)
    return event


def credential_events(person: Person) -> list[Event]:
    events = []
    for view in views_of(person_credentials(person.id), clock.today()):
        cycle, code = view.credential.latest_cycle, view.credential.certification.code
        if cycle.end is None or view.status in (cycles.EXPIRED, cycles.RETIRED):
            continue
        uid = f"credential-{view.credential.id}-cycle-{cycle.number}"
        url = public_url("credentials.show", credential_id=view.credential.id)
        step = view.compliance.next_step if view.compliance else "Renewal rules unconfirmed."
        summary = f"{code} expires today: last day of the cycle"
        events.append(_event(f"{uid}-end", cycle.end, summary, step, url, DEADLINE_ALARMS))
        if cycle.grace_months:
            events.append(
                _event(
                    f"{uid}-grace",
                    cycles.grace_end(cycle.end, cycle.grace_months),
                    f"{code} suspension ends: last day to renew",
                    "After this day the credential expires and the exam must be passed again.",
                    url,
                    DEADLINE_ALARMS,
                )
            )
    return events


def study_events(person: Person) -> list[Event]:
    """The exam date of each open pursuit, and its weekly milestones still ahead."""
    events = []
    today = clock.today()
    pursuits = [p for p in study.pursuits_of(person.id) if p.stage in OPEN_STAGES]
    for pursuit in pursuits:
        code = pursuit.certification.code
        url = public_url("study.show", pursuit_id=pursuit.id)
        scheduled = pursuit.stage == "exam_scheduled"
        summary = f"{code} exam" if scheduled else f"{code} exam (target date)"
        events.append(
            _event(
                f"pursuit-{pursuit.id}-exam",
                pursuit.target_exam_on,
                summary,
                "The exam." if scheduled else "The date your study plan aims at.",
                url,
                EXAM_ALARMS if scheduled else (),
            )
        )
        for milestone in plan.milestones(study.plan_of(pursuit)):
            if milestone.ends_on < today or milestone.ends_on >= pursuit.target_exam_on:
                continue
            events.append(
                _event(
                    f"pursuit-{pursuit.id}-week-{milestone.week}",
                    milestone.ends_on,
                    f"{code} study: {text.amount(milestone.planned_hours)} hours by today",
                    f"Week {milestone.week} of your plan.",
                    url,
                )
            )
    return events


#: Functions ``(person) -> list[Event]`` whose events make up the feed.
EVENT_SOURCES = (credential_events, study_events)


def feed(person: Person) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//pmolearn//certification deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"pmolearn: {person.name}")
    for source in EVENT_SOURCES:
        for event in source(person):
            calendar.add_component(event)
    return calendar.to_ical()
