"""CSRF: every form POST without the token is refused with 400, and writes nothing."""

from __future__ import annotations

import time

import pytest

from tests.conftest import PASSWORD, csrf_token_from


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def test_post_without_csrf_token_is_refused(client, people):
    response = client.post("/login", data={"email": people["admin"].email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302  # not signed in


def test_post_with_csrf_token_works(client, people):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"email": people["admin"].email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


#: POSTs that a signed link in an email authorises instead of a session (RFC 8058's one-click
#: unsubscribe is posted by the mail client, which has no CSRF token).
SIGNED_LINKS = {"/unsubscribe/<token>"}


def test_a_signed_link_post_with_a_forged_token_is_404(client, people):
    assert client.post("/unsubscribe/x", data={"List-Unsubscribe": "One-Click"}).status_code == 404


def test_every_form_post_without_token_gets_400(client, people, app):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post(
        "/login", data={"email": people["admin"].email, "password": PASSWORD, "csrf_token": token}
    )
    post_rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
        and not rule.rule.startswith("/api/")
        and rule.rule not in SIGNED_LINKS
    ]
    assert post_rules
    for rule in post_rules:
        url = rule.rule.replace("<int:", "<").split("<")[0].rstrip("/") or "/"
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", "x")
        response = client.post(path, data={"name": "x"})
        assert response.status_code == 400, (url, response.status_code)


def test_session_api_write_needs_csrf_header(client, people):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post(
        "/login", data={"email": people["admin"].email, "password": PASSWORD, "csrf_token": token}
    )
    body = {"email": "new@example.org", "name": "New", "org_unit_id": people["admin"].org_unit_id}
    assert client.post("/api/v1/people", json=body).status_code == 400
    ok = client.post("/api/v1/people", json=body, headers={"X-CSRFToken": token})
    assert ok.status_code == 201


def _nav_token(client):
    page = client.get("/")
    assert page.status_code == 200
    return csrf_token_from(page.get_data(as_text=True))


@pytest.fixture
def signings(monkeypatch):
    """How many times a token was signed (Flask-WTF's ``generate_csrf`` called)."""
    from pmolearn import templating

    calls = []
    sign = templating.generate_csrf
    monkeypatch.setattr(templating, "generate_csrf", lambda: calls.append(1) or sign())
    return calls


def test_a_sessions_signed_token_is_handed_out_again_within_the_minute_and_works(
    client, people, login, signings
):
    login(people["practitioner"])
    first, second = _nav_token(client), _nav_token(client)
    assert first == second
    assert len(signings) == 1
    assert client.post("/logout", data={"csrf_token": second}).status_code == 302
    assert client.get("/").status_code == 302  # signed out


def test_after_the_minute_the_token_is_signed_anew_and_both_work(
    client, people, login, signings, monkeypatch
):
    from pmolearn import templating

    login(people["practitioner"])
    first = _nav_token(client)
    monkeypatch.setattr(templating, "CSRF_REUSE_SECONDS", 0)
    second = _nav_token(client)
    assert len(signings) == 2
    assert client.post("/logout", data={"csrf_token": first}).status_code == 302
    login(people["practitioner"])
    assert client.post("/logout", data={"csrf_token": second}).status_code == 302


def test_another_session_never_gets_or_may_use_the_first_sessions_token(app, client, people, login):
    login(people["practitioner"])
    first = _nav_token(client)
    other = app.test_client()
    # The other browser signs in as the same person: a session, and a secret token, of its own.
    token = csrf_token_from(other.get("/login").get_data(as_text=True))
    response = other.post(
        "/login",
        data={"email": people["practitioner"].email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert _nav_token(other) != first
    assert other.post("/logout", data={"csrf_token": first}).status_code == 400


def test_the_tokens_kept_are_bounded(client, people, login, monkeypatch):
    from flask import current_app

    from pmolearn import templating

    monkeypatch.setattr(templating, "CSRF_REUSE_KEPT", 2)
    for _ in range(4):
        with client.session_transaction() as session:
            session.pop("csrf_token", None)  # a new browser session's secret
        login(people["practitioner"])
        _nav_token(client)
    with client.application.app_context():
        assert len(current_app.extensions["pmolearn.signed_csrf_tokens"]) == 2


def test_a_short_time_limit_shortens_the_reuse_too(app, client, people, login, signings):
    """With tokens valid for 30 s, a signed token is handed out again for half a second at most:
    never one that is about to expire."""
    app.config["WTF_CSRF_TIME_LIMIT"] = 30
    login(people["practitioner"])
    _nav_token(client)
    time.sleep(0.6)
    _nav_token(client)
    assert len(signings) == 2


@pytest.mark.parametrize("limit", ["an hour", 0, -5, True, [3600]])
def test_a_time_limit_that_is_not_a_positive_number_stops_the_app_at_start(limit):
    from pmolearn import create_app

    with pytest.raises(ValueError, match="PMOLEARN_WTF_CSRF_TIME_LIMIT"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "WTF_CSRF_TIME_LIMIT": limit})  # fmt: skip


def test_a_token_signed_with_a_replaced_key_is_not_handed_out_again(
    app, client, people, login, signings
):
    login(people["practitioner"])
    _nav_token(client)
    # A key rotated the way Flask offers: the old key still reads the session cookie.
    app.config["SECRET_KEY_FALLBACKS"] = [app.secret_key]
    app.config["SECRET_KEY"] = app.secret_key + "-rotated"
    assert len(signings) == 1
    _nav_token(client)
    assert len(signings) == 2
