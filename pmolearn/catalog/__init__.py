"""The certification catalog: issuers, certifications, versioned renewal policies, sources."""

from __future__ import annotations

from flask import Flask

from pmolearn.catalog.snapshot import REVISION_EXTRA
from pmolearn.people.models import add_signed_in_extra


def init_app(app: Flask) -> None:
    """The catalog's revision read with the signed-in person: each request reads a seed made
    anywhere at once."""
    add_signed_in_extra(REVISION_EXTRA)
