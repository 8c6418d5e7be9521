"""Capability through the API (API.md, Capability): the framework, assessments and who may make
them, effective levels, exact gaps that move with assessments and lapsing credentials, the team
matrix in scope only, and the timeline's holders falling in the month a cycle ends."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pmolearn import clock
from pmolearn.extensions import db
from pmolearn.people.models import Person
from pmolearn.skills.models import JobRole, SkillAssessment


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(SkillAssessment))


def role_id(code: str) -> int:
    return db.session.scalar(select(JobRole.id).where(JobRole.code == code))


@pytest.fixture
def team(people, catalog):
    """The practitioner aims at Senior Project Manager; the colleague is managed by the PMO
    head and works as a Project Manager."""
    people["practitioner"].target_role_id = role_id("senior_project_manager")
    people["colleague"].manager_id = people["pmo"].id
    people["colleague"].current_role_id = role_id("project_manager")
    db.session.commit()
    return people


def assess(client, headers, person, **body):
    return client.post(f"/api/v1/people/{person.id}/skills", json=body, headers=headers)


def test_the_framework_lists_roles_and_skills(client, bearer, team):
    roles = client.get("/api/v1/roles?per_page=50", headers=bearer("practitioner")).get_json()
    pm = next(r for r in roles["items"] if r["code"] == "project_manager")
    assert {"skill": "PRMG", "level": 4, "target_level": None} in pm["skills"]
    assert pm["certifications"][0] == {
        "group": "all of PMP",
        "mode": "all",
        "requirement": "required",
        "options": ["PMP"],
    }
    skills = client.get("/api/v1/skills?per_page=50", headers=bearer("practitioner")).get_json()
    prmg = next(s for s in skills["items"] if s["code"] == "PRMG")
    assert [lv["level"] for lv in prmg["levels"]] == [4, 5, 6, 7]
    assert prmg["implied_by"] == {"PMP": 4, "PgMP": 5}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"skill": "PGMG", "level": 4}, "level"),  # PGMG exists at 6 and 7 only
        ({"skill": "XXXX", "level": 4}, "skill"),
        ({"skill": "PRMG", "level": 0}, "level"),
        ({"skill": "PRMG", "level": "4"}, "level"),
        ({"skill": "PRMG", "level": 4, "source": "peer"}, "source"),
        ({"skill": "PRMG", "level": 4, "assessed_on": "2026-12-25"}, "assessed_on"),
        ({"skill": "PRMG", "level": 4, "mood": "good"}, "mood"),
    ],
)
def test_bad_assessments_are_refused_and_write_nothing(client, bearer, team, body, field):
    response = assess(client, bearer("practitioner"), team["practitioner"], **body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert count() == 0


def test_only_the_person_self_assesses_and_only_their_manager_manager_assesses(
    client, bearer, team
):
    colleague = team["colleague"]
    own = assess(client, bearer("colleague"), colleague, skill="PRMG", level=4)
    assert own.status_code == 201 and own.get_json()["source"] == "self"
    by_head = assess(client, bearer("pmo"), colleague, skill="PRMG", level=5, source="manager")
    assert by_head.status_code == 201  # the PMO head manages the colleague
    not_manager = assess(
        client, bearer("admin"), colleague, skill="PRMG", level=6, source="manager"
    )
    assert not_manager.status_code == 403
    for_someone = assess(client, bearer("pmo"), colleague, skill="PRMG", level=6)
    assert for_someone.status_code == 403  # a self assessment is the person's own
    outside = assess(client, bearer("outsider"), colleague, skill="PRMG", level=4)
    assert outside.status_code == 404
    assert count() == 2
    levels = client.get(
        f"/api/v1/people/{colleague.id}/skills", headers=bearer("colleague")
    ).get_json()["items"]
    assert [(i["skill"], i["level"], i["source"]) for i in levels] == [("PRMG", 5, "manager")]


@pytest.mark.parametrize("body", [{}, {"skill": "XXXX", "level": "four", "mood": 1}])
def test_someone_who_may_not_assess_the_person_at_all_hears_so_before_any_field_check(
    client, bearer, team, body
):
    """HR sees everyone but is neither the colleague nor their manager: whatever the body, the
    answer is 403 (found by schemathesis as HR, which got 422 for a bad body), and no write."""
    response = assess(client, bearer("hr"), team["colleague"], **body)
    assert response.status_code == 403
    assert count() == 0


def test_the_gap_is_exact_and_moves_with_assessments_and_credentials(
    client, bearer, team, pmp, today
):
    me, headers = team["practitioner"], bearer("practitioner")
    url = f"/api/v1/people/{me.id}/gaps"
    first = client.get(url, headers=headers).get_json()
    assert first["role"] == "senior_project_manager"
    # The active PMP implies PRMG 4; nothing else is assessed.
    assert [(s["skill"], s["required"], s["actual"], s["gap"]) for s in first["skills"]] == [
        ("PRMG", 6, 4, 2),
        ("BURM", 5, 0, 5),
        ("RLMT", 5, 0, 5),
    ]
    assert first["certifications"][0]["met"] is True
    assert first["next_step"] is not None and 0 < first["readiness"] < 1
    assess(client, headers, me, skill="BURM", level=5)
    second = client.get(url, headers=headers).get_json()
    assert [s["gap"] for s in second["skills"]] == [2, 0, 5]
    assert second["readiness"] > first["readiness"]
    clock.pin(date(2027, 3, 2))  # the PMP's cycle ended unrenewed: suspended, not active
    lapsed = client.get(url, headers=headers).get_json()
    assert [s["actual"] for s in lapsed["skills"]] == [0, 5, 0]
    assert lapsed["certifications"][0]["met"] is False
    other = client.get(url + "?role=project_coordinator", headers=headers).get_json()
    assert other["role"] == "project_coordinator"
    assert client.get(url + "?role=astronaut", headers=headers).status_code == 422


def test_the_team_matrix_covers_exactly_the_people_in_scope(client, bearer, team):
    unit = team["pmo"].org_unit_id
    body = client.get(f"/api/v1/org-units/{unit}/capability", headers=bearer("pmo")).get_json()
    names = {p["name"] for p in body["people"]}
    assert team["practitioner"].name in names and team["colleague"].name in names
    assert team["outsider"].name not in names
    in_subtree = db.session.scalar(
        select(func.count())
        .select_from(Person)
        .where(Person.org_unit_id.in_([team["pmo"].org_unit_id, team["colleague"].org_unit_id]))
    )
    assert len(body["people"]) + body["without_role"] == in_subtree
    one_role = client.get(
        f"/api/v1/org-units/{unit}/capability?role=pmo_analyst", headers=bearer("pmo")
    ).get_json()
    assert {p["role"] for p in one_role["people"]} == {"pmo_analyst"}
    assert (
        client.get(
            f"/api/v1/org-units/{unit}/capability", headers=bearer("practitioner")
        ).status_code
        == 404
    )
    finance = team["outsider"].org_unit_id
    assert (
        client.get(f"/api/v1/org-units/{finance}/capability", headers=bearer("pmo")).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/org-units/{finance}/capability", headers=bearer("hr")).status_code
        == 200
    )


def test_the_timeline_drops_the_holder_in_the_month_the_cycle_ends(client, bearer, team, pmp):
    unit = team["pmo"].org_unit_id
    body = client.get(
        f"/api/v1/org-units/{unit}/coverage?months=6", headers=bearer("pmo")
    ).get_json()
    months = {m["month"]: m for m in body["months"]}
    assert list(months) == ["2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04"]

    def holders(month):
        return next(c for c in months[month]["certifications"] if c["code"] == "PMP")

    assert holders("2027-02")["valid_holders"] == 1
    assert holders("2027-03")["valid_holders"] == 0  # ended 1 March 2027, not renewed
    assert (
        client.get(f"/api/v1/org-units/{unit}/coverage?months=0", headers=bearer("pmo")).status_code
        == 422
    )
