"""Access roles: what a person may do in the app (not a PMO ``JobRole``, which the capability
model measures). Pure (standard library): predicates over a person's set of role codes."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class AccessRole(StrEnum):
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
ROLE_VALUES = frozenset(r.value for r in AccessRole)
#: Roles that see people beyond themselves (PMO heads their subtree, HR and admins everyone).
TEAM_ROLES = (AccessRole.PMO_HEAD, AccessRole.HR, AccessRole.ADMIN)


def has_any(codes: Iterable[str], *roles: AccessRole) -> bool:
    return not {str(r) for r in roles}.isdisjoint(codes)


def sees_everyone(codes: Iterable[str]) -> bool:
    """HR and admins see every person's certification data."""
    return has_any(codes, AccessRole.HR, AccessRole.ADMIN)


def sees_subtree(codes: Iterable[str]) -> bool:
    """A PMO head sees the people of their own org unit and every unit below it."""
    return has_any(codes, AccessRole.PMO_HEAD)


def changes_anyone(codes: Iterable[str]) -> bool:
    """Admins may fix anyone's records; everyone else changes only their own."""
    return has_any(codes, AccessRole.ADMIN)
