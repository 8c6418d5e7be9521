"""Audit pack: exactly the counted claims of one cycle, with their evidence, to those in scope."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest

from pmolearn.clock import today
from pmolearn.credentials import services
from pmolearn.credentials.audit_pack import build_audit_pack
from pmolearn.extensions import db
from pmolearn.pdus import services as pdu_services
from pmolearn.pdus.evidence import stored_path
from pmolearn.pdus.fields import AUDIT_COLUMNS
from tests.pdus.helpers import PNG, attach, course, hold_pmp, log


@pytest.fixture
def claims(catalog, people):
    """A PMP holder with two counted claims (one with evidence), a draft, a rejected claim and
    one not applied to the credential."""
    me = people["practitioner"]
    credential = hold_pmp(me)
    counted = log(me, course("Agile course", "2024-05-10", "7.5", credential=credential))
    attach(counted, me)
    giving = log(
        me,
        {
            "title": '=HYPERLINK("http://evil")',
            "activity_type": "volunteer",
            "completed_on": "2024-06-01",
            "pdus": "2",
            "credential_ids": [credential.id],
        },
    )
    draft = log(me, course("Draft course", "2024-07-01", credential=credential, status="draft"))
    rejected = log(me, course("Rejected course", "2024-07-02", credential=credential))
    pdu_services.update_activity(rejected, {"status": "rejected"}, actor=me, today=today())
    unapplied = log(me, course("Not applied", "2024-07-03"))
    db.session.commit()
    return {
        "me": me,
        "credential": credential,
        "counted": counted,
        "giving": giving,
        "excluded": [draft, rejected, unapplied],
    }


def open_pack(data: bytes) -> tuple[zipfile.ZipFile, list[dict]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    text = archive.read("claims.csv").decode("utf-8-sig")
    return archive, list(csv.DictReader(io.StringIO(text)))


def test_pack_holds_exactly_the_counted_claims_and_their_evidence(app, claims):
    filename, buffer = build_audit_pack(claims["credential"], None, today())
    archive, rows = open_pack(buffer.getvalue())

    assert filename.endswith(".zip") and "PMP" in filename
    assert [int(r["activity_id"]) for r in rows] == [claims["counted"].id, claims["giving"].id]
    assert list(rows[0]) == [*AUDIT_COLUMNS, "evidence_files"]
    first = rows[0]
    assert first["title"] == "Agile course"
    assert first["pdus"] == "7.50" and first["ways_of_working"] == "7.50"
    assert first["category"] == "education" and first["status"] == "claimed"
    evidence_name = f"evidence/{claims['counted'].id}-1-cert.png"
    assert first["evidence_files"] == evidence_name
    assert archive.read(evidence_name) == PNG
    excluded_titles = {a.title for a in claims["excluded"]}
    assert not excluded_titles & {r["title"] for r in rows}


def test_csv_neutralises_spreadsheet_formulas(app, claims):
    _name, buffer = build_audit_pack(claims["credential"], None, today())
    _archive, rows = open_pack(buffer.getvalue())
    assert rows[1]["title"] == '\'=HYPERLINK("http://evil")'


def test_summary_gives_the_engines_figures_and_lists_missing_files(app, claims):
    lost = attach(claims["giving"], claims["me"], filename="receipt.png")
    stored_path(lost).unlink()

    _name, buffer = build_audit_pack(claims["credential"], None, date(2025, 1, 1))
    archive = zipfile.ZipFile(buffer)
    summary = archive.read("summary.txt").decode()

    assert "Person:         Person" in summary and "prac@example.org" in summary
    assert "PMP" in summary and "Number:         123" in summary
    assert "2024-03-01 to 2027-03-01" in summary
    assert "Policy:         PMP since" in summary
    assert "Required PDUs:  60" in summary
    assert "Applied PDUs:   9.5" in summary
    assert "Remaining PDUs: 50.5" in summary
    assert "Status:" in summary
    assert "Missing evidence files (1)" in summary and "receipt.png" in summary
    assert not [n for n in archive.namelist() if n.endswith("receipt.png")]


def test_cycle_parameter_picks_the_cycle(app, catalog, people):
    me = people["practitioner"]
    credential = hold_pmp(me)
    big = course("Big course", "2024-05-10", "60", credential=credential)
    big["areas"] = {"ways_of_working": "20", "power_skills": "20", "business_acumen": "20"}
    log(me, big)
    services.renew(credential, date(2024, 6, 1), actor=me, today=today())
    db.session.commit()

    _name, current = build_audit_pack(credential, None, today())
    _name, first = build_audit_pack(credential, 1, today())

    assert open_pack(current.getvalue())[1] == []  # cycle 2 starts in 2027
    assert [r["title"] for r in open_pack(first.getvalue())[1]] == ["Big course"]


def test_holder_downloads_from_page_and_api(client, login, claims):
    login(claims["me"])
    credential_id = claims["credential"].id
    for url in (
        f"/credentials/{credential_id}/audit-pack",
        f"/api/v1/credentials/{credential_id}/audit-pack?cycle=1",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == "application/zip"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert "claims.csv" in zipfile.ZipFile(io.BytesIO(response.data)).namelist()


@pytest.mark.parametrize(
    ("who", "status"), [("hr", 200), ("pmo", 200), ("outsider", 404), ("colleague", 404)]
)
def test_scope(client, login, people, claims, who, status):
    """HR and the holder's PMO head read it; another practitioner cannot even see it exists."""
    login(people[who])
    credential_id = claims["credential"].id
    assert client.get(f"/credentials/{credential_id}/audit-pack").status_code == status
    response = client.get(f"/api/v1/credentials/{credential_id}/audit-pack")
    assert response.status_code == status
    if status == 404:
        assert response.get_json()["error"]["code"] == "not_found"


def test_unknown_or_malformed_cycle_is_refused(client, login, claims):
    login(claims["me"])
    credential_id = claims["credential"].id
    response = client.get(f"/api/v1/credentials/{credential_id}/audit-pack?cycle=7")
    assert response.status_code == 404  # a cycle the credential does not have
    assert "cycle" in response.get_json()["error"]["fields"]
    assert client.get(f"/credentials/{credential_id}/audit-pack?cycle=x").status_code == 422
    response = client.get(f"/api/v1/credentials/{credential_id}/audit-pack?cycle=x")
    assert response.status_code == 422


def test_signed_out_api_call_gets_401(client, claims):
    response = client.get(f"/api/v1/credentials/{claims['credential'].id}/audit-pack")
    assert response.status_code == 401
