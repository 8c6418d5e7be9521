"""Who may do what: access roles, the per-route access rule, and object-level predicates.

Every view declares its rule with ``@allow(...)`` (or ``@public``); a ``before_request`` hook
enforces it and refuses any endpoint that declared nothing, so a forgotten check fails closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

if TYPE_CHECKING:
    from pmolearn.people.models import Person


class AccessRole(StrEnum):
    """What a person may do in the app (not to be confused with a PMO ``JobRole``)."""

    PRACTITIONER = "practitioner"
    PMO_HEAD = "pmo_head"
    HR = "hr"
    ADMIN = "admin"


ACCESS_ROLE_LABELS = {
    AccessRole.PRACTITIONER: "Practitioner",
    AccessRole.PMO_HEAD: "PMO head",
    AccessRole.HR: "HR",
    AccessRole.ADMIN: "Administrator",
}


@dataclass(frozen=True)
class AccessRule:
    public: bool = False
    roles: frozenset[str] = frozenset()  # empty = any signed-in person


def allow(*roles: AccessRole) -> Callable:
    """Let signed-in people with any of ``roles`` (or anyone signed in, with no roles) call it."""
    rule = AccessRule(roles=frozenset(str(r) for r in roles))

    def mark(view: Callable) -> Callable:
        view.access_rule = rule
        return view

    return mark


def public(view: Callable) -> Callable:
    """Reachable without signing in (sign-in page, health check, private calendar feed)."""
    view.access_rule = AccessRule(public=True)
    return view


#: Endpoints owned by extensions that serve static assets or the API description.
EXTENSION_PUBLIC_ENDPOINTS = frozenset({"static", "bootstrap.static"})


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def enforce_access_rule() -> None | object:
    """``before_request``: apply the endpoint's declared rule; fail closed when there is none."""
    if request.endpoint is None or request.endpoint in EXTENSION_PUBLIC_ENDPOINTS:
        return None
    view = current_app.view_functions.get(request.endpoint)
    rule: AccessRule | None = getattr(view, "access_rule", None)
    if rule is None:
        current_app.logger.error("endpoint %s declares no access rule", request.endpoint)
        abort(403)
    if rule.public:
        return None
    if not current_user.is_authenticated:
        if is_api_request():
            abort(401)
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    if rule.roles and not current_user.role_codes & rule.roles:
        abort(403)
    return None


def has_role(person: Person, *roles: AccessRole) -> bool:
    return bool(person.role_codes & {str(r) for r in roles})


def sees_everyone(person: Person) -> bool:
    """HR and admins see every person's certification data."""
    return has_role(person, AccessRole.HR, AccessRole.ADMIN)


def can_edit_records_of(viewer: Person, subject: Person) -> bool:
    """Credentials and PDU claims are written by their owner (and by admins who fix data)."""
    return viewer.id == subject.id or has_role(viewer, AccessRole.ADMIN)


def can_manage_people(viewer: Person) -> bool:
    return has_role(viewer, AccessRole.ADMIN)


def can_view_team(viewer: Person) -> bool:
    return has_role(viewer, AccessRole.PMO_HEAD, AccessRole.HR, AccessRole.ADMIN)


def require_edit(viewer: Person, subject_id: int) -> None:
    """403 when ``viewer`` may see but not change the records of person ``subject_id``."""
    if viewer.id != subject_id and not has_role(viewer, AccessRole.ADMIN):
        abort(403)
