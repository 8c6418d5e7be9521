"""What counts toward a cycle and what the caps leave of it: per activity, per activity type, per
category, in the order PMI applies them; each claim's outcome; the carry-over drawn from the
final months. Pure."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal, localcontext

from pmolearn import text
from pmolearn.credentials import cycles
from pmolearn.credentials.compliance.values import (
    CATEGORY_MAX,
    CENT,
    COUNTING_STATUSES,
    PER_ACTIVITY,
    PER_CYCLE,
    ZERO,
    CategoryRule,
    Claim,
    ClaimOutcome,
    Cycle,
    Policy,
    _q,
    _sum,
)


@dataclass(frozen=True)
class _Share:
    """The part of one counting claim that is still applied after the caps seen so far."""

    claim: Claim
    category: str
    pdus: Decimal
    areas: Mapping[str, Decimal]
    carried_in: bool
    cap: str | None = None
    limit: Decimal | None = None


def _category_rules(policy: Policy) -> dict[str, CategoryRule]:
    """Every category the policy names, so that no applied PDU falls outside the totals."""
    rules = dict(policy.categories)
    named = [t.category for t in policy.activity_types.values()]
    if policy.area_minimums:
        named.append(policy.area_category)
    for code in named:
        rules.setdefault(code, CategoryRule())
    return rules


def _counting(
    policy: Policy, cycle: Cycle, claims: Iterable[Claim]
) -> tuple[list[_Share], tuple[int, ...]]:
    """Claimed or approved claims completed inside the counting window, plus what was carried in.

    Returns them in date order (the order in which caps are consumed) with the ids of claims that
    would count but have an activity type the policy does not know.
    """
    window = cycle.counting
    candidates = [(c, True) for c in cycle.carried_in]
    candidates += [(c, False) for c in claims if window.contains(c.completed_on)]
    shares, ignored = [], []
    for claim, carried_in in candidates:
        if claim.status not in COUNTING_STATUSES:
            continue
        kind = policy.activity_types.get(claim.activity_type)
        if kind is None:
            ignored.append(claim.id)
            continue
        shares.append(_Share(claim, kind.category, claim.pdus, dict(claim.areas), carried_in))
    shares.sort(key=lambda s: (s.claim.completed_on, s.claim.id))
    return shares, tuple(ignored)


def _apply_caps(
    policy: Policy, rules: Mapping[str, CategoryRule], shares: list[_Share]
) -> list[_Share]:
    """Per-activity caps, then per-cycle caps per activity type, then category maximums."""
    types = policy.activity_types
    per_activity = [
        _cut(s, types[s.claim.activity_type].cap_per_activity, PER_ACTIVITY) for s in shares
    ]
    type_caps = {code: t.cap_per_cycle for code, t in types.items()}
    per_type = _consume(per_activity, lambda s: s.claim.activity_type, type_caps, PER_CYCLE)
    category_maximums = {code: rule.max for code, rule in rules.items()}
    return _consume(per_type, lambda s: s.category, category_maximums, CATEGORY_MAX)


def _consume(
    shares: list[_Share],
    key: Callable[[_Share], str],
    limits: Mapping[str, Decimal | None],
    cap: str,
) -> list[_Share]:
    """Shares fill their key's limit in date order; a later share gets only the room left.

    Why date order: like PMI's claim system, a cap is reached by the claims made first, so the
    PDUs left unapplied are the latest ones.
    """
    used: dict[str, Decimal] = {}
    result = []
    for share in shares:
        code = key(share)
        limit = limits.get(code)
        if limit is None:
            result.append(share)
            continue
        kept = _cut(share, max(limit - used.get(code, ZERO), ZERO), cap, limit)
        used[code] = used.get(code, ZERO) + kept.pdus
        result.append(kept)
    return result


def _cut(share: _Share, pdus: Decimal | None, cap: str, limit: Decimal | None = None) -> _Share:
    """`share` reduced to `pdus` (None: no cap), its area split scaled down proportionally."""
    if pdus is None or pdus >= share.pdus:
        return share
    areas = {area: _scale(v, pdus, share.pdus) for area, v in share.areas.items()}
    return replace(share, pdus=pdus, areas=areas, cap=cap, limit=pdus if limit is None else limit)


def _scale(value: Decimal, new: Decimal, old: Decimal) -> Decimal:
    """value × new / old, rounded down to the hundredth (see the module docstring for why)."""
    if old <= 0:
        return ZERO
    with localcontext() as ctx:
        ctx.rounding = ROUND_DOWN
        return (value * new / old).quantize(CENT)


def _outcomes(
    policy: Policy, rules: Mapping[str, CategoryRule], counted: list[_Share], shares: list[_Share]
) -> dict[int, ClaimOutcome]:
    """Each counted claim's earned and applied PDUs; a cut one says which cap cut it."""
    outcomes = {}
    for before, after in zip(counted, shares, strict=True):
        if before.carried_in:
            continue
        claim = before.claim
        note = _cap_note(policy, before, after) if after.cap else ""
        outcomes[claim.id] = ClaimOutcome(
            claim.id, _q(before.pdus), _q(after.pdus), after.cap, after.limit, note
        )
    return outcomes


def _cap_note(policy: Policy, before: _Share, after: _Share) -> str:
    """E.g. "Organization Meetings count at most 2 PDUs each: 1 of these 3 will not count."."""
    kind = policy.activity_types[before.claim.activity_type]
    lost = text.amount(before.pdus - after.pdus)
    these = f"{lost} of these {text.amount(before.pdus)} will not count"
    if after.cap == PER_ACTIVITY:
        rule = f"{kind.label} count at most {text.pdus(after.limit)} each"
    elif after.cap == PER_CYCLE:
        rule = f"{kind.label} counts at most {text.pdus(after.limit)} per cycle"
    else:
        rule = f"{text.title(before.category)} counts at most {text.pdus(after.limit)} per cycle"
    if after.pdus <= 0:
        these = f"none of these {text.amount(before.pdus)} will count, the cap is already reached"
    return f"{rule}: {these}."


def _carry_over(
    policy: Policy,
    rules: Mapping[str, CategoryRule],
    cycle: Cycle,
    shares: list[_Share],
    cat_applied: Mapping[str, Decimal],
    area_applied: Mapping[str, Decimal],
    applied: Decimal,
) -> tuple[Claim, ...]:
    """The applied PDUs that roll into the next cycle, as synthetic claims dated the cycle end.

    PMI carries excess PDUs earned in the final months of a cycle (``cycles.carry_over_window``),
    up to a maximum, never non-transferable types. The excess is the slack of every constraint
    (total over required, category over its minimum, area over its minimum); the latest eligible
    claims are drawn first. The constraints nest (total > category > area > one claim's area),
    so drawing greedily until something binds yields the largest amount that leaves the cycle
    complete.
    """
    room: dict[tuple[str, str], Decimal] = {
        ("total", ""): min(applied - policy.pdus_required, policy.carry_over_max),
    }
    room |= {("category", c): cat_applied[c] - r.min for c, r in rules.items()}
    room |= {("area", a): area_applied[a] - m for a, m in policy.area_minimums.items()}
    final_months = cycles.carry_over_window(cycle.end, policy.carry_over_window_months)
    carried = []
    for share in reversed(shares):
        if room[("total", "")] <= 0:
            break
        kind = policy.activity_types[share.claim.activity_type]
        eligible = final_months.contains(share.claim.completed_on)
        if share.carried_in or not kind.transferable or not eligible:
            continue
        pdus, areas = _draw(policy, share, room)
        if pdus > 0:
            source = share.claim
            carried.append(
                replace(source, id=-source.id, completed_on=cycle.end, pdus=pdus, areas=areas)
            )
    return tuple(carried)


def _draw(
    policy: Policy, share: _Share, room: dict[tuple[str, str], Decimal]
) -> tuple[Decimal, dict[str, Decimal]]:
    """Take what the room allows from one share: its unsplit part first, then area by area.

    Updates `room` and returns the PDUs taken with the areas they were taken from.
    """
    left = share.pdus
    unsplit = max(share.pdus - _sum(share.areas.values()), ZERO)
    taken_areas: dict[str, Decimal] = {}
    for area, available in [(None, unsplit), *share.areas.items()]:
        keys = [("total", ""), ("category", share.category)]
        if share.category == policy.area_category and area in policy.area_minimums:
            keys.append(("area", area))
        amount = min(available, left, *(room[k] for k in keys))
        if amount <= 0:
            continue
        for k in keys:
            room[k] -= amount
        left -= amount
        if area is not None:
            taken_areas[area] = amount
    return share.pdus - left, taken_areas


def _totals(
    shares: Iterable[_Share], key: Callable[[_Share], str], codes: Iterable[str]
) -> dict[str, Decimal]:
    """Sum of PDUs per code, with a zero for every code that has none."""
    totals = dict.fromkeys(codes, ZERO)
    for share in shares:
        totals[key(share)] += share.pdus
    return totals
