"""``/healthz`` and ``/readyz`` (API.md, Operations): open to all, no data, a reason when not ready.

Readiness at and below the migrations' head is tested in ``tests/test_migrations.py`` (it needs a
database built by Alembic; the suite's is built from the models).
"""

from __future__ import annotations

from pmolearn import create_app
from pmolearn.ops import health


def unreachable_database_app(tmp_path):
    url = f"sqlite:///{tmp_path}/missing/none.sqlite3"  # its folder does not exist
    return create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url})


def test_healthz_answers_without_a_sign_in_or_the_database(tmp_path):
    app = unreachable_database_app(tmp_path)
    response = app.test_client().get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_503_when_the_database_does_not_answer(tmp_path):
    app = unreachable_database_app(tmp_path)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "reason": health.NOT_ANSWERING}
    assert "sqlite" not in response.get_data(as_text=True)  # no error text, no paths


def test_readyz_is_503_on_a_schema_built_without_migrations(client):
    # the suite's database comes from the models (no alembic_version): not at the head
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["reason"] == health.BEHIND


def test_health_routes_need_no_sign_in_and_take_no_writes(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405
