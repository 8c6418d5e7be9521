"""The one clock: ``today()`` and ``now()``, and calendar arithmetic. Pure (standard library).

Nothing else in pmolearn asks the system for the date: tests and ``--as-of`` options pin it with
:func:`pinned`, so "today" is the same for every rule a request or a command applies.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time

_pinned: date | None = None


def today() -> date:
    """The organisation's date (UTC), or the pinned one."""
    return _pinned if _pinned is not None else datetime.now(UTC).date()


def now() -> datetime:
    """Timezone-aware now; on a pinned day, that day's noon UTC (stable timestamps in tests).

    Pass the function itself as a column default, never its result.
    """
    if _pinned is not None:
        return datetime.combine(_pinned, time(12), tzinfo=UTC)
    return datetime.now(UTC)


def pin(day: date | None) -> None:
    """Make :func:`today` answer ``day`` until unpinned (``None``)."""
    global _pinned
    _pinned = day


@contextmanager
def pinned(day: date) -> Iterator[date]:
    """``with pinned(date(2026, 11, 25)): ...``: today is that day inside the block."""
    before = _pinned
    pin(day)
    try:
        yield day
    finally:
        pin(before)


# --- calendar arithmetic ----------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier); a day the month lacks becomes its last day."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """The same calendar date ``years`` later; 29 February falls back to 28 February."""
    return add_months(day, 12 * years)


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 when ``end`` is not after ``start``)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)
