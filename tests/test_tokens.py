"""People create, list and revoke their own API tokens; tokens are stored hashed."""

from __future__ import annotations

import re

from sqlalchemy import select

from pmolearn.accounts.models import ApiToken
from pmolearn.extensions import db


def test_create_list_and_revoke_a_token(client, people, login):
    login(people["practitioner"])
    page = client.post("/profile", data={"name": "my script"}).get_data(as_text=True)
    plain = re.search(r'id="new-token">(pml_[^<]+)<', page).group(1)
    stored = db.session.scalar(select(ApiToken).where(ApiToken.name == "my script"))
    assert stored.token_hash != plain and plain not in stored.token_hash
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    listing = client.get("/profile").get_data(as_text=True)
    assert "my script" in listing and plain not in listing  # shown once only
    assert client.post(f"/profile/tokens/{stored.id}/revoke").status_code == 302
    api = client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert api.status_code == 401
    assert "revoked" in client.get("/profile").get_data(as_text=True)


def test_someone_elses_token_cannot_be_revoked(client, people, login):
    from pmolearn.accounts.services import create_token

    token, _plain = create_token(people["hr"], "hr sync")
    db.session.commit()
    login(people["practitioner"])
    assert client.post(f"/profile/tokens/{token.id}/revoke").status_code == 404
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is None


def test_token_name_is_required(client, people, login):
    login(people["practitioner"])
    response = client.post("/profile", data={"name": ""})
    assert response.status_code == 200
    assert db.session.scalar(select(ApiToken)) is None


def test_cli_token_create_prints_the_token_last(runner, people, client):
    result = runner.invoke(args=["token", "create", "PRAC@example.org", "--name", "cli"])
    assert result.exit_code == 0, result.output
    plain = result.output.strip().splitlines()[-1]
    assert plain.startswith("pml_")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).get_json()
    assert me["email"] == "prac@example.org"


def test_cli_token_create_for_unknown_email_fails(runner, people):
    result = runner.invoke(args=["token", "create", "ghost@example.org"])
    assert result.exit_code != 0
    assert "No person" in result.output
