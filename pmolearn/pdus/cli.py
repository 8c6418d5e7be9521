"""``pmolearn import …``: bulk imports from CSV (``pdus`` here; ``people`` in ``people.cli``).

Imports are all or nothing: a file with any bad row prints every error with its line and
column, exits 1 and writes nothing, so a fixed file can simply be run again.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from pmolearn import clock
from pmolearn.database import analyze
from pmolearn.extensions import db
from pmolearn.pdus.import_file import MAX_BYTES, ImportFailed
from pmolearn.pdus.importer import import_activities


@click.group("import")
def import_group() -> None:
    """Import records from CSV files (all rows or none)."""


@import_group.command("pdus")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@with_appcontext
def import_pdus(file: Path, dry_run: bool) -> None:
    """Import past PDU activities from FILE (CSV, UTF-8; one row per activity, with email)."""

    data = _read_bounded(file, MAX_BYTES)
    try:
        result = import_activities(
            data, person=None, actor=None, today=clock.today(), dry_run=dry_run
        )
    except ImportFailed as failed:
        db.session.rollback()
        for error in failed.errors:
            click.echo(str(error), err=True)
        click.echo(f"Nothing imported: {len(failed.errors)} error(s) in {file}.", err=True)
        raise SystemExit(1) from None
    if dry_run:
        db.session.rollback()
        click.echo(f"Would import {result.activities} activities for {result.people} people.")
        return
    db.session.commit()
    analyze(db.session)
    click.echo(f"Imported {result.activities} activities for {result.people} people.")


def _read_bounded(file: Path, limit: int) -> bytes:
    """Read at most ``limit`` + 1 bytes: the importer refuses anything larger anyway."""
    with file.open("rb") as handle:
        return handle.read(limit + 1)
