"""Authentication: passwords, personal API tokens and Bearer sign-in for the JSON API."""

from __future__ import annotations

import functools
import hashlib
import secrets

from flask import Request, g
from sqlalchemy import bindparam, select
from sqlalchemy.orm import lazyload

from pmolearn.accounts.models import ApiToken
from pmolearn.clock import now
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db
from pmolearn.fields import Field
from pmolearn.people.fields import normalise_email
from pmolearn.people.models import Person, signed_in_columns, signed_in_statement, take_extras

TOKEN_PREFIX = "pml_"  # noqa: S105 - a label, not a secret


TOKEN_NAME = Field("name", "Token name", limit=80, required=True,
                   help="What the token is for, e.g. 'HR sync' or 'my laptop script'.")  # fmt: skip


def authenticate(email: str, password: str) -> Person | None:
    """The active person with this email and password, or None (same answer for both misses)."""
    person = db.session.scalar(select(Person).where(Person.email == normalise_email(email)))
    if person is None or not person.active or not person.check_password(password or ""):
        return None
    return person


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(person: Person, name: str) -> tuple[ApiToken, str]:
    """Make a token for ``person``; the plain text is returned once and never stored."""
    errors: dict[str, list[str]] = {}
    name = TOKEN_NAME.clean(name, errors)
    if errors:
        raise ValidationFailed({"name": ["Give the token a name of 1 to 80 characters."]})
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(person=person, name=name, token_hash=hash_token(plain), prefix=plain[:10])
    db.session.add(token)
    db.session.flush()
    return token, plain


def person_tokens(person: Person) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.person_id == person.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def revoke_token(person: Person, token_id: int) -> ApiToken | None:
    """Revoke one of ``person``'s own tokens; None when it is not theirs (the caller 404s)."""
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.person_id == person.id)
    )
    if token is not None and token.revoked_at is None:
        token.revoked_at = now()
    return token


@signed_in_statement
@functools.cache
def _bearer_person():
    """The person of an unrevoked token and what every signed-in request
    reads beside the person: one statement, built once."""
    return (
        select(Person, *signed_in_columns())
        .join(ApiToken, ApiToken.person_id == Person.id)
        .options(lazyload(Person.role_rows))
        .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))
    )


def load_person_from_bearer(request: Request) -> Person | None:
    """Flask-Login request loader: ``Authorization: Bearer <token>`` on /api/ calls."""
    header = request.headers.get("Authorization", "")
    scheme, _, plain = header.partition(" ")
    if scheme.lower() != "bearer" or not plain.strip() or not request.path.startswith("/api/"):
        return None
    found = db.session.execute(_bearer_person(), {"token_hash": hash_token(plain.strip())})
    row = found.one_or_none()
    if row is None or not row[0].active:
        return None
    person = row[0]
    take_extras(person, row[1:])
    g.bearer_auth = True
    return person
