"""What is still missing and what to do next: the remaining PDUs by category and area, the
needs in words, the status on a date, the pace and the next step. Pure."""

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

from pmolearn import text
from pmolearn.credentials import cycles
from pmolearn.credentials.compliance.values import (
    AT_RISK_SHARE,
    DAYS_PER_MONTH,
    ZERO,
    CategoryNeed,
    CategoryRule,
    Cycle,
    Policy,
    Remaining,
    _q,
    _sum,
)


def _remaining(
    policy: Policy,
    rules: Mapping[str, CategoryRule],
    cat_applied: Mapping[str, Decimal],
    area_applied: Mapping[str, Decimal],
    applied: Decimal,
) -> Remaining:
    """The binding shortfall, not a naive subtraction.

    Area shortfalls can only be met by PDUs of the area category, so that category needs at
    least their sum; the total needs at least the sum of what every category still needs.
    """
    areas = {a: max(minimum - area_applied[a], ZERO) for a, minimum in policy.area_minimums.items()}
    by_category = {}
    for code, rule in rules.items():
        needed = rule.min - cat_applied[code]
        if code == policy.area_category:
            needed = max(needed, _sum(areas.values()))
        by_category[code] = max(needed, ZERO)
    total = max(policy.pdus_required - applied, _sum(by_category.values()), ZERO)
    return Remaining(total, by_category, areas)


def _needs(policy: Policy, remaining: Remaining) -> tuple[CategoryNeed, ...]:
    """Each category still short, with the areas that bind it (the area category first)."""
    needs = []
    for code, amount in remaining.by_category.items():
        if amount <= 0:
            continue
        if code == policy.area_category:
            areas = tuple((a, v) for a, v in remaining.areas.items() if v > 0)
            any_area = amount - _sum(v for _, v in areas)
            needs.append(CategoryNeed(code, amount, areas, max(any_area, ZERO)))
        else:
            needs.append(CategoryNeed(code, amount))
    needs.sort(key=lambda n: n.category != policy.area_category)
    return tuple(needs)


def _status(policy: Policy, cycle: Cycle, applied: Decimal, complete: bool, as_of: date) -> str:
    """Where the cycle stands.

    - ``complete``: every constraint holds (also after the end: the cycle can be renewed).
    - after the end: ``grace`` while ``cycles.phase`` says so (PMI: suspended, PDUs still
      count, renewal restores the credential), then ``lapsed``.
    - in the cycle, against a straight-line pace where expected = required × elapsed days /
      cycle days: ``on_track`` if applied >= expected, ``at_risk`` if applied >= 75 % of
      expected, else ``behind``.
    """
    if complete:
        return "complete"
    dates = cycles.CycleDates(0, cycle.start, cycle.end, grace_months=policy.grace_months)
    phase = cycles.phase(dates, as_of)
    if phase != cycles.RUNNING:
        return "grace" if phase == cycles.GRACE else "lapsed"
    cycle_days = (cycle.end - cycle.start).days
    elapsed = min(max((as_of - cycle.start).days, 0), cycle_days)
    # applied >= required × elapsed / cycle_days, compared without dividing
    have = applied * cycle_days
    expected = policy.pdus_required * elapsed
    if have >= expected:
        return "on_track"
    if have >= AT_RISK_SHARE * expected:
        return "at_risk"
    return "behind"


def _pace(remaining: Decimal, days_left: int) -> Decimal:
    """PDUs still to log per (average) month; all of them when no time is left."""
    if days_left <= 0:
        return remaining
    return remaining * DAYS_PER_MONTH / days_left


def _next_step(
    policy: Policy,
    cycle: Cycle,
    total: Decimal,
    needs: tuple[CategoryNeed, ...],
    status: str,
    as_of: date,
) -> str:
    """One plain English sentence telling the holder what to do next."""
    grace = cycles.grace_end(cycle.end, policy.grace_months)
    if status == "complete":
        required = policy.pdus_required
        done = f"All {text.amount(required)} PDUs are in" if required else "No PDUs are required"
        if as_of <= cycle.end:
            return f"{done}: renew by {text.day(cycle.end)}."
        if as_of <= grace:
            return f"{done}: renew by {text.day(grace)} to restore the credential."
        return f"{done} for the cycle that ended on {text.day(cycle.end)}."
    if status == "lapsed":
        return f"Lapsed on {text.day(grace + timedelta(days=1))}: the exam must be passed again."
    todo = _shortfall(_q(total), needs)
    if status == "grace":
        return f"Suspended: log {todo}, then renew by {text.day(grace)} to restore the credential."
    return f"Log {todo}{',' if ', at least ' in todo else ''} by {text.day(cycle.end)}."


def _shortfall(total: Decimal, needs: tuple[CategoryNeed, ...]) -> str:
    """What is still to log, in words: the total, and where the binding part must go.

    "1 more Education PDU in Power Skills"; "16 more PDUs, at least 5 of them Education (2 in
    Power Skills, 3 in any area)"; "2.5 more PDUs".
    """
    if not needs:
        return text.pdus(total, "more")
    if len(needs) == 1 and needs[0].amount >= total:
        return needs[0].phrase()
    parts = [
        " ".join(p for p in (f"{text.amount(n.amount)} of them {n.name}", n.detail()) if p)
        for n in needs
    ]
    return f"{text.pdus(total, 'more')}, at least {text.join(parts)}"
