"""Small input guards shared by views, API and services (no Flask app state, no database)."""

from __future__ import annotations

import re

from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter

#: Ids are 64-bit signed integers in both databases; a larger number can never match a row.
MAX_ID = 2**63 - 1
MAX_PAGE = 100_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f]")


class BoundedIntConverter(IntegerConverter):
    """``<int:id>`` that refuses numbers no database column can hold (404, not a crash)."""

    regex = r"\d{1,19}"  # longer numbers match no route at all

    def __init__(self, url_map, fixed_digits: int = 0, min: int = 0, max: int = MAX_ID):  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max)


def parse_id(value: str | None) -> int | None:
    """A positive id from a query string, or None (ASCII digits only, within 64 bits)."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def page_number(value: str | None) -> int:
    """The ``page`` query argument of an HTML list, clamped to a sane range."""
    number = parse_id(value)
    return min(number, MAX_PAGE) if number else 1


def has_control_characters(text: str, *, allow_newlines: bool = False) -> bool:
    """NUL and other control characters: PostgreSQL refuses NUL, headers refuse CR/LF."""
    pattern = _CONTROL if allow_newlines else _CONTROL_OR_NEWLINE
    return bool(pattern.search(text))


def safe_filename(name: str) -> str:
    """A display name without control characters or path parts, never empty."""
    name = _CONTROL_OR_NEWLINE.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return name[:255] or "evidence"


class SafeJSONProvider(DefaultJSONProvider):
    """Deeply nested JSON (``[[[[...``) makes the parser recurse until Python gives up; treat
    it as the malformed body it is (400), not as a server error."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
