"""Compliance engine: how far a certification cycle is from meeting its renewal policy.

This module is pure (standard library and the other pure modules: ``cycles`` for dates,
``text`` for wording) on purpose. The renewal rules are the product's core promise, so they
must be exactly testable by hand-worked cases and property-based tests; services load a policy,
a cycle and its claims in a fixed number of queries, call :func:`evaluate`, and show the result.

The rules follow PMI's Continuing Certification Requirements (catalog/RESEARCH.md section 1):
caps per activity, per activity type and per category; minimums per category and per Talent
Triangle area; carry-over of excess PDUs earned in the final months of a cycle. Which dates
count toward a cycle is ``cycles``' rule, not this module's.

Amounts are ``Decimal``. Inputs are expected in hundredths at most (PDUs are claimed in quarters).
Every intermediate amount stays an exact hundredth: when a cap cuts a claim, its area split is
scaled down proportionally and rounded *down* to the hundredth, so an area minimum is never
reported met when it is not, and adding PDUs can never lower an area. Results are quantized to
two places (ROUND_HALF_UP) only when the :class:`Compliance` is built.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

from pmolearn import text
from pmolearn.credentials import cycles

AREAS = ("ways_of_working", "power_skills", "business_acumen")
AREA_NAMES = {
    "ways_of_working": "Ways of Working",
    "power_skills": "Power Skills",
    "business_acumen": "Business Acumen",
}
STATUSES = ("complete", "on_track", "at_risk", "behind", "grace", "lapsed")
COUNTING_STATUSES = frozenset({"claimed", "approved"})
AT_RISK_SHARE = Decimal("0.75")
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12

ZERO = Decimal(0)
CENT = Decimal("0.01")
#: Which cap cut a claim (ClaimOutcome.cap).
PER_ACTIVITY, PER_CYCLE, CATEGORY_MAX = "per_activity", "per_cycle", "category_max"


# --- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityType:
    code: str
    category: str
    cap_per_activity: Decimal | None = None
    cap_per_cycle: Decimal | None = None
    transferable: bool = True
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or text.title(self.code)


@dataclass(frozen=True)
class CategoryRule:
    min: Decimal = Decimal(0)
    max: Decimal | None = None


@dataclass(frozen=True)
class Policy:
    label: str
    cycle_years: int
    pdus_required: Decimal
    categories: Mapping[str, CategoryRule]
    area_minimums: Mapping[str, Decimal]
    activity_types: Mapping[str, ActivityType]
    area_category: str = "education"
    carry_over_max: Decimal | None = None
    carry_over_window_months: int = 12
    grace_months: int = 0


@dataclass(frozen=True)
class Claim:
    id: int
    activity_type: str
    completed_on: date
    pdus: Decimal
    areas: Mapping[str, Decimal] = field(default_factory=dict)
    status: str = "claimed"


@dataclass(frozen=True)
class Cycle:
    """The cycle judged: its dates, the completion dates that count (``cycles.window``; by
    default start to end) and the claims carried in from the previous cycle."""

    start: date
    end: date
    window: cycles.Window | None = None
    carried_in: tuple[Claim, ...] = ()

    @property
    def counting(self) -> cycles.Window:
        return self.window or cycles.Window(self.start, self.end)


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryResult:
    earned: Decimal
    applied: Decimal
    min: Decimal
    max: Decimal | None


@dataclass(frozen=True)
class AreaResult:
    applied: Decimal
    min: Decimal


@dataclass(frozen=True)
class Remaining:
    """What is still needed: per binding constraint, and in all."""

    total: Decimal
    by_category: dict[str, Decimal]
    areas: dict[str, Decimal]

    @property
    def education(self) -> Decimal:
        return self.by_category.get("education", ZERO)


@dataclass(frozen=True)
class CategoryNeed:
    """PDUs a category still needs, and which areas bind them.

    With PMI's rules, Education still needs max(35 − applied, sum of area shortfalls): the
    area parts name where those PDUs must go, ``any_area`` is what may go anywhere. The card's
    bars and the next-step sentence both say a need through :meth:`detail`, so they agree.
    """

    category: str
    amount: Decimal
    areas: tuple[tuple[str, Decimal], ...] = ()
    any_area: Decimal = ZERO

    @property
    def name(self) -> str:
        return text.title(self.category)

    def detail(self) -> str:
        """ "in Power Skills", "(2 in Power Skills, 3 in any area)" or ""."""
        if len(self.areas) == 1 and self.any_area <= 0:
            return f"in {AREA_NAMES.get(self.areas[0][0], text.title(self.areas[0][0]))}"
        parts = [f"{text.amount(v)} in {AREA_NAMES.get(a, text.title(a))}" for a, v in self.areas]
        if parts and self.any_area > 0:
            parts.append(f"{text.amount(self.any_area)} in any area")
        return f"({', '.join(parts)})" if parts else ""

    def phrase(self, *, more: bool = True) -> str:
        """ "1 more Education PDU in Power Skills"."""
        words = f"more {self.name}" if more else self.name
        return " ".join(p for p in (text.pdus(self.amount, words), self.detail()) if p)


@dataclass(frozen=True)
class ClaimOutcome:
    """How much of one claim counts, and which cap cut the rest (with the sentence to show)."""

    claim_id: int
    earned: Decimal
    applied: Decimal
    cap: str | None = None
    limit: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class Compliance:
    as_of: date
    policy: str
    required: Decimal
    earned: Decimal
    applied: Decimal
    by_category: dict[str, CategoryResult]
    by_area: dict[str, AreaResult]
    applied_by_type: dict[str, Decimal]
    remaining: Remaining
    needs: tuple[CategoryNeed, ...]
    carry_over: Decimal
    carry_over_known: bool
    carry_over_claims: tuple[Claim, ...]
    carried_in: Decimal
    days_left: int
    grace_ends_on: date
    pace_per_month: Decimal
    status: str
    is_complete: bool
    ignored_claim_ids: tuple[int, ...]
    outcomes: dict[int, ClaimOutcome]
    next_step: str

    def need_for(self, category: str) -> CategoryNeed | None:
        return next((n for n in self.needs if n.category == category), None)

    def to_dict(self) -> dict:
        """The API's JSON shape: policy figures as written, computed amounts as floats."""
        remaining = self.remaining
        return {
            "as_of": self.as_of.isoformat(),
            "policy": self.policy,
            "required": text.number(self.required),
            "earned": float(self.earned),
            "applied": float(self.applied),
            "by_category": {
                code: {
                    "earned": float(c.earned),
                    "applied": float(c.applied),
                    "min": text.number(c.min),
                    "max": None if c.max is None else text.number(c.max),
                }
                for code, c in self.by_category.items()
            },
            "by_area": {
                area: {"applied": float(a.applied), "min": text.number(a.min)}
                for area, a in self.by_area.items()
            },
            "remaining": {
                "total": float(remaining.total),
                "education": float(remaining.education),
                "areas": {area: float(v) for area, v in remaining.areas.items()},
                "by_category": {code: float(v) for code, v in remaining.by_category.items()},
            },
            "carry_over": float(self.carry_over),
            "carry_over_known": self.carry_over_known,
            "carried_in": float(self.carried_in),
            "days_left": self.days_left,
            "grace_ends_on": self.grace_ends_on.isoformat(),
            "pace_per_month": float(self.pace_per_month),
            "status": self.status,
            "next_step": self.next_step,
            "ignored_claim_ids": list(self.ignored_claim_ids),
            "capped_claims": [
                {"id": o.claim_id, "earned": float(o.earned), "applied": float(o.applied),
                 "cap": o.cap, "note": o.note}
                for o in self.outcomes.values() if o.cap
            ],
        }  # fmt: skip


# --- evaluation --------------------------------------------------------------------------------


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


def evaluate(
    policy: Policy, cycle: Cycle, claims: Iterable[Claim], as_of: date, *, detail: bool = True
) -> Compliance:
    """Judge `cycle` under `policy` on `as_of`: what counts, what is missing, what carries over.

    ``detail=False`` (a long report's rows) leaves out what only a page shows (what binds, the
    next step, each claim's outcome, the carry-over, totals by type); every figure it does give
    is the same.
    """
    rules = _category_rules(policy)
    counted, ignored = _counting(policy, cycle, claims)
    shares = _apply_caps(policy, rules, counted)
    cat_earned = _totals(counted, lambda s: s.category, rules)
    cat_applied = _totals(shares, lambda s: s.category, rules)
    area_applied = {
        area: _sum(s.areas.get(area, ZERO) for s in shares if s.category == policy.area_category)
        for area in policy.area_minimums
    }
    by_type = (
        _totals(shares, lambda s: s.claim.activity_type, policy.activity_types) if detail else {}
    )
    applied = _sum(cat_applied.values())
    remaining = _remaining(policy, rules, cat_applied, area_applied, applied)
    complete = remaining.total == 0
    carried: tuple[Claim, ...] = ()
    if detail and complete and policy.carry_over_max is not None:
        carried = _carry_over(policy, rules, cycle, shares, cat_applied, area_applied, applied)
    status = _status(policy, cycle, applied, complete, as_of)
    days_left = (cycle.end - as_of).days
    needs = _needs(policy, _q_remaining(remaining)) if detail else ()
    return Compliance(
        as_of=as_of,
        policy=policy.label,
        required=_q(policy.pdus_required),
        earned=_q(_sum(s.pdus for s in counted)),
        applied=_q(applied),
        by_category={
            code: CategoryResult(_q(cat_earned[code]), _q(cat_applied[code]), rule.min, rule.max)
            for code, rule in rules.items()
        },
        by_area={
            area: AreaResult(_q(area_applied[area]), minimum)
            for area, minimum in policy.area_minimums.items()
        },
        applied_by_type=_q_all(by_type) if detail else {},
        remaining=_q_remaining(remaining),
        needs=needs,
        carry_over=_q(_sum(c.pdus for c in carried)),
        carry_over_known=policy.carry_over_max is not None,
        carry_over_claims=carried,
        carried_in=_q(_sum(s.pdus for s in counted if s.carried_in)),
        days_left=days_left,
        grace_ends_on=cycles.grace_end(cycle.end, policy.grace_months),
        pace_per_month=_q(_pace(remaining.total, days_left)),
        status=status,
        is_complete=complete,
        ignored_claim_ids=ignored,
        outcomes=_outcomes(policy, rules, counted, shares) if detail else {},
        next_step=_next_step(policy, cycle, remaining.total, needs, status, as_of)
        if detail
        else "",
    )


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


# --- next step ---------------------------------------------------------------------------------


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


# --- numbers -----------------------------------------------------------------------------------


def _q(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def _q_all(amounts: Mapping[str, Decimal]) -> dict[str, Decimal]:
    return {k: _q(v) for k, v in amounts.items()}


def _q_remaining(remaining: Remaining) -> Remaining:
    return Remaining(_q(remaining.total), _q_all(remaining.by_category), _q_all(remaining.areas))


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def _totals(
    shares: Iterable[_Share], key: Callable[[_Share], str], codes: Iterable[str]
) -> dict[str, Decimal]:
    """Sum of PDUs per code, with a zero for every code that has none."""
    totals = dict.fromkeys(codes, ZERO)
    for share in shares:
        totals[key(share)] += share.pdus
    return totals
