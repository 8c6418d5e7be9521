"""The PDU history file: its columns and limits, reading it (UTF-8, at most ``MAX_BYTES`` and
``MAX_ROWS``), its header checked and its rows split into cells, and the error that names every
problem by line and column. What the rows mean is ``importer``'s business."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple, TextIO

from pmolearn.credentials.compliance import AREAS
from pmolearn.pdus import fields
from pmolearn.people.fields import EMAIL
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
