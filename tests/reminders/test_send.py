"""``pmolearn reminders send`` over a real SMTP server: once however often it runs, nothing
lost while the server is down, catch-up without stale repeats, escalation, digest, dry run,
status; and the email itself (subject, next step, links from PMOLEARN_BASE_URL, RFC 8058)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from pmolearn.extensions import db
from pmolearn.reminders import settings
from pmolearn.reminders.models import Reminder, ReminderRun
from tests.mailserver import free_port, html_of, text_of

END = date(2027, 3, 1)  # the pmp fixture's cycle end (96 days after 25 November 2026)


def send(runner, *args):
    return runner.invoke(args=["reminders", "send", *args])


def rows(**where) -> list[Reminder]:
    query = select(Reminder).filter_by(**where).order_by(Reminder.id)
    return list(db.session.scalars(query))


def test_a_deadline_reaches_its_person_once_however_often_the_command_runs(
    runner, smtp, people, pmp
):
    for _ in range(3):
        result = send(runner)
        assert result.exit_code == 0, result.output
    mine = smtp.to(people["practitioner"].email)
    renewal = [m for m in mine if m["Subject"].startswith("PMP renewal")]
    assert len(renewal) == 1
    message = renewal[0]
    assert message["Subject"] == "PMP renewal: the cycle ends in 96 days, 1 March 2027"
    body = text_of(message)
    assert "Log 60 more PDUs" in body  # the engine's next step
    assert f"https://pmolearn.example.org/credentials/{pmp.id}" in body
    assert "localhost" not in body and "localhost" not in html_of(message)
    assert (
        message["List-Unsubscribe"].strip().startswith("<https://pmolearn.example.org/unsubscribe/")
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_body(("html",)) is not None
    # The inbox copy is there too, once.
    assert len(rows(person_id=people["practitioner"].id, kind="renewal", channel="inbox")) == 1
    runs = db.session.scalars(select(ReminderRun).order_by(ReminderRun.id)).all()
    assert [r.created > 0 for r in runs] == [True, False, False]


def test_with_the_mail_server_down_nothing_is_lost(runner, smtp, people, pmp, app):
    up = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = free_port()  # nobody listens there
    down = send(runner)
    assert down.exit_code == 1
    assert "Cannot reach the mail server" in down.output
    pending = rows(channel="email", sent_at=None)
    assert pending and smtp.messages == []
    app.config["MAIL_PORT"] = up
    assert send(runner).exit_code == 0
    assert len(smtp.messages) == len(pending)
    assert rows(channel="email", sent_at=None) == []
    assert send(runner).exit_code == 0
    assert len(smtp.messages) == len(pending)  # delivered once, not again


def test_a_dry_run_prints_and_changes_nothing(runner, smtp, people, pmp):
    result = send(runner, "--dry-run")
    assert result.exit_code == 0
    assert "would make  email" in result.output and "PMP renewal" in result.output
    assert db.session.scalar(select(func.count()).select_from(Reminder)) == 0
    assert db.session.scalar(select(func.count()).select_from(ReminderRun)) == 0
    assert smtp.messages == []


def test_a_late_run_sends_the_latest_lead_time_only(runner, smtp, people, pmp):
    result = send(runner, "--as-of", (END - timedelta(days=20)).isoformat())
    assert result.exit_code == 0, result.output
    renewals = rows(kind="renewal", channel="email")
    assert [(r.due_on, r.title) for r in renewals] == [
        (END - timedelta(days=30), "PMP renewal: the cycle ends in 20 days, 1 March 2027")
    ]


def test_close_deadlines_with_pdus_missing_escalate_once(runner, smtp, people, pmp, make):
    practitioner = people["practitioner"]
    manager = make.person("manager@example.org", name="Morgan Manager")
    practitioner.manager_id = manager.id
    db.session.commit()
    for days in (25, 20, 3):
        assert send(runner, "--as-of", (END - timedelta(days=days)).isoformat()).exit_code == 0
    to_manager = [m for m in smtp.to(manager.email) if "still missing" in m["Subject"]]
    to_head = [m for m in smtp.to(people["pmo"].email) if "still missing" in m["Subject"]]
    assert len(to_manager) == len(to_head) == 1
    assert to_manager[0]["Subject"] == (
        f"{practitioner.name}'s PMP ends 1 March 2027 with 60 PDUs still missing"
    )
    assert f"/people/{practitioner.id}" in text_of(to_head[0])


def test_a_weekly_digest_gathers_reminders_into_one_email(runner, smtp, people, pmp):
    practitioner = people["practitioner"]
    settings.save_settings(practitioner, {"digest": "weekly"}, actor=practitioner)
    db.session.commit()
    assert send(runner).exit_code == 0
    mine = smtp.to(practitioner.email)
    assert len(mine) == 1
    made = rows(person_id=practitioner.id, channel="email")
    assert len(made) >= 2 and all(r.sent_at for r in made)
    assert mine[0]["Subject"] == f"pmolearn: {len(made)} reminders this week"


def test_email_off_means_inbox_only_and_status_says_what_ran(runner, smtp, people, pmp):
    practitioner = people["practitioner"]
    settings.save_settings(practitioner, {"email": False}, actor=practitioner)
    db.session.commit()
    assert send(runner).exit_code == 0
    assert smtp.to(practitioner.email) == []
    assert rows(person_id=practitioner.id, channel="inbox")
    status = runner.invoke(args=["reminders", "status"])
    assert "Last run:" in status.output and "failed 0" in status.output
    assert "Warning" not in status.output


def test_status_warns_when_nothing_ran(runner, people):
    status = runner.invoke(args=["reminders", "status"])
    assert "never run" in status.output and "Warning: no run in the last two days" in status.output


def test_a_bad_as_of_is_refused(runner, people):
    result = send(runner, "--as-of", "next tuesday")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
