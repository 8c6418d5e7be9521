"""``pmolearn reminders send`` and ``pmolearn reminders status``."""

from __future__ import annotations

import sys
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from pmolearn import clock, text
from pmolearn.reminders import services

SHOWN_ERRORS = 3


@click.group("reminders")
def reminders_group() -> None:
    """Reminders of deadlines, exams and study: send what is due, or see how the runs went."""


def _day(_ctx, _param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("give a date as YYYY-MM-DD") from None


@reminders_group.command("send")
@click.option("--as-of", "as_of", callback=_day, help="Act as if today were this day.")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; change nothing.")
@with_appcontext
def send_command(as_of: date | None, dry_run: bool) -> None:
    """Make and deliver every reminder due (safe to run any number of times, on any number of
    hosts at once). Exits with status 1 when an email could not be delivered."""
    day = as_of or clock.today()
    base = current_app.config.get("BASE_URL") or "http://127.0.0.1:5000"
    with current_app.test_request_context("/", base_url=base):
        report = services.run(day, dry_run=dry_run)
    if dry_run:
        click.echo(f"Dry run for {text.iso(day)}: nothing is written or sent.")
        for row in report.new:
            click.echo(f"  would make  {row['channel']:<5}  person {row['person_id']:>6}  "
                       f"{row['kind']:<10}  {row['title']}")  # fmt: skip
        click.echo(f"Due {len(report.due)}; new {len(report.new)}.")
        return
    delivery = report.delivery
    click.echo(
        f"Reminders for {text.iso(day)}: due {len(report.due)}, new {report.created}, "
        f"emails sent {delivery.sent}, failed {delivery.failed}."
    )
    errors = list(dict.fromkeys(delivery.errors))
    for error in errors[:SHOWN_ERRORS]:
        click.echo(f"  error: {error}", err=True)
    if len(errors) > SHOWN_ERRORS:
        click.echo(f"  and {len(errors) - SHOWN_ERRORS} more errors", err=True)
    if not report.ok:
        click.echo("Some emails were not delivered: the next run tries again.", err=True)
        sys.exit(1)


@reminders_group.command("status")
@with_appcontext
def status_command() -> None:
    """When the reminder run last ran, and what it found due, sent and failed."""
    status = services.status()
    last = status.last
    if last is None:
        click.echo("The reminder command has never run.")
    else:
        click.echo(
            f"Last run: {text.moment(last.started_at)} on {last.host or 'an unknown host'}, "
            f"for {text.iso(last.as_of)}: due {last.due}, new {last.created}, "
            f"sent {last.sent}, failed {last.failed}"
            + ("" if last.finished_at else " (did not finish)")
        )
        if last.error:
            first, *others = last.error.splitlines()
            click.echo(f"  error: {first}" + (f" (and {len(others)} more)" if others else ""))
    if status.unsent:
        click.echo(f"Emails waiting to be delivered: {status.unsent}.")
    if status.stale:
        click.echo("Warning: no run in the last two days. Schedule it daily (see the README).")
