"""API fixtures: Bearer headers per person and a PMP holder."""

from __future__ import annotations

from datetime import date

import pytest

from pmolearn.accounts.services import create_token
from pmolearn.credentials import services
from pmolearn.extensions import db


@pytest.fixture
def bearer(people):
    def token_for(name: str) -> dict:
        _token, plain = create_token(people[name], "tests")
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}

    return token_for


@pytest.fixture
def pmp(people, catalog):
    """The practitioner's PMP, earned 2024-03-01 (cycle ends 2027-03-01), as in API.md."""
    person = people["practitioner"]
    credential = services.add_credential(
        person, "PMP", "1234567", date(2024, 3, 1), actor=person, today=date(2026, 11, 25)
    )
    db.session.commit()
    return credential
