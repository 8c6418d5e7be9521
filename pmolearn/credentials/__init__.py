"""Credentials people hold: cycles, compliance, renewal, the credential page and audit pack."""

from __future__ import annotations

from flask import Flask

from pmolearn.credentials import cards


def init_app(app: Flask) -> None:
    """What templates of other features may show of a credential: its status colours."""
    app.add_template_global(cards.CREDENTIAL_COLOURS, "CREDENTIAL_COLOURS")
    app.add_template_global(cards.CREDENTIAL_LABELS, "CREDENTIAL_LABELS")
