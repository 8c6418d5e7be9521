"""The people directory HR needs: people in scope filtered by a certification they hold, its
status and how soon its cycle ends, sorted by name or by their next cycle end; each with their
credentials. A fixed number of statements whatever the size of the organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import Date, bindparam, case, column, false, func, select, table

from pmolearn import revisions
from pmolearn.catalog import snapshot as catalog_snapshot
from pmolearn.credentials import cycles
from pmolearn.credentials.models import Credential
from pmolearn.credentials.queries import Held, held_by, status_sql
from pmolearn.database import comma_joined
from pmolearn.extensions import read
from pmolearn.people.models import OrgUnit, Person, PersonRole
from pmolearn.people.scope import (
    people_query,
    scope_clause,
    scope_filter,
    scope_key,
    scope_kind,
    scope_params,
)

SORTS = ("name", "-name", "cycle_end", "-cycle_end")
STATUSES = (cycles.ACTIVE, cycles.SUSPENDED, cycles.EXPIRED, cycles.RETIRED)
#: The statuses whose cycle end a person sorts by.
IN_FORCE = (cycles.ACTIVE, cycles.SUSPENDED)


@dataclass(frozen=True)
class Query:
    q: str | None = None
    org_unit_id: int | None = None
    certification: str | None = None
    status: str | None = None
    expiring_within: int | None = None
    sort: str = "name"

    @property
    def about_credentials(self) -> bool:
        return bool(self.certification or self.status or self.expiring_within)


@dataclass(frozen=True)
class PersonRow:
    """A person as the directory and the people API show them: read as one row with their
    unit's name, job roles and access roles (building 50 ORM people a page, with their
    relationships, cost more than the page's queries)."""

    id: int
    email: str
    name: str
    org_unit_id: int
    org_unit: str
    manager_id: int | None
    job_title: str | None
    current_role: str | None
    target_role: str | None
    pmi_member: bool
    active: bool
    role_codes: tuple[str, ...]


@dataclass
class Page:
    people: list[PersonRow]
    held: dict[int, list[Held]]
    total: int


def directory(viewer: Person, query: Query, on: date, page: int, per_page: int) -> Page:
    def in_scope():
        return people_query(viewer, q=query.q, org_unit_id=query.org_unit_id).order_by(None)

    key = ("directory_total", scope_key(viewer), query.q, query.org_unit_id)

    def total_in_scope() -> int:
        """Counted once per scope and filter until the organisation's data change
        (``revisions``): counting HR's 10,000 people took PostgreSQL 0.7 ms a page."""
        return revisions.remember(
            key, lambda: read(in_scope().with_only_columns(func.count(Person.id))).scalar()
        )

    if not query.about_credentials and query.sort in ("name", "-name"):
        # By name alone the database pages: a walk of the (name, id) index for one page of ids.
        descending = query.sort == "-name"
        if query.q is None and query.org_unit_id is None:  # the usual page: built once
            stmt, params = _name_page(scope_kind(viewer), descending), scope_params(viewer)
        else:
            stmt, params = _name_order(in_scope().with_only_columns(Person.id), descending), {}
        params |= {"limit": per_page, "offset": (page - 1) * per_page}
        ids = read(stmt, params).scalars().all()
        return _page(list(ids), on, total_in_scope())
    people = in_scope().with_only_columns(Person.id)
    stmt = _by_credentials(people, scope_filter(viewer), query)
    params = {"today": on, "until": on + timedelta(days=query.expiring_within or 0)}
    ids = read(stmt.limit(per_page).offset((page - 1) * per_page), params).scalars().all()
    if query.about_credentials:
        counted = select(func.count()).select_from(stmt.order_by(None).subquery())
        total = read(counted, params).scalar()
    else:  # sorted by cycle end: everyone in scope
        total = total_in_scope()
    return _page(list(ids), on, total)


def _by_credentials(people, scope, query: Query):
    """``people`` (a statement of ids within ``scope``) filtered by a credential meeting every
    filter of ``query`` (all on that one credential), in the order asked, in SQL. The cycle end
    a person sorts by is the soonest end of a credential in force (active or suspended) that
    meets the filters; people with none come last (first when descending), then by name."""
    status = status_sql(retired_on=Credential.retired_on)
    wanted = []
    if query.certification:
        found = catalog_snapshot.current().by_code.get(query.certification)
        wanted.append(Credential.certification_id == found.id if found else false())
    if query.status:
        wanted.append(status == query.status)
    if query.expiring_within is not None:
        today, until = bindparam("today", type_=Date), bindparam("until", type_=Date)
        wanted.append(Credential.latest_end.between(today, until))
    in_force = status.in_(IN_FORCE)
    held = (
        select(
            Credential.person_id,
            func.min(case((in_force, Credential.latest_end))).label("next_end"),
        )
        .join(Person, Person.id == Credential.person_id)
        .where(scope, *wanted)
        .group_by(Credential.person_id)
        .subquery()
    )
    on_held = held.c.person_id == Person.id
    join = people.join if query.about_credentials else people.outerjoin
    people = join(held, on_held)
    if query.sort == "cycle_end":
        order = (held.c.next_end.asc().nulls_last(), Person.name, Person.id)
    elif query.sort == "-cycle_end":
        order = (held.c.next_end.desc().nulls_first(), Person.name, Person.id)
    elif query.sort == "-name":
        order = (Person.name.desc(), Person.id.desc())
    else:
        order = (Person.name, Person.id)
    return people.order_by(*order)


def _name_order(stmt, descending: bool):
    """By name, on the (name, id) index: the database walks it for one page of ids."""
    order = (Person.name.desc(), Person.id.desc()) if descending else (Person.name, Person.id)
    return stmt.order_by(*order).limit(bindparam("limit")).offset(bindparam("offset"))


@cache
def _name_page(kind: str, descending: bool):
    """One page of everyone in a kind of scope by name, the viewer and the page parameters."""
    return _name_order(select(Person.id).where(scope_clause(kind)), descending)


def _page(chosen: list[int], on: date, total: int) -> Page:
    """The people of one page, in the order chosen, with their credentials: two statements."""
    return Page(people_rows(chosen), held_by(chosen, on), total)


def people_rows(ids: list[int]) -> list[PersonRow]:
    """These people as rows, in this order (unknown ids left out): one statement."""
    if len(ids) == 1:  # the API's one person: an expanding list costs 15 µs to render
        found = read(_people_of_page(one=True), {"id": ids[0]})
    else:
        found = read(_people_of_page(), {"ids": list(ids)})
    rows = {row[0]: row for row in found}
    return [
        PersonRow(*row[:-1], tuple(sorted(row[-1].split(","))) if row[-1] else ())
        for row in (rows.get(pid) for pid in ids)
        if row is not None
    ]


#: PMO job roles belong to ``skills``, above this package: a person only points at one by id.
_job_roles = table("job_roles", column("id"), column("code"))


@cache
def _people_of_page(*, one: bool = False):
    """Built once, the page's ids an expanding parameter (``one``: a single id): each person
    with their unit's name, job role codes and access roles (joined by commas in a subquery per
    person, an index probe each: a join let PostgreSQL hash every access role in the
    organisation)."""
    current, target = _job_roles.alias("current_role"), _job_roles.alias("target_role")
    chosen = (
        Person.id == bindparam("id") if one else Person.id.in_(bindparam("ids", expanding=True))
    )
    access_roles = (
        select(comma_joined(PersonRole.role))
        .where(PersonRole.person_id == Person.id)
        .scalar_subquery()
    )
    return (
        select(
            Person.id,
            Person.email,
            Person.name,
            Person.org_unit_id,
            OrgUnit.name.label("org_unit"),
            Person.manager_id,
            Person.job_title,
            current.c.code.label("current_role"),
            target.c.code.label("target_role"),
            Person.pmi_member,
            Person.active,
            access_roles,
        )
        .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
        .outerjoin(current, current.c.id == Person.current_role_id)
        .outerjoin(target, target.c.id == Person.target_role_id)
        .where(chosen)
    )
