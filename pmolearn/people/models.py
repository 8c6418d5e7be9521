"""Person (also the signed-in user), OrgUnit (a tree) and a person's access roles."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, bindparam, select
from sqlalchemy.orm import (
    Mapped,
    lazyload,
    mapped_column,
    relationship,
)
from werkzeug.security import check_password_hash, generate_password_hash

from pmolearn import revisions
from pmolearn.clock import now
from pmolearn.database import comma_joined
from pmolearn.extensions import db, login_manager
from pmolearn.people.roles import AccessRole

if TYPE_CHECKING:
    from pmolearn.skills.models import JobRole


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class OrgUnit(db.Model):
    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    #: Materialised path of ids, "/1/4/9/": a subtree is one ``LIKE '/1/4/%'`` query.
    path: Mapped[str] = mapped_column(String(400), default="/", index=True)

    #: Loaded when asked for: joining it would put a self-join into every query that loads a
    #: person with their unit, and hardly any page shows the parent.
    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])

    @property
    def depth(self) -> int:
        return unit_depth(self.path)

    def __repr__(self) -> str:
        return f"<OrgUnit {self.code}>"


def unit_depth(path: str) -> int:
    """How deep a unit sits under the root ("/1/" is 0): how far a list indents it."""
    return path.count("/") - 2


class PersonRole(db.Model):
    __tablename__ = "person_roles"
    __table_args__ = (
        CheckConstraint(
            "role IN ({})".format(", ".join(f"'{r.value}'" for r in AccessRole)), name="known_role"
        ),
    )

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class Person(UserMixin, db.Model):
    __tablename__ = "people"
    #: The directory pages by name: an ordered walk of this index, not a sort of everyone.
    __table_args__ = (Index("ix_people_name_id", "name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(120))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    job_title: Mapped[str | None] = mapped_column(String(120))
    current_role_id: Mapped[int | None] = mapped_column(ForeignKey("job_roles.id"))
    target_role_id: Mapped[int | None] = mapped_column(ForeignKey("job_roles.id"))
    active: Mapped[bool] = mapped_column(default=True)
    pmi_member: Mapped[bool] = mapped_column(default=False)
    #: None: the person cannot sign in with a password (e.g. imported, not yet invited).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: Secret part of the private iCalendar feed URL.
    calendar_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_calendar_token)
    #: Part of every session's id: raised by signing out or changing the password, it ends the
    #: person's sessions everywhere (a cookie copied before then no longer signs anyone in).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    org_unit: Mapped[OrgUnit] = relationship(lazy="joined", innerjoin=True)
    manager: Mapped[Person | None] = relationship(remote_side=[id], lazy="select")
    role_rows: Mapped[list[PersonRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    current_role: Mapped[JobRole | None] = relationship(foreign_keys=[current_role_id])
    target_role: Mapped[JobRole | None] = relationship(foreign_keys=[target_role_id])

    @property
    def role_codes(self) -> frozenset[str]:
        known = self.__dict__.get("_signed_in_roles")  # read with the signed-in person
        return known if known is not None else frozenset(r.role for r in self.role_rows)

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive people cannot sign in
        return self.active

    def set_roles(self, roles: set[str]) -> None:
        self.__dict__.pop("_signed_in_roles", None)
        keep = [r for r in self.role_rows if r.role in roles]
        have = {r.role for r in keep}
        self.role_rows = keep + [PersonRole(role=r) for r in sorted(roles - have)]

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def get_id(self) -> str:  # Flask-Login: what the session cookie holds
        return f"{self.id}.{self.session_version}"

    def end_sessions(self) -> None:
        """Every session of this person, on every device, ends with its next request."""
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<Person {self.email}>"


@dataclass(frozen=True)
class SignedInExtra:
    """A value every signed-in page needs beside the person, read in the person's statement.

    ``column()`` builds a scalar subquery correlated to ``Person`` (the unread count the
    navigation shows); ``loaded(person, value)`` keeps the answer for the request. Features
    above ``people`` register theirs at start-up (:func:`add_signed_in_extra`), so a page's
    frame costs one statement, not one per feature.
    """

    name: str
    column: Callable[[], Any]
    loaded: Callable[[Person, Any], None]


def _roles_column():
    """The person's access roles, joined by commas: a column, not a joined collection (whose
    rows the ORM would have to deduplicate on every request)."""
    return (
        select(comma_joined(PersonRole.role))
        .where(PersonRole.person_id == Person.id)
        .scalar_subquery()
    )


def _keep_roles(person: Person, joined: str | None) -> None:
    person._signed_in_roles = frozenset(joined.split(",")) if joined else frozenset()


SIGNED_IN_EXTRAS: dict[str, SignedInExtra] = {
    "roles": SignedInExtra("roles", _roles_column, _keep_roles),
    # The organisation's data token: figures over many people are reused until it moves.
    "data_token": SignedInExtra(
        "data_token", revisions.token_column, lambda _person, token: revisions.keep_token(token)
    ),
}
#: Called when an extra is added, so statements built with the extras are built again.
_BUILT_WITH_EXTRAS: list[Callable] = []


def add_signed_in_extra(extra: SignedInExtra) -> None:
    SIGNED_IN_EXTRAS[extra.name] = extra
    for built in _BUILT_WITH_EXTRAS:
        built.cache_clear()


def signed_in_statement(build: Callable) -> Callable:
    """Mark a cached builder of a signed-in statement (it selects ``signed_in_columns()``)."""
    _BUILT_WITH_EXTRAS.append(build)
    return build


def signed_in_columns() -> list:
    return [extra.column().label(name) for name, extra in SIGNED_IN_EXTRAS.items()]


def take_extras(person: Person, values) -> None:
    """Hand each extra its value, read in the same row as ``person``."""
    for extra, value in zip(SIGNED_IN_EXTRAS.values(), values, strict=True):
        extra.loaded(person, value)


# Every signed-in request runs this: one statement (roles a column, not a second query).
@signed_in_statement
@functools.cache
def _signed_in_person():
    """Built once, on first use (the mappers must be configured by then)."""
    return (
        select(Person, *signed_in_columns())
        .options(lazyload(Person.role_rows))
        .where(Person.id == bindparam("person_id"))
    )


@login_manager.user_loader
def load_person(session_id: str) -> Person | None:
    """The person of a session ``"<id>.<session version>"``; None when the version is old."""
    person_id, _, version = session_id.partition(".")
    if not all(p.isascii() and p.isdigit() and len(p) <= 18 for p in (person_id, version or "0")):
        return None
    found = db.session.execute(_signed_in_person(), {"person_id": int(person_id)})
    row = found.one_or_none()
    if row is None or row[0].session_version != int(version or 0):
        return None
    person = row[0]
    take_extras(person, row[1:])
    return person


# The people, their units and access roles are the organisation's data (``revisions``).
revisions.track(Person, PersonRole, OrgUnit)
