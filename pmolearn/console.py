"""The ``pmolearn`` console script: a Flask command group bound to the app factory, so every
Flask command (``run``, ``routes``, ``db upgrade``, ``shell``) works beside the app's own."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from pmolearn import create_app
from pmolearn.config import SettingError


def _create_app():
    """The app, or a setting it cannot run with said in one line (exit 1), not a traceback."""
    try:
        return create_app()
    except SettingError as error:
        raise click.ClickException(str(error)) from None


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """pmolearn: PMO certification and learning tracker."""
