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

:func:`evaluate` is here; ``values`` holds the inputs, results and amounts, ``caps`` what counts
and what the caps leave, ``advice`` what is missing and what to do next.
"""

from collections.abc import Iterable
from datetime import date

from pmolearn.credentials import cycles
from pmolearn.credentials.compliance.advice import _needs, _next_step, _pace, _remaining, _status
from pmolearn.credentials.compliance.caps import (
    _apply_caps,
    _carry_over,
    _category_rules,
    _counting,
    _outcomes,
    _totals,
)
from pmolearn.credentials.compliance.values import (
    AREA_NAMES,
    AREAS,
    AT_RISK_SHARE,
    CATEGORY_MAX,
    CENT,
    COUNTING_STATUSES,
    DAYS_PER_MONTH,
    PER_ACTIVITY,
    PER_CYCLE,
    STATUSES,
    ZERO,
    ActivityType,
    AreaResult,
    CategoryNeed,
    CategoryResult,
    CategoryRule,
    Claim,
    ClaimOutcome,
    Compliance,
    Cycle,
    Policy,
    Remaining,
    _q,
    _q_all,
    _q_remaining,
    _sum,
)

__all__ = [
    "AREAS",
    "AREA_NAMES",
    "AT_RISK_SHARE",
    "ActivityType",
    "AreaResult",
    "CATEGORY_MAX",
    "CENT",
    "COUNTING_STATUSES",
    "CategoryNeed",
    "CategoryResult",
    "CategoryRule",
    "Claim",
    "ClaimOutcome",
    "Compliance",
    "Cycle",
    "DAYS_PER_MONTH",
    "PER_ACTIVITY",
    "PER_CYCLE",
    "Policy",
    "Remaining",
    "STATUSES",
    "ZERO",
    "evaluate",
]


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
