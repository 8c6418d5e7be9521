"""Study through the API (API.md, Study): pursuits and their plans, sessions, background and
eligibility, stages and attempts, scope, and a fixed number of statements."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, select

from pmolearn import clock
from pmolearn.credentials.models import Credential
from pmolearn.extensions import db
from pmolearn.pdus.models import PduActivity
from pmolearn.study.models import ExperienceEntry, Pursuit, StudySession, TrainingEntry

TODAY = date(2026, 11, 25)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def me(people, bearer):
    person = people["practitioner"]
    return person, bearer("practitioner")


def start(client, me, **body):
    person, headers = me
    payload = {"certification": "PMP", "target_exam_on": "2027-03-15", "weekly_hours": 6, **body}
    return client.post(f"/api/v1/people/{person.id}/pursuits", json=payload, headers=headers)


def test_a_pursuit_gets_a_plan_by_the_outline_in_force_on_the_exam_date(client, me):
    response = start(client, me)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["certification"], body["stage"], body["target_exam_on"]) == (
        "PMP",
        "planning",
        "2027-03-15",
    )
    plan = body["plan"]
    assert (plan["weekly_hours"], plan["total_hours"], plan["outline"]) == (6.0, 120.0, "ECO-2026")
    assert [(d["name"], d["weight"], d["planned_hours"]) for d in plan["domains"]] == [
        ("People", 33.0, 39.6),
        ("Process", 41.0, 49.2),
        ("Business Environment", 26.0, 31.2),
    ]
    assert body["progress"]["hours_logged"] == 0.0
    assert body["eligibility"]["rules"] == "PMP, exams from 2026-07-09"
    assert body["eligibility"]["disputed"] is True
    again = client.get(f"/api/v1/pursuits/{body['id']}", headers=me[1]).get_json()
    assert again["plan"] == plan


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"weekly_hours": 0}, "weekly_hours"),
        ({"weekly_hours": -3}, "weekly_hours"),
        ({"weekly_hours": "lots"}, "weekly_hours"),
        ({"certification": "PMX"}, "certification"),
        ({"target_exam_on": "2026-11-25"}, "target_exam_on"),
        ({"target_exam_on": "2035-01-01"}, "target_exam_on"),
        ({"target_exam_on": "soon"}, "target_exam_on"),
        ({"target_exam_on": "2027-W11-1"}, "target_exam_on"),  # an ISO week date, not YYYY-MM-DD
        ({"total_hours": 5000}, "total_hours"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_pursuits_are_refused_and_write_nothing(client, me, body, field):
    response = start(client, me, **body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert count(Pursuit) == 0


def test_a_closed_exam_and_a_second_pursuit_are_conflicts(client, me):
    closed = start(client, me, certification="PMO-CP")
    assert (
        closed.status_code == 409
        and "Closed to new candidates" in closed.get_json()["error"]["message"]
    )
    assert start(client, me).status_code == 201
    assert start(client, me).status_code == 409
    assert count(Pursuit) == 1


def log(client, me, pursuit_id, **body):
    payload = {
        "studied_on": "2026-11-20",
        "minutes": 90,
        "domain": "People",
        "kind": "course",
        **body,
    }
    return client.post(f"/api/v1/pursuits/{pursuit_id}/sessions", json=payload, headers=me[1])


def test_a_session_moves_the_progress(client, me):
    pursuit = start(client, me).get_json()
    assert log(client, me, pursuit["id"]).status_code == 201
    assert (
        log(
            client, me, pursuit["id"], kind="practice_exam", score=64, domain="Process", minutes=60
        ).status_code
        == 201
    )
    body = client.get(f"/api/v1/pursuits/{pursuit['id']}", headers=me[1]).get_json()
    assert body["stage"] == "studying"  # the first session starts it
    progress = body["progress"]
    assert progress["hours_logged"] == 2.5
    assert [d["hours_logged"] for d in progress["by_domain"]] == [1.5, 1.0, 0.0]
    assert progress["practice_scores"] == [{"on": "2026-11-20", "score": 64}]
    assert progress["projected_ready_on"] is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": -30}, "minutes"),
        ({"minutes": 1441}, "minutes"),
        ({"minutes": 1.5}, "minutes"),
        ({"studied_on": "2026-11-26"}, "studied_on"),
        ({"domain": "Cooking"}, "domain"),
        ({"kind": "nap"}, "kind"),
        ({"kind": "practice_exam", "score": 101}, "score"),
        ({"kind": "practice_exam", "score": -1}, "score"),
        ({"score": 70}, "score"),
    ],
)
def test_bad_sessions_are_refused_and_write_nothing(client, me, body, field):
    pursuit = start(client, me).get_json()
    response = log(client, me, pursuit["id"], **body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert count(StudySession) == 0
    assert (
        client.get(f"/api/v1/pursuits/{pursuit['id']}", headers=me[1]).get_json()["stage"]
        == "planning"
    )


def test_study_that_counts_twice(client, me, make):
    """A PMP holder studying for the PgMP: a course session is also a draft PDU claim for the
    PMP, its area suggested by the domain (Stakeholder Engagement: Power Skills)."""
    person, headers = me
    pmp = make.credential(person)
    db.session.commit()
    pursuit = start(client, me, certification="PgMP").get_json()
    response = log(
        client, me, pursuit["id"], domain="Stakeholder Engagement", minutes=100, as_pdu_for=[pmp.id]
    )
    assert response.status_code == 201
    claim = db.session.get(PduActivity, response.get_json()["pdu_activity_id"])
    assert (claim.status, claim.activity_type, claim.pdus) == ("draft", "course", 1.5)
    assert claim.power_skills == 1.5 and [c.id for c in claim.credentials] == [pmp.id]
    someone_elses = make.credential(make.person())
    db.session.commit()
    refused = log(client, me, pursuit["id"], domain="Governance", as_pdu_for=[someone_elses.id])
    assert refused.status_code == 422 and "as_pdu_for" in refused.get_json()["error"]["fields"]
    assert count(StudySession) == 1 and count(PduActivity) == 1
    practice = log(
        client, me, pursuit["id"], domain="Governance", kind="practice_exam", as_pdu_for=[pmp.id]
    )
    assert practice.status_code == 422


def test_overlapping_experience_counts_once_toward_eligibility(client, me):
    person, headers = me
    pursuit = start(client, me).get_json()
    for started, ended in (("2022-01-01", "2024-06-30"), ("2023-01-01", "2025-06-30")):
        client.post(
            f"/api/v1/people/{person.id}/experience",
            headers=headers,
            json={
                "title": "ERP roll-out",
                "kind": "project",
                "started_on": started,
                "ended_on": ended,
            },
        )
    body = client.get(f"/api/v1/pursuits/{pursuit['id']}", headers=headers).get_json()
    months = next(i for i in body["eligibility"]["items"] if i["unit"] == "months")
    assert months["have"] == 42  # January 2022 to June 2025, not 30 + 30
    assert (
        len(
            client.get(f"/api/v1/people/{person.id}/experience", headers=headers).get_json()[
                "items"
            ]
        )
        == 2
    )


def become_eligible(client, me):
    person, headers = me
    client.put(
        f"/api/v1/people/{person.id}/education",
        headers=headers,
        json={"education_level": "bachelor"},
    )
    client.post(
        f"/api/v1/people/{person.id}/experience",
        headers=headers,
        json={"title": "Projects", "kind": "project", "started_on": "2021-01-01"},
    )
    client.post(
        f"/api/v1/people/{person.id}/training",
        headers=headers,
        json={"title": "PMP course", "hours": 35, "completed_on": "2026-10-01"},
    )


def patch(client, me, pursuit_id, **body):
    return client.patch(f"/api/v1/pursuits/{pursuit_id}", json=body, headers=me[1])


def test_stages_in_order_and_a_passed_exam_creates_the_credential(client, me):
    pursuit = start(client, me, target_exam_on="2027-01-20").get_json()
    pid = pursuit["id"]
    assert patch(client, me, pid, stage="applied").status_code == 422  # not the next stage
    assert patch(client, me, pid, stage="studying").status_code == 200
    refused = patch(client, me, pid, stage="eligible")
    assert (
        refused.status_code == 409 and "Not eligible yet" in refused.get_json()["error"]["message"]
    )
    become_eligible(client, me)
    assert patch(client, me, pid, stage="eligible").status_code == 200
    assert patch(client, me, pid, stage="applied").get_json()["applied_on"] == "2026-11-25"
    assert patch(client, me, pid, stage="exam_scheduled").status_code == 200
    assert patch(client, me, pid, stage="passed").status_code == 409  # the exam is still ahead
    with clock.pinned(date(2027, 1, 21)):
        passed = patch(client, me, pid, stage="passed").get_json()
    assert passed["stage"] == "passed" and passed["attempts"] == [
        {"taken_on": "2027-01-20", "passed": True}
    ]
    credential = db.session.get(Credential, passed["credential_id"])
    assert (credential.certification.code, credential.earned_on) == ("PMP", date(2027, 1, 20))
    assert patch(client, me, pid, stage="withdrawn").status_code == 422  # it has ended


def test_three_failures_in_the_window_then_a_year_to_wait(client, me):
    pursuit = start(client, me, target_exam_on="2026-12-10").get_json()
    pid = pursuit["id"]
    become_eligible(client, me)
    for stage in ("studying", "eligible", "applied", "exam_scheduled"):
        assert patch(client, me, pid, stage=stage).status_code == 200, stage
    exam = date(2026, 12, 10)
    for attempt in range(3):
        with clock.pinned(exam + timedelta(days=1)):
            failed = patch(client, me, pid, stage="failed").get_json()
            assert failed["stage"] == "failed" and len(failed["attempts"]) == attempt + 1
            exam = exam + timedelta(days=40)
            response = patch(
                client, me, pid, target_exam_on=exam.isoformat(), stage="exam_scheduled"
            )
            if attempt < 2:
                assert response.status_code == 200, response.get_json()
            else:
                assert response.status_code == 409
                assert "reapply from" in response.get_json()["error"]["message"]
    body = client.get(f"/api/v1/pursuits/{pid}", headers=me[1]).get_json()
    assert body["standing"]["again_on"] == "2028-02-28"  # a year after the third (28 Feb 2027)


def test_scope_of_pursuits(client, me, people, bearer):
    pursuit = start(client, me).get_json()
    log(client, me, pursuit["id"], notes="Struggling with EVM")
    url = f"/api/v1/pursuits/{pursuit['id']}"
    assert client.get(url, headers=bearer("outsider")).status_code == 404
    assert client.patch(url, json={"stage": "bad"}, headers=bearer("outsider")).status_code == 404
    assert log(client, (people["outsider"], bearer("outsider")), pursuit["id"]).status_code == 404
    pmo = bearer("pmo")
    assert client.get(url, headers=pmo).status_code == 200
    assert client.patch(url, json={"weekly_hours": 2}, headers=pmo).status_code == 403
    notes = client.get(url + "/sessions", headers=pmo).get_json()["items"][0]["notes"]
    assert notes is None  # private study notes stay private
    mine = client.get(url + "/sessions", headers=me[1]).get_json()["items"][0]["notes"]
    assert mine == "Struggling with EVM"


def test_the_pursuit_runs_a_fixed_number_of_statements(client, me, count_queries):
    pursuit = start(client, me).get_json()
    url = f"/api/v1/pursuits/{pursuit['id']}"

    def statements(n):
        db.session.execute(
            insert(StudySession),
            [
                {
                    "pursuit_id": pursuit["id"],
                    "studied_on": TODAY - timedelta(days=i % 60),
                    "minutes": 30,
                    "domain": "Process",
                    "kind": "reading",
                }
                for i in range(n)
            ],
        )
        db.session.commit()
        with count_queries() as counted:
            assert client.get(url, headers=me[1]).status_code == 200
        return counted()

    assert statements(5) == statements(500)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("experience", {"title": "ERP", "kind": "project", "started_on": "2020-01-01",
                        "ended_on": ""}, "ended_on"),
        ("training", {"title": "Prep", "hours": 35, "completed_on": "2026-01-10",
                      "topic": None}, "topic"),
        ("training", {"title": "Prep", "hours": 35, "completed_on": "2026-01-10",
                      "topic": ""}, "topic"),
        ("experience", {"title": "ERP", "kind": "project", "started_on": "2020-W01-1"},
         "started_on"),
        ("training", {"title": "Prep", "hours": 35, "completed_on": "2026-W02-5"},
         "completed_on"),
    ],
)  # fmt: skip
def test_an_empty_string_null_or_week_date_is_not_a_date_or_a_topic(client, me, path, body, field):
    """Schemathesis: ``"ended_on": ""`` and ``"topic": null`` were taken as "left out"; a week
    date (``2020-W01-1``) was taken as a date."""
    person, headers = me
    response = client.post(f"/api/v1/people/{person.id}/{path}", json=body, headers=headers)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert count(ExperienceEntry) == count(TrainingEntry) == 0


def test_left_out_the_topic_is_project_management_and_the_end_is_ongoing(client, me):
    person, headers = me
    body = {"title": "Prep", "hours": 35, "completed_on": "2026-01-10"}
    made = client.post(f"/api/v1/people/{person.id}/training", headers=headers, json=body)
    assert made.status_code == 201 and made.get_json()["topic"] == "project_management"
    ongoing = client.post(f"/api/v1/people/{person.id}/experience", headers=headers,
                          json={"title": "ERP", "kind": "project", "started_on": "2020-01-01",
                                "ended_on": None})  # fmt: skip
    assert ongoing.status_code == 201 and ongoing.get_json()["ended_on"] is None


def test_training_hours_are_quarters_in_the_document_as_in_the_service(client, me):
    """Schemathesis: the document allowed any number of hours from 0.25 to 2000, and the
    service refused 0.3 (steps of 0.25). The document now says ``multipleOf``, from the same
    constant the service checks."""
    spec = client.get("/api/v1/openapi.json").get_json()
    hours = spec["components"]["schemas"]["TrainingIn"]["properties"]["hours"]
    assert (hours["multipleOf"], hours["minimum"], hours["maximum"]) == (0.25, 0.25, 2000)
    person, headers = me
    url = f"/api/v1/people/{person.id}/training"
    body = {"title": "Prep", "completed_on": "2026-01-10"}
    refused = client.post(url, headers=headers, json=body | {"hours": 0.3})
    assert refused.status_code == 422 and "hours" in refused.get_json()["error"]["fields"]
    assert count(TrainingEntry) == 0
    assert client.post(url, headers=headers, json=body | {"hours": 1.75}).status_code == 201
