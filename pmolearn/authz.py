"""Who may call what, and who may change a record.

Every view declares its rule with ``@allow(...)`` (or ``@public``); a ``before_request`` hook
enforces it and refuses any endpoint that declared nothing, so a forgotten check fails closed.
Who may *see* a person and their records is decided once, in ``people/scope.py``; who may
*change* a record is decided here, by :func:`can_change_records_of`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from pmolearn.people import roles
from pmolearn.people.roles import ACCESS_ROLE_LABELS, AccessRole

if TYPE_CHECKING:
    from pmolearn.people.models import Person

__all__ = ["ACCESS_ROLE_LABELS", "AccessRole", "allow", "public"]


@dataclass(frozen=True)
class AccessRule:
    public: bool = False
    roles: frozenset[str] = frozenset()  # empty = any signed-in person


def allow(*allowed: AccessRole) -> Callable:
    """Let signed-in people with any of ``allowed`` (or anyone signed in, with none) call it."""
    rule = AccessRule(roles=frozenset(str(r) for r in allowed))

    def mark(view: Callable) -> Callable:
        view.access_rule = rule
        return view

    return mark


def public(view: Callable) -> Callable:
    """Reachable without signing in (sign-in page, health check, private calendar feed)."""
    view.access_rule = AccessRule(public=True)
    return view


#: Endpoints owned by extensions that serve static assets.
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
    if rule.roles and current_user.role_codes.isdisjoint(rule.roles):
        abort(403)
    return None


# --- predicates ------------------------------------------------------------------------------


def has_role(person: Person, *wanted: AccessRole) -> bool:
    return roles.has_any(person.role_codes, *wanted)


def can_change_records_of(viewer: Person, owner_id: int | Person) -> bool:
    """Credentials, PDU claims and study records are changed by their owner, and by admins who
    fix data. A PMO head or HR reads them only."""
    owner = owner_id if isinstance(owner_id, int) else owner_id.id
    return viewer.id == owner or roles.changes_anyone(viewer.role_codes)


def can_manage_people(viewer: Person) -> bool:
    return has_role(viewer, AccessRole.ADMIN)


def can_view_team(viewer: Person) -> bool:
    return has_role(viewer, *roles.TEAM_ROLES)


def require_change(viewer: Person, owner_id: int) -> None:
    """403 when ``viewer`` may see but not change the records of person ``owner_id``."""
    if not can_change_records_of(viewer, owner_id):
        abort(403)
