"""Every route declares who may use it; scope rules hold in pages and in the API."""

from __future__ import annotations

import pytest

from pmolearn.authz import EXTENSION_PUBLIC_ENDPOINTS


def test_every_endpoint_declares_an_access_rule(app):
    missing = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint not in EXTENSION_PUBLIC_ENDPOINTS and not hasattr(view, "access_rule")
    ]
    assert missing == []


def test_an_endpoint_without_a_rule_is_refused(app, client, people, login):
    """Fail closed: a view someone forgot to mark answers 403 even to an admin."""
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    login(people["admin"])
    response = client.get("/forgotten")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)


PAGES = {
    "/": {"practitioner": 200, "pmo": 200, "hr": 200, "admin": 200},
    "/catalog/": {"practitioner": 200, "pmo": 200, "hr": 200, "admin": 200},
    "/profile": {"practitioner": 200, "pmo": 200, "hr": 200, "admin": 200},
    "/people": {"practitioner": 403, "pmo": 200, "hr": 200, "admin": 200},
    "/admin/people/new": {"practitioner": 403, "pmo": 403, "hr": 403, "admin": 200},
    "/admin/org-units": {"practitioner": 403, "pmo": 403, "hr": 403, "admin": 200},
    "/admin/org-units/new": {"practitioner": 403, "pmo": 403, "hr": 403, "admin": 200},
}


@pytest.mark.parametrize("who", ["practitioner", "pmo", "hr", "admin"])
def test_page_permission_matrix(client, people, login, who):
    login(people[who])
    for url, expected in PAGES.items():
        assert client.get(url).status_code == expected[who], (who, url)


@pytest.mark.parametrize(
    ("who", "visible", "hidden"),
    [
        ("practitioner", ["practitioner"], ["colleague", "pmo", "outsider", "admin"]),
        ("pmo", ["pmo", "practitioner", "colleague"], ["outsider", "admin", "hr"]),
        ("hr", ["outsider", "practitioner", "admin"], []),
        ("admin", ["outsider", "practitioner", "hr"], []),
    ],
)
def test_person_scope_in_pages_and_api(client, people, login, who, visible, hidden):
    login(people[who])
    for name in visible:
        person_id = people[name].id
        assert client.get(f"/people/{person_id}").status_code == 200, name
        assert client.get(f"/api/v1/people/{person_id}").status_code == 200, name
    for name in hidden:
        person_id = people[name].id
        assert client.get(f"/people/{person_id}").status_code == 404, name
        response = client.get(f"/api/v1/people/{person_id}")
        assert response.status_code == 404, name
        assert response.get_json()["error"]["code"] == "not_found"


def test_pmo_head_list_holds_only_the_subtree(client, people, login):
    login(people["pmo"])
    emails = {p["email"] for p in client.get("/api/v1/people").get_json()["items"]}
    assert emails == {"pmo@example.org", "prac@example.org", "colleague@example.org"}
    page = client.get("/people").get_data(as_text=True).replace("<wbr>", "")  # break points
    assert "colleague@example.org" in page
    assert "outsider@example.org" not in page


def test_unknown_id_and_out_of_scope_id_look_the_same(client, people, login):
    login(people["practitioner"])
    hidden = client.get(f"/api/v1/people/{people['outsider'].id}")
    missing = client.get("/api/v1/people/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json()


def test_error_pages_are_html_for_people_and_json_for_programs(client, people, login):
    login(people["practitioner"])
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert page.mimetype == "text/html"
    assert "Not found" in page.get_data(as_text=True)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.get_json()["error"]["code"] == "not_found"
    forbidden = client.get("/admin/org-units")
    assert forbidden.status_code == 403
    assert "Not allowed" in forbidden.get_data(as_text=True)


def test_server_error_page_and_json(app, client, people, login):
    from pmolearn.authz import allow

    @allow()
    def boom():
        raise RuntimeError("kaboom")

    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/api/v1/boom", "api_boom", boom)
    login(people["practitioner"])
    page = client.get("/boom")
    assert page.status_code == 500
    assert "kaboom" not in page.get_data(as_text=True)
    assert "Something went wrong" in page.get_data(as_text=True)
    api = client.get("/api/v1/boom")
    assert api.status_code == 500
    assert api.get_json()["error"]["code"] == "server_error"


def test_security_headers(client, people, login):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
