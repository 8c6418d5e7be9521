"""The ``pmolearn`` console script: a Flask command group bound to the app factory, so every
Flask command (``run``, ``routes``, ``db upgrade``, ``shell``) works beside the app's own."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from pmolearn import create_app


@click.group(cls=FlaskGroup, create_app=create_app)
def main() -> None:
    """pmolearn: PMO certification and learning tracker."""
