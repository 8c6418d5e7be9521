"""The catalog's snapshot: what pages read instead of loading catalog rows every request. It
must follow a seed, a change made in this process, and one made by another host."""

from __future__ import annotations

from sqlalchemy import select, text, update

from pmolearn.catalog import snapshot
from pmolearn.catalog.models import Certification
from pmolearn.cli import load_seeds
from pmolearn.extensions import db
from tests.conftest import SEEDS


def _rename_elsewhere(code: str, name: str) -> None:
    """What another host's ``pmolearn seed`` does, as far as this process can tell: rows
    changed on another connection, and the revision raised."""
    with db.engine.begin() as conn:
        conn.execute(update(Certification).where(Certification.code == code).values(name=name))
        conn.execute(text("UPDATE catalog_state SET revision = revision + 1"))


def test_the_snapshot_holds_the_catalog_as_seeded(app, catalog):
    found = snapshot.current()
    rows = db.session.execute(select(Certification.code, Certification.name)).all()
    assert {c.code: c.name for c in found.certifications} == dict(rows)
    pmp = found.by_code["PMP"]
    assert found.find("pmp") is pmp
    assert pmp.policy_on(pmp.policies[-1].effective_from) is pmp.policies[-1]
    assert all(t.policy_id == p.id for p in pmp.policies for t in p.activity_types)
    assert snapshot.current() is found  # one load, shared


def test_a_change_in_this_process_is_seen_at_once_and_a_rollback_undoes_it(app, catalog):
    before = snapshot.current().by_code["CAPM"].name
    db.session.scalar(select(Certification).where(Certification.code == "CAPM")).name = "X"
    db.session.flush()
    assert snapshot.current().by_code["CAPM"].name == "X"
    db.session.rollback()
    assert snapshot.current().by_code["CAPM"].name == before


def test_another_host_is_seen_after_the_recheck_time(app, catalog):
    original = snapshot.current().by_code["CAPM"].name
    try:
        app.config["CATALOG_RECHECK_SECONDS"] = None  # never rechecks
        snapshot.invalidate()
        assert snapshot.current().by_code["CAPM"].name == original
        _rename_elsewhere("CAPM", "Renamed elsewhere")
        assert snapshot.current().by_code["CAPM"].name == original

        app.config["CATALOG_RECHECK_SECONDS"] = 0  # rechecks on every read
        snapshot.invalidate()
        assert snapshot.current().by_code["CAPM"].name == "Renamed elsewhere"
        _rename_elsewhere("CAPM", "Renamed again")
        assert snapshot.current().by_code["CAPM"].name == "Renamed again"
        loaded = snapshot.current()
        assert snapshot.current() is loaded  # the revision did not move: no reload
    finally:
        _rename_elsewhere("CAPM", original)
        app.config["CATALOG_RECHECK_SECONDS"] = None
        snapshot.invalidate()


def test_a_seed_raises_the_revision(app, catalog):
    before = snapshot.read_revision()
    load_seeds(SEEDS)
    db.session.commit()
    assert snapshot.read_revision() == before + 1
    assert snapshot.current().revision == before + 1


def test_a_signed_in_request_reads_another_hosts_seed_at_once(
    app, catalog, people, bearer, client, login, count_queries
):
    """The catalog's revision rides in the signed-in person's statement: the first request
    after a seed on another host reads the new catalog (HTML and API alike), whatever the
    recheck time, and a request while the revision stands costs no statement for it."""
    original = snapshot.current().by_code["CAPM"].name
    headers = bearer("practitioner")
    try:
        snapshot.invalidate()
        assert client.get("/api/v1/certifications/CAPM", headers=headers).json["name"] == original
        _rename_elsewhere("CAPM", "Renamed elsewhere")
        answer = client.get("/api/v1/certifications/CAPM", headers=headers)
        assert answer.json["name"] == "Renamed elsewhere"
        login(people["practitioner"])
        assert "Renamed elsewhere" in client.get("/catalog/").get_data(as_text=True)
        with count_queries() as counted:
            client.get("/api/v1/certifications/CAPM", headers=headers)
        assert counted() == 1  # the signed-in person's statement only
    finally:
        _rename_elsewhere("CAPM", original)
        snapshot.invalidate()
