"""A certification's renewal policy as ``seeds/certifications.yaml`` gives it, checked and turned
into rows: its PDU categories with their minimums and caps, the Talent Triangle area minimums,
the activity types with their caps, and the notes the catalog shows. Used by ``seeding``."""

from __future__ import annotations

from typing import Any

from pmolearn.catalog.models import (
    ActivityType,
    RenewalPolicy,
)
from pmolearn.catalog.seed_values import (
    SeedError,
    confidence_value,
    date_value,
    fits,
    int_value,
    json_value,
    list_value,
    mapping,
    number_value,
    pairs,
    plain_value,
    text_value,
    unique,
)


def _parse_policy(renewal: dict, fees: dict, where: str) -> dict:
    """Map a ``renewal`` block to ``RenewalPolicy`` fields; null numbers stay null (unconfirmed)."""
    carry = mapping(renewal.get("carry_over"), where + ".carry_over", optional=True)
    grace = mapping(renewal.get("grace_period"), where + ".grace_period", optional=True)
    categories = _parse_categories(renewal.get("categories"), where + ".categories")
    values = {
        "effective_from": date_value(
            renewal.get("effective_from"), where + ".effective_from", True
        ),
        "scheme": text_value(renewal.get("scheme"), where + ".scheme"),
        "cycle_years": int_value(renewal.get("cycle_years"), where + ".cycle_years"),
        "pdus_required": number_value(renewal.get("pdus_required"), where + ".pdus_required"),
        "categories": categories,
        "area_minimums": _parse_area_minimums(renewal.get("talent_triangle_minimums"), where),
        "carry_over_allowed": bool(carry.get("allowed", False)),
        "carry_over_max": number_value(carry.get("max_pdus"), where + ".carry_over.max_pdus"),
        "grace_months": int_value(grace.get("grace_months"), where + ".grace_period.grace_months"),
        "renewal_fee_member": number_value(
            fees.get("renewal_member"), where + " fees.renewal_member"
        ),
        "renewal_fee_non_member": number_value(
            fees.get("renewal_non_member"), where + " fees.renewal_non_member"
        ),
        "notes": _policy_notes(renewal, carry),
        "source_codes": json_value(
            list_value(renewal.get("sources"), where + ".sources", optional=True)
        ),
        "confidence": confidence_value(renewal.get("confidence")),
        "effective_from_known": renewal.get("effective_from_known", True) is not False,
        "lifetime": renewal.get("lifetime") is True,
    }
    window = carry.get("earned_within_last_months_of_cycle")
    if window is not None:  # otherwise the column default (12) stands
        values["carry_over_window_months"] = int_value(window, where + ".carry_over window")
    excluded = set(list_value(carry.get("excludes"), where + ".carry_over.excludes", optional=True))
    activity_types = _parse_activity_types(
        renewal.get("activity_types"), where + ".activity_types", categories, excluded
    )
    return {"values": fits(RenewalPolicy, values, where), "activity_types": activity_types}


def _parse_categories(raw: Any, where: str) -> dict:
    result = {}
    for code, limits in mapping(raw, where, optional=True).items():
        limits = mapping(limits, f"{where}.{code}")
        low = number_value(limits.get("min"), f"{where}.{code}.min")
        high = number_value(limits.get("max"), f"{where}.{code}.max")
        if low is not None and high is not None and low > high:
            raise SeedError(f"{where}.{code}: min {low} is above max {high}")
        result[str(code)] = {"min": plain_value(low), "max": plain_value(high)}
    return result


def _parse_area_minimums(raw: Any, where: str) -> dict:
    where += ".talent_triangle_minimums"
    return {
        str(area): plain_value(number_value(value, f"{where}.{area}", required=True))
        for area, value in mapping(raw, where, optional=True).items()
    }


def _parse_activity_types(raw: Any, where: str, categories: dict, excluded: set) -> dict:
    """``{group: [type, ...]}`` -> ``{code: ActivityType fields}``; ``position`` is file order."""
    result: dict[str, dict] = {}
    for group, items in mapping(raw, where, optional=True).items():
        for index, item in enumerate(list_value(items, f"{where}.{group}")):
            here = f"{where}.{group}[{index}]"
            values = _parse_activity_type(mapping(item, here), here, str(group), excluded)
            if categories and values["category"] not in categories:
                raise SeedError(
                    f"{here}: category {values['category']!r} is not one of {list(categories)}"
                )
            unique(values["code"], result, f"activity type code in {where}")
            result[values["code"]] = {**values, "position": len(result)}
    return result


def _parse_activity_type(item: dict, here: str, group: str, excluded: set) -> dict:
    """The category is the item's own or its group's; carry-over exclusions are not transferable."""
    if item.get("cap") is not None:
        raise SeedError(f"{here}: 'cap' is ambiguous; say cap_per_activity or cap_per_cycle")
    code = text_value(item.get("code"), here + ".code", required=True)
    values = {
        "code": code,
        "name": text_value(item.get("name"), here + ".name", required=True),
        "category": text_value(item.get("category"), here + ".category") or group,
        "cap_per_activity": number_value(item.get("cap_per_activity"), here + ".cap_per_activity"),
        "cap_per_cycle": number_value(item.get("cap_per_cycle"), here + ".cap_per_cycle"),
        "claims_per_cycle": int_value(item.get("claims_per_cycle"), here + ".claims_per_cycle"),
        "transferable": item.get("transferable", True) is not False and code not in excluded,
        "notes": _activity_notes(item),
    }
    return fits(ActivityType, values, here)


# --- notes ---------------------------------------------------------------------------------


def _policy_notes(renewal: dict, carry: dict) -> str | None:
    """Free-text facts of the block that have no column, kept so nothing researched is lost."""
    parts = [renewal.get("policy_note")]
    for key, label in (("topic_focus", "Topic focus"), ("legacy_rule", "Legacy rule")):
        if renewal.get(key):
            parts.append(f"{label}: {str(renewal[key]).rstrip('.')}.")
    if renewal.get("reporting"):
        parts.append(f"Reporting: {renewal['reporting']}.")
    grades = renewal.get("confidence")
    if isinstance(grades, dict) and len({str(v) for v in grades.values()}) > 1:
        parts.append("Confidence by part: " + pairs(grades) + ".")
    if carry.get("confidence") is not None:
        parts.append(f"Carry-over confidence: {confidence_value(carry['confidence'])}.")
    return " ".join(str(p) for p in parts if p) or None


def _activity_notes(item: dict) -> str | None:
    parts = [item.get("notes")]
    if item.get("prorated_by_time_worked"):
        parts.append("Prorated by the share of the cycle worked in the profession.")
    if item.get("audit_evidence"):
        parts.append(f"Audit evidence: {item['audit_evidence']}.")
    if item.get("confidence") is not None:
        parts.append(f"Confidence: {confidence_value(item['confidence'])}.")
    return " ".join(str(p) for p in parts if p) or None
