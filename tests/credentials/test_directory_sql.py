"""The directory's credential filters and its sort by cycle end run in SQL. Here they are held
to a plain reading of the rules in Python over the same demo organisation, on days that put
credentials on every side of their boundaries (cycle end, grace end, retirement)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

import pytest
from sqlalchemy import select

from pmolearn.credentials import cycles, directory
from pmolearn.credentials.models import Credential
from pmolearn.demo.generator import build_demo
from pmolearn.extensions import db
from pmolearn.people.models import Person
from pmolearn.people.scope import people_query

TODAY = date(2026, 12, 4)


@pytest.fixture
def demo(app, catalog):
    build_demo(staff=120, seed=11, password="demo-password-1", today=TODAY)
    db.session.commit()


def _expected(viewer, query, on):
    """People in scope with a credential meeting every filter (all on that one credential),
    by name; sorted by cycle end, the soonest end of a credential in force, none last."""
    people = db.session.scalars(
        people_query(viewer, q=query.q, org_unit_id=query.org_unit_id)
    ).all()
    ids = [p.id for p in people]
    matches: dict[int, date | None] = {}
    for c in db.session.scalars(select(Credential).where(Credential.person_id.in_(ids))):
        status = cycles.status_between(
            c.latest_end, c.latest_grace_end, on, retired_on=c.retired_on
        )
        if query.certification and c.certification.code != query.certification:
            continue
        if query.status and status != query.status:
            continue
        if query.expiring_within is not None and not (
            c.latest_end is not None and on <= c.latest_end <= on + timedelta(query.expiring_within)
        ):
            continue
        if status in (cycles.ACTIVE, cycles.SUSPENDED) and c.latest_end is not None:
            best = matches.get(c.person_id)
            matches[c.person_id] = c.latest_end if best is None else min(best, c.latest_end)
        else:
            matches.setdefault(c.person_id, None)
    if query.about_credentials:
        ids = [i for i in ids if i in matches]
    if query.sort.lstrip("-") == "cycle_end":
        ids.sort(key=lambda i: matches.get(i) or date.max, reverse=query.sort.startswith("-"))
    elif query.sort == "-name":
        ids.reverse()
    return ids


QUERIES = [
    directory.Query(certification=cert, status=status, expiring_within=within, sort=sort)
    for cert, status, within, sort in product(
        (None, "PMP", "CAPM", "PMI-ACP"),
        (None, *directory.STATUSES),
        (None, 30, 365),
        directory.SORTS,
    )
    if cert or status or within or sort.endswith("cycle_end")
]


@pytest.mark.parametrize("offset", [-400, 0, 200])
@pytest.mark.parametrize("who", ["hr@example.com", "pmo@example.com"])
def test_the_sql_filters_agree_with_the_rules(demo, who, offset):
    viewer = db.session.scalar(select(Person).where(Person.email == who))
    on = TODAY + timedelta(days=offset)
    seen_some = False
    for query in QUERIES:
        wanted = _expected(viewer, query, on)
        found = directory.directory(viewer, query, on, page=1, per_page=10_000)
        assert [p.id for p in found.people] == wanted, query
        assert found.total == len(wanted), query
        seen_some |= bool(wanted) and query.status is not None
        if len(wanted) > 3:  # a later page is the same list, cut
            second = directory.directory(viewer, query, on, page=2, per_page=3)
            assert [p.id for p in second.people] == wanted[3:6], query
    assert seen_some


def test_an_unknown_certification_matches_nobody(demo):
    viewer = db.session.scalar(select(Person).where(Person.email == "hr@example.com"))
    found = directory.directory(viewer, directory.Query(certification="NOPE"), TODAY, 1, 50)
    assert found.people == [] and found.total == 0
