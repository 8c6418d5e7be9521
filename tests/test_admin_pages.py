"""Admin pages create and edit people and org units through real forms."""

from __future__ import annotations

from sqlalchemy import func, select

from pmolearn.extensions import db
from pmolearn.people.models import OrgUnit, Person


def test_admin_adds_a_person_with_the_form(client, people, login):
    login(people["admin"])
    response = client.post(
        "/admin/people/new",
        data={
            "name": "Grace Hopper",
            "email": "Grace@Example.org",
            "org_unit_id": people["pmo"].org_unit_id,
            "roles": ["practitioner", "hr"],
            "job_title": "PMO Analyst",
            "active": "y",
            "password": "longenough",
        },
    )
    assert response.status_code == 302
    person = db.session.scalar(select(Person).where(Person.email == "grace@example.org"))
    assert person.role_codes == {"practitioner", "hr"}
    assert person.check_password("longenough")


def test_invalid_person_form_shows_errors_and_saves_nothing(client, people, login):
    login(people["admin"])
    before = db.session.scalar(select(func.count()).select_from(Person))
    response = client.post(
        "/admin/people/new",
        data={
            "name": "Dup",
            "email": "prac@example.org",
            "org_unit_id": people["pmo"].org_unit_id,
            "roles": ["practitioner"],
            "manager": "nobody@example.org",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nobody is called or has the email" in html
    assert db.session.scalar(select(func.count()).select_from(Person)) == before


def test_every_error_of_the_person_form_shows_at_once(client, people, login):
    login(people["admin"])
    response = client.post(
        "/admin/people/new", data={"name": "", "email": "not an email", "manager": "Nobody Atall"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in ("Required", "Choose an existing org unit", "Nobody is called", "Roles must be"):
        assert message in html, message
    page = client.get("/admin/people/new").get_data(as_text=True)
    assert ">Password<" in page and "invitation" in page and "keep the current" not in page


def test_the_manager_is_picked_by_name_or_email(client, people, login):
    login(people["admin"])
    target = people["outsider"]
    data = {
        "name": target.name,
        "email": target.email,
        "org_unit_id": target.org_unit_id,
        "roles": ["practitioner"],
        "active": "y",
        "manager": people["hr"].name,
    }
    assert client.post(f"/admin/people/{target.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, target.id).manager_id == people["hr"].id


def test_admin_edits_a_person(client, people, login):
    login(people["admin"])
    target = people["outsider"]
    response = client.post(
        f"/admin/people/{target.id}/edit",
        data={
            "name": "Renamed Person",
            "email": target.email,
            "org_unit_id": target.org_unit_id,
            "roles": ["practitioner", "pmo_head"],
            "pmi_member": "y",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(Person, target.id)
    assert person.name == "Renamed Person"
    assert person.role_codes == {"practitioner", "pmo_head"}
    assert person.pmi_member is True
    assert person.active is False  # unchecked box


def test_management_loop_is_refused(client, people, login):
    login(people["admin"])
    boss, worker = people["pmo"], people["practitioner"]
    worker.manager_id = boss.id
    db.session.commit()
    response = client.post(
        f"/admin/people/{boss.id}/edit",
        data={
            "name": boss.name,
            "email": boss.email,
            "org_unit_id": boss.org_unit_id,
            "roles": ["pmo_head"],
            "manager": worker.email,
            "active": "y",
        },
    )
    assert response.status_code == 422
    assert "manage themselves" in response.get_data(as_text=True)


def test_admin_creates_and_moves_org_units(client, people, login, make_person):
    login(people["admin"])
    units = make_person.units
    response = client.post(
        "/admin/org-units/new",
        data={
            "name": "Agile CoE",
            "code": "acoe",
            "parent_id": units["pmo"].id,
        },
    )
    assert response.status_code == 302
    coe = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "ACOE"))
    assert coe.path == f"{units['pmo'].path}{coe.id}/"
    # move the PMO (with Delivery PMO and the CoE below it) under Finance
    response = client.post(
        f"/admin/org-units/{units['pmo'].id}/edit",
        data={
            "name": "Enterprise PMO",
            "code": "PMO",
            "parent_id": units["finance"].id,
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    finance_path = db.session.get(OrgUnit, units["finance"].id).path
    for unit_id in (units["pmo"].id, units["delivery"].id, coe.id):
        assert db.session.get(OrgUnit, unit_id).path.startswith(finance_path)


def test_a_unit_cannot_move_under_itself(client, people, login, make_person):
    login(people["admin"])
    units = make_person.units
    response = client.post(
        f"/admin/org-units/{units['pmo'].id}/edit",
        data={
            "name": "Enterprise PMO",
            "code": "PMO",
            "parent_id": units["delivery"].id,
        },
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(OrgUnit, units["pmo"].id).parent_id == units["root"].id


def test_org_unit_form_validates(client, people, login):
    login(people["admin"])
    response = client.post("/admin/org-units/new", data={"name": "", "code": "PMO"})
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(OrgUnit)) == 4


def test_unknown_ids_on_admin_pages_are_404(client, people, login):
    login(people["admin"])
    assert client.get("/admin/people/999999/edit").status_code == 404
    assert client.get("/admin/org-units/999999/edit").status_code == 404
