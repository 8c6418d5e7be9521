"""The engine's inputs and results, its constants, and exact arithmetic on amounts (hundredths,
quantized only when a result is built). Pure, like the whole engine: the standard library and
the other pure modules (``cycles``, ``text``)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

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


# --- amounts ---------------------------------------------------------------------------------


def _q(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def _q_all(amounts: Mapping[str, Decimal]) -> dict[str, Decimal]:
    return {k: _q(v) for k, v in amounts.items()}


def _q_remaining(remaining: Remaining) -> Remaining:
    return Remaining(_q(remaining.total), _q_all(remaining.by_category), _q_all(remaining.areas))


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)
