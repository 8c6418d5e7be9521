"""A claim as the issuer's portal asks for it (PMI's CCRS has no API: people copy each field),
and the short forms list pages use."""

from __future__ import annotations

from dataclasses import dataclass

from pmolearn import text
from pmolearn.credentials.compliance import AREA_NAMES
from pmolearn.pdus import fields

ACTIVITY_COLOURS = {
    "draft": "secondary",
    "claimed": "primary",
    "approved": "success",
    "rejected": "danger",
}
#: Audit actions as the activity page's history says them.
HISTORY_VERBS = {
    "create": "Logged",
    "update": "Changed",
    "delete": "Deleted",
    "upload": "Attached",
}
SHORT_AREAS = {"ways_of_working": "WoW", "power_skills": "PS", "business_acumen": "BA"}


@dataclass(frozen=True)
class ClaimField:
    """One field as PMI's CCRS asks for it; ``value`` is what the copy button copies."""

    label: str
    value: str
    hint: str = ""


def ccrs_fields(activity, type_name: str) -> list[ClaimField]:
    """The claim in the order CCRS asks for it (category, provider, title, dates, PDUs)."""
    shown = [
        ClaimField(fields.CATEGORY.label, text.title(activity.category)),
        ClaimField(fields.ACTIVITY_TYPE.label, type_name),
        ClaimField(fields.PROVIDER.label, activity.provider or ""),
        ClaimField(fields.PROVIDER_ID.label, activity.provider_id or "",
                   "PMI Authorized Training Partner"),
        ClaimField("Activity title", activity.title),
        ClaimField("Date started", text.iso(activity.started_on) or ""),
        ClaimField("Date completed", text.iso(activity.completed_on)),
    ]  # fmt: skip
    if activity.category == "education":
        shown += [
            ClaimField(f"{AREA_NAMES.get(area, text.title(area))} PDUs", text.amount(amount))
            for area, amount in activity.areas.items()
        ]
    shown.append(ClaimField("Total PDUs", text.amount(activity.pdus)))
    if activity.notes:
        shown.append(ClaimField("Description", activity.notes))
    return shown


def areas_summary(activity) -> str:
    """Short area split for list rows ("WoW 1 · PS 0.5 · BA 0.5"); empty for Giving Back."""
    return " · ".join(
        f"{SHORT_AREAS.get(area, area)} {text.amount(amount)}"
        for area, amount in activity.areas.items()
        if amount
    )
