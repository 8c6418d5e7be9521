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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple, TextIO

from sqlalchemy import select

from pmolearn.catalog.models import Certification
from pmolearn.credentials.compliance import AREAS
from pmolearn.credentials.models import Credential
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db
from pmolearn.pdus import fields, services
from pmolearn.pdus.models import PduActivity
from pmolearn.people.fields import EMAIL, normalise_email
from pmolearn.people.models import Person

AREA_COLUMNS = AREAS
#: The file's columns: whose claim, then the claim's own fields by their CSV names.
COLUMNS = (
    EMAIL.csv,
    *(f.csv for f in (fields.TITLE, fields.PROVIDER, fields.PROVIDER_ID, fields.ACTIVITY_TYPE,
                      fields.STARTED_ON, fields.COMPLETED_ON, fields.PDUS)),
    *AREA_COLUMNS,
    fields.CREDENTIAL_IDS.csv,
    fields.NOTES.csv,
    fields.STATUS.csv,
)  # fmt: skip
REQUIRED_COLUMNS = tuple(
    f.csv for f in (fields.TITLE, fields.ACTIVITY_TYPE, fields.COMPLETED_ON, fields.PDUS)
)
MAX_ROWS = 5000
#: Far above 5,000 rows of real history; refuses a wrong file before parsing it.
MAX_BYTES = 32 * 1024 * 1024
#: Where a service's field name is not a CSV column, the column(s) the user must fix.
SERVICE_FIELD_COLUMNS = {
    "areas": "/".join(AREA_COLUMNS),
    "credential_ids": fields.CREDENTIAL_IDS.csv,
}


class RowError(NamedTuple):
    """One problem: line in the file (the header is line 1; None: the whole file), column, text."""

    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line is not None else ""
        return f"{where}{self.field}: {self.message}"


class ImportFailed(Exception):
    """The file has errors; nothing was written. ``errors`` lists every one, in line order."""

    def __init__(self, errors: Iterable[RowError]):
        self.errors = sorted(errors, key=lambda e: (e.line or 0, e.field))
        super().__init__(f"{len(self.errors)} error(s) in the file; nothing was imported.")


@dataclass
class ImportResult:
    activities: int
    people: int
    dry_run: bool = False
    created: list[PduActivity] = field(default_factory=list)


@dataclass
class _Row:
    """One data row on its way to ``services.create_activity``."""

    line: int
    cells: dict[str, str]
    person: Person | None = None
    raw: dict = field(default_factory=dict)
    clean: dict | None = None


# --- reading -------------------------------------------------------------------------------


def read_text(source: TextIO | str | bytes) -> str:
    """The file as text. Bytes must be UTF-8 (a leading BOM, as Excel writes, is dropped).

    :raises ImportFailed: not UTF-8 (saying where), or larger than any real history.
    """
    if isinstance(source, bytes):
        if len(source) > MAX_BYTES:
            raise ImportFailed([_too_big()])
        try:
            return source.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = source[: error.start].count(b"\n") + 1
            raise ImportFailed([_not_utf8(line)]) from error
    if not isinstance(source, str):
        try:
            source = source.read(MAX_BYTES + 1)
        except UnicodeDecodeError as error:
            raise ImportFailed([_not_utf8(None)]) from error
    if len(source) > MAX_BYTES:
        raise ImportFailed([_too_big()])
    return source.removeprefix("\ufeff")


def _not_utf8(line: int | None) -> RowError:
    return RowError(
        line,
        "file",
        "The file is not UTF-8 text. Save it as 'CSV UTF-8 (comma delimited)' and try again.",
    )


def _too_big() -> RowError:
    return RowError(None, "file", f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")


def parse_rows(text: str, *, email_required: bool) -> list[_Row]:
    """Split the CSV into rows keyed by column, with the line each row starts on.

    :raises ImportFailed: empty file, bad header, malformed CSV or more than MAX_ROWS rows
        (row content is judged later, all rows at once).
    """
    if not text.strip():
        raise ImportFailed([RowError(1, "file", "The file is empty; start with a header line.")])
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[_Row] = []
    errors: list[RowError] = []
    try:
        header = _check_header(next(reader), email_required)
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if not any(c.strip() for c in cells):
                continue  # blank lines, as spreadsheets leave at the end
            if len(rows) == MAX_ROWS:
                raise ImportFailed([_too_many(line)])
            row, error = _row(header, cells, line)
            rows.append(row)
            errors += error
    except csv.Error as error:
        raise ImportFailed(
            [RowError(reader.line_num, "file", f"Not valid CSV: {error}.")]
        ) from None
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed([RowError(2, "file", "No activities: add one row per activity.")])
    return rows


def _too_many(line: int) -> RowError:
    return RowError(line, "file", f"More than {MAX_ROWS:,} activities; split the file.")


def _check_header(cells: list[str], email_required: bool) -> list[str]:
    """Column names (case and spaces ignored), or every header problem at once."""
    header = [c.strip().lower() for c in cells]
    errors = []
    seen = set()
    for n, name in enumerate(header, start=1):
        if not name:
            errors.append(RowError(1, f"column {n}", "The column has no name."))
        elif name not in COLUMNS:
            errors.append(
                RowError(1, name, "Unknown column; the columns are: " + ", ".join(COLUMNS) + ".")
            )
        elif name in seen:
            errors.append(RowError(1, name, "The column appears twice."))
        seen.add(name)
    required = (("email",) if email_required else ()) + REQUIRED_COLUMNS
    missing = [name for name in required if name not in seen]
    errors += [RowError(1, name, "Required column is missing.") for name in missing]
    if errors:
        raise ImportFailed(errors)
    return header


def _row(header: list[str], cells: list[str], line: int) -> tuple[_Row, list[RowError]]:
    """Map cells to columns; a short row is padded, a row with extra values is an error."""
    extra = [c for c in cells[len(header) :] if c.strip()]
    errors = []
    if extra:
        errors.append(
            RowError(line, "file", f"{len(cells)} values, but the header has {len(header)}.")
        )
    values = {name: (cells[i] if i < len(cells) else "").strip() for i, name in enumerate(header)}
    return _Row(line=line, cells=values), errors


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
