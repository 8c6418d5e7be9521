"""Time and peak memory of a 100,000-row roster download (CSV and XLSX) through the WSGI app,
as HR. The data: 50,000 people with two PMI credentials each (PMP and CAPM, one cycle) and two
claimed PDU activities per PMP, inserted in bulk into a temporary SQLite file.

Run: ``.venv/bin/python benchmarks/report_speed.py [ROWS]``. Peak memory is what Python
allocated during the request (``tracemalloc``), not counting the interpreter and the app.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from pmolearn import create_app
from pmolearn.accounts.services import create_token
from pmolearn.catalog.models import Certification
from pmolearn.cli import SEEDS_DIR, load_seeds
from pmolearn.credentials.models import Credential, CredentialCycle
from pmolearn.extensions import db
from pmolearn.pdus.models import PduActivity, pdu_applications
from pmolearn.people.models import OrgUnit, Person, PersonRole, new_calendar_token

PASSWORD = "benchmark-pw"  # noqa: S105 - a throwaway password


def build(rows: int) -> None:
    people = rows // 2
    root = OrgUnit(name="Benchmark Corp", code="ROOT", path="/1/")
    db.session.add(root)
    db.session.flush()
    root.path = f"/{root.id}/"
    digest = generate_password_hash(PASSWORD)
    db.session.execute(
        insert(Person),
        [
            {
                "id": i,
                "email": f"person{i}@example.org",
                "name": f"Person {i:06d}",
                "org_unit_id": root.id,
                "password_hash": digest if i == 1 else None,
                "calendar_token": new_calendar_token(),
                "pmi_member": i % 3 == 0,
            }
            for i in range(1, people + 1)
        ],
    )
    db.session.execute(insert(PersonRole), [{"person_id": 1, "role": "hr"}])
    certs = {c.code: c for c in db.session.scalars(select(Certification))}
    pmp, capm = certs["PMP"], certs["CAPM"]
    on = date(2026, 11, 25)
    creds, cycles, activities, links = [], [], [], []
    cid = aid = 0
    for i in range(1, people + 1):
        earned = date(2024, 1 + i % 12, 1 + i % 28)
        for cert in (pmp, capm):
            cid += 1
            end = date(earned.year + 3, earned.month, earned.day)
            policy = cert.policy_on(earned)
            creds.append(
                {
                    "id": cid,
                    "person_id": i,
                    "certification_id": cert.id,
                    "number": f"{cid:07d}",
                    "earned_on": earned,
                }
            )
            cycles.append(
                {
                    "credential_id": cid,
                    "number": 1,
                    "start": earned,
                    "end": end,
                    "policy_id": policy.id if policy else None,
                    "carried_in": [],
                }
            )
            if cert is pmp:
                for k in range(2):
                    aid += 1
                    activities.append(
                        {
                            "id": aid,
                            "person_id": i,
                            "title": f"Course {k}",
                            "activity_type": "course",
                            "category": "education",
                            "completed_on": date(2025, 3 + k, 10),
                            "pdus": Decimal(6),
                            "ways_of_working": Decimal(2),
                            "power_skills": Decimal(2),
                            "business_acumen": Decimal(2),
                            "status": "claimed",
                        }
                    )
                    links.append({"activity_id": aid, "credential_id": cid})
    for model, batch in (
        (Credential, creds),
        (CredentialCycle, cycles),
        (PduActivity, activities),
        (pdu_applications, links),
    ):
        for start in range(0, len(batch), 5000):
            db.session.execute(insert(model), batch[start : start + 5000])
    db.session.commit()
    assert on


def measure(client, url: str) -> tuple[float, float, int]:
    """(seconds untraced, peak MB allocated in a second, traced run, bytes)."""
    start = time.perf_counter()
    response = client.get(url)
    size = sum(len(chunk) for chunk in response.response)
    seconds = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    tracemalloc.start()
    sum(len(chunk) for chunk in client.get(url).response)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, size


def main(rows: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'r.sqlite3'}",
                "SECRET_KEY": "bench",
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            db.create_all()
            load_seeds(SEEDS_DIR)
            db.session.commit()
            built = time.perf_counter()
            build(rows)
            print(f"built {rows} credentials in {time.perf_counter() - built:.1f} s")
        with app.app_context():
            _token, plain = create_token(db.session.get(Person, 1), "benchmark")
            db.session.commit()
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {plain}"
        for fmt in ("csv", "xlsx"):
            seconds, peak, size = measure(client, f"/api/v1/reports/roster?format={fmt}")
            print(
                f"roster {fmt}: {rows} rows in {seconds:.1f} s, peak {peak:.0f} MB allocated, "
                f"{size / 2**20:.1f} MB file"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
