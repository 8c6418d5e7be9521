"""``pmolearn backup DIR`` and ``pmolearn restore DIR``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError

from pmolearn import text
from pmolearn.ops import backup as backups


def _said(summary: backups.Summary) -> str:
    return (
        f"{summary.database} database at revision {summary.revision or '(none)'}, "
        f"{text.amount(summary.rows)} rows, {text.amount(summary.files)} evidence files, "
        f"{text.file_size(summary.bytes)}"
    )


def _unreachable(error: OperationalError) -> str:
    """The database's own first line (no such database, connection refused), not a traceback."""
    reason = str(error.orig or error).strip().splitlines()[0]
    return f"The database could not be used: {reason}"


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(folder: Path) -> None:
    """Copy the database and the evidence files into FOLDER (new or empty), with checksums."""
    try:
        summary = backups.backup(folder)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    except OperationalError as error:
        raise click.ClickException(_unreachable(error)) from error
    click.echo(f"Backed up to {summary.folder}: {_said(summary)}.")


@click.command("restore")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@with_appcontext
def restore_command(folder: Path) -> None:
    """Restore a backup FOLDER into this installation, whose database must be empty."""
    try:
        summary = backups.restore(folder)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    except OperationalError as error:
        raise click.ClickException(_unreachable(error)) from error
    click.echo(f"Restored from {summary.folder}: {_said(summary)}.")
