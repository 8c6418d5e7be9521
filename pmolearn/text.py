"""How pmolearn writes numbers and dates. Pure (standard library).

Pages say dates in prose ("7 March 2027"); data (JSON, CSV, iCalendar, file names) uses ISO
8601. PDU amounts are written without noise: 60, 2.5, 2.25. A missing figure is *unconfirmed*,
never zero. Month names are English on purpose: ``%B`` follows the process locale.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
UNCONFIRMED = "unconfirmed"
CENT = Decimal("0.01")


def day(value: date | datetime | None, missing: str = "—") -> str:
    """A date in prose: 7 March 2027."""
    if value is None:
        return missing
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def month(value: date) -> str:
    """A month in prose: March 2027."""
    return f"{MONTHS[value.month - 1]} {value.year}"


def iso(value: date | datetime | None) -> str | None:
    """A date for data (JSON, CSV): 2027-03-07; None stays None."""
    return None if value is None else value.isoformat()


def moment(value: datetime | None) -> str:
    """A timestamp on a page: "1 December 2026, 09:45 UTC" (naive values are UTC)."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return f"{day(value.date())}, {value:%H:%M} UTC"


def timestamp(value: datetime | None) -> str | None:
    """A timestamp for data: ISO 8601 in UTC with its offset (2026-11-25T09:00:00Z). SQLite
    hands back naive datetimes; pmolearn stores UTC, so a naive one is UTC."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="seconds") + "Z"


def amount(value: Decimal | float | int | None, missing: str = UNCONFIRMED) -> str:
    """A PDU amount or a fee as people write it: 60, 2.5, 2.25; None is unconfirmed."""
    if value is None:
        return missing
    if type(value) is int:
        return str(value)
    return _written(value)


@functools.lru_cache(maxsize=4096)
def _written(value: Decimal | float) -> str:
    """Remembered: a page writes the same few amounts dozens of times (about 1 µs each), and
    equal values (``Decimal("2.50")``, ``2.5``) are written alike, so they may share an entry."""
    text = f"{Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP):f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("", "-0") else text


def number(value: Decimal | int | float) -> int | float:
    """A JSON number as written in a policy: 60 rather than 60.0, 0.25 stays 0.25."""
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def pdus(value: Decimal | float | int, words: str = "") -> str:
    """ "1 PDU", "2.5 more Power Skills PDUs": the amount, optional words, the unit."""
    unit = "PDU" if Decimal(str(value)) == 1 else "PDUs"
    return " ".join(p for p in (amount(value), words, unit) if p)


def plural(count: int, one: str, many: str | None = None) -> str:
    """ "1 activity", "3 activities"."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def join(parts: Sequence[str], last: str = "and") -> str:
    """ "a", "a and b", "a, b and c"."""
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {last} " + parts[-1]


def title(code: str) -> str:
    """A code as words: giving_back → Giving Back."""
    return code.replace("_", " ").title()


def file_size(size: int) -> str:
    """67 bytes, 12.3 KB, 1.2 MB."""
    if size < 1024:
        return plural(size, "byte")
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def days(count: int) -> str:
    """ "1 day", "96 days"."""
    return plural(count, "day")
