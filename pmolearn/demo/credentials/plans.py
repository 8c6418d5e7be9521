"""What the builder plans before it inserts: cycles, credentials, activities and the renewal rules
they are judged by, in quarter PDUs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from pmolearn.catalog.models import Certification, RenewalPolicy
from pmolearn.credentials import compliance as engine
from pmolearn.credentials import cycles as rules_of_cycles
from pmolearn.demo.credentials.tables import AREAS, EDUCATION, GIVING_BACK, WAP, Q

if TYPE_CHECKING:  # for annotations only
    import random

    from pmolearn.demo.context import DemoPerson


@dataclass(eq=False, slots=True)
class CyclePlan:
    """One cycle to insert; its dates are judged by ``credentials.cycles`` like a real one's."""

    number: int
    start: date
    end: date | None
    policy: RenewalPolicy | None
    renewed_on: date | None = None
    carried_in: list[dict] = field(default_factory=list)

    @property
    def dates(self) -> rules_of_cycles.CycleDates:
        grace = (self.policy.grace_months if self.policy else None) or 0
        return rules_of_cycles.CycleDates(self.number, self.start, self.end, self.renewed_on, grace)


@dataclass(eq=False, slots=True)
class CredentialPlan:
    """A credential to insert, with its planned cycles."""

    id: int
    person: DemoPerson
    certification: Certification
    number: str
    earned_on: date
    fate: str
    target: str | None
    cycles: list[CyclePlan]
    retired_on: date | None = None

    @property
    def current_cycle(self) -> CyclePlan:
        return self.cycles[-1]

    @property
    def code(self) -> str:
        return self.certification.code

    @property
    def cycle_dates(self) -> tuple[rules_of_cycles.CycleDates, ...]:
        return tuple(c.dates for c in self.cycles)

    def counting(self, cycle: CyclePlan, today: date) -> rules_of_cycles.Window:
        """``cycles.window`` of ``cycle``, never after ``today`` (nor after retirement); a
        renewed cycle's PDUs were all in by its renewal, so the demo logs them by then."""
        window = rules_of_cycles.window(self.cycle_dates, self.cycles.index(cycle))
        last = min(d for d in (today, self.retired_on, cycle.renewed_on) if d is not None)
        return window.through(last)

    def last_counting_day(self, today: date) -> date:
        """The last completion date that can count for it (PMI: through the grace period)."""
        return self.counting(self.current_cycle, today).last

    def window(self, cycle: CyclePlan, today: date) -> tuple[date, date]:
        """The first and last completion dates that count toward ``cycle``."""
        window = self.counting(cycle, today)
        first = window.first if window.after is None else window.after + timedelta(days=1)
        return max(first, window.first), window.last


@dataclass(eq=False, slots=True)
class Activity:
    id: int
    type: str
    category: str
    title: str
    provider: str | None
    provider_id: str | None
    completed_on: date
    quarters: int
    areas: tuple[int, int, int]  # quarters per Talent Triangle area (Education only)
    status: str = "claimed"
    started_on: date | None = None
    reported_on: date | None = None
    notes: str | None = None
    _claim: engine.Claim | None = None

    @property
    def claim(self) -> engine.Claim:
        if self._claim is None:
            self._claim = engine.Claim(
                id=self.id,
                activity_type=self.type,
                completed_on=self.completed_on,
                pdus=_pdus(self.quarters),
                areas={a: _pdus(q) for a, q in zip(AREAS, self.areas, strict=True) if q},
                status=self.status,
            )
        return self._claim


@dataclass(frozen=True, slots=True)
class Rules:
    """A confirmed PMI-style policy in quarters, for planning targets."""

    policy: engine.Policy
    required: int
    education_min: int
    giving_back_max: int
    area_min: tuple[int, int, int]
    wap_cap: int | None

    @classmethod
    def of(cls, policy: engine.Policy | None) -> Rules | None:
        if policy is None or EDUCATION not in policy.categories:
            return None
        giving_back = policy.categories.get(GIVING_BACK)
        if giving_back is None or giving_back.max is None:
            return None
        wap = policy.activity_types.get(WAP)
        return cls(
            policy=policy,
            required=_q(policy.pdus_required),
            education_min=_q(policy.categories[EDUCATION].min),
            giving_back_max=_q(giving_back.max),
            area_min=tuple(_q(policy.area_minimums.get(a, 0)) for a in AREAS),
            wap_cap=None if wap is None or wap.cap_per_cycle is None else _q(wap.cap_per_cycle),
        )


_DECIMALS: dict[int, Decimal] = {}


def _pdus(quarters: int) -> Decimal:
    value = _DECIMALS.get(quarters)
    if value is None:
        value = _DECIMALS[quarters] = (Decimal(quarters) / Q).quantize(engine.CENT)
    return value


def _q(amount: Decimal | int | float) -> int:
    return int(Decimal(str(amount)) * Q)


def _split(rng: random.Random, total: int, minimums: tuple[int, int, int]) -> tuple[int, ...]:
    """``total`` quarters over the three areas, each at least its minimum, adding up exactly."""
    spare = total - sum(minimums)
    if spare < 0:
        return minimums
    weights = [rng.uniform(0.5, 1.5) for _ in AREAS]
    shares = [int(spare * w / sum(weights)) for w in weights]
    shares[rng.randrange(3)] += spare - sum(shares)
    return tuple(m + s for m, s in zip(minimums, shares, strict=True))
