"""The app's own commands: seed, demo, token and import (``console.py`` runs them)."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from pmolearn.accounts.services import create_token
from pmolearn.catalog.seed_values import SEED_FILE, SeedError, read_seed_file
from pmolearn.catalog.seeding import parse_seed, write_catalog
from pmolearn.config import shipped
from pmolearn.database import analyze
from pmolearn.demo.generator import build_demo
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db
from pmolearn.ops.cli import backup_command, restore_command
from pmolearn.pdus.cli import import_group
from pmolearn.people.cli import import_people_command
from pmolearn.people.fields import normalise_email
from pmolearn.people.models import Person
from pmolearn.reminders.commands import reminders_group
from pmolearn.skills.seeding import parse_framework, write_framework

SEEDS_DIR = shipped("seeds")


def load_seeds(seeds_dir: Path) -> dict[str, int]:
    """The catalog, then the skill framework and job roles that cite it: the whole file is
    checked before anything is written; flushes only.

    :raises SeedError: naming the place in the file and what is wrong.
    """
    path = Path(seeds_dir) / SEED_FILE
    data = read_seed_file(path)
    catalog, framework = parse_seed(data, path.name), parse_framework(data, path.name)
    return write_catalog(catalog) | write_framework(framework)


@click.command("seed")
@click.option(
    "--dir",
    "seeds_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder holding certifications.yaml (default: the project's seeds/).",
)
@with_appcontext
def seed_command(seeds_dir: Path | None) -> None:
    """Load or update the catalog, skills and PMO roles from seeds/ (idempotent)."""
    try:
        counts = load_seeds(seeds_dir or current_app.config.get("SEEDS_DIR") or SEEDS_DIR)
    except SeedError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    changed = {k: v for k, v in counts.items() if v}
    if not changed:
        click.echo("Seeded: the catalog is already up to date.")
    else:
        click.echo("Seeded: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in changed.items()))


@click.command("demo")
@click.option("--staff", type=click.IntRange(4, 200_000), default=200, show_default=True)
@click.option("--seed", "seed", type=int, default=1, show_default=True)
@click.option("--password", default="pmolearn", show_default=True)
@with_appcontext
def demo_command(staff: int, seed: int, password: str) -> None:
    """Build a realistic demo organisation of STAFF people (replaces the previous one)."""
    if len(password) < 8:
        raise click.BadParameter("use at least 8 characters", param_hint="--password")
    started = time.perf_counter()
    summary = build_demo(staff=staff, seed=seed, password=password)
    db.session.commit()
    analyze(db.session)
    elapsed = time.perf_counter() - started
    counts = ", ".join(f"{k} {v}" for k, v in summary.counts.items())
    click.echo(f"Demo organisation built in {elapsed:.1f} s: {counts}")
    click.echo(f"Sign in at /login with password {password!r} as:")
    for email, roles in summary.sign_ins:
        click.echo(f"  {email:<28} {roles}")


@click.group("token")
def token_group() -> None:
    """Personal API tokens."""


@token_group.command("create")
@click.argument("email")
@click.option("--name", default="command line", show_default=True)
@with_appcontext
def token_create(email: str, name: str) -> None:
    """Print a new API token for EMAIL (its last line is the token)."""
    person = db.session.scalar(select(Person).where(Person.email == normalise_email(email)))
    if person is None:
        raise click.ClickException(f"No person with email {email}.")
    try:
        _token, plain = create_token(person, name)
    except ValidationFailed as error:
        raise click.ClickException(str(error.fields)) from error
    db.session.commit()
    click.echo(f"Token '{name}' for {person.email} (shown once; store it safely):")
    click.echo(plain)


def register_commands(app: Flask) -> None:
    import_group.add_command(import_people_command)
    commands = (seed_command, demo_command, token_group, import_group, reminders_group,
                backup_command, restore_command)  # fmt: skip
    for command in commands:
        app.cli.add_command(command)
