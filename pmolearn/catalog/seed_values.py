"""Reading seed YAML safely, the checks every seed value goes through, and the upsert that
writes rows idempotently. Shared by the catalog's and the skills' seed loaders.

Every error names the place in the file (``certification PMP.renewal.cycle_years``) and what
is wrong, so whoever edits the seed can fix it without reading code.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import String, select

from pmolearn.extensions import db

SEED_FILE = "certifications.yaml"
SCHEMA_VERSION = 1
#: Weakest first wins when a block grades its parts differently ({cycle: M, requirements: L}).
CONFIDENCE_RANK = {"unconfirmed": 0, "L": 1, "M": 2, "M-H": 3, "H": 4}
#: libyaml's safe loader when available (much faster), else the pure-Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SeedError(ValueError):
    """A seed file that cannot be loaded as it stands; the message says where and what is wrong."""


def read_seed_file(path: Path) -> dict:
    """Parse ``path`` with a safe loader (no object construction from untrusted YAML)."""
    try:
        content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SeedError(f"seed file not found: {path}") from None
    except OSError as exc:
        raise SeedError(f"cannot read seed file {path}: {exc}") from None
    try:
        data = yaml.load(content, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise SeedError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise SeedError(f"{path.name}: expected a mapping at the top level, found {kind_of(data)}")
    return data


def check_version(data: dict) -> None:
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise SeedError(
            f"schema_version is {version!r}; this version of pmolearn reads {SCHEMA_VERSION}"
        )


def confidence_value(value: Any) -> str | None:
    """``H`` stays ``H``; a graded dict becomes its single grade, or its weakest when mixed."""
    if value is None:
        return None
    if isinstance(value, dict):
        grades = {str(v) for v in value.values()}
        if not grades:
            return None
        return min(grades, key=lambda grade: CONFIDENCE_RANK.get(grade, -1))
    return str(value)


def pairs(mapping: dict) -> str:
    return ", ".join(f"{key} {value}" for key, value in mapping.items())


def kind_of(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def mapping(value: Any, where: str, optional: bool = False) -> dict:
    if value is None and optional:
        return {}
    if not isinstance(value, dict):
        raise SeedError(f"{where}: expected a mapping, found {kind_of(value)}")
    return value


def list_value(value: Any, where: str, optional: bool = False) -> list:
    if value is None and optional:
        return []
    if not isinstance(value, list):
        raise SeedError(f"{where}: expected a list, found {kind_of(value)}")
    return value


def text_value(value: Any, where: str, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise SeedError(f"{where} is missing")
        return None
    if isinstance(value, (dict, list)):
        raise SeedError(f"{where}: expected text, found {kind_of(value)}")
    return str(value)


def number_value(value: Any, where: str, required: bool = False) -> Decimal | None:
    """A non-negative amount (PDUs, money) as ``Decimal``; null means unconfirmed."""
    if value is None:
        if required:
            raise SeedError(f"{where} is missing")
        return None
    if isinstance(value, bool):
        raise SeedError(f"{where}: expected a number, found {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise SeedError(f"{where}: expected a number, found {value!r}") from None
    if not number.is_finite() or number < 0:
        raise SeedError(f"{where}: expected a number of 0 or more, found {value!r}")
    return number


def int_value(value: Any, where: str) -> int | None:
    number = number_value(value, where)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise SeedError(f"{where}: expected a whole number, found {value!r}")
    return int(number)


def level_value(value: Any, where: str, required: bool = False) -> int | None:
    if value is None and required:
        raise SeedError(f"{where} is missing")
    level = int_value(value, where)
    if level is not None and not 1 <= level <= 7:
        raise SeedError(f"{where}: level {level} is outside the 1-7 scale")
    return level


def date_value(value: Any, where: str, required: bool = False) -> date | None:
    if value is None:
        if required:
            raise SeedError(f"{where} is missing (a date such as 2015-12-01)")
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SeedError(f"{where}: expected a date YYYY-MM-DD, found {value!r}") from None


def plain_value(number: Decimal | None) -> int | float | None:
    """JSON columns hold plain numbers: 35 stays 35, 0.25 stays 0.25."""
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def json_value(value: Any) -> Any:
    """YAML blocks made JSON-safe: dates become ISO strings, keys become strings."""
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain_value(value)
    return value


def codes_value(value: Any, where: str) -> list[str]:
    """One code or a list of codes, as a list."""
    if value is None or isinstance(value, str):
        return [value] if value else []
    return [text_value(code, where, required=True) for code in list_value(value, where)]


def unique(key: Any, seen: dict, what: str) -> None:
    if key in seen:
        raise SeedError(f"duplicate {what} {key!r}")


def fits(model: type, values: dict, where: str) -> dict:
    """Reject text longer than its column here, since only some databases enforce the limit."""
    columns = model.__table__.columns
    for name, value in values.items():
        column_type = columns[name].type if name in columns else None
        limit = getattr(column_type, "length", None) if isinstance(column_type, String) else None
        if isinstance(value, str) and limit and len(value) > limit:
            raise SeedError(f"{where}: {name} is {len(value)} characters; at most {limit} fit")
    return values


class Writer:
    """Applies checked values to the session, counting rows created, updated and deleted."""

    def __init__(self, kinds: tuple[str, ...], replaced: tuple[str, ...] = ()) -> None:
        self.counts = {f"{kind}_{action}": 0 for kind in kinds for action in ("created", "updated")}
        self.counts.update({f"{kind}_deleted": 0 for kind in replaced})

    def upsert(self, kind: str, row: Any, model: type, values: dict, parent: list | None = None):
        """Create the row, or set only the fields that differ; count what happened."""
        if row is None:
            row = model(**values)
            db.session.add(row)
            if parent is not None:
                parent.append(row)
            self.counts[f"{kind}_created"] += 1
            return row
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        for name in changed:
            setattr(row, name, values[name])
        if changed:
            self.counts[f"{kind}_updated"] += 1
        return row

    def keyed(self, model: type, key, kind: str, wanted: dict) -> dict:
        """Upsert plain rows matched on one natural-key column; one query for the lot."""
        existing = {getattr(row, key.key): row for row in db.session.scalars(select(model))}
        return {k: self.upsert(kind, existing.get(k), model, v) for k, v in wanted.items()}

    def replace(self, kind: str, rows: list, key, wanted: dict, model: type) -> None:
        """Make a parent's child rows match ``wanted``; update in place so unique keys never
        clash."""
        current = {key(row): row for row in rows}
        for k, values in wanted.items():
            self.upsert(kind, current.pop(k, None), model, values, rows)
        for stale in current.values():
            rows.remove(stale)  # delete-orphan cascade removes the row at flush
            self.counts[f"{kind}_deleted"] += 1
