"""Input that outside tools sent (issue 6, §7): refused once at the boundary with a 4xx, and
nothing written, on every write endpoint."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from pmolearn.audit.models import AuditEvent
from pmolearn.credentials.audit_pack import build_audit_pack
from pmolearn.credentials.models import Credential, CredentialCycle
from pmolearn.demo.generator import build_demo
from pmolearn.extensions import db
from pmolearn.pdus.models import EvidenceFile, PduActivity
from pmolearn.people.models import Person
from tests.pdus.helpers import PNG

SURROGATE = "a\ud800b"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def course(**fields) -> dict:
    return {"title": "Course", "activity_type": "course", "completed_on": "2026-10-01",
            "pdus": 2, "areas": {"ways_of_working": 2}, **fields}  # fmt: skip


@pytest.fixture
def written(people):
    """What the database holds before a refused request: it must hold exactly this after."""
    return lambda: tuple(rows(m) for m in (Person, Credential, CredentialCycle, PduActivity,
                                           EvidenceFile, AuditEvent))  # fmt: skip


@pytest.mark.parametrize("field", ["name", "job_title", "current_role", "email"])
def test_a_lone_surrogate_in_a_person_is_refused(client, people, bearer, written, field):
    body = {"email": "new@example.org", "name": "New", "org_unit_id": people["pmo"].org_unit_id,
            field: SURROGATE}  # fmt: skip
    before = written()
    response = client.post("/api/v1/people", json=body, headers=bearer("admin"))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert written() == before


@pytest.mark.parametrize("field", ["number", "certification"])
def test_a_lone_surrogate_in_a_credential_is_refused(client, people, bearer, written, field):
    body = {"certification": "PMP", "number": "1234567", "earned_on": "2024-03-01",
            field: SURROGATE}  # fmt: skip
    before = written()
    response = client.post(f"/api/v1/people/{people['practitioner'].id}/credentials",
                           json=body, headers=bearer("practitioner"))  # fmt: skip
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert written() == before


@pytest.mark.parametrize("field", ["title", "notes", "provider_id", "provider"])
def test_a_lone_surrogate_in_a_claim_is_refused(client, people, bearer, pmp, written, field):
    headers = bearer("practitioner")
    url = f"/api/v1/people/{people['practitioner'].id}/pdus"
    before = written()
    response = client.post(url, json=course(**{field: SURROGATE}), headers=headers)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert written() == before
    created = client.post(url, json=course(), headers=headers).get_json()
    before = written()
    response = client.patch(f"/api/v1/pdus/{created['id']}", json={field: SURROGATE},
                            headers=headers)  # fmt: skip
    assert response.status_code == 422
    assert written() == before


def test_a_lone_surrogate_in_a_renewal_or_a_key_is_refused(client, people, bearer, pmp, written):
    headers = bearer("practitioner")
    before = written()
    for body in ({"renewed_on": SURROGATE}, {SURROGATE: "2026-11-01"}):
        response = client.post(f"/api/v1/credentials/{pmp.id}/renewals", json=body,
                               headers=headers)  # fmt: skip
        assert response.status_code == 422
    assert written() == before


@pytest.mark.parametrize("number", ["12\x0034", "12\n34", "12\r\nSummary: forged", "12\u202e34"])
def test_a_credential_number_is_one_clean_line(client, people, bearer, written, number):
    """A line break in the number used to forge lines in the audit pack's summary.txt."""
    before = written()
    response = client.post(
        f"/api/v1/people/{people['practitioner'].id}/credentials",
        json={"certification": "PMP", "number": number, "earned_on": "2024-03-01"},
        headers=bearer("practitioner"),
    )
    assert response.status_code == 422
    assert "number" in response.get_json()["error"]["fields"]
    assert written() == before


def test_evidence_keeps_the_extension_of_its_detected_type(client, people, bearer, pmp):
    """A PDF uploaded as certificate.html was served and zipped as .html."""
    headers = bearer("practitioner")
    created = client.post(
        f"/api/v1/people/{people['practitioner'].id}/pdus",
        json=course(credential_ids=[pmp.id]),
        headers=headers,
    ).get_json()
    response = client.post(
        f"/api/v1/pdus/{created['id']}/evidence",
        data={"file": (io.BytesIO(PDF), "certificate.html")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201
    item = response.get_json()
    assert item["filename"] == "certificate.pdf" and item["content_type"] == "application/pdf"
    with client.get(item["url"], headers=headers) as download:
        assert download.headers["Content-Disposition"].endswith("certificate.pdf")
        assert download.mimetype == "application/pdf"
    stored = db.session.scalar(select(EvidenceFile))
    assert stored.stored_name.endswith(".pdf") and stored.original_name == "certificate.pdf"
    _name, buffer = build_audit_pack(db.session.get(Credential, pmp.id), None, date(2026, 11, 25))
    names = zipfile.ZipFile(buffer).namelist()
    assert any(n.endswith("-certificate.pdf") for n in names)
    assert not any(n.endswith(".html") for n in names)


def test_bidi_and_format_characters_are_stripped_from_file_names(client, people, bearer, pmp):
    headers = bearer("practitioner")
    created = client.post(f"/api/v1/people/{people['practitioner'].id}/pdus", json=course(),
                          headers=headers).get_json()  # fmt: skip
    response = client.post(
        f"/api/v1/pdus/{created['id']}/evidence",
        data={"file": (io.BytesIO(PNG), "cert\u202egnp.exe\u200b.png")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201
    assert response.get_json()["filename"] == "certgnp.exe.png"


def test_demo_calendar_tokens_cannot_be_predicted_from_the_seed(app, catalog):
    """They came from the demo's seeded generator: the same seed gave the same tokens."""
    build_demo(staff=10, seed=1, password="demo-password")
    db.session.commit()
    first = set(db.session.scalars(select(Person.calendar_token)))
    build_demo(staff=10, seed=1, password="demo-password")
    db.session.commit()
    second = set(db.session.scalars(select(Person.calendar_token)))
    assert len(first) == 10 and first.isdisjoint(second)


def test_a_405_keeps_its_allow_header(client, people, bearer):
    response = client.put(f"/api/v1/people/{people['admin'].id}", headers=bearer("admin"))
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    page = client.delete("/catalog/")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]


@pytest.mark.parametrize(
    ("who", "url", "body"),
    [
        ("practitioner", "/api/v1/credentials/{credential}/renewals", {"renewed_on": "bad"}),
        ("practitioner", "/api/v1/credentials/{credential}/renewals", {}),
        ("practitioner", "/api/v1/people/{owner}/credentials", {"certification": 7}),
        ("practitioner", "/api/v1/people/{owner}/pdus", {"pdus": "lots"}),
        ("colleague", "/api/v1/pdus/{activity}", {"pdus": -1}),
    ],
)
def test_out_of_scope_is_404_before_the_body_is_read(client, make, people, bearer, who, url,
                                                     body):  # fmt: skip
    """A practitioner posting a renewal for someone else's credential got 422 (the body was
    validated first); out of scope is 404, like every other object."""
    owner = people["outsider"]
    credential = make.credential(owner)
    activity = make.activity(owner, credential)
    db.session.commit()
    target = url.format(credential=credential.id, owner=owner.id, activity=activity.id)
    method = client.patch if "/pdus/" in target and target.count("/") == 4 else client.post
    response = method(target, json=body, headers=bearer(who))
    assert response.status_code == 404, response.get_json()


def test_a_pmo_head_may_see_but_not_change_a_team_members_records(client, make, people, bearer):
    member = people["practitioner"]
    credential = make.credential(member)
    db.session.commit()
    response = client.post(
        f"/api/v1/credentials/{credential.id}/renewals",
        json={"renewed_on": "not even a date"},
        headers=bearer("pmo"),
    )
    assert response.status_code == 403  # seen (in the subtree), never theirs to change


def test_the_openapi_document_is_as_strict_as_the_validation(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    assert set(schemas["ActivityCreate"]["required"]) >= {"title", "activity_type",
                                                          "completed_on", "pdus"}  # fmt: skip
    assert schemas["ActivityOut"]["properties"]["status"]["enum"] == [
        "draft", "claimed", "approved", "rejected"]  # fmt: skip
    assert schemas["CredentialCreate"]["properties"]["earned_on"]["format"] == "date"
    assert schemas["CredentialOut"]["properties"]["status"]["enum"] == [
        "active", "suspended", "expired", "retired"]  # fmt: skip
    assert schemas["PersonCreate"]["properties"]["name"]["maxLength"] == 120
    renewal = spec["paths"]["/api/v1/credentials/{credential_id}/renewals"]["post"]
    conflict = renewal["responses"]["409"]["content"]["application/json"]["schema"]["$ref"]
    refused = schemas[conflict.rsplit("/", 1)[-1]]
    body = schemas[refused["properties"]["error"]["$ref"].rsplit("/", 1)[-1]]
    assert "remaining" in body["properties"]
    download = spec["paths"]["/api/v1/pdus/{activity_id}/evidence/{file_id}"]["get"]
    assert set(download["responses"]["200"]["content"]) == {
        "application/pdf", "image/png", "image/jpeg"}  # fmt: skip
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
