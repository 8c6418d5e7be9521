"""What a credential card and the credential page show, computed once so templates only print.

A card turns a ``services.CredentialView`` (and its compliance) into bars with their scale,
colour and captions, the days-left phrase, the next step and the facts beside it. Every caption
that names a shortfall says it through the engine's ``CategoryNeed``, like the next-step
sentence, so a bar and the sentence cannot tell two stories.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_UP, Decimal

from pmolearn import text
from pmolearn.credentials import compliance, cycles
from pmolearn.credentials.services import CredentialView

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
    cycles.ACTIVE: "success",
    cycles.SUSPENDED: "warning",
    cycles.EXPIRED: "danger",
    cycles.RETIRED: "secondary",
}
CREDENTIAL_LABELS = {
    cycles.ACTIVE: "Active",
    cycles.SUSPENDED: "Suspended (grace period)",
    cycles.EXPIRED: "Expired",
    cycles.RETIRED: "Retired",
}
#: Cards come in this order: what needs action first.
URGENCY = {
    "grace": 0, "behind": 1, "at_risk": 2, "on_track": 3, None: 4, "complete": 5, "lapsed": 6,
}  # fmt: skip


def area_name(code: str) -> str:
    return compliance.AREA_NAMES.get(code, text.title(code))


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


def _to_go(amount: Decimal, detail: str = "") -> str:
    return " · " + " ".join(p for p in (f"{text.amount(amount)} to go", detail) if p)


def total_meter(result: compliance.Compliance) -> Meter | None:
    if result.required <= 0:
        return None
    missing = result.remaining.total
    caption = f"{text.amount(result.applied)} of {text.amount(result.required)}"
    caption += _to_go(missing) if missing > 0 else " · all in"
    note = ""
    if result.earned > result.applied:
        note = (
            f"{text.amount(result.earned)} logged; "
            f"{text.amount(result.earned - result.applied)} above a cap do not count."
        )
    colour = STATUS_COLOURS[result.status]
    return Meter("All PDUs", result.applied, result.required, colour, caption, note=note)


def area_meters(result: compliance.Compliance) -> list[Meter]:
    """One bar per Talent Triangle area, its minimum marked by a tick."""
    meters = []
    for area, outcome in result.by_area.items():
        minimum, applied = Decimal(outcome.min), outcome.applied
        missing = result.remaining.areas.get(area, ZERO)
        caption = f"{text.amount(applied)} of {text.amount(minimum)} minimum"
        if missing > 0:
            caption += _to_go(missing)
        meters.append(
            Meter(
                label=area_name(area),
                value=applied,
                scale=max(minimum * 2, applied, Decimal(1)),
                colour="success" if missing <= 0 else "warning",
                caption=caption,
                tick=minimum if minimum > 0 else None,
                tick_label=f"minimum {text.amount(minimum)}",
            )
        )
    return meters


def category_meters(result: compliance.Compliance) -> list[Meter]:
    """A bar for each category with a minimum (tick) or a cap (the end of the track)."""
    meters = []
    for code, outcome in result.by_category.items():
        minimum = Decimal(outcome.min or 0)
        cap = None if outcome.max is None else Decimal(outcome.max)
        if minimum <= 0 and cap is None:
            continue
        if cap is not None:
            caption = f"{text.amount(outcome.applied)} of {text.amount(cap)} at most"
            scale, colour = cap, "info"
        else:
            need = result.need_for(code)
            caption = f"{text.amount(outcome.applied)} of {text.amount(minimum)} minimum"
            if need is not None:
                caption += _to_go(need.amount, need.detail())
            scale = max(result.required, minimum * Decimal("1.5"), outcome.applied)
            colour = "success" if need is None else "warning"
        note = ""
        if outcome.earned > outcome.applied:
            note = (
                f"{text.amount(outcome.earned)} logged; "
                f"{text.amount(outcome.earned - outcome.applied)} above the "
                f"{'cap' if cap is not None else 'limits'} do not count."
            )
        meters.append(
            Meter(
                label=text.title(code),
                value=outcome.applied,
                scale=scale,
                colour=colour,
                caption=caption,
                tick=minimum if minimum > 0 else None,
                tick_label=f"minimum {text.amount(minimum)}",
                note=note,
            )
        )
    return meters


# --- one credential ------------------------------------------------------------------------


@dataclass(frozen=True)
class CredentialCard:
    """Everything the dashboard card and the credential page header show."""

    view: CredentialView
    status_label: str
    status_colour: str
    progress_label: str
    progress_colour: str
    cycle_label: str
    total: Meter | None
    education: list[Meter]
    areas: list[Meter]
    others: list[Meter]
    days_left: str
    next_step: str
    facts: list[str] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.view.credential.id

    @property
    def credential(self):
        return self.view.credential

    @property
    def status(self) -> str:
        return self.view.status

    @property
    def compliance(self) -> compliance.Compliance | None:
        return self.view.compliance

    @property
    def urgency(self) -> tuple:
        result = self.view.compliance
        days = result.days_left if result else 10**6
        return (URGENCY[result.status if result else None], days, self.credential.id)


def credential_card(view: CredentialView) -> CredentialCard:
    result, cycle = view.compliance, view.cycle
    common = {
        "view": view,
        "status_label": CREDENTIAL_LABELS[view.status],
        "status_colour": CREDENTIAL_COLOURS[view.status],
        "cycle_label": f"Cycle {cycle.number}",
    }
    if cycle.policy is not None and cycle.policy.lifetime:
        code = view.credential.certification.code
        return CredentialCard(
            **common,
            progress_label="Held for life",
            progress_colour="success",
            total=None,
            education=[],
            areas=[],
            others=[],
            days_left="Held for life: no cycle end",
            next_step=f"Nothing to renew: {code} is held for life, with no PDUs and no renewal.",
            facts=[cycle.policy.notes] if cycle.policy.notes else [],
        )
    if result is None:
        return CredentialCard(
            **common,
            progress_label="Rules unconfirmed",
            progress_colour="secondary",
            total=None,
            education=[],
            areas=[],
            others=[],
            days_left=(
                f"Cycle ends {text.day(cycle.end)}" if cycle.end else "No cycle end is known"
            ),
            next_step=renewed_step(view)
            or (
                "The catalog does not confirm this certification's renewal rules yet: "
                "check them with the issuer."
            ),
            facts=_next_cycle_facts(view),
        )
    categories = category_meters(result)
    area_category = text.title(_area_category(result))
    return CredentialCard(
        **common,
        progress_label=STATUS_LABELS[result.status],
        progress_colour=STATUS_COLOURS[result.status],
        total=total_meter(result),
        education=[m for m in categories if m.label == area_category],
        areas=area_meters(result),
        others=[m for m in categories if m.label != area_category],
        days_left=days_left_phrase(result, cycle.end),
        next_step=renewed_step(view) or result.next_step,
        facts=_facts(result, renewed=view.next_cycle is not None) + _next_cycle_facts(view),
    )


def cards_by_urgency(views: list[CredentialView]) -> list[CredentialCard]:
    """Cards in the order a holder should act on them (suspended and behind first)."""
    return sorted((credential_card(v) for v in views), key=lambda card: card.urgency)


def _area_category(result: compliance.Compliance) -> str:
    return "education" if "education" in result.by_category else ""


def days_left_phrase(result: compliance.Compliance, end: date) -> str:
    left = result.days_left
    if left > 0:
        return f"{text.days(left)} left (cycle ends {text.day(end)})"
    if left == 0:
        return "The cycle ends today"
    if result.status == "lapsed":
        return (
            f"Cycle ended {text.day(end)}; the grace period ended {text.day(result.grace_ends_on)}"
        )
    grace_left = (result.grace_ends_on - result.as_of).days
    if grace_left >= 0:
        return f"Cycle ended {text.day(end)}; {text.days(grace_left)} of grace left"
    return f"Cycle ended {text.day(end)}"


def _facts(result: compliance.Compliance, *, renewed: bool) -> list[str]:
    facts = []
    running = result.status not in ("complete", "lapsed") and result.days_left > 0
    if running and result.pace_per_month > 0:
        pace = result.pace_per_month.quantize(Decimal("0.1"), rounding=ROUND_UP)
        facts.append(f"About {text.amount(pace)} PDUs a month to finish on time")
    if result.carried_in > 0:
        facts.append(f"{text.pdus(result.carried_in)} carried in from the last cycle")
    if result.carry_over > 0 and not renewed:
        facts.append(f"{text.pdus(result.carry_over)} would carry over into the next cycle")
    return facts


def renewed_step(view: CredentialView) -> str | None:
    """After an early renewal, the next step is to wait for the next cycle: say when."""
    upcoming = view.next_cycle
    if upcoming is None:
        return None
    renewed = view.cycle.renewed_on
    done = f"Renewed on {text.day(renewed)}" if renewed else "Renewed"
    return f"{done}: cycle {upcoming.number} starts {text.day(upcoming.start)}."


def _next_cycle_facts(view: CredentialView) -> list[str]:
    upcoming = view.next_cycle
    if upcoming is None:
        return []
    fact = f"Cycle {upcoming.number} runs from {text.day(upcoming.start)}"
    if upcoming.end:
        fact += f" to {text.day(upcoming.end)}"
    carried = sum((Decimal(str(c["pdus"])) for c in upcoming.carried_in or []), ZERO)
    if carried:
        fact += f", with {text.pdus(carried)} carried in"
    return [fact + "."]


# --- the credential page -------------------------------------------------------------------


@dataclass(frozen=True)
class CycleRow:
    number: int
    start: date
    end: date | None
    policy: str
    renewed_on: date | None
    carried_in: Decimal
    claims: int
    #: "current" (in force today), "next" (opened by an early renewal) or "".
    state: str


def cycle_rows(view: CredentialView) -> list[CycleRow]:
    """Every cycle, newest first, with the PDUs carried in and the claims it counts."""
    rows = []
    for cycle in view.credential.cycles:
        state = "current" if cycle is view.cycle else "next" if cycle is view.next_cycle else ""
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
                claims=len(view.claims_in(cycle)),
                state=state,
            )
        )
    return rows[::-1]
