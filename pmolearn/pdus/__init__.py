"""PDU activities (claims), their evidence, and importing past history."""

from __future__ import annotations

from flask import Flask

from pmolearn.credentials import claims as credential_claims
from pmolearn.pdus import ccrs
from pmolearn.pdus.claims import PduClaims


def init_app(app: Flask) -> None:
    """Hand this package's claims to ``credentials`` and its list helpers to templates."""
    credential_claims.register(PduClaims())
    app.add_template_global(ccrs.areas_summary)
    app.add_template_global(ccrs.ACTIVITY_COLOURS, "ACTIVITY_COLOURS")
    app.add_template_global(ccrs.HISTORY_VERBS, "HISTORY_VERBS")
