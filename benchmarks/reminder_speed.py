"""Time a reminder run (``pmolearn reminders send``) over a 10,000-person demo, delivering to a
real SMTP server on loopback (aiosmtpd), then a second run that finds everything already made.

Run: ``.venv/bin/python benchmarks/reminder_speed.py [STAFF]``; prints the seconds of each run.
"""

from __future__ import annotations

import socket
import sys
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller

from pmolearn import clock, create_app
from pmolearn.cli import SEEDS_DIR, load_seeds
from pmolearn.demo.generator import build_demo
from pmolearn.extensions import db
from pmolearn.reminders import services


class Count:
    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.received += 1
        return "250 OK"


def main(staff: int = 10_000) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    counter = Count()
    smtp = Controller(counter, hostname="127.0.0.1", port=port)
    smtp.start()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
                "SECRET_KEY": "bench",
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": port,
                "BASE_URL": "https://pmolearn.example.org",
            }
        )
        with app.app_context():
            db.create_all()
            load_seeds(SEEDS_DIR)
            build_demo(staff=staff)
            db.session.commit()
            for label in ("first run", "second run"):
                start = time.perf_counter()
                with app.test_request_context("/", base_url="https://pmolearn.example.org"):
                    report = services.run(clock.today())
                seconds = time.perf_counter() - start
                print(
                    f"{label}: {seconds:.2f} s for {staff} staff; due {len(report.due)}, "
                    f"new {report.created}, emails sent {report.delivery.sent}, "
                    f"failed {report.delivery.failed}"
                )
            print(f"the SMTP server received {counter.received} messages")
            db.session.remove()
            db.engine.dispose()
    smtp.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
