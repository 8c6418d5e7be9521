"""The scope rule in both its SQL forms: with the viewer's values (``scope_filter``) and with
parameters, for statements built once (``scope_clause`` + ``scope_params``). They must pick
the same people for every kind of viewer."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pmolearn.extensions import db
from pmolearn.people import scope
from pmolearn.people.models import Person


@pytest.mark.parametrize(
    ("roles", "kind"),
    [
        (("practitioner",), scope.SELF),
        (("pmo_head",), scope.SUBTREE),
        (("hr",), scope.EVERYONE),
        (("admin",), scope.EVERYONE),
    ],
)
def test_both_forms_of_the_scope_pick_the_same_people(make, roles, kind):
    units = make.units
    viewer = make.person(roles=roles, unit=units["pmo"])
    inside = make.person(unit=units["delivery"])
    outside = make.person(unit=units["finance"])
    by_values = set(db.session.scalars(select(Person.id).where(scope.scope_filter(viewer))))
    by_params = set(
        db.session.scalars(
            select(Person.id).where(scope.scope_clause(scope.scope_kind(viewer))),
            scope.scope_params(viewer),
        )
    )
    assert scope.scope_kind(viewer) == kind
    assert by_values == by_params
    assert viewer.id in by_params
    assert (inside.id in by_params) == (kind != scope.SELF)
    assert (outside.id in by_params) == (kind == scope.EVERYONE)
    assert scope.counts_in_scope(viewer)[0] == len(by_params)
