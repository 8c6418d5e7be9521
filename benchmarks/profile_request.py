"""Profile one page or API read in-process with pyinstrument, on a demo organisation.

Usage::

    python benchmarks/profile_request.py PATH [PATH …] [--as EMAIL] [--token] [--staff N]
                                         [--runs 200] [--database URL]

Builds the demo (or reuses ``--database`` when it already holds one), signs in as ``--as`` by
session cookie (``--token``: by API token instead), warms up, then profiles ``--runs`` requests
of each PATH and prints the time per request and pyinstrument's tree.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from pyinstrument import Profiler
from sqlalchemy import inspect, select

from pmolearn import create_app
from pmolearn.accounts.services import create_token
from pmolearn.cli import load_seeds
from pmolearn.config import shipped
from pmolearn.database import analyze
from pmolearn.demo.generator import build_demo
from pmolearn.extensions import db
from pmolearn.people.models import Person

PASSWORD = "benchmark-pw"  # noqa: S105 - a throwaway demo password


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--as", dest="email", default="practitioner@example.com")
    parser.add_argument("--token", action="store_true")
    parser.add_argument("--staff", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--database")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = options.database or f"sqlite:///{Path(tmp) / 'profile.sqlite3'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "profile",
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                          "REQUEST_LOG": False})  # fmt: skip
        with app.app_context():
            if "people" not in inspect(db.engine).get_table_names():
                db.create_all()
                load_seeds(shipped("seeds"))
                build_demo(staff=options.staff, password=PASSWORD)
                db.session.commit()
                analyze(db.session)
            person = db.session.scalar(select(Person).where(Person.email == options.email))
            headers = {}
            if options.token:
                headers["Authorization"] = f"Bearer {create_token(person, 'profile')[1]}"
                db.session.commit()
        client = app.test_client()
        if not options.token:
            client.post("/login", data={"email": options.email, "password": PASSWORD})
        for path in options.paths:
            for _ in range(5):
                assert client.get(path, headers=headers).status_code == 200, path
            profiler = Profiler(interval=0.0005)
            started = time.perf_counter()
            with profiler:
                for _ in range(options.runs):
                    client.get(path, headers=headers)
            each = (time.perf_counter() - started) / options.runs * 1000
            print(f"\n{path}: {each:.2f} ms per request in-process ({options.runs} runs)")
            print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
