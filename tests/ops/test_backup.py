"""``pmolearn backup DIR`` / ``pmolearn restore DIR``: a round trip through the real command line,
on SQLite and (with TEST_DATABASE_URL) PostgreSQL, into a new empty installation.

The source is built the way an organisation builds one (``db upgrade``, ``seed``, ``demo``) plus
an evidence file uploaded through the API; the restored copy must hold the same rows, serve the
same file byte for byte and sign the same people in.
"""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import create_engine, func, select, text

from pmolearn.accounts.services import create_token
from pmolearn.extensions import db
from pmolearn.people.models import Person
from tests.api.test_pdus import course, tiny_png
from tests.ops.conftest import Installation, installation

PASSWORD = "backup-pass-1"


def _upload_evidence(source: Installation) -> tuple[int, str]:
    """One PDU claim with a PNG certificate, through the API as the demo practitioner."""
    app = source.app()
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.email == "practitioner@example.com"))
        _token, plain = create_token(person, "backup test")
        db.session.commit()
        headers = {"Authorization": f"Bearer {plain}"}
        client = app.test_client()
        credential = client.get(f"/api/v1/people/{person.id}/credentials",
                                headers=headers).get_json()["items"][0]  # fmt: skip
        created = client.post(
            f"/api/v1/people/{person.id}/pdus",
            json=course(credential_ids=[credential["id"]], completed_on="2026-11-01"),
            headers=headers,
        )
        assert created.status_code == 201, created.get_json()
        uploaded = client.post(
            f"/api/v1/pdus/{created.get_json()['id']}/evidence",
            data={"file": (io.BytesIO(tiny_png()), "certificate.png")},
            headers=headers, content_type="multipart/form-data",
        )  # fmt: skip
        assert uploaded.status_code == 201, uploaded.get_json()
        db.session.remove()
        db.engine.dispose()
    return person.id, uploaded.get_json()["url"]


@pytest.fixture(scope="module")
def source(new_database, tmp_path_factory, _schema):
    """Built once for the module: the tests only read it and back it up."""
    source = installation(new_database, tmp_path_factory.mktemp("source"), "source")
    source.run("db", "upgrade")
    source.run("seed")
    source.run("demo", "--staff", "30", "--password", PASSWORD)
    source.person_id, source.evidence_url = _upload_evidence(source)
    return source


def test_backup_and_restore_round_trip(source, new_database, tmp_path):
    folder = tmp_path / "backup-1"
    said = source.run("backup", str(folder)).stdout
    assert "Backed up" in said and "1 evidence file" in said
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["revision"] and manifest["rows"]["people"] == source.count("people")
    assert {e["path"] for e in manifest["files"]} >= {
        "evidence/" + p.name for p in (source.folder / "evidence").iterdir()
    }

    target = installation(new_database, tmp_path, "target")
    restored = target.run("restore", str(folder)).stdout
    assert "Restored" in restored
    for table in ("people", "credentials", "pdu_activities", "evidence_files", "audit_events"):
        assert target.count(table) == source.count(table), table
    assert target.run("db", "current").stdout.strip().endswith("(head)")

    app = target.app()
    with app.app_context():
        client = app.test_client()
        signed_in = client.post("/login", data={"email": "practitioner@example.com",
                                                "password": PASSWORD})  # fmt: skip
        assert signed_in.status_code == 302
        with client.get(source.evidence_url) as download:
            assert download.status_code == 200
            assert download.data == tiny_png()
        assert client.get("/readyz").status_code == 200
        db.session.remove()
        db.engine.dispose()


def test_backup_refuses_a_folder_that_is_not_empty(source, tmp_path):
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    result = source.run("backup", str(folder), ok=False)
    assert result.returncode != 0 and "not empty" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]


def test_a_damaged_backup_restores_nothing(source, new_database, tmp_path):
    folder = tmp_path / "backup-2"
    source.run("backup", str(folder))
    evidence = next((folder / "evidence").iterdir())
    evidence.write_bytes(evidence.read_bytes()[:-1] + b"\x00")
    target = installation(new_database, tmp_path, "damaged")
    result = target.run("restore", str(folder), ok=False)
    assert result.returncode != 0 and "fails its checksum" in result.stderr
    engine = create_engine(target.url)
    with engine.connect() as connection:
        tables = connection.dialect.get_table_names(connection)
    engine.dispose()
    assert tables == []
    assert not (target.folder / "evidence").exists() or not any(
        (target.folder / "evidence").iterdir()
    )


def test_restore_goes_only_into_an_emptyinstallation(source, tmp_path):
    folder = tmp_path / "backup-3"
    source.run("backup", str(folder))
    people = source.count("people")
    result = source.run("restore", str(folder), ok=False)
    assert result.returncode != 0 and "already has tables" in result.stderr
    assert source.count("people") == people


def test_restore_of_a_folder_that_is_no_backup_says_so(source, tmp_path):
    result = source.run("restore", str(tmp_path), ok=False)
    assert result.returncode != 0 and "not a pmolearn backup" in result.stderr


def test_row_counts_in_the_manifest_are_the_databases(source, tmp_path):
    folder = tmp_path / "backup-4"
    source.run("backup", str(folder))
    rows = json.loads((folder / "manifest.json").read_text())["rows"]
    engine = create_engine(source.url)
    with engine.connect() as connection:
        assert rows["pdu_activities"] == connection.scalar(
            select(func.count()).select_from(text("pdu_activities")))  # fmt: skip
    engine.dispose()


def _no_tables(url: str) -> bool:
    engine = create_engine(url)
    with engine.connect() as connection:
        tables = connection.dialect.get_table_names(connection)
    engine.dispose()
    return tables == []


def _drop_evidence_entries(manifest: dict) -> None:
    manifest["files"] = [e for e in manifest["files"] if not e["path"].startswith("evidence/")]


def _drop_database_entry(manifest: dict) -> None:
    manifest["files"] = [e for e in manifest["files"] if e["path"].startswith("evidence/")]


TAMPERED = {
    "rows missing": (lambda m: m.pop("rows"), "row counts are missing"),
    "rows not counts": (lambda m: m["rows"].update(people="many"), "row counts are missing"),
    "files not a list": (lambda m: m.update(files="x"), "list of files"),
    "an entry without a path": (lambda m: m["files"][0].pop("path"), "list of files"),
    "the database file unlisted": (_drop_database_entry, "does not list the database file"),
    "an evidence file unlisted": (_drop_evidence_entries, "does not list"),
    "an unknown database": (lambda m: m.update(database="oracle"), "names no database"),
}


@pytest.mark.parametrize("change", sorted(TAMPERED))
def test_a_tampered_manifest_is_refused_before_anything_is_written(
    source, new_database, tmp_path, change
):
    folder = tmp_path / "backup-t"
    source.run("backup", str(folder))
    tamper, said = TAMPERED[change]
    manifest = json.loads((folder / "manifest.json").read_text())
    tamper(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    target = installation(new_database, tmp_path, "tampered")
    result = target.run("restore", str(folder), ok=False)
    assert result.returncode == 1, result.stderr
    assert said in result.stderr and "Traceback" not in result.stderr
    assert _no_tables(target.url)
    assert not (target.folder / "evidence").exists() or not any(
        (target.folder / "evidence").iterdir()
    )


def test_a_backup_that_cannot_be_written_says_why_and_leaves_no_folder(source, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = source.run("backup", str(blocker / "inside"), ok=False)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "Cannot write the backup" in result.stderr or "Error" in result.stderr


def test_an_unreachable_database_is_a_message_not_a_traceback(source, tmp_path):
    bad = Installation(source.url, source.folder)
    if source.url.startswith("sqlite"):
        bad.env = {**source.env, "DATABASE_URL": f"sqlite:///{tmp_path}/no/such/dir/x.sqlite3"}
    else:
        bad.env = {**source.env, "DATABASE_URL": source.url.rsplit("/", 1)[0] + "/no_such_db_x"}
    result = bad.run("backup", str(tmp_path / "bk"), ok=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "The database could not be used" in result.stderr
    assert not (tmp_path / "bk").exists()
