"""Sign-in, sign-out, passwords by email, the profile page, personal API tokens."""

from __future__ import annotations

from flask import Flask

from pmolearn.accounts.views import invitation_outcome
from pmolearn.people import services as people


def init_app(app: Flask) -> None:
    """An admin who adds a person sends them an invitation to choose a password."""
    if invitation_outcome not in people.ON_CREATED:
        people.ON_CREATED.append(invitation_outcome)
