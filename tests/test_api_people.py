"""The people API as API.md promises it: Bearer auth, envelope, validation, scope."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pmolearn.accounts.services import create_token
from pmolearn.extensions import db
from pmolearn.people.models import Person


@pytest.fixture
def bearer(people):
    def token_for(name: str) -> dict:
        _token, plain = create_token(people[name], "tests")
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}

    return token_for


def people_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Person))


def test_no_token_gets_401_json(client, people):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_bad_token_gets_401(client, people):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer pml_nonsense"})
    assert response.status_code == 401


def test_me_with_token(client, people, bearer):
    response = client.get("/api/v1/me", headers=bearer("practitioner"))
    assert response.status_code == 200
    me = response.get_json()
    assert me["email"] == "prac@example.org"
    assert me["roles"] == ["practitioner"]
    assert me["calendar_url"].endswith(".ics")
    assert set(me) >= {
        "id",
        "email",
        "name",
        "org_unit_id",
        "manager_id",
        "roles",
        "current_role",
        "target_role",
        "pmi_member",
    }


def test_revoked_token_is_refused(client, people):
    from pmolearn.accounts.services import revoke_token

    token, plain = create_token(people["hr"], "tests")
    db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    revoke_token(people["hr"], token.id)
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_list_people_envelope_and_paging(client, people, bearer):
    response = client.get("/api/v1/people?per_page=2&page=2", headers=bearer("hr"))
    body = response.get_json()
    assert response.status_code == 200
    assert body["page"] == 2
    assert body["per_page"] == 2
    assert body["total"] == 6
    assert len(body["items"]) == 2
    capped = client.get("/api/v1/people?per_page=5000", headers=bearer("hr")).get_json()
    assert capped["per_page"] == 500


def test_list_people_filters(client, people, bearer):
    headers = bearer("admin")
    unit = people["pmo"].org_unit_id
    emails = {
        p["email"]
        for p in client.get(f"/api/v1/people?org_unit={unit}", headers=headers).get_json()["items"]
    }
    assert emails == {"pmo@example.org", "prac@example.org", "colleague@example.org"}
    found = client.get("/api/v1/people?q=OUTSIDER", headers=headers).get_json()["items"]
    assert [p["email"] for p in found] == ["outsider@example.org"]


@pytest.mark.parametrize("query", ["page=0", "page=abc", "per_page=0", "org_unit=x"])
def test_bad_list_arguments_get_422(client, people, bearer, query):
    response = client.get(f"/api/v1/people?{query}", headers=bearer("hr"))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_error"


def test_admin_creates_a_person(client, people, bearer):
    body = {
        "email": "New.Person@Example.org",
        "name": "New Person",
        "org_unit_id": people["pmo"].org_unit_id,
        "manager_id": people["pmo"].id,
        "roles": ["practitioner", "pmo_head"],
        "job_title": "PMO Analyst",
    }
    response = client.post("/api/v1/people", json=body, headers=bearer("admin"))
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["email"] == "new.person@example.org"
    assert created["roles"] == ["pmo_head", "practitioner"]
    assert created["manager_id"] == people["pmo"].id
    again = client.get(f"/api/v1/people/{created['id']}", headers=bearer("admin"))
    assert again.get_json() == created


@pytest.mark.parametrize("who", ["practitioner", "pmo", "hr"])
def test_only_admins_create_people(client, people, bearer, who):
    body = {"email": "x@example.org", "name": "X", "org_unit_id": people["pmo"].org_unit_id}
    before = people_count()
    response = client.post("/api/v1/people", json=body, headers=bearer(who))
    assert response.status_code == 403
    assert people_count() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "No Email", "org_unit_id": 1}, "email"),
        ({"email": "not-an-email", "name": "X", "org_unit_id": "UNIT"}, "email"),
        ({"email": "a@example.org", "name": "", "org_unit_id": "UNIT"}, "name"),
        ({"email": "a@example.org", "name": "A", "org_unit_id": 999999}, "org_unit_id"),
        ({"email": "a@example.org", "name": "A", "org_unit_id": "1"}, "org_unit_id"),
        (
            {"email": "a@example.org", "name": "A", "org_unit_id": "UNIT", "roles": ["boss"]},
            "roles",
        ),
        ({"email": "a@example.org", "name": "A", "org_unit_id": "UNIT", "roles": []}, "roles"),
        (
            {"email": "a@example.org", "name": "A", "org_unit_id": "UNIT", "manager_id": 999999},
            "manager_id",
        ),
        (
            {
                "email": "a@example.org",
                "name": "A",
                "org_unit_id": "UNIT",
                "current_role": "astronaut",
            },
            "current_role",
        ),
        (
            {"email": "a@example.org", "name": "A", "org_unit_id": "UNIT", "shoe_size": 44},
            "shoe_size",
        ),
    ],
)
def test_invalid_person_gets_422_with_field_and_writes_nothing(client, people, bearer, body, field):
    if body.get("org_unit_id") == "UNIT":
        body = {**body, "org_unit_id": people["pmo"].org_unit_id}
    before = people_count()
    response = client.post("/api/v1/people", json=body, headers=bearer("admin"))
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"]
    assert people_count() == before


def test_duplicate_email_gets_409(client, people, bearer):
    body = {"email": "PRAC@example.org", "name": "Dup", "org_unit_id": people["pmo"].org_unit_id}
    response = client.post("/api/v1/people", json=body, headers=bearer("admin"))
    assert response.status_code == 409
    assert "email" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ("email=a", "application/x-www-form-urlencoded", 415),
        ("\xff\xfe", "application/json", 400),
    ],
)
def test_malformed_bodies_never_500(client, people, bearer, data, content_type, status):
    before = people_count()
    response = client.post(
        "/api/v1/people", data=data, content_type=content_type, headers=bearer("admin")
    )
    assert response.status_code == status
    assert "error" in response.get_json()
    assert people_count() == before


def test_openapi_document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/people" in spec["paths"]
    assert "/api/v1/certifications/{code}" in spec["paths"]


def test_people_list_statement_count_does_not_grow(
    client, people, bearer, catalog, make_person, count_queries
):
    from pmolearn.skills.models import JobRole

    headers = bearer("hr")
    roles = db.session.scalars(select(JobRole)).all()
    make_person(current_role=roles[0], target_role=roles[1])
    db.session.commit()
    with count_queries() as few:
        client.get("/api/v1/people?per_page=500", headers=headers)
    for n in range(39):
        make_person(current_role=roles[n % len(roles)], target_role=roles[(n + 3) % len(roles)])
    db.session.commit()
    with count_queries() as many:
        body = client.get("/api/v1/people?per_page=500", headers=headers).get_json()
    assert body["total"] == 46
    assert few() == many()


def test_openapi_documents_the_pdu_endpoints_and_the_error_shape(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    post = spec["paths"]["/api/v1/people/{person_id}/pdus"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ActivityCreate"
    )
    assert "201" in post["responses"]
    assert "/api/v1/credentials/{credential_id}/renewals" in spec["paths"]
    assert "/api/v1/pdus/{activity_id}/evidence" in spec["paths"]
    error = spec["components"]["schemas"]["Error"]
    assert "error" in error["properties"]


def test_the_directory_filters_by_certification_status_and_expiry_and_sorts(
    client, people, bearer, catalog, make
):
    """API.md: ?certification=&status=&expiring_within=&sort=; each item has its credentials."""
    from datetime import date

    make.credential(people["practitioner"], "PMP", date(2024, 3, 1))  # ends 2027-03-01
    make.credential(people["colleague"], "PMP", date(2023, 6, 1))  # ended 2026-06-01: suspended
    make.credential(people["outsider"], "CAPM", date(2024, 6, 10))  # ends 2027-06-10
    db.session.commit()
    headers = bearer("hr")

    def names(query):
        response = client.get(f"/api/v1/people?per_page=500&{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return [p["name"] for p in response.get_json()["items"]]

    assert set(names("certification=PMP")) == {
        people["practitioner"].name,
        people["colleague"].name,
    }
    assert names("certification=PMP&status=suspended") == [people["colleague"].name]
    assert names("expiring_within=120") == [people["practitioner"].name]
    by_end = names("sort=cycle_end")
    assert by_end.index(people["colleague"].name) < by_end.index(people["practitioner"].name)
    item = client.get("/api/v1/people?certification=CAPM", headers=headers).get_json()["items"][0]
    assert item["credentials"][0]["certification"] == "CAPM" and item["credentials"][0]["cycle_end"]
    for bad in ("certification=PMX", "status=sleeping", "expiring_within=0", "sort=age"):
        assert client.get(f"/api/v1/people?{bad}", headers=headers).status_code == 422, bad


#: Every endpoint API.md promises (its "Resources" section), as OpenAPI paths.
API_MD = [
    ("get", "/api/v1/me"),
    ("get", "/api/v1/people"),
    ("post", "/api/v1/people"),
    ("get", "/api/v1/people/{person_id}"),
    ("get", "/api/v1/certifications"),
    ("get", "/api/v1/certifications/{code}"),
    ("post", "/api/v1/people/{person_id}/credentials"),
    ("get", "/api/v1/people/{person_id}/credentials"),
    ("get", "/api/v1/credentials/{credential_id}"),
    ("post", "/api/v1/credentials/{credential_id}/renewals"),
    ("get", "/api/v1/credentials/{credential_id}/audit-pack"),
    ("post", "/api/v1/people/{person_id}/pdus"),
    ("get", "/api/v1/people/{person_id}/pdus"),
    ("get", "/api/v1/pdus/{activity_id}"),
    ("patch", "/api/v1/pdus/{activity_id}"),
    ("delete", "/api/v1/pdus/{activity_id}"),
    ("post", "/api/v1/pdus/{activity_id}/evidence"),
    ("get", "/api/v1/pdus/{activity_id}/evidence/{file_id}"),
    ("post", "/api/v1/people/{person_id}/pursuits"),
    ("get", "/api/v1/pursuits/{pursuit_id}"),
    ("patch", "/api/v1/pursuits/{pursuit_id}"),
    ("post", "/api/v1/pursuits/{pursuit_id}/sessions"),
    ("get", "/api/v1/people/{person_id}/experience"),
    ("post", "/api/v1/people/{person_id}/experience"),
    ("get", "/api/v1/people/{person_id}/training"),
    ("post", "/api/v1/people/{person_id}/training"),
    ("get", "/api/v1/people/{person_id}/reminders"),
    ("get", "/api/v1/people/{person_id}/notifications"),
    ("patch", "/api/v1/people/{person_id}/notifications"),
    ("post", "/api/v1/me/calendar-token"),
    ("get", "/api/v1/roles"),
    ("get", "/api/v1/skills"),
    ("post", "/api/v1/people/{person_id}/skills"),
    ("get", "/api/v1/people/{person_id}/skills"),
    ("get", "/api/v1/people/{person_id}/gaps"),
    ("get", "/api/v1/org-units/{unit_id}/capability"),
    ("get", "/api/v1/org-units/{unit_id}/coverage"),
    ("get", "/api/v1/reports/{name}"),
]


def test_the_openapi_document_lists_every_endpoint_of_api_md_and_the_docs_page_shows_it(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    missing = [(m, p) for m, p in API_MD if m not in spec["paths"].get(p, {})]
    assert missing == []
    assert spec["components"]["securitySchemes"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for method, path in API_MD:
        assert f"{method.upper()}</span> <code>{path}</code>" in html, (method, path)


def test_an_org_unit_missing_or_out_of_scope_is_a_422_that_does_not_say_which(
    client, people, bearer
):
    outside = people["outsider"].org_unit_id
    answers = [
        client.get("/api/v1/people?org_unit=999999", headers=bearer("hr")),
        client.get(f"/api/v1/people?org_unit={outside}", headers=bearer("pmo")),
    ]
    assert [a.status_code for a in answers] == [422, 422]
    assert answers[0].get_json()["error"]["fields"]["org_unit"] == [
        "No org unit '999999' in your scope."
    ]
    assert answers[1].get_json()["error"]["fields"]["org_unit"] == [
        f"No org unit '{outside}' in your scope."
    ]
    mine = client.get(f"/api/v1/people?org_unit={people['pmo'].org_unit_id}", headers=bearer("pmo"))
    assert mine.status_code == 200 and mine.get_json()["total"] >= 1
