"""Demo reminders: a history of what the reminder run would have sent the sign-ins and the
Enterprise PMO over the last sixteen weeks, so the inbox, the API's list and the admins' run
page have something true to show. It replays the real run (``reminders.services``) on each past
Monday for those people, marks email as sent and older inbox items as read."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from flask import current_app

from pmolearn.reminders import services
from pmolearn.reminders.models import KEY, Reminder, ReminderRun

if TYPE_CHECKING:
    from pmolearn.demo.context import DemoContext

WEEKS = (16, 12, 8, 6, 4, 3, 2, 1)
#: How many of the Enterprise PMO's people besides the sign-ins get a history.
PMO_PEOPLE = 40


def _at(day: date, hour: int = 7) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def build_reminders(ctx: DemoContext) -> dict[str, int]:
    people = [p for p in ctx.people if p.active]
    chosen = [p.id for p in people if p.sign_in]
    chosen += [p.id for p in people if p.unit.in_pmo and not p.sign_in][:PMO_PEOPLE]
    base = current_app.config.get("BASE_URL") or "http://127.0.0.1:5000"
    rows: list[dict] = []
    runs: list[dict] = []
    seen: set[tuple] = set()
    monday = ctx.today - timedelta(days=ctx.today.weekday())
    with current_app.test_request_context("/", base_url=base):
        for weeks in WEEKS:
            day = monday - timedelta(weeks=weeks)
            made = 0
            for row in services.rows_due(services.load_world(day, chosen)):
                key = tuple(row[k] for k in KEY)
                if key in seen:
                    continue
                seen.add(key)
                made += 1
                read = _at(day + timedelta(days=2), 9) if weeks >= 2 else None
                rows.append(
                    {
                        **row,
                        "created_at": _at(day),
                        "sent_at": _at(day),
                        "read_at": read if row["channel"] == "inbox" else None,
                    }
                )
            emails = sum(1 for r in rows[-made:] if r["channel"] == "email") if made else 0
            runs.append(
                {
                    "started_at": _at(day),
                    "finished_at": _at(day) + timedelta(seconds=6),
                    "as_of": day,
                    "dry_run": False,
                    "host": "demo",
                    "due": made,
                    "created": made,
                    "sent": emails,
                    "failed": 0,
                }
            )
    return {
        "reminders": ctx.insert(Reminder, rows),
        "reminder_runs": ctx.insert(ReminderRun, runs),
    }
