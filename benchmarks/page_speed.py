"""Time the busiest pages and API calls on a 10,000-person demo and count their SQL statements.

Usage: ``python benchmarks/page_speed.py [STAFF]``. Builds the demo in a temporary SQLite file,
then requests each page 20 times through the WSGI app (no network) and prints the median time
and the statement count from the ``Server-Timing`` header.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from pmolearn import create_app
from pmolearn.cli import load_seeds
from pmolearn.credentials.models import Credential
from pmolearn.demo.generator import build_demo
from pmolearn.extensions import db
from pmolearn.people.models import Person
from pmolearn.study.models import Pursuit

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark-pw"  # noqa: S105 - a throwaway demo password
RUNS = int(__import__("os").environ.get("RUNS", 20))


def main(staff: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
                "SERVER_TIMING": True,
                "RATELIMIT_ENABLED": False,
                "REQUEST_LOG": False,  # the table, not a log line per request
            }
        )
        with app.app_context():
            db.create_all()
            load_seeds(ROOT / "seeds")
            build_demo(staff=staff, password=PASSWORD)
            db.session.commit()
            practitioner = db.session.scalar(
                select(Person).where(Person.email == "practitioner@example.com")
            )
            pmp = db.session.scalar(
                select(Credential.id).where(Credential.person_id == practitioner.id)
            )
            pid = practitioner.id
            pursuit = db.session.scalar(select(Pursuit.id).where(Pursuit.person_id == pid))
        plan = [
            ("practitioner@example.com", "/"),
            ("practitioner@example.com", f"/credentials/{pmp}"),
            ("practitioner@example.com", "/pdus"),
            ("practitioner@example.com", f"/api/v1/credentials/{pmp}"),
            ("practitioner@example.com", f"/api/v1/people/{pid}/pdus"),
            ("practitioner@example.com", "/study/"),
            ("practitioner@example.com", f"/study/{pursuit}"),
            ("practitioner@example.com", f"/api/v1/pursuits/{pursuit}"),
            ("practitioner@example.com", "/catalog/PgMP"),
            ("pmo@example.com", "/"),
            ("pmo@example.com", "/people"),
            ("pmo@example.com", "/study/team"),
            ("pmo@example.com", "/catalog/PMP"),
            ("hr@example.com", "/"),
            ("hr@example.com", "/people"),
            ("hr@example.com", "/study/team"),
            ("hr@example.com", "/api/v1/people?per_page=500"),
        ]
        print(f"{staff} staff; median of {RUNS} requests")
        for email, url in plan:
            client = app.test_client()
            client.post("/login", data={"email": email, "password": PASSWORD})
            client.get(url)  # warm up: first-request template compilation is not the page
            times, queries = [], None
            for _ in range(RUNS):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                queries = re.search(r'desc="(\d+) queries"', response.headers["Server-Timing"])[1]
            print(
                f"{email.split('@')[0]:>12} {url:<34} {statistics.median(times):7.1f} ms"
                f"  {queries:>3} statements"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
