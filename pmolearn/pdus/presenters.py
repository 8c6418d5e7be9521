"""What the PDU pages show, computed once in Python so templates only print.

Pure: no database, no Flask. It turns a ``services.CredentialView`` (and its
``engine.Compliance``) into bars with their scale, colour and captions, the days-left phrase and
the next-step sentence; and an activity into the fields PMI's CCRS asks for, in its order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_UP, Decimal

from pmolearn.pdus import engine

ZERO = Decimal(0)

#: Compliance status → Bootstrap colour and the words people read.
STATUS_COLOURS = {
    "complete": "success",
    "on_track": "primary",
    "at_risk": "warning",
    "behind": "danger",
    "grace": "danger",
    "lapsed": "dark",
}
STATUS_LABELS = {
    "complete": "Complete",
    "on_track": "On track",
    "at_risk": "At risk",
    "behind": "Behind",
    "grace": "Grace period",
    "lapsed": "Lapsed",
}
#: Credential status (active → suspended → expired, or retired).
CREDENTIAL_COLOURS = {
    "active": "success",
    "suspended": "warning",
    "expired": "danger",
    "retired": "secondary",
}
CREDENTIAL_LABELS = {
    "active": "Active",
    "suspended": "Suspended (grace period)",
    "expired": "Expired",
    "retired": "Retired",
}
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


def num(value: Decimal | float | int) -> str:
    """2, 2.5, 2.25: the way people write PDUs."""
    text = f"{Decimal(str(value)):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def file_size(size: int) -> str:
    """67 bytes, 12.3 KB, 1.2 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def category_name(code: str) -> str:
    return code.replace("_", " ").title()


def area_name(code: str) -> str:
    return engine.AREA_NAMES.get(code, category_name(code))


# --- bars ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Meter:
    """One horizontal bar: ``value`` on a 0..``scale`` track, with an optional tick."""

    label: str
    value: Decimal
    scale: Decimal
    colour: str
    caption: str
    tick: Decimal | None = None
    tick_label: str = ""
    note: str = ""

    @property
    def percent(self) -> float:
        return _percent(self.value, self.scale)

    @property
    def tick_percent(self) -> float | None:
        return None if self.tick is None else _percent(self.tick, self.scale)


def _percent(value: Decimal, scale: Decimal) -> float:
    if scale <= 0:
        return 100.0 if value > 0 else 0.0
    return round(float(min(max(value / scale, ZERO), Decimal(1))) * 100, 1)


def total_meter(compliance: engine.Compliance) -> Meter | None:
    if compliance.required <= 0:
        return None
    colour = STATUS_COLOURS[compliance.status]
    missing = compliance.remaining.total
    caption = f"{num(missing)} to go" if missing > 0 else "all in"
    note = ""
    if compliance.earned > compliance.applied:
        note = (
            f"{num(compliance.earned)} logged; "
            f"{num(compliance.earned - compliance.applied)} above a cap do not count."
        )
    return Meter("All PDUs", compliance.applied, compliance.required, colour, caption, note=note)


def area_meters(compliance: engine.Compliance) -> list[Meter]:
    """One bar per Talent Triangle area, its minimum marked by a tick."""
    meters = []
    for area, result in compliance.by_area.items():
        minimum, applied = Decimal(result.min), result.applied
        missing = compliance.remaining.areas.get(area, ZERO)
        caption = f"{num(applied)} of {num(minimum)} minimum"
        if missing > 0:
            caption += f" · {num(missing)} to go"
        meters.append(
            Meter(
                label=area_name(area),
                value=applied,
                scale=max(minimum * 2, applied, Decimal(1)),
                colour="success" if missing <= 0 else "warning",
                caption=caption,
                tick=minimum if minimum > 0 else None,
                tick_label=f"minimum {num(minimum)}",
            )
        )
    return meters


def category_meters(compliance: engine.Compliance) -> list[Meter]:
    """A bar for each category with a minimum (tick) or a cap (the end of the track)."""
    meters = []
    for code, result in compliance.by_category.items():
        minimum = Decimal(result.min or 0)
        cap = None if result.max is None else Decimal(result.max)
        if minimum <= 0 and cap is None:
            continue
        name = category_name(code)
        if cap is not None:
            caption = f"{num(result.applied)} of {num(cap)} at most"
            scale, colour = cap, "info"
        else:
            missing = compliance.remaining.by_category.get(code, ZERO)
            caption = f"{num(result.applied)} of {num(minimum)} minimum"
            if missing > 0:
                caption += f" · {num(missing)} to go"
            scale = max(compliance.required, minimum * Decimal("1.5"), result.applied)
            colour = "success" if missing <= 0 else "warning"
        note = ""
        if result.earned > result.applied:
            note = (
                f"{num(result.earned)} logged; {num(result.earned - result.applied)} "
                f"above the {'cap' if cap is not None else 'limits'} do not count."
            )
        meters.append(
            Meter(
                label=name,
                value=result.applied,
                scale=scale,
                colour=colour,
                caption=caption,
                tick=minimum if minimum > 0 else None,
                tick_label=f"minimum {num(minimum)}",
                note=note,
            )
        )
    return meters


# --- one credential ------------------------------------------------------------------------


@dataclass(frozen=True)
class CredentialCard:
    """Everything the dashboard card and the credential page header show."""

    credential: object
    status: str
    status_label: str
    status_colour: str
    compliance: engine.Compliance | None
    progress_label: str
    progress_colour: str
    total: Meter | None
    education: list[Meter]
    areas: list[Meter]
    others: list[Meter]
    days_left: str
    next_step: str
    facts: list[str] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.credential.id


def credential_card(view) -> CredentialCard:
    """``view`` is a ``services.CredentialView``."""
    compliance = view.compliance
    cycle = view.cycle
    if compliance is None:
        return CredentialCard(
            credential=view.credential,
            status=view.status,
            status_label=CREDENTIAL_LABELS.get(view.status, view.status),
            status_colour=CREDENTIAL_COLOURS.get(view.status, "secondary"),
            compliance=None,
            progress_label="Rules unconfirmed",
            progress_colour="secondary",
            total=None,
            education=[],
            areas=[],
            others=[],
            days_left=f"Cycle ends {day(cycle.end)}" if cycle.end else "No cycle end known",
            next_step=(
                "The catalog does not confirm this certification's renewal rules yet: "
                "check them with the issuer."
            ),
        )
    categories = category_meters(compliance)
    area_category = "Education"
    return CredentialCard(
        credential=view.credential,
        status=view.status,
        status_label=CREDENTIAL_LABELS.get(view.status, view.status),
        status_colour=CREDENTIAL_COLOURS.get(view.status, "secondary"),
        compliance=compliance,
        progress_label=STATUS_LABELS[compliance.status],
        progress_colour=STATUS_COLOURS[compliance.status],
        total=total_meter(compliance),
        education=[m for m in categories if m.label == area_category],
        areas=area_meters(compliance),
        others=[m for m in categories if m.label != area_category],
        days_left=days_left_phrase(compliance, cycle.end),
        next_step=compliance.next_step,
        facts=_facts(compliance),
    )


def days_left_phrase(compliance: engine.Compliance, end: date) -> str:
    left = compliance.days_left
    if left > 1:
        return f"{left} days left (cycle ends {day(end)})"
    if left == 1:
        return f"1 day left (cycle ends {day(end)})"
    if left == 0:
        return "The cycle ends today"
    if compliance.status == "lapsed":
        return f"Cycle ended {day(end)}; the grace period ended {day(compliance.grace_ends_on)}"
    grace_left = (compliance.grace_ends_on - compliance.as_of).days
    if grace_left >= 0:
        return f"Cycle ended {day(end)}; {grace_left} days of grace left"
    return f"Cycle ended {day(end)}"


def _facts(compliance: engine.Compliance) -> list[str]:
    facts = []
    running = compliance.status not in ("complete", "lapsed") and compliance.days_left > 0
    if running and compliance.pace_per_month > 0:
        pace = compliance.pace_per_month.quantize(Decimal("0.1"), rounding=ROUND_UP)
        facts.append(f"About {num(pace)} PDUs a month to finish on time")
    if compliance.carry_over > 0:
        facts.append(f"{num(compliance.carry_over)} PDUs would carry over into the next cycle")
    return facts


# --- the credential page -------------------------------------------------------------------


@dataclass(frozen=True)
class CycleRow:
    number: int
    start: date
    end: date | None
    policy: str
    renewed_on: date | None
    carried_in: Decimal
    activities: int
    is_current: bool


def cycle_rows(credential, activities) -> list[CycleRow]:
    """Every cycle, newest first, with the PDUs carried in and the activities it holds."""
    cycles = list(credential.cycles)
    rows = []
    for index, cycle in enumerate(cycles):
        following = cycles[index + 1].start if index + 1 < len(cycles) else None
        inside = [
            a
            for a in activities
            if a.completed_on >= cycle.start and (following is None or a.completed_on < following)
        ]
        rows.append(
            CycleRow(
                number=cycle.number,
                start=cycle.start,
                end=cycle.end,
                policy=cycle.policy.label if cycle.policy else "unconfirmed",
                renewed_on=cycle.renewed_on,
                carried_in=sum(
                    (Decimal(str(c.get("pdus", 0))) for c in cycle.carried_in or []), ZERO
                ),
                activities=len(inside),
                is_current=index == len(cycles) - 1,
            )
        )
    return rows[::-1]


def split_by_cycle(view) -> tuple[list, list]:
    """The activities of the current cycle (newest first) and the earlier ones."""
    start = view.cycle.start
    current = [a for a in view.activities if a.completed_on >= start]
    earlier = [a for a in view.activities if a.completed_on < start]
    return current[::-1], earlier[::-1]


# --- CCRS ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimField:
    """One field as PMI's CCRS asks for it; ``value`` is what the copy button copies."""

    label: str
    value: str
    hint: str = ""


def ccrs_fields(activity, type_name: str) -> list[ClaimField]:
    """The claim in the order CCRS asks for it (category, provider, title, dates, PDUs)."""
    fields = [
        ClaimField("Category", category_name(activity.category)),
        ClaimField("Activity type", type_name),
        ClaimField("Provider", activity.provider or ""),
        ClaimField("Provider ID", activity.provider_id or "", "PMI Authorized Training Partner"),
        ClaimField("Activity title", activity.title),
        ClaimField(
            "Date started",
            activity.started_on.isoformat() if activity.started_on else "",
        ),
        ClaimField("Date completed", activity.completed_on.isoformat()),
    ]
    if activity.category == "education":
        fields += [
            ClaimField(f"{area_name(area)} PDUs", num(amount))
            for area, amount in activity.areas.items()
        ]
    fields.append(ClaimField("Total PDUs", num(activity.pdus)))
    if activity.notes:
        fields.append(ClaimField("Description", activity.notes))
    return fields


def areas_summary(activity) -> str:
    """Short area split for list rows ("WoW 1 · PS 0.5 · BA 0.5"); empty for Giving Back."""
    short = {"ways_of_working": "WoW", "power_skills": "PS", "business_acumen": "BA"}
    return " · ".join(
        f"{short.get(area, area)} {num(amount)}"
        for area, amount in activity.areas.items()
        if amount
    )
