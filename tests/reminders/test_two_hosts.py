"""Two hosts at once: two ``pmolearn reminders send`` processes started together on the same
database and mail server deliver every reminder exactly once between them."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import date

from sqlalchemy import func, select

from pmolearn.credentials.services import add_credential
from pmolearn.extensions import db
from pmolearn.reminders.models import Reminder

PEOPLE = 30


def test_two_processes_at_once_send_each_reminder_once(app, smtp, make, database_url, tmp_path):
    async def slow_data(server, session, envelope, _keep=smtp.handle_DATA):
        await asyncio.sleep(0.02)  # keep each run busy long enough for the two to overlap
        return await _keep(server, session, envelope)

    smtp.handle_DATA = slow_data
    for n in range(PEOPLE):
        person = make.person(f"holder{n}@example.org")
        add_credential(
            person, "PMP", f"77{n:05d}", date(2024, 3, 1), actor=person, today=date(2026, 11, 25)
        )
    db.session.commit()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "PMOLEARN_MAIL_SERVER": "127.0.0.1",
        "PMOLEARN_MAIL_PORT": str(smtp.port),
        "PMOLEARN_BASE_URL": "https://pmolearn.example.org",
        "PMOLEARN_UPLOAD_FOLDER": str(tmp_path / "evidence"),
        "PMOLEARN_RATELIMIT_ENABLED": "false",
    }
    command = [
        sys.executable,
        "-c",
        "from pmolearn.console import main; main()",
        "reminders",
        "send",
        "--as-of",
        "2026-11-25",
    ]
    hosts = [
        subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=tmp_path,
        )
        for _ in range(2)
    ]
    outputs = [host.communicate(timeout=120)[0] for host in hosts]
    assert [host.returncode for host in hosts] == [0, 0], outputs
    db.session.expire_all()
    emails = db.session.scalar(
        select(func.count()).select_from(Reminder).where(Reminder.channel == "email")
    )
    assert emails >= PEOPLE  # at least the renewal reminder each
    recipients = [m["To"] for m in smtp.messages]
    subjects = [(m["To"], m["Subject"]) for m in smtp.messages]
    assert len(smtp.messages) == emails, outputs
    assert len(set(subjects)) == len(subjects)  # nobody got the same reminder twice
    assert len(set(recipients)) == PEOPLE
    sent_by = [int(o.split("emails sent ")[1].split(",")[0]) for o in outputs]
    assert sum(sent_by) == emails, outputs
