"""Credentials API: cycles from the policy, statuses over time, renewal with carry-over."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pmolearn.clock import today
from pmolearn.credentials.models import Credential
from pmolearn.extensions import db

EXAMPLE_ACTIVITIES = [
    # API.md's example: Education 30 (WoW 12, PS 6, BA 12); Giving Back 17.5 of which
    # Working as a Professional 11.5 (cap 8 per cycle, S35/S40) -> 14 applied.
    {
        "title": "Agile leadership course",
        "activity_type": "course",
        "completed_on": "2024-06-10",
        "pdus": 20,
        "areas": {"ways_of_working": 8, "power_skills": 4, "business_acumen": 8},
    },
    {
        "title": "Strategy webinar series",
        "activity_type": "online_media",
        "completed_on": "2025-02-01",
        "pdus": 10,
        "areas": {"ways_of_working": 4, "power_skills": 2, "business_acumen": 4},
    },
    {
        "title": "Project manager at Acme",
        "activity_type": "working_as_professional",
        "completed_on": "2026-01-15",
        "pdus": 11.5,
    },
    {
        "title": "Chapter volunteer",
        "activity_type": "volunteer",
        "completed_on": "2025-09-09",
        "pdus": 6,
    },
]


def log(client, headers, person_id, credential_id, body):
    response = client.post(
        f"/api/v1/people/{person_id}/pdus",
        json={**body, "credential_ids": [credential_id]},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_api_md_example_credential(client, people, bearer, pmp):
    headers = bearer("practitioner")
    for body in EXAMPLE_ACTIVITIES:
        log(client, headers, people["practitioner"].id, pmp.id, body)
    response = client.get(f"/api/v1/credentials/{pmp.id}?as_of=2026-11-25", headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert {
        k: body[k]
        for k in ("id", "person_id", "certification", "number", "earned_on", "status", "cycle")
    } == {
        "id": pmp.id,
        "person_id": people["practitioner"].id,
        "certification": "PMP",
        "number": "1234567",
        "earned_on": "2024-03-01",
        "status": "active",
        "cycle": {"start": "2024-03-01", "end": "2027-03-01"},
    }
    compliance = body["compliance"]
    expected = {
        "as_of": "2026-11-25",
        "policy": "PMP since 2015-12-01",
        "required": 60,
        "earned": 47.5,
        "applied": 44.0,
        "by_category": {
            "education": {"earned": 30.0, "applied": 30.0, "min": 35, "max": None},
            "giving_back": {"earned": 17.5, "applied": 14.0, "min": 0, "max": 25},
        },
        "by_area": {
            "ways_of_working": {"applied": 12.0, "min": 8},
            "power_skills": {"applied": 6.0, "min": 8},
            "business_acumen": {"applied": 12.0, "min": 8},
        },
        "carry_over": 0.0,
        "days_left": 96,
        "status": "at_risk",
    }
    assert {k: compliance[k] for k in expected} == expected
    assert {k: compliance["remaining"][k] for k in ("total", "education", "areas")} == {
        "total": 16.0,
        "education": 5.0,
        "areas": {"ways_of_working": 0.0, "power_skills": 2.0, "business_acumen": 0.0},
    }
    assert "Power Skills" in compliance["next_step"]


def test_cycle_ends_on_the_same_date_and_29_february_falls_back(client, people, bearer, catalog):
    headers = bearer("practitioner")
    url = f"/api/v1/people/{people['practitioner'].id}/credentials"
    leap = client.post(
        url, json={"certification": "CAPM", "earned_on": "2024-02-29"}, headers=headers
    )
    assert leap.status_code == 201
    assert leap.get_json()["cycle"] == {"start": "2024-02-29", "end": "2027-02-28"}
    listing = client.get(url, headers=headers).get_json()
    assert [c["certification"] for c in listing["items"]] == ["CAPM"]


@pytest.mark.parametrize(
    ("earned_on", "status"),
    [("2024-03-01", "active"), ("2022-12-01", "suspended"), ("2020-01-10", "expired")],
)
def test_status_moves_with_the_dates(client, people, bearer, catalog, earned_on, status):
    """PMI: suspended for one year after the cycle ends, then expired (S41, S42)."""
    headers = bearer("practitioner")
    created = client.post(
        f"/api/v1/people/{people['practitioner'].id}/credentials",
        json={"certification": "PMP", "earned_on": earned_on},
        headers=headers,
    ).get_json()
    as_of = date(2026, 11, 25).isoformat()
    body = client.get(
        f"/api/v1/credentials/{created['id']}?as_of={as_of}", headers=headers
    ).get_json()
    assert body["status"] == status


def test_unconfirmed_policy_has_no_compliance(client, people, bearer, catalog):
    created = client.post(
        f"/api/v1/people/{people['practitioner'].id}/credentials",
        json={"certification": "PMI-PMOCP", "number": "77", "earned_on": "2025-06-01"},
        headers=bearer("practitioner"),
    ).get_json()
    assert created["cycle"] == {"start": "2025-06-01", "end": None}
    assert created["compliance"] is None
    assert created["policy_confirmed"] is False


def credentials_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Credential))


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"certification": "XYZ", "earned_on": "2024-01-01"}, 422, "certification"),
        ({"certification": "PMP", "earned_on": "2999-01-01"}, 422, "earned_on"),
        ({"certification": "PMP", "earned_on": "2024-02-30"}, 422, "earned_on"),
        ({"certification": "PMP"}, 422, "earned_on"),
        ({"certification": "PMP", "earned_on": "2024-01-01", "number": "x" * 41}, 422, "number"),
        ({"certification": "PMP", "earned_on": "2024-01-01", "colour": "red"}, 422, "colour"),
    ],
)
def test_bad_credentials_are_refused(client, people, bearer, catalog, body, status, field):
    response = client.post(
        f"/api/v1/people/{people['practitioner'].id}/credentials",
        json=body,
        headers=bearer("practitioner"),
    )
    assert response.status_code == status
    assert field in response.get_json()["error"]["fields"]
    assert credentials_count() == 0


def test_a_second_active_pmp_is_a_conflict(client, people, bearer, pmp):
    response = client.post(
        f"/api/v1/people/{people['practitioner'].id}/credentials",
        json={"certification": "PMP", "earned_on": "2025-01-01"},
        headers=bearer("practitioner"),
    )
    assert response.status_code == 409
    assert credentials_count() == 1


def test_scope_for_credentials(client, people, bearer, pmp):
    body = {"certification": "CAPM", "earned_on": "2024-01-01"}
    colleague = people["colleague"].id
    # another practitioner's person id: as if it did not exist
    assert (
        client.post(
            f"/api/v1/people/{colleague}/credentials", json=body, headers=bearer("outsider")
        ).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/credentials/{pmp.id}", headers=bearer("outsider")).status_code == 404
    )
    # the PMO head reads the team's credentials but does not write them
    assert client.get(f"/api/v1/credentials/{pmp.id}", headers=bearer("pmo")).status_code == 200
    assert (
        client.post(
            f"/api/v1/people/{colleague}/credentials", json=body, headers=bearer("pmo")
        ).status_code
        == 403
    )
    assert client.get(f"/api/v1/credentials/{pmp.id}", headers=bearer("hr")).status_code == 200
    assert credentials_count() == 1


def complete_pmp_activities() -> list[dict]:
    """70 PDUs: Education 45 (15 per area), Giving Back 25; 20 of them in the final year."""
    return [
        {
            "title": "Course A",
            "activity_type": "course",
            "completed_on": "2024-05-01",
            "pdus": 30,
            "areas": {"ways_of_working": 10, "power_skills": 10, "business_acumen": 10},
        },
        {
            "title": "Volunteering",
            "activity_type": "volunteer",
            "completed_on": "2024-09-01",
            "pdus": 15,
        },
        {
            "title": "Course B",
            "activity_type": "course",
            "completed_on": "2026-06-01",
            "pdus": 15,
            "areas": {"ways_of_working": 5, "power_skills": 5, "business_acumen": 5},
        },
        {
            "title": "Mentoring",
            "activity_type": "share_knowledge",
            "completed_on": "2026-07-01",
            "pdus": 10,
        },
    ]


def test_renewal_is_refused_while_incomplete(client, people, bearer, pmp):
    headers = bearer("practitioner")
    log(client, headers, people["practitioner"].id, pmp.id, EXAMPLE_ACTIVITIES[0])
    response = client.post(
        f"/api/v1/credentials/{pmp.id}/renewals",
        json={"renewed_on": today().isoformat()},
        headers=headers,
    )
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict"
    assert error["remaining"]["total"] == 40.0
    assert "40 more PDUs" in error["message"]
    assert len(db.session.get(Credential, pmp.id).cycles) == 1


def test_renewal_opens_the_next_cycle_with_carry_over(client, people, bearer, pmp):
    """Next cycle starts the day after the old end; excess from the final 12 months rolls
    over (at most 20; here 10 = 70 - 60, S38/S40)."""
    headers = bearer("practitioner")
    for body in complete_pmp_activities():
        log(client, headers, people["practitioner"].id, pmp.id, body)
    response = client.post(
        f"/api/v1/credentials/{pmp.id}/renewals",
        json={"renewed_on": today().isoformat()},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["cycle"] == {"start": "2027-03-02", "end": "2030-03-01"}
    assert [c["number"] for c in body["cycles"]] == [1, 2]
    assert body["cycles"][0]["renewed_on"] == today().isoformat()
    assert body["cycles"][1]["carried_in"] == 10.0
    past = client.get(f"/api/v1/credentials/{pmp.id}?as_of=2027-06-01", headers=headers).get_json()
    assert past["compliance"]["earned"] == 10.0
    again = client.post(
        f"/api/v1/credentials/{pmp.id}/renewals",
        json={"renewed_on": today().isoformat()},
        headers=headers,
    )
    assert again.status_code == 422  # before the new cycle starts


@pytest.mark.parametrize("body", [{}, {"renewed_on": "tomorrow"}, {"renewed_on": "2999-01-01"}])
def test_bad_renewal_dates(client, people, bearer, pmp, body):
    response = client.post(
        f"/api/v1/credentials/{pmp.id}/renewals", json=body, headers=bearer("practitioner")
    )
    assert response.status_code == 422


def test_calendar_feed_has_the_renewal_deadline(client, people, bearer, pmp):
    me = client.get("/api/v1/me", headers=bearer("practitioner")).get_json()
    path = me["calendar_url"].split("://", 1)[1].split("/", 1)[1]
    feed = client.get("/" + path)
    assert feed.status_code == 200
    assert feed.mimetype == "text/calendar"
    text = feed.get_data(as_text=True)
    assert "BEGIN:VCALENDAR" in text
    assert "DTSTART;VALUE=DATE:20270301" in text
    assert "PMP expires" in text
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_safe_spc_renews_every_year_without_pdus(client, people, bearer, catalog):
    """SPC renews every year by attestation and fee, with no hours (UPDATE-2026-12 U6, D8)."""
    headers = bearer("practitioner")
    created = client.post(
        f"/api/v1/people/{people['practitioner'].id}/credentials",
        json={"certification": "SAFe-SPC", "earned_on": "2026-01-15"},
        headers=headers,
    ).get_json()
    assert created["cycle"] == {"start": "2026-01-15", "end": "2027-01-15"}
    compliance = created["compliance"]
    assert (compliance["required"], compliance["status"]) == (0, "complete")
    assert compliance["next_step"] == "No PDUs are required: renew by 15 January 2027."
    renewed = client.post(
        f"/api/v1/credentials/{created['id']}/renewals",
        json={"renewed_on": today().isoformat()},
        headers=headers,
    )
    assert renewed.status_code == 201
    assert renewed.get_json()["cycle"] == {"start": "2027-01-16", "end": "2028-01-15"}


def test_credential_and_catalog_lists_page(client, people, bearer, catalog):
    headers = bearer("practitioner")
    url = f"/api/v1/people/{people['practitioner'].id}/credentials"
    for code in ("PMP", "CAPM", "PMI-ACP"):
        client.post(url, json={"certification": code, "earned_on": "2024-05-01"}, headers=headers)
    page = client.get(f"{url}?page=2&per_page=2", headers=headers).get_json()
    assert (page["page"], page["per_page"], page["total"], len(page["items"])) == (2, 2, 3, 1)
    catalog_page = client.get("/api/v1/certifications?per_page=5", headers=headers).get_json()
    assert (catalog_page["total"], len(catalog_page["items"])) == (8, 5)
    assert client.get("/api/v1/certifications?page=0", headers=headers).status_code == 422
