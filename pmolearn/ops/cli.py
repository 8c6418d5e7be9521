"""``pmolearn backup DIR`` and ``pmolearn restore DIR``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from pmolearn import text
from pmolearn.ops import backup as backups


def _said(summary: backups.Summary) -> str:
    return (
        f"{summary.database} database at revision {summary.revision or '(none)'}, "
        f"{text.amount(summary.rows)} rows, {text.amount(summary.files)} evidence files, "
        f"{text.file_size(summary.bytes)}"
    )


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(folder: Path) -> None:
    """Copy the database and the evidence files into FOLDER (new or empty), with checksums."""
    try:
        summary = backups.backup(folder)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
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
    click.echo(f"Restored from {summary.folder}: {_said(summary)}.")
