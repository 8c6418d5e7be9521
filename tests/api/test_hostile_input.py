"""Hostile and odd input: every answer is a clear 4xx, never a 500, and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pmolearn.audit.models import AuditEvent
from pmolearn.extensions import db
from pmolearn.pdus.models import EvidenceFile, PduActivity
from tests.api.test_pdus import course, tiny_png

HUGE = 2**63
#: Fits in 64 bits but not in PostgreSQL's ``integer`` id columns (schemathesis found it).
WIDE = 9366507295616932


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/people/{HUGE}",
        f"/api/v1/credentials/{HUGE}",
        f"/api/v1/pdus/{HUGE}",
        f"/api/v1/pdus/{HUGE}/evidence/{HUGE}",
        f"/api/v1/people/{HUGE}/credentials",
        f"/api/v1/credentials/{HUGE}/audit-pack",
    ],
)
def test_ids_beyond_64_bits_are_not_found(client, people, bearer, url):
    assert client.get(url, headers=bearer("admin")).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/people/{WIDE}",
        f"/api/v1/credentials/{WIDE}",
        f"/api/v1/credentials/{2**31}",
        f"/api/v1/pdus/{WIDE}",
        f"/api/v1/pdus/{WIDE}/evidence/{WIDE}",
        f"/api/v1/people/{WIDE}/credentials",
        f"/api/v1/credentials/{WIDE}/audit-pack",
        f"/api/v1/org-units/{WIDE}/coverage",
        f"/api/v1/reports/roster?org_unit={WIDE}",
        f"/api/v1/people?org_unit={WIDE}",
    ],
)
def test_ids_beyond_the_id_column_are_not_found(client, people, bearer, url):
    assert client.get(url, headers=bearer("admin")).status_code in (404, 422)


def test_ids_beyond_the_id_column_in_a_body_are_refused(client, people, bearer, catalog):
    body = {"certification_id": WIDE, "earned_on": "2025-01-01"}
    url = f"/api/v1/people/{people['practitioner'].id}/credentials"
    assert client.post(url, json=body, headers=bearer("admin")).status_code == 422


@pytest.mark.parametrize(
    "url",
    [
        f"/people/{HUGE}",
        f"/credentials/{HUGE}",
        f"/pdus/{HUGE}",
        f"/admin/people/{HUGE}/edit",
    ],
)
def test_pages_with_ids_beyond_64_bits_are_not_found(client, people, login, url):
    login(people["admin"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "org_unit=%C2%B2",
        f"org_unit={HUGE}",
        "page=99999999999999999999999",
        "page=%C2%B2",
        "org_unit=" + "9" * 5000,
    ],
)
def test_odd_query_strings_on_pages(client, people, login, query):
    """Never a 500. The directory names an org unit it cannot use (a 422 with its message, the
    list still shown) and ignores a page number it cannot read; the PDU list ignores both."""
    login(people["admin"])
    directory = client.get(f"/people?{query}")
    if query.startswith("org_unit="):
        assert directory.status_code == 422
        assert "No org unit" in directory.get_data(as_text=True)
        shown = directory.get_data(as_text=True).replace("<wbr>", "")  # break points aside
        assert people["outsider"].email in shown
    else:
        assert directory.status_code == 200
    assert client.get(f"/pdus?credential=%C2%B2&{query}").status_code == 200


@pytest.mark.parametrize("query", [f"org_unit={HUGE}", f"credential_id={HUGE}"])
def test_odd_query_strings_on_the_api(client, people, bearer, query):
    """Out of range, or a parameter the endpoint does not know: 422, naming it."""
    name = query.split("=")[0]
    for url in (f"/api/v1/people/{people['admin'].id}/pdus?{query}", f"/api/v1/people?{query}"):
        response = client.get(url, headers=bearer("admin"))
        assert response.status_code == 422, url
        assert name in response.get_json()["error"]["fields"]


def test_empty_filter_values_are_refused_not_ignored(client, people, bearer, pmp):
    """``?from=`` is not a date: 422 naming each parameter (the OpenAPI document says so)."""
    response = client.get(
        f"/api/v1/people/{people['practitioner'].id}/pdus?credential_id=&from=&to=",
        headers=bearer("practitioner"),
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"credential_id", "from", "to"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (course(pdus="1e-999999999"), "pdus"),
        (course(pdus="0.250000001"), "pdus"),
        (course(title="bad\x00title"), "title"),
        (course(provider="line\r\nbreak"), "provider"),
        (course(status=[]), "status"),
        (course(status=False), "status"),
        (course(credential_ids=[HUGE]), "credential_ids"),
    ],
)
def test_odd_activity_values(client, people, bearer, pmp, body, field):
    response = client.post(
        f"/api/v1/people/{people['practitioner'].id}/pdus",
        json=body,
        headers=bearer("practitioner"),
    )
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(PduActivity)) == 0


def test_notes_may_have_line_breaks(client, people, bearer, pmp):
    response = client.post(
        f"/api/v1/people/{people['practitioner'].id}/pdus",
        json=course(notes="line one\nline two"),
        headers=bearer("practitioner"),
    )
    assert response.status_code == 201


def test_error_shape_always_has_fields(client, people, bearer):
    body = client.get("/api/v1/people/999999", headers=bearer("admin")).get_json()
    assert body == {
        "error": {"code": "not_found", "message": body["error"]["message"], "fields": {}}
    }


def test_list_item_errors_are_flat_messages(client, people, bearer):
    response = client.post(
        "/api/v1/people",
        headers=bearer("admin"),
        json={
            "email": "x@example.org",
            "name": "X",
            "org_unit_id": people["pmo"].org_unit_id,
            "roles": ["boss", "king"],
        },
    )
    assert response.status_code == 422
    messages = response.get_json()["error"]["fields"]["roles"]
    assert isinstance(messages, list) and all(isinstance(m, str) for m in messages)


@pytest.mark.parametrize(
    "body",
    [
        {"email": "x@example.org", "name": "X\x00", "org_unit_id": "UNIT"},
        {"email": "x@example.org", "name": "X", "org_unit_id": HUGE},
        {"email": "x@example.org", "name": "X", "org_unit_id": "UNIT", "manager_id": HUGE},
        {"email": "x@example.org", "name": "X", "org_unit_id": "UNIT", "job_title": "a\x07b"},
    ],
)
def test_odd_people(client, people, bearer, body):
    if body.get("org_unit_id") == "UNIT":
        body = {**body, "org_unit_id": people["pmo"].org_unit_id}
    response = client.post("/api/v1/people", json=body, headers=bearer("admin"))
    assert response.status_code == 422, response.get_json()


def test_control_characters_in_a_file_name_are_dropped(client, people, bearer, pmp):
    headers = bearer("practitioner")
    created = client.post(
        f"/api/v1/people/{people['practitioner'].id}/pdus", json=course(), headers=headers
    ).get_json()
    url = f"/api/v1/pdus/{created['id']}/evidence"
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f"filename*=UTF-8''a%0D%0Ab%00.png\r\nContent-Type: image/png\r\n\r\n"
    ).encode()
    body += tiny_png() + f"\r\n--{boundary}--\r\n".encode()
    response = client.post(
        url, data=body, headers=headers, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 201
    stored = db.session.scalar(select(EvidenceFile))
    assert stored.original_name == "ab.png"
    with client.get(response.get_json()["url"], headers=headers) as download:
        assert download.status_code == 200


def test_people_changes_are_audited(client, people, bearer):
    headers = bearer("admin")
    created = client.post(
        "/api/v1/people",
        headers=headers,
        json={
            "email": "new@example.org",
            "name": "New",
            "org_unit_id": people["pmo"].org_unit_id,
        },
    ).get_json()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "person"))
    assert (event.action, event.entity_id, event.actor_id) == (
        "create",
        created["id"],
        people["admin"].id,
    )
    assert event.after["email"] == "new@example.org"
    assert "password_hash" not in event.after


def test_as_of_counts_only_what_was_completed_by_then(client, people, bearer, pmp):
    headers = bearer("practitioner")
    client.post(
        f"/api/v1/people/{people['practitioner'].id}/pdus",
        json=course(completed_on="2025-05-05", credential_ids=[pmp.id]),
        headers=headers,
    )
    before = client.get(f"/api/v1/credentials/{pmp.id}?as_of=2025-05-04", headers=headers)
    after = client.get(f"/api/v1/credentials/{pmp.id}?as_of=2025-05-05", headers=headers)
    assert before.get_json()["compliance"]["earned"] == 0.0
    assert after.get_json()["compliance"]["earned"] == 3.5
