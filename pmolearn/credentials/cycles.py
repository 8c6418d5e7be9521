"""THE one place for a certification cycle's dates. Pure (standard library and ``clock``).

It decides: when a cycle ends, when its grace period ends, which completion dates count toward
it (its counting window), where a credential stands on a date, which cycle is in force on a
date, when the next cycle opens, and which months feed carry-over. The compliance engine, the
credential page, the audit pack, the team's renewals, reminders and the demo all ask here.

PMI's rules (catalog/RESEARCH.md §1.1, §1.5, §1.6; UPDATE-2026-12 U9 and the worked cases):

- A cycle starts on the day the exam was passed and ends on the same calendar date
  ``cycle_years`` later (the certificate's expiration date; 29 February falls back to 28).
- Not renewed by the end: *suspended* from the day after, for the policy's grace period, during
  which PDUs still count toward the lapsed cycle and renewal restores it; then *expired*.
- Renewing (early or in grace) does not move the rhythm: the next cycle starts the day after the
  old end and ends ``cycle_years`` after it.
- A claim counts toward one cycle only. The latest cycle counts through its grace period; a
  cycle renewed in grace counts through its renewal date; a cycle renewed in time through its
  end. Each cycle counts only what the previous one did not.
- Carry-over draws from the final ``window_months`` (12) of a cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pmolearn.clock import add_months, add_years

#: Where a cycle stands on a date, by its end and grace period.
RUNNING, GRACE, LAPSED = "running", "grace", "lapsed"
#: Credential statuses (API.md): from the latest cycle's phase, or retired by its holder.
ACTIVE, SUSPENDED, EXPIRED, RETIRED = "active", "suspended", "expired", "retired"
CREDENTIAL_STATUSES = (ACTIVE, SUSPENDED, EXPIRED, RETIRED)
_STATUS_OF_PHASE = {RUNNING: ACTIVE, GRACE: SUSPENDED, LAPSED: EXPIRED}


@dataclass(frozen=True)
class CycleDates:
    """What the rules need to know of one cycle."""

    number: int
    start: date
    #: The expiration date; None while the issuer's cycle length is unconfirmed.
    end: date | None
    renewed_on: date | None = None
    #: Months of suspension after an unrenewed end (PMI: 12); 0 when none is known.
    grace_months: int = 0


@dataclass(frozen=True)
class Window:
    """The completion dates that count toward one cycle: ``first <= day <= last`` and
    ``day > after`` (what the previous cycle counted)."""

    first: date
    last: date | None
    after: date | None = None

    def contains(self, day: date) -> bool:
        if day < self.first or (self.after is not None and day <= self.after):
            return False
        return self.last is None or day <= self.last

    def through(self, day: date) -> Window:
        """The same window, cut at ``day`` ("as of" a date: only what was completed by then)."""
        last = day if self.last is None else min(self.last, day)
        return Window(self.first, last, self.after)


def cycle_end(start: date, cycle_years: int) -> date:
    return add_years(start, cycle_years)


def grace_end(end: date, grace_months: int) -> date:
    """The last day of the suspension that follows an unrenewed end."""
    return add_months(end, grace_months)


def phase(cycle: CycleDates, on: date) -> str:
    """running (through the end), grace (through the grace end), then lapsed."""
    if cycle.end is None or on <= cycle.end:
        return RUNNING
    return _phase_between(cycle.end, grace_end(cycle.end, cycle.grace_months), on)


def _phase_between(end: date | None, grace_last: date | None, on: date) -> str:
    if end is None or on <= end:
        return RUNNING
    return GRACE if grace_last is not None and on <= grace_last else LAPSED


def counts_through(cycle: CycleDates, *, latest: bool) -> date | None:
    """The last completion date that counts toward ``cycle`` (None: no end known)."""
    if cycle.end is None:
        return None
    if cycle.renewed_on is not None:
        return max(cycle.renewed_on, cycle.end)
    return grace_end(cycle.end, cycle.grace_months) if latest else cycle.end


def window(cycles: Sequence[CycleDates], index: int) -> Window:
    """The counting window of ``cycles[index]`` (cycles in order, oldest first)."""
    cycle = cycles[index]
    latest = index == len(cycles) - 1
    after = counts_through(cycles[index - 1], latest=False) if index > 0 else None
    last = counts_through(cycle, latest=latest)
    if last is None and not latest:
        last = cycles[index + 1].start - timedelta(days=1)  # no end known: up to the next one
    return Window(first=cycle.start, last=last, after=after)


def cycle_holding(cycles: Sequence[CycleDates], day: date) -> int | None:
    """The index of the cycle whose counting window holds ``day``, or None."""
    for index in range(len(cycles) - 1, -1, -1):
        if window(cycles, index).contains(day):
            return index
    return None


def in_force(cycles: Sequence[CycleDates], on: date) -> int:
    """The index of the cycle in force on ``on``: the latest one that has started.

    After an early renewal the newest cycle has not started yet; it is the *next* cycle, and the
    one before it is still current.
    """
    for index in range(len(cycles) - 1, 0, -1):
        if cycles[index].start <= on:
            return index
    return 0


def next_start(cycle: CycleDates) -> date:
    """The day the cycle after ``cycle`` starts, however early it was renewed."""
    if cycle.end is None:
        raise ValueError("a cycle without an end date cannot be renewed")
    return cycle.end + timedelta(days=1)


def next_cycle(cycle: CycleDates, cycle_years: int, grace_months: int = 0) -> CycleDates:
    """The cycle a renewal opens: the day after the old end, ``cycle_years`` after the old end."""
    return CycleDates(
        number=cycle.number + 1,
        start=next_start(cycle),
        end=add_years(cycle.end, cycle_years),
        grace_months=grace_months,
    )


def renewal_problem(cycle: CycleDates, renewed_on: date) -> str | None:
    """Why ``cycle`` cannot be renewed on ``renewed_on`` (dates only), or None."""
    if cycle.end is None:
        return "This certification's renewal cycle is unconfirmed in the catalog."
    if renewed_on < cycle.start:
        return "The date is before the current cycle started."
    if phase(cycle, renewed_on) == LAPSED:
        last = grace_end(cycle.end, cycle.grace_months)
        return f"The credential expired after {last.isoformat()}; the exam must be passed again."
    return None


def credential_status(
    cycles: Sequence[CycleDates], on: date, *, retired_on: date | None = None
) -> str:
    """active, suspended (in grace), expired, or retired, on ``on``."""
    return status_between(*latest_dates(cycles), on, retired_on=retired_on)


def latest_dates(cycles: Sequence[CycleDates]) -> tuple[date | None, date | None]:
    """What a credential's status on any day turns on: its newest cycle's end and the last day
    of the grace period after it (both None while no end is known). Credentials keep these two
    dates (``Credential.latest_end``, ``latest_grace_end``) so lists need not find the newest
    cycle of each."""
    latest = cycles[-1]
    if latest.end is None:
        return None, None
    return latest.end, grace_end(latest.end, latest.grace_months)


def status_between(
    end: date | None, grace_last: date | None, on: date, *, retired_on: date | None = None
) -> str:
    """A credential's status on ``on`` from ``latest_dates``: active through the end,
    suspended through the grace period, then expired; retired from its retirement."""
    if retired_on is not None and retired_on <= on:
        return RETIRED
    return _STATUS_OF_PHASE[_phase_between(end, grace_last, on)]


def carry_over_window(end: date, months: int) -> Window:
    """The final ``months`` of a cycle ending on ``end``, from which excess PDUs carry over."""
    return Window(first=add_months(end, -months) + timedelta(days=1), last=end)
