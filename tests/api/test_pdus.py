"""PDU activities API: validation that writes nothing, edits, audit trail, scope, evidence."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from sqlalchemy import func, insert, select

from pmolearn.audit.models import AuditEvent
from pmolearn.extensions import db
from pmolearn.pdus.models import EvidenceFile, PduActivity, pdu_applications


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def course(**overrides) -> dict:
    body = {
        "title": "Risk management course",
        "provider": "PMI Chapter",
        "provider_id": "C-17",
        "activity_type": "course",
        "completed_on": "2025-05-05",
        "pdus": 3.5,
        "areas": {"ways_of_working": 1.5, "power_skills": 1, "business_acumen": 1},
    }
    return {**body, **overrides}


def activities() -> int:
    return db.session.scalar(select(func.count()).select_from(PduActivity))


def test_log_an_activity_applied_to_two_credentials(client, people, bearer, pmp):
    from datetime import date

    from pmolearn.credentials import services

    acp = services.add_credential(
        people["practitioner"],
        "PMI-ACP",
        "9",
        date(2024, 1, 1),
        actor=people["practitioner"],
        today=date(2026, 1, 1),
    )
    db.session.commit()
    response = client.post(
        f"/api/v1/people/{people['practitioner'].id}/pdus",
        json=course(credential_ids=[pmp.id, acp.id]),
        headers=bearer("practitioner"),
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "claimed"
    assert body["category"] == "education"
    assert body["credential_ids"] == sorted([pmp.id, acp.id])
    assert body["areas"] == {"ways_of_working": 1.5, "power_skills": 1.0, "business_acumen": 1.0}
    for credential in (pmp, acp):
        compliance = client.get(
            f"/api/v1/credentials/{credential.id}", headers=bearer("practitioner")
        ).get_json()["compliance"]
        assert compliance["applied"] == 3.5


def test_draft_does_not_count(client, people, bearer, pmp):
    headers = bearer("practitioner")
    body = client.post(
        f"/api/v1/people/{people['practitioner'].id}/pdus",
        json=course(status="draft", credential_ids=[pmp.id]),
        headers=headers,
    ).get_json()
    assert body["status"] == "draft"
    compliance = client.get(f"/api/v1/credentials/{pmp.id}", headers=headers).get_json()
    assert compliance["compliance"]["earned"] == 0.0


BAD = [
    (course(pdus=-1), "pdus"),
    (course(pdus=0), "pdus"),
    (course(pdus=0.3), "pdus"),
    (course(pdus="lots"), "pdus"),
    (course(pdus=None), "pdus"),
    (course(areas={"ways_of_working": 1, "power_skills": 1, "business_acumen": 1}), "areas"),
    (course(areas={"ways_of_working": 3.5, "charisma": 0}), "areas"),
    (course(areas=[1, 2]), "areas"),
    (course(activity_type="napping"), "activity_type"),
    (course(completed_on="2999-01-01"), "completed_on"),
    (course(completed_on="2025-02-30"), "completed_on"),
    (course(completed_on=20250101), "completed_on"),
    (course(started_on="2025-06-01"), "started_on"),
    (course(title=""), "title"),
    (course(title="x" * 201), "title"),
    (course(status="approved"), "status"),
    (course(credential_ids="7"), "credential_ids"),
    (course(credential_ids=[999999]), "credential_ids"),
    (course(completed_on="2024-01-01", credential_ids=["PMP"]), "credential_ids"),
    (
        {
            "title": "Volunteering",
            "activity_type": "volunteer",
            "completed_on": "2025-01-01",
            "pdus": 2,
            "areas": {"power_skills": 2},
        },
        "areas",
    ),
    (course(shoe_size=44), "shoe_size"),
]


@pytest.mark.parametrize(("body", "field"), BAD)
def test_bad_activities_get_422_and_write_nothing(client, people, bearer, pmp, body, field):
    audit_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    response = client.post(
        f"/api/v1/people/{people['practitioner'].id}/pdus",
        json=body,
        headers=bearer("practitioner"),
    )
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"], error
    assert activities() == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_before


def test_someone_elses_credential_is_refused(client, people, bearer, pmp):
    response = client.post(
        f"/api/v1/people/{people['colleague'].id}/pdus",
        json=course(credential_ids=[pmp.id]),
        headers=bearer("colleague"),
    )
    assert response.status_code == 422
    assert "credential_ids" in response.get_json()["error"]["fields"]
    assert activities() == 0


def test_activity_before_the_credential_was_earned_is_refused(client, people, bearer, pmp):
    response = client.post(
        f"/api/v1/people/{people['practitioner'].id}/pdus",
        json=course(completed_on="2023-01-01", credential_ids=[pmp.id]),
        headers=bearer("practitioner"),
    )
    assert response.status_code == 422
    assert "before PMP was earned" in response.get_json()["error"]["fields"]["credential_ids"][0]


@pytest.mark.parametrize(
    ("data", "ctype", "status"),
    [
        ("{broken", "application/json", 400),
        ("[]", "application/json", 400),
        ('"text"', "application/json", 400),
        ("", "application/json", 400),
        ("[" * 100_000, "application/json", 400),
        ('{"a":' * 50_000, "application/json", 400),
        ("title=x", "application/x-www-form-urlencoded", 415),
        ('{"title": "x"}', "text/plain", 415),
    ],
)
def test_malformed_bodies_are_refused(client, people, bearer, pmp, data, ctype, status):
    response = client.post(
        f"/api/v1/people/{people['practitioner'].id}/pdus",
        data=data,
        content_type=ctype,
        headers=bearer("practitioner"),
    )
    assert response.status_code == status
    assert response.get_json()["error"]["code"] in ("bad_request", "unsupported_media_type")
    assert activities() == 0


@pytest.mark.parametrize(
    "url",
    ["/api/v1/people", "/api/v1/people/{pid}/credentials", "/api/v1/credentials/{cid}/renewals"],
)
def test_deeply_nested_json_is_a_400_everywhere(client, people, bearer, pmp, url):
    url = url.format(pid=people["practitioner"].id, cid=pmp.id)
    response = client.post(
        url, data="[" * 100_000, content_type="application/json", headers=bearer("admin")
    )
    assert response.status_code == 400


def test_patch_delete_and_the_audit_trail(client, people, bearer, pmp):
    headers = bearer("practitioner")
    created = client.post(
        f"/api/v1/people/{people['practitioner'].id}/pdus",
        json=course(credential_ids=[pmp.id]),
        headers=headers,
    ).get_json()
    url = f"/api/v1/pdus/{created['id']}"
    patched = client.patch(
        url,
        json={
            "pdus": 4,
            "areas": {"ways_of_working": 2, "power_skills": 1, "business_acumen": 1},
            "reported_on": "2025-06-01",
            "status": "approved",
        },
        headers=headers,
    )
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["pdus"] == 4.0
    assert patched.get_json()["reported_on"] == "2025-06-01"
    refused = client.patch(url, json={"pdus": 5}, headers=headers)  # split no longer adds up
    assert refused.status_code == 422
    assert client.get(url, headers=headers).get_json()["pdus"] == 4.0
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    trail = [(e.action, e.entity_type) for e in events if e.entity_type == "pdu_activity"]
    assert trail == [
        ("create", "pdu_activity"),
        ("update", "pdu_activity"),
        ("delete", "pdu_activity"),
    ]
    update = [e for e in events if e.action == "update"][0]
    assert update.before["pdus"] == "3.50" and update.after["pdus"] == "4.00"
    assert update.actor_id == people["practitioner"].id
    assert "title" not in update.after  # only what changed


def test_list_filters(client, people, bearer, pmp):
    headers = bearer("practitioner")
    person_id = people["practitioner"].id
    for n, day in enumerate(["2024-05-01", "2025-05-01", "2026-05-01"]):
        client.post(
            f"/api/v1/people/{person_id}/pdus",
            json=course(title=f"C{n}", completed_on=day, credential_ids=[pmp.id] if n else []),
            headers=headers,
        )
    base = f"/api/v1/people/{person_id}/pdus"
    assert client.get(base, headers=headers).get_json()["total"] == 3
    assert [
        a["title"]
        for a in client.get(f"{base}?credential_id={pmp.id}", headers=headers).get_json()["items"]
    ] == ["C2", "C1"]
    ranged = client.get(f"{base}?from=2025-01-01&to=2025-12-31", headers=headers).get_json()
    assert [a["title"] for a in ranged["items"]] == ["C1"]
    assert client.get(f"{base}?from=yesterday", headers=headers).status_code == 422


def test_scope_for_activities(client, people, bearer, pmp):
    created = client.post(
        f"/api/v1/people/{people['practitioner'].id}/pdus",
        json=course(),
        headers=bearer("practitioner"),
    ).get_json()
    url = f"/api/v1/pdus/{created['id']}"
    assert client.get(url, headers=bearer("outsider")).status_code == 404
    assert client.patch(url, json={"pdus": 1}, headers=bearer("outsider")).status_code == 404
    assert client.delete(url, headers=bearer("outsider")).status_code == 404
    assert (
        client.get(
            f"/api/v1/people/{people['practitioner'].id}/pdus", headers=bearer("outsider")
        ).status_code
        == 404
    )
    assert client.get(url, headers=bearer("pmo")).status_code == 200
    assert client.patch(url, json={"title": "x"}, headers=bearer("pmo")).status_code == 403
    assert (
        client.post(
            f"/api/v1/people/{people['practitioner'].id}/pdus", json=course(), headers=bearer("hr")
        ).status_code
        == 403
    )
    assert activities() == 1


class TestEvidence:
    @pytest.fixture
    def activity_url(self, client, people, bearer, pmp):
        created = client.post(
            f"/api/v1/people/{people['practitioner'].id}/pdus",
            json=course(),
            headers=bearer("practitioner"),
        ).get_json()
        return f"/api/v1/pdus/{created['id']}/evidence"

    def upload(self, client, url, headers, data: bytes, name: str):
        return client.post(
            url,
            data={"file": (io.BytesIO(data), name)},
            headers=headers,
            content_type="multipart/form-data",
        )

    def test_upload_and_download(self, client, bearer, activity_url, app):
        headers = bearer("practitioner")
        response = self.upload(client, activity_url, headers, tiny_png(), "certificate.png")
        assert response.status_code == 201, response.get_json()
        item = response.get_json()
        assert item["content_type"] == "image/png"
        stored = db.session.scalar(select(EvidenceFile))
        assert "certificate" not in stored.stored_name  # random name on disk
        with client.get(item["url"], headers=headers) as download:
            assert download.status_code == 200
            assert download.data == tiny_png()
        assert client.get(item["url"], headers=bearer("outsider")).status_code == 404
        with client.get(item["url"], headers=bearer("pmo")) as manager_view:
            assert manager_view.status_code == 200

    @pytest.mark.parametrize(
        ("data", "name", "status"),
        [
            (b"%PDF-1.4 but really " + b"not" * 10, "fake.png", 201),  # content decides: a PDF
            (b"just some text, not a pdf", "notes.pdf", 415),
            (b"MZ\x90\x00" + b"\x00" * 100, "tool.png", 415),
            (b"", "empty.pdf", 422),
        ],
    )
    def test_type_is_judged_by_content(self, client, bearer, activity_url, app, data, name, status):
        from pathlib import Path

        response = self.upload(client, activity_url, bearer("practitioner"), data, name)
        assert response.status_code == status, response.get_json()
        folder = Path(app.config["UPLOAD_FOLDER"])
        files = list(folder.iterdir()) if folder.exists() else []
        assert len(files) == (1 if status == 201 else 0)
        assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == len(files)

    def test_oversized_upload_gets_413_and_stores_nothing(self, client, bearer, activity_url, app):
        big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)
        # a hand-built multipart body: the test client would spool a dict upload to a temp file
        boundary = "pmolearn-test-boundary"
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        body += big + f"\r\n--{boundary}--\r\n".encode()
        response = client.post(
            activity_url,
            data=body,
            headers=bearer("practitioner"),
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        assert response.status_code == 413
        assert response.get_json()["error"]["code"] == "payload_too_large"
        assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0

    def test_missing_file_and_other_people(self, client, bearer, activity_url):
        response = client.post(
            activity_url,
            data={},
            headers=bearer("practitioner"),
            content_type="multipart/form-data",
        )
        assert response.status_code == 422
        assert (
            self.upload(client, activity_url, bearer("outsider"), tiny_png(), "x.png").status_code
            == 404
        )
        assert (
            self.upload(client, activity_url, bearer("pmo"), tiny_png(), "x.png").status_code == 403
        )


def bulk_activities(person_id: int, credential_id: int, count: int) -> None:
    from datetime import date, timedelta

    start = db.session.scalar(select(func.coalesce(func.max(PduActivity.id), 0))) + 1
    rows = [
        {
            "id": start + n,
            "person_id": person_id,
            "title": f"Webinar {n}",
            "activity_type": "online_media",
            "category": "education",
            "completed_on": date(2024, 4, 1) + timedelta(days=n % 900),
            "pdus": 1,
            "ways_of_working": 1,
            "power_skills": 0,
            "business_acumen": 0,
            "status": "claimed",
        }
        for n in range(count)
    ]
    db.session.execute(insert(PduActivity), rows)
    db.session.execute(
        insert(pdu_applications),
        [{"activity_id": r["id"], "credential_id": credential_id} for r in rows],
    )
    db.session.commit()


@pytest.mark.parametrize(
    "url",
    ["/api/v1/credentials/{cid}", "/api/v1/people/{pid}/pdus", "/api/v1/people/{pid}/credentials"],
)
def test_api_statement_count_does_not_grow(client, people, bearer, pmp, count_queries, url):
    headers = bearer("practitioner")
    url = url.format(cid=pmp.id, pid=people["practitioner"].id)
    counts = []
    for total in (5, 500):
        bulk_activities(people["practitioner"].id, pmp.id, total - (counts and 5 or 0))
        with count_queries() as counted:
            assert client.get(url, headers=headers).status_code == 200
        counts.append(counted())
    assert counts[0] == counts[1], counts


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SERVER_TIMING": True}


def test_server_timing_header(client, people, bearer, pmp):
    response = client.get(f"/api/v1/credentials/{pmp.id}", headers=bearer("practitioner"))
    header = response.headers["Server-Timing"]
    assert header.startswith("db;dur=")
    assert 'queries"' in header and "app;dur=" in header


def test_one_evidence_file_can_be_removed(client, people, bearer, pmp, app):
    from pathlib import Path

    headers = bearer("practitioner")
    created = client.post(
        f"/api/v1/people/{people['practitioner'].id}/pdus", json=course(), headers=headers
    ).get_json()
    url = f"/api/v1/pdus/{created['id']}/evidence"
    item = client.post(
        url,
        data={"file": (io.BytesIO(tiny_png()), "a.png")},
        headers=headers,
        content_type="multipart/form-data",
    ).get_json()
    folder = Path(app.config["UPLOAD_FOLDER"])
    assert len(list(folder.iterdir())) == 1
    assert client.delete(f"{url}/{item['id']}", headers=bearer("pmo")).status_code == 403
    assert client.delete(f"{url}/{item['id']}", headers=bearer("outsider")).status_code == 404
    assert client.delete(f"{url}/{item['id']}", headers=headers).status_code == 204
    assert client.delete(f"{url}/{item['id']}", headers=headers).status_code == 404
    assert list(folder.iterdir()) == []
    assert client.get(f"/api/v1/pdus/{created['id']}", headers=headers).get_json()["evidence"] == []
    actions = [
        e.action
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == "evidence_file")
        )
    ]
    assert actions == ["upload", "delete"]
