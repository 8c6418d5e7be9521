"""Time ``build_demo(staff=10000)`` plus its commit on a fresh SQLite file in a temp dir.

Run: ``.venv/bin/python benchmarks/demo_speed.py [STAFF]``; prints the seconds taken.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from pmolearn import create_app
from pmolearn.cli import SEEDS_DIR, load_seeds
from pmolearn.demo.generator import build_demo
from pmolearn.extensions import db


def main(staff: int = 10_000) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'demo.sqlite3'}",
                "SECRET_KEY": "benchmark",
                "UPLOAD_FOLDER": str(Path(tmp) / "evidence"),
            }
        )
        with app.app_context():
            db.create_all()
            load_seeds(SEEDS_DIR)  # credentials need the catalog
            db.session.commit()
            start = time.perf_counter()
            summary = build_demo(staff=staff)
            db.session.commit()
            seconds = time.perf_counter() - start
            counts = ", ".join(f"{k} {v}" for k, v in summary.counts.items())
            print(f"build_demo(staff={staff}) + commit: {seconds:.2f} s ({counts})")
            db.session.remove()
            db.engine.dispose()
    return seconds


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
