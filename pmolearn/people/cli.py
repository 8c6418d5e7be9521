"""``pmolearn import people FILE.csv [--dry-run] [--skip-invalid]``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from pmolearn.database import analyze
from pmolearn.extensions import db
from pmolearn.people.importer import MAX_BYTES, ImportRefused, Result, import_people


def report(result: Result, echo) -> None:
    for o in result.outcomes:
        if o.action == "refused":
            for error in o.errors:
                echo(f"line {o.line} ({o.email or 'no email'}): {error}")
        elif o.action == "update":
            echo(f"line {o.line} ({o.email}): update {', '.join(o.changes)}")
        elif o.action == "create":
            echo(f"line {o.line} ({o.email}): create")
    for error in result.file_errors:
        echo(f"file: {error}")


@click.command("people")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would happen, line by line; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the good rows even if some are bad.")
@with_appcontext
def import_people_command(file: Path, dry_run: bool, skip_invalid: bool) -> None:
    """Create or update people from an HR export (CSV, UTF-8), matched by email.

    Columns: email, name, org_unit (code or name), and optionally manager_email, job_title,
    roles (separated by ;), current_role, target_role, pmi_member, active (yes/no).
    """
    with file.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    try:
        result = import_people(data, actor=None, dry_run=dry_run, skip_invalid=skip_invalid)
    except ImportRefused as refused:
        db.session.rollback()
        report(refused.result, lambda line: click.echo(line, err=True))
        bad = len(refused.result.refused) + len(refused.result.file_errors)
        click.echo(f"Nothing imported: {bad} bad row(s) or problem(s) in {file}.", err=True)
        raise SystemExit(1) from None
    report(result, click.echo)
    counts = ", ".join(
        f"{result.count(a)} {a}" for a in ("create", "update", "unchanged", "refused")
    )
    if dry_run:
        click.echo(f"Dry run, nothing written: would {counts}.")
        return
    db.session.commit()
    analyze(db.session)
    click.echo(f"Imported: {counts}.")
