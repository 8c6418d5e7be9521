"""Time ``build_demo(staff=10000)`` plus its commit on a fresh SQLite file in a temp dir.

Run: ``.venv/bin/python benchmarks/demo_speed.py [STAFF]``; prints the seconds taken.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from flask import Flask

from pmolearn.extensions import db


def make_app(uri: str, instance: Path) -> Flask:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": uri,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "benchmark",
        "UPLOAD_FOLDER": str(instance / "evidence"),
    }
    try:
        from pmolearn import create_app

        return create_app(config)
    except Exception:  # the factory is mid-change elsewhere: a bare app is enough here
        app = Flask(__name__)
        app.config.update(config)
        db.init_app(app)
        import pmolearn.models  # noqa: F401

        return app


def main(staff: int = 10_000) -> float:
    from pmolearn.demo.generator import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}", Path(tmp))
        with app.app_context():
            db.create_all()
            from pmolearn.catalog.seeding import load_seeds

            load_seeds(Path(__file__).resolve().parent.parent / "seeds")  # credentials need it
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
