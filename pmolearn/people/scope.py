"""THE rule of who sees whom, in its three forms: an SQL filter, an object predicate and the
visible org units; plus the lookup of one person for a viewer (404 outside the scope).

A practitioner sees themselves; a PMO head the people of their org unit's subtree; HR and
admins everyone. HR reads everyone's certification data but not private study notes. Every
other feature asks here (or joins ``scope_filter``) instead of deciding again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

from markupsafe import Markup
from sqlalchemy import Select, bindparam, false, func, literal, or_, select, true
from sqlalchemy.orm import selectinload

from pmolearn import revisions
from pmolearn.extensions import db, read
from pmolearn.people import roles
from pmolearn.people.models import OrgUnit, Person, unit_depth
from pmolearn.web import found_or_404


def scope_filter(viewer: Person):
    """SQL condition on ``Person``: the people ``viewer`` may see."""
    params = scope_params(viewer)
    return _condition(scope_kind(viewer), params.get("scope_viewer"), params.get("scope_path"))


#: The three shapes of a scope: ``scope_kind`` says which one a viewer has.
EVERYONE, SUBTREE, SELF = "everyone", "subtree", "self"


def scope_kind(viewer: Person) -> str:
    if roles.sees_everyone(viewer.role_codes):
        return EVERYONE
    return SUBTREE if roles.sees_subtree(viewer.role_codes) else SELF


@cache
def scope_clause(kind: str):
    """The filter of one kind of scope with the viewer as parameters (``scope_params``), for
    statements built once: composing a statement cost more than running it."""
    return _condition(kind, bindparam("scope_viewer"), bindparam("scope_path"))


def _condition(kind: str, viewer_id, path):
    """The one shape of every scope filter, with values or with parameters."""
    if kind == EVERYONE:
        return true()
    conditions = [Person.id == viewer_id]
    if kind == SUBTREE:
        conditions.append(Person.org_unit_id.in_(_subtree_ids(path)))
    return or_(*conditions)


def scope_key(viewer: Person) -> tuple:
    """Viewers with the same key see the same people: for figures kept per scope."""
    return (scope_kind(viewer), *sorted(scope_params(viewer).items()))


def scope_params(viewer: Person) -> dict:
    """The parameters of ``scope_clause(scope_kind(viewer))``."""
    kind = scope_kind(viewer)
    if kind == EVERYONE:
        return {}
    if kind == SUBTREE:
        return {"scope_viewer": viewer.id, "scope_path": viewer.org_unit.path}
    return {"scope_viewer": viewer.id}


def can_see(viewer: Person, person: Person) -> bool:
    """The same rule as :func:`scope_filter`, for a person already loaded."""
    if viewer.id == person.id or roles.sees_everyone(viewer.role_codes):
        return True
    return roles.sees_subtree(viewer.role_codes) and person.org_unit.path.startswith(
        viewer.org_unit.path
    )


def sees_private_notes(viewer: Person, owner_id: int) -> bool:
    """Private study notes: the owner and admins only (not HR, not the PMO head)."""
    return viewer.id == owner_id or roles.changes_anyone(viewer.role_codes)


def _subtree_ids(path: str):
    return select(OrgUnit.id).where(OrgUnit.path.startswith(path))


@dataclass(frozen=True)
class UnitChoice:
    """An org unit as a filter offers it: a row, not an entity (HR sees hundreds of units,
    and building each as an ORM object cost more than the rest of the page's queries)."""

    id: int
    name: str
    path: str

    @property
    def depth(self) -> int:
        return unit_depth(self.path)

    @cached_property
    def label(self) -> str:
        """The name as a list of the tree shows it, indented by its depth."""
        return "— " * self.depth + self.name

    @cached_property
    def option(self) -> Markup:
        """Its ``<option>`` in a filter (``templating.select_options``)."""
        return Markup('<option value="{}">{}</option>').format(self.id, self.label)


def visible_units(viewer: Person) -> tuple[UnitChoice, ...]:
    """The org units whose people ``viewer`` may see (a PMO head: their own subtree), kept
    until the organisation's data change (HR's list of hundreds is on every directory page)."""
    if not roles.sees_everyone(viewer.role_codes):
        if not roles.sees_subtree(viewer.role_codes):
            return ()
        path = viewer.org_unit.path
    else:
        path = "/"

    def compute() -> tuple[UnitChoice, ...]:
        stmt = select(OrgUnit.id, OrgUnit.name, OrgUnit.path).order_by(OrgUnit.path)
        return tuple(UnitChoice(*row) for row in read(stmt.where(OrgUnit.path.startswith(path))))

    return revisions.remember(("visible_units", path), compute)


def unit_in_scope(viewer: Person, unit_id: int) -> OrgUnit | None:
    """An org unit ``viewer`` may look into, or None."""
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None or roles.sees_everyone(viewer.role_codes):
        return unit
    if roles.sees_subtree(viewer.role_codes) and unit.path.startswith(viewer.org_unit.path):
        return unit
    return None


def unknown_unit(asked) -> str:
    """The one answer for an org unit that does not exist and one outside the viewer's scope
    (a filter must not tell which), on pages, in the API and in reports."""
    return f"No org unit {str(asked)[:20]!r} in your scope."


def person_or_404(viewer: Person, person_id: int, *, change: bool = False) -> Person:
    """The person if ``viewer`` may see them (else 404), and change their records (else 403).

    Everyone's scope holds themselves: their own id is the signed-in person already loaded,
    not a second query (most lookups are of one's own records).
    """
    person = (
        viewer
        if person_id == viewer.id
        else db.session.scalar(
            _person_lookup(scope_kind(viewer)), {"person_id": person_id, **scope_params(viewer)}
        )
    )
    return found_or_404(person, viewer, lambda p: p.id, change=change)


@cache
def _person_lookup(kind: str):
    return (
        select(Person)
        .options(selectinload(Person.role_rows))
        .where(Person.id == bindparam("person_id"), scope_clause(kind))
    )


def people_query(viewer: Person, *, q: str | None = None, org_unit_id: int | None = None) -> Select:
    """People in ``viewer``'s scope, optionally in one unit's subtree and matching ``q``."""
    stmt = (
        select(Person)
        .where(scope_filter(viewer))
        .options(
            selectinload(Person.role_rows),
            selectinload(Person.current_role),
            selectinload(Person.target_role),
        )
    )
    if org_unit_id is not None:
        unit = db.session.get(OrgUnit, org_unit_id)
        if unit is None:
            return stmt.where(false())
        stmt = stmt.where(Person.org_unit_id.in_(_subtree_ids(unit.path)))
    if q:
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Person.name).like(pattern), Person.email.like(pattern)))
    return stmt.order_by(Person.name, Person.id)


def counts_in_scope(viewer: Person) -> tuple[int, int]:
    """How many people ``viewer`` sees, and in how many org units: one statement."""
    return tuple(read(_counts_in_scope(scope_kind(viewer)), scope_params(viewer)).one())


@cache
def _counts_in_scope(kind: str):
    """Built once per kind of scope. The units are those whose people the viewer sees (a PMO
    head: their subtree), as ``visible_units`` lists them."""
    people = select(func.count()).select_from(Person).where(scope_clause(kind))
    units = select(func.count()).select_from(OrgUnit)
    if kind == SUBTREE:
        units = units.where(OrgUnit.path.startswith(bindparam("scope_path")))
    elif kind == SELF:  # a practitioner is offered no unit (``visible_units``)
        units = select(literal(0))
    return select(people.scalar_subquery(), units.scalar_subquery())
