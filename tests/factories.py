"""Factories for the records tests need: people (with an org tree), credentials and PDU
activities. They go through the app's own services, so every record obeys the same rules as
one made through a page or the API; each flushes, and the test commits when a request must
see it."""

from __future__ import annotations

import functools
import itertools
from datetime import date

from werkzeug.security import generate_password_hash

from pmolearn import clock
from pmolearn.credentials import services as credentials
from pmolearn.extensions import db
from pmolearn.pdus import services as pdus
from pmolearn.people.models import Person
from pmolearn.people.services import save_org_unit

PASSWORD = "correct horse battery"


@functools.cache
def password_hash() -> str:
    """Hash the test password once; scrypt per person would dominate the suite's time."""
    return generate_password_hash(PASSWORD)


def build_units() -> dict:
    """Root → PMO → Delivery PMO, and Root → Finance: enough tree to test scopes."""
    root = save_org_unit("Acme", "ROOT", None)
    pmo = save_org_unit("Enterprise PMO", "PMO", root.id)
    delivery = save_org_unit("Delivery PMO", "DPMO", pmo.id)
    finance = save_org_unit("Finance", "FIN", root.id)
    return {"root": root, "pmo": pmo, "delivery": delivery, "finance": finance}


class Factories:
    def __init__(self, units: dict):
        self.units = units
        self._numbers = itertools.count(1)

    def person(self, email=None, *, roles=("practitioner",), unit=None, name=None, **fields):
        n = next(self._numbers)
        person = Person(
            email=email or f"person{n}@example.org",
            name=name or f"Person {n}",
            org_unit=unit or self.units["root"],
            **fields,
        )
        person.password_hash = password_hash()
        person.set_roles(set(roles))
        db.session.add(person)
        db.session.flush()
        return person

    def credential(self, person, code="PMP", earned_on=date(2024, 3, 1), number="1234567"):
        return credentials.add_credential(
            person, code, number, earned_on, actor=person, today=clock.today()
        )

    def activity(self, person, credential=None, **fields):
        """An Education course, all in Ways of Working, unless ``fields`` say otherwise."""
        pdus_given = str(fields.pop("pdus", "3"))
        raw = {
            "title": "Agile leadership course",
            "provider": "Acme Training",
            "activity_type": "course",
            "completed_on": date(2025, 5, 5),
            "pdus": pdus_given,
            "areas": {"ways_of_working": pdus_given},
            "credential_ids": [credential.id] if credential else [],
            **fields,
        }
        return pdus.log_activity(person, raw, actor=person, today=clock.today())
