"""Signing in and out, CSRF, and the login rate limit."""

from __future__ import annotations

from pmolearn.people.models import Person
from tests.conftest import PASSWORD


def test_sign_in_with_the_right_password_lands_on_home(client, people, sign_in_form):
    response = sign_in_form(people["practitioner"])
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert people["practitioner"].name in page.get_data(as_text=True)


def test_wrong_password_and_unknown_email_get_the_same_answer(client, people, sign_in_form):
    wrong = sign_in_form(people["practitioner"], password="nope-nope")
    unknown = client.post("/login", data={"email": "ghost@example.org", "password": "x" * 9})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "do not match an active account" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still signed out


def test_inactive_person_cannot_sign_in(client, people, sign_in_form, app):
    from pmolearn.extensions import db

    people["practitioner"].active = False
    db.session.commit()
    assert sign_in_form(people["practitioner"]).status_code == 200
    assert client.get("/").status_code == 302


def test_passwords_are_stored_hashed(people):
    stored = people["practitioner"].password_hash
    assert PASSWORD not in stored
    assert stored.startswith(("scrypt:", "pbkdf2:"))


def test_pages_redirect_to_login_when_signed_out(client, people):
    response = client.get("/people/1")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_next_parameter_cannot_leave_the_site(client, people):
    response = client.post(
        "/login?next=https://evil.example/",
        data={"email": people["practitioner"].email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post(
        "/login?next=/catalog/",
        data={"email": people["practitioner"].email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/catalog/"


def test_sign_out_ends_the_session(client, people, sign_in_form):
    sign_in_form(people["practitioner"])
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


class TestRateLimit:
    def test_eleventh_failed_try_for_one_account_from_one_address_gets_429(self, client, people):
        email = people["practitioner"].email
        here = {"REMOTE_ADDR": "10.0.0.1"}
        for n in range(10):
            response = client.post(
                "/login", data={"email": email, "password": f"wrong{n}"}, environ_base=here
            )
            assert response.status_code == 200
        blocked = client.post(
            "/login", data={"email": email, "password": PASSWORD}, environ_base=here
        )
        assert blocked.status_code == 429

    def test_guessing_from_elsewhere_does_not_lock_the_person_out(self, client, people):
        email = people["practitioner"].email
        for n in range(15):
            client.post(
                "/login",
                data={"email": email, "password": f"wrong{n}"},
                environ_base={"REMOTE_ADDR": "203.0.113.9"},
            )
        assert client.post(
            "/login", data={"email": email, "password": "wrong"},
            environ_base={"REMOTE_ADDR": "203.0.113.9"},
        ).status_code == 429  # fmt: skip
        response = client.post(
            "/login",
            data={"email": email, "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "10.0.0.7"},
        )
        assert response.status_code == 302

    def test_thirty_first_failed_try_from_one_address_gets_429(self, client, people):
        for n in range(30):
            response = client.post(
                "/login", data={"email": f"nobody{n}@example.org", "password": "wrong"}
            )
            assert response.status_code == 200
        blocked = client.post("/login", data={"email": people["admin"].email, "password": PASSWORD})
        assert blocked.status_code == 429
        assert "Too many attempts" in blocked.get_data(as_text=True)

    def test_successful_sign_ins_do_not_count(self, client, people):
        for _ in range(12):
            response = client.post(
                "/login", data={"email": people["admin"].email, "password": PASSWORD}
            )
            assert response.status_code == 302
            client.post("/logout")


def test_person_model_roles(people):
    person: Person = people["pmo"]
    assert person.role_codes == {"pmo_head", "practitioner"}
