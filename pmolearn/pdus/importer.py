"""Import past PDU history from CSV, all or nothing.

People arrive with years of PDUs already earned; typing them in one by one is where records go
wrong. A file is read whole, every row is validated by the same rules as the API
(``services.clean_activity``), and every problem is reported with its line and column at once.
Only a file without a single bad row is written, each activity through ``services.create_activity``
so the audit trail is the same as for one typed in. The caller commits (or rolls back).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TextIO

from sqlalchemy import select

from pmolearn.catalog.models import Certification
from pmolearn.credentials.models import Credential
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db
from pmolearn.pdus import services
from pmolearn.pdus.import_file import (
    AREA_COLUMNS,
    COLUMNS,
    SERVICE_FIELD_COLUMNS,
    ImportFailed,
    RowError,
    _Row,
    parse_rows,
    read_text,
)
from pmolearn.pdus.models import PduActivity
from pmolearn.people.fields import normalise_email
from pmolearn.people.models import Person


@dataclass
class ImportResult:
    activities: int
    people: int
    dry_run: bool = False
    created: list[PduActivity] = field(default_factory=list)


# --- resolving people and credentials ------------------------------------------------------


def _resolve_people(rows: list[_Row], person: Person | None) -> list[RowError]:
    """Give every row its person: the uploader (whose own email is the only one allowed), or
    for a command-line import the person named in the email column (one query)."""
    errors = []
    if person is not None:
        own = normalise_email(person.email)
        for row in rows:
            email = normalise_email(row.cells.get("email", ""))
            if email and email != own:
                errors.append(RowError(row.line, "email", f"Must be your own email ({own})."))
            row.person = person
        return errors
    emails = {normalise_email(row.cells["email"]) for row in rows}
    found = {p.email: p for p in db.session.scalars(select(Person).where(Person.email.in_(emails)))}
    for row in rows:
        email = normalise_email(row.cells["email"])
        row.person = found.get(email)
        if not email:
            errors.append(RowError(row.line, "email", "Required: whose activity this is."))
        elif row.person is None:
            errors.append(RowError(row.line, "email", f"No person with email {email}."))
    return errors


def _held_credentials(rows: list[_Row]) -> dict[tuple[int, str], list[Credential]]:
    """Credentials of everyone in the file by (person id, certification code): one query."""
    person_ids = {row.person.id for row in rows if row.person is not None}
    held: dict[tuple[int, str], list[Credential]] = {}
    if not person_ids:
        return held
    for credential in db.session.scalars(
        select(Credential)
        .where(Credential.person_id.in_(person_ids))
        .order_by(Credential.earned_on)
    ):
        key = (credential.person_id, credential.certification.code.casefold())
        held.setdefault(key, []).append(credential)
    return held


def _known_codes() -> set[str]:
    return {c.casefold() for c in db.session.scalars(select(Certification.code))}


def _credential_ids(
    row: _Row, held: dict, known: set[str]
) -> tuple[list[int] | None, list[RowError]]:
    """Certification codes → the person's credential ids. Of two credentials with one code
    (re-certified after expiry), the one earned last on or before the completion date."""
    codes = [c.strip() for c in row.cells.get("certifications", "").split(";") if c.strip()]
    if not codes:
        return None, []
    completed = _parse_date(row.cells.get("completed_on", ""))
    ids, errors = [], []
    for code in dict.fromkeys(codes):
        options = held.get((row.person.id, code.casefold()), [])
        if not options:
            reason = (
                f"{row.person.email} holds no {code} credential; add it first."
                if code.casefold() in known
                else f"Unknown certification code '{code}'."
            )
            errors.append(RowError(row.line, "certifications", reason))
            continue
        earlier = [c for c in options if completed and c.earned_on <= completed]
        ids.append((earlier or options)[-1].id)
    return ids, errors


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


# --- validating ----------------------------------------------------------------------------


def _raw_activity(row: _Row, credential_ids: list[int] | None) -> dict:
    """The row as the API's activity body: the same validation, amounts kept as text."""
    cells = row.cells
    raw = {
        name: cells.get(name) or None
        for name in ("title", "provider", "provider_id", "started_on", "completed_on", "notes")
    }
    raw["activity_type"] = cells.get("activity_type", "").lower()
    raw["pdus"] = cells.get("pdus", "")
    raw["areas"] = {area: cells[area] for area in AREA_COLUMNS if cells.get(area)}
    raw["status"] = cells.get("status", "").lower() or "claimed"
    if credential_ids is not None:
        raw["credential_ids"] = credential_ids
    return raw


def _validate_row(
    row: _Row, held: dict, known: set[str], today: date, lookups: services.Lookups
) -> list[RowError]:
    """Every problem of one row, with service field names mapped back to CSV columns."""
    credential_ids, errors = _credential_ids(row, held, known)
    row.raw = _raw_activity(row, credential_ids)
    try:
        row.clean = services.clean_activity(row.person, row.raw, today=today, lookups=lookups)
    except ValidationFailed as failed:
        for name, messages in failed.fields.items():
            column = SERVICE_FIELD_COLUMNS.get(name, name.removeprefix("areas."))
            errors += [RowError(row.line, column, message) for message in messages]
    return errors


def _duplicate_key(row: _Row) -> tuple:
    clean = row.clean
    return (row.person.id, clean["title"].casefold(), clean["completed_on"], clean["pdus"])


def _duplicates(rows: list[_Row]) -> list[RowError]:
    """A row repeating an earlier one (same person, title, completion date and PDUs), in the
    file or already recorded: importing a file twice must not double anyone's PDUs."""
    valid = [row for row in rows if row.clean is not None]
    errors, first_line = [], {}
    for row in valid:
        key = _duplicate_key(row)
        if key in first_line:
            message = f"Repeats line {first_line[key]} (same title, completion date and PDUs)."
            errors.append(RowError(row.line, "title", message))
        else:
            first_line[key] = row.line
    existing = _existing_keys(valid)
    errors += [
        RowError(row.line, "title", f"Already recorded as activity {existing[key]}.")
        for row in valid
        if (key := _duplicate_key(row)) in existing and first_line.get(key) == row.line
    ]
    return errors


def _existing_keys(rows: list[_Row]) -> dict[tuple, int]:
    """Recorded activities that rows may repeat: one query over their people and dates."""
    if not rows:
        return {}
    found = db.session.execute(
        select(
            PduActivity.id,
            PduActivity.person_id,
            PduActivity.title,
            PduActivity.completed_on,
            PduActivity.pdus,
        ).where(
            PduActivity.person_id.in_({row.person.id for row in rows}),
            PduActivity.completed_on.in_({row.clean["completed_on"] for row in rows}),
        )
    )
    return {
        (person_id, title.casefold(), completed_on, _quantized(pdus)): activity_id
        for activity_id, person_id, title, completed_on, pdus in found
    }


def _quantized(value) -> Decimal | None:
    try:
        return Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError):
        return None


def validate(rows: list[_Row], *, person: Person | None, today: date) -> list[RowError]:
    """Every error in the file, in a fixed number of queries plus the per-row service checks."""
    errors = _resolve_people(rows, person)
    held = _held_credentials(rows)
    known = _known_codes()
    lookups = services.Lookups.load({row.person.id for row in rows if row.person is not None})
    for row in rows:
        if row.person is not None:
            errors += _validate_row(row, held, known, today, lookups)
    return errors + _duplicates(rows)


# --- importing -----------------------------------------------------------------------------


def import_activities(
    rows_source: TextIO | str | bytes,
    *,
    person: Person | None,
    actor: Person | None,
    today: date,
    dry_run: bool = False,
) -> ImportResult:
    """Validate the whole file, then create every activity (or, with ``dry_run``, none).

    ``person``: whose history this is (the email column is then optional and must be theirs);
    None for a command-line import, where every row names its person by email. ``actor``: who
    is importing; None for the command line (recorded as no actor in the audit trail).
    Flushes only; the caller commits, or rolls back on any exception.

    :raises ImportFailed: any bad row or file-level problem; nothing has been written.
    """
    rows = parse_rows(read_text(rows_source), email_required=person is None)
    errors = validate(rows, person=person, today=today)
    if errors:
        raise ImportFailed(errors)
    people = len({row.person.id for row in rows})
    if dry_run:
        return ImportResult(activities=len(rows), people=people, dry_run=True)
    created = [services.create_activity(row.person, row.clean, actor=actor) for row in rows]
    return ImportResult(activities=len(created), people=people, created=created)


def template_csv(email: str = "") -> str:
    """A header line and one example row, for people to fill in with their own history."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            email, "Example (replace this row): Agile leadership course",
            "Example Training Ltd", "1234", "course", "2024-05-06", "2024-05-10", "7.5",
            "3", "2.5", "2", "PMP", "Certificate kept in the shared drive", "claimed",
        ]
    )  # fmt: skip
    return out.getvalue()
