"""Time the team capability page on a 10,000-person demo: a unit of about 500 people, and the
whole organisation (HR), through the WSGI app, with the statement count from Server-Timing; and
the capability and coverage API calls.

Run: ``.venv/bin/python benchmarks/capability_speed.py [STAFF]``.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from pmolearn import create_app
from pmolearn.cli import SEEDS_DIR, load_seeds
from pmolearn.demo.generator import build_demo
from pmolearn.extensions import db
from pmolearn.people.models import OrgUnit, Person

PASSWORD = "benchmark-pw"  # noqa: S105 - a throwaway demo password
RUNS = 5


def unit_of_about(size: int) -> tuple[int, int]:
    """The org unit whose subtree is closest to ``size`` people: (id, people)."""
    best = None
    for unit in db.session.scalars(select(OrgUnit)):
        count = db.session.scalar(
            select(func.count())
            .select_from(Person)
            .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
            .where(OrgUnit.path.startswith(unit.path))
        )
        if best is None or abs(count - size) < abs(best[1] - size):
            best = (unit.id, count)
    return best


def main(staff: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
                "SERVER_TIMING": True,
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            db.create_all()
            load_seeds(SEEDS_DIR)
            build_demo(staff=staff, password=PASSWORD)
            db.session.commit()
            unit_id, size = unit_of_about(500)
        plan = [
            (f"/capability?unit={unit_id}", f"a unit of {size} people"),
            (f"/api/v1/org-units/{unit_id}/capability", f"API, {size} people"),
            (f"/api/v1/org-units/{unit_id}/coverage?months=12", f"API timeline, {size} people"),
            ("/capability", f"the whole organisation ({staff} people)"),
            ("/capability.xlsx", f"XLSX of the whole organisation ({staff} people)"),
        ]
        client = app.test_client()
        client.post("/login", data={"email": "hr@example.com", "password": PASSWORD})
        print(f"{staff} staff; median of {RUNS} requests as HR")
        for url, label in plan:
            client.get(url)
            times, statements = [], "?"
            for _ in range(RUNS):
                start = time.perf_counter()
                response = client.get(url)
                response.get_data()
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                timing = response.headers.get("Server-Timing", "")
                found = re.search(r'desc="(\d+) queries"', timing)
                statements = found[1] if found else "?"
            print(f"  {label:<45} {statistics.median(times):8.1f} ms  {statements:>3} statements")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
