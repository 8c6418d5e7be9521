"""What a field of a record is (name, label, limit, CSV column) and the text rules every field
obeys. Pure (standard library).

Each feature lists its records' fields once, in its own ``fields.py``; forms, API schemas,
importers, exports and serialisers read the limits, labels and column names from there, so a
limit cannot be 200 on the form and 120 in the database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

#: Id columns are ``integer`` (32-bit signed) in PostgreSQL, so a larger number can never match a
#: row, and sending it would make PostgreSQL refuse the whole statement.
MAX_ID = 2**31 - 1

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Embedding, override and isolate controls: they make text display in another order than it
#: is stored (a file "cod\u202egnp.exe" shows as "codexe.png").
_BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Field:
    """One field of a record, as every reader of it must see it."""

    name: str
    label: str
    limit: int | None = None
    required: bool = False
    #: Its column in CSV files (imports, exports, audit packs); None: not in CSV.
    csv: str | None = None
    #: Prose that may span lines (notes); every other text field is one line.
    multiline: bool = False
    #: An identifier (a number, a code): no format characters at all, not even invisible ones.
    identifier: bool = False
    help: str = ""

    def clean(self, value, errors: dict[str, list[str]]) -> str | None:
        """The text, stripped, or None when empty; a problem goes to ``errors[self.name]``."""
        if value is not None and not isinstance(value, str):
            errors[self.name] = ["Must be text."]
            return None
        text = (value or "").strip()
        problem = text_problem(text, multiline=self.multiline, identifier=self.identifier)
        if problem:
            errors[self.name] = [problem]
        elif self.required and not text:
            errors[self.name] = ["Required."]
        elif self.limit is not None and len(text) > self.limit:
            errors[self.name] = [f"At most {self.limit} characters."]
        return text or None


def text_problem(text: str, *, multiline: bool = False, identifier: bool = False) -> str | None:
    """Why ``text`` cannot be stored as it is, or None.

    Lone surrogates are not Unicode (no database can store them), NUL and control characters
    break PostgreSQL, headers and files, line breaks forge lines in one-line fields, and bidi
    controls disguise what text says.
    """
    if _SURROGATE.search(text):
        return "Must be valid Unicode text (it holds a lone surrogate)."
    if (_CONTROL if multiline else _CONTROL_OR_NEWLINE).search(text):
        if multiline:
            return "Must not contain control characters."
        return "Must be one line without control characters."
    if _BIDI_CONTROL.search(text):
        return "Must not contain text-direction control characters."
    if identifier and any(unicodedata.category(ch) == "Cf" for ch in text):
        return "Must not contain invisible formatting characters."
    return None


def visible_name(name: str, fallback: str = "file") -> str:
    """A display name with control, format and bidi characters and path parts removed."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        ch
        for ch in _SURROGATE.sub("", name)
        if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp")
    ).strip()
    return name[:255] or fallback


def parse_date(value) -> date | None:
    """A date as every date field takes it: a ``date`` (from a form) or text ``YYYY-MM-DD`` (from
    JSON or a query); None for anything else. ``date.fromisoformat`` alone would also take
    ``20260101`` and week dates such as ``2026-W01-1``."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:  # 2026-02-30
        return None


def parse_id(value: str | None) -> int | None:
    """A positive id from a query string, or None (ASCII digits only, within 64 bits)."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def by_name(fields: Iterable[Field]) -> dict[str, Field]:
    return {f.name: f for f in fields}


def csv_columns(fields: Iterable[Field]) -> tuple[str, ...]:
    return tuple(f.csv for f in fields if f.csv)
