"""Accounts by email, over a real SMTP server: an invitation when an admin adds a person, the
forgotten-password link (the same answer whether or not the address exists), links that work
once and expire, a password change on the profile; and sessions that end on sign-out or a new
password, so a cookie copied before then no longer works."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from pmolearn.accounts.models import PasswordLink
from pmolearn.extensions import db
from pmolearn.people.models import Person
from tests.conftest import PASSWORD
from tests.mailserver import text_of

NEW_PASSWORD = "a long new passphrase"


def link_in(message) -> str:
    url = re.search(r"https://pmolearn\.example\.org(/\S+)", text_of(message))
    assert url, text_of(message)
    return url.group(1)


def test_an_admin_adding_a_person_sends_an_invitation_that_works_once(
    client, smtp, people, login, sign_in_form
):
    login(people["admin"])
    response = client.post(
        "/admin/people/new",
        data={
            "email": "new.starter@example.org",
            "name": "Nia Starter",
            "org_unit_id": str(people["practitioner"].org_unit_id),
            "roles": ["practitioner"],
            "active": "y",
        },
        follow_redirects=True,
    )
    assert "An invitation to choose a password was sent to new.starter@example.org" in (
        response.get_data(as_text=True)
    )
    [message] = smtp.to("new.starter@example.org")
    assert message["Subject"] == "Your pmolearn account: choose a password"
    path = link_in(message)
    assert path.startswith("/welcome/")
    client.post("/logout")
    assert client.get(path).status_code == 200
    short = client.post(path, data={"password": "short", "confirm": "short"})
    assert short.status_code == 422 and "at least 10 characters" in short.get_data(as_text=True)
    differ = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "!"})
    assert differ.status_code == 422
    done = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert client.get(path).status_code == 404  # once only
    newcomer = db.session.scalar(select(Person).where(Person.email == "new.starter@example.org"))
    assert sign_in_form(newcomer, NEW_PASSWORD).status_code == 302


def test_an_invitation_that_cannot_be_sent_says_so_and_the_person_is_kept(
    client, smtp, people, login, app
):
    from tests.mailserver import free_port

    app.config["MAIL_PORT"] = free_port()
    login(people["admin"])
    response = client.post(
        "/admin/people/new",
        data={
            "email": "offline@example.org",
            "name": "Otto Offline",
            "org_unit_id": str(people["practitioner"].org_unit_id),
            "roles": ["practitioner"],
            "active": "y",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "the invitation email could not be sent" in page
    assert db.session.scalar(select(Person).where(Person.email == "offline@example.org"))


def test_forgot_password_answers_the_same_and_sends_only_to_a_real_account(client, smtp, people):
    known = client.post("/forgot-password", data={"email": people["practitioner"].email})
    unknown = client.post("/forgot-password", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: re.sub(r'name="csrf_token"[^>]*>', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(known) == strip(unknown)
    assert [m["To"] for m in smtp.messages] == [people["practitioner"].email]


def test_a_reset_link_works_once_expires_and_a_newer_one_replaces_it(
    client, smtp, people, sign_in_form, today
):
    me = people["practitioner"]
    client.post("/forgot-password", data={"email": me.email})
    first = link_in(smtp.messages[-1])
    client.post("/forgot-password", data={"email": me.email.upper()})
    second = link_in(smtp.messages[-1])
    assert client.get(first).status_code == 404  # replaced by the newer link
    assert (
        client.post(second, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code
        == 302
    )
    assert sign_in_form(me, PASSWORD).status_code == 200  # the old password is gone
    assert sign_in_form(me, NEW_PASSWORD).status_code == 302
    client.post("/logout")
    client.post("/forgot-password", data={"email": me.email})
    late = link_in(smtp.messages[-1])
    link = db.session.scalars(select(PasswordLink).order_by(PasswordLink.id.desc())).first()
    link.expires_at = link.created_at - timedelta(seconds=1)
    db.session.commit()
    assert client.get(late).status_code == 404
    stored = {row.token_hash for row in db.session.scalars(select(PasswordLink))}
    assert late.rsplit("/", 1)[1] not in stored  # only digests are kept


def test_a_cookie_copied_before_sign_out_no_longer_works(app, people, sign_in_form, client):
    assert sign_in_form(people["practitioner"]).status_code == 302
    copied = client.get_cookie("session").value
    assert client.get("/profile").status_code == 200
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_changing_the_password_ends_the_other_sessions_not_this_one(app, people, sign_in_form):
    me = people["practitioner"]
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        assert (
            device.post("/login", data={"email": me.email, "password": PASSWORD}).status_code == 302
        )
    wrong = laptop.post(
        "/profile/password",
        data={"current": "not it", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    changed = laptop.post(
        "/profile/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert laptop.get("/profile").status_code == 200
    assert phone.get("/profile").status_code == 302  # signed out there
