"""Capability pages: my skills (assess, see the gap and the next step), a person's page as their
manager sees it, the team page (matrix in scope, filters, timeline), CSV and XLSX downloads read
back, the admins' role editing, and a fixed number of statements whatever the team's size."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import func, select

from pmolearn.audit.models import AuditEvent
from pmolearn.extensions import db
from pmolearn.skills.models import JobRole, JobRoleSkill, SkillAssessment


def role_id(code: str) -> int:
    return db.session.scalar(select(JobRole.id).where(JobRole.code == code))


@pytest.fixture
def team(people, catalog):
    people["practitioner"].target_role_id = role_id("senior_project_manager")
    people["practitioner"].manager_id = people["pmo"].id
    people["colleague"].current_role_id = role_id("project_manager")
    db.session.commit()
    return people


def test_i_assess_myself_and_see_the_gap_move(client, team, login, pmp):
    login(team["practitioner"])
    page = client.get("/skills/me").get_data(as_text=True)
    assert "Senior Project Manager" in page and "the active PMP (a floor)" in page
    bad = client.post("/skills/me", data={"skill": "PGMG", "level": "4"})
    assert bad.status_code == 422 and "exists at levels 6, 7 only" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SkillAssessment)) == 0
    ok = client.post("/skills/me", data={"skill": "BURM", "level": "5", "note": "Ran the RAID log"})
    assert ok.status_code == 302
    after = client.get("/skills/me").get_data(as_text=True)
    assert "own assessment" in after and "Ran the RAID log" in after
    other = client.get("/skills/me?role=pmo_analyst").get_data(as_text=True)
    assert "for PMO Analyst" in other


def test_the_manager_assesses_on_the_person_s_page_and_others_cannot(client, team, login):
    me = team["practitioner"]
    login(team["pmo"])  # the practitioner's manager
    page = client.get(f"/skills/people/{me.id}").get_data(as_text=True)
    assert "Your assessment as their manager" in page
    assert (
        client.post(f"/skills/people/{me.id}", data={"skill": "PRMG", "level": "5"}).status_code
        == 302
    )
    made = db.session.scalar(select(SkillAssessment))
    assert (made.source, made.assessed_by_id) == ("manager", team["pmo"].id)
    login(team["hr"])  # sees the person, does not manage them
    assert "Your assessment" not in client.get(f"/skills/people/{me.id}").get_data(as_text=True)
    assert (
        client.post(f"/skills/people/{me.id}", data={"skill": "PRMG", "level": "6"}).status_code
        == 403
    )
    login(team["outsider"])
    assert client.get(f"/skills/people/{me.id}").status_code == 404


def test_the_team_page_is_for_team_roles_and_covers_the_scope(client, team, login):
    login(team["pmo"])
    page = client.get("/capability").get_data(as_text=True)
    assert team["practitioner"].name in page and team["outsider"].name not in page
    assert "The next twelve months" in page and "Supply against demand" in page
    filtered = client.get("/capability?role=pmo_analyst").get_data(as_text=True)
    assert "against PMO Analyst" in filtered
    finance = team["outsider"].org_unit_id
    assert client.get(f"/capability?unit={finance}").status_code == 404
    login(team["practitioner"])
    assert client.get("/capability").status_code == 403
    assert client.get("/capability.csv").status_code == 403


def test_the_downloads_hold_the_matrix(client, team, login):
    login(team["pmo"])
    as_csv = client.get("/capability.csv")
    assert as_csv.mimetype == "text/csv" and "attachment" in as_csv.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(as_csv.get_data(as_text=True))))
    assert rows[0][:5] == ["Person", "Org unit", "Role", "Readiness", "Ready"]
    names = {r[0] for r in rows[1:]}
    assert team["practitioner"].name in names and team["outsider"].name not in names
    as_xlsx = client.get("/capability.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(as_xlsx.data), read_only=True)
    sheet = [list(r) for r in book["Capability"].iter_rows(values_only=True)]
    assert sheet[0][:5] == rows[0][:5] and len(sheet) == len(rows)
    assert client.get("/capability.pdf").status_code == 404


def test_admins_edit_a_role_and_the_change_is_audited(client, team, login):
    login(team["admin"])
    assert client.get("/admin/roles").status_code == 200
    bad = client.post("/admin/roles/pmo_analyst", data={"level-PGMG": "3"})
    assert bad.status_code == 422
    good = client.post("/admin/roles/pmo_analyst", data={"level-PROF": "4", "level-MEAS": "3"})
    assert good.status_code == 302
    levels = dict(
        db.session.execute(
            select(JobRoleSkill.skill_id, JobRoleSkill.level).where(
                JobRoleSkill.job_role_id == role_id("pmo_analyst")
            )
        ).all()
    )
    assert sorted(levels.values()) == [3, 4]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "job_role"))
    login(team["pmo"])
    assert client.get("/admin/roles").status_code == 403


def test_the_team_page_runs_a_fixed_number_of_statements(client, team, login, make, count_queries):
    login(team["pmo"])

    def statements() -> int:
        with count_queries() as counted:
            assert client.get("/capability").status_code == 200
        return counted()

    def add(n: int) -> None:
        for _ in range(n):
            person = make.person(unit=make.units["delivery"])
            person.current_role_id = role_id("project_manager")
            make.credential(person)
        db.session.commit()

    add(2)
    few = statements()
    add(10)
    assert statements() == few
