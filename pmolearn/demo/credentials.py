"""Demo credentials and PDU histories: ``build_credentials``, one of the demo's extra builders.

Who holds what follows the job title (``HOLDINGS``): most project, programme and PMO managers
hold a PMP, programme and portfolio leads add PgMP or PfMP, juniors hold a CAPM, agile roles
PMI-ACP or SAFe SPC, a few PMO people the new PMI-PMOCP (its renewal rules are unconfirmed, so
its cycle has no end) or the legacy PMO-CP.

Every credential is planned from its intended *fate* (``active``, ``suspended``, ``expired``,
``retired``): the earned date is chosen so that the latest cycle ends where that fate needs it
(suspended: within the 12-month grace period before ``today``; expired: beyond it); earlier
cycles were renewed (``renewed_on`` set, carry-over computed by the compliance engine), and the
latest one gets a compliance *target* (``complete``, ``on_track``, ``at_risk``, ``behind``,
``grace``, ``lapsed``). PDU activities are then generated per person to reach those targets:
amounts in quarters, Education split across the three Talent Triangle areas exactly, caps
respected (except where a sign-in's story needs a capped claim), dates inside the cycle and
never after ``today``. Each activity is applied to every PMI credential of its person whose
cycles contain its date, as PMI allows.

The sign-ins tell a story: ``practitioner@`` holds an active PMP whose cycle ends in 96 days
with API.md's example history (at risk: 2 Power Skills PDUs short); ``pmo@`` holds PMP (complete)
and PgMP; the first PMP holders of the Enterprise PMO are suspended, behind and expired, so the
PMO head sees a mixed team.

Deterministic: one random stream of its own (``ctx.stream("credentials")``), ``ctx.today`` for
every date and timestamp, ids assigned here from ``ctx.next_id``. Everything is inserted in bulk.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload

from pmolearn.catalog.models import Certification, RenewalPolicy
from pmolearn.clock import add_years
from pmolearn.credentials import compliance as engine
from pmolearn.credentials import cycles as rules_of_cycles
from pmolearn.credentials.models import Credential, CredentialCycle
from pmolearn.credentials.services import engine_policy
from pmolearn.extensions import db
from pmolearn.pdus.models import PduActivity, pdu_applications

if TYPE_CHECKING:  # no runtime import: the generator imports this module
    import random

    from pmolearn.demo.generator import DemoContext, DemoPerson

STREAM = "credentials"
INSERT_CHUNK = 2000
Q = 4  # amounts are handled in quarter PDUs
AREAS = engine.AREAS
WOW, PS, BA = AREAS
EDUCATION, GIVING_BACK = "education", "giving_back"
WAP = "working_as_professional"
PMI = "PMI"
PRACTITIONER_NUMBER = "3141592"
PRACTITIONER_DAYS_LEFT = 96  # as in API.md's example credential
SENIOR, LEAD = 3, 4  # CareerStage values (the generator is not imported at run time)

STATUSES = ("active", "suspended", "expired", "retired")

# --- who holds what -----------------------------------------------------------------------

#: Certifications by job title: (code, probability), drawn independently in this order.
HOLDINGS: dict[str, tuple[tuple[str, float], ...]] = {
    "Project Coordinator": (("CAPM", 0.35), ("PMP", 0.05)),
    "PMO Analyst": (("CAPM", 0.3), ("PMP", 0.12), ("PMO-CP", 0.05), ("PMI-PMOCP", 0.04)),
    "Portfolio Analyst": (("CAPM", 0.25), ("PMP", 0.12)),
    "Project Manager": (("PMP", 0.65), ("CAPM", 0.12), ("PMI-ACP", 0.1)),
    "Senior Project Manager": (("PMP", 0.85), ("PMI-ACP", 0.12), ("PgMP", 0.08), ("CAPM", 0.05)),
    "Program Manager": (("PMP", 0.85), ("PgMP", 0.35), ("PfMP", 0.06), ("PMI-ACP", 0.08)),
    "Portfolio Manager": (("PMP", 0.8), ("PfMP", 0.35), ("PgMP", 0.15)),
    "PMO Manager": (
        ("PMP", 0.85),
        ("PgMP", 0.15),
        ("PMI-PMOCP", 0.2),
        ("PMO-CP", 0.15),
        ("PfMP", 0.05),
    ),
    "Head of PMO": (
        ("PMP", 0.9),
        ("PgMP", 0.4),
        ("PfMP", 0.2),
        ("PMI-PMOCP", 0.25),
        ("PMO-CP", 0.2),
    ),
    "Scrum Master": (("PMI-ACP", 0.3), ("PMP", 0.1), ("SAFe-SPC", 0.04), ("CAPM", 0.05)),
    "Product Owner": (("PMI-ACP", 0.15), ("PMP", 0.05)),
    "Agile Coach": (("PMI-ACP", 0.4), ("SAFe-SPC", 0.35), ("PMP", 0.25)),
    "Agile PMO Lead": (("PMP", 0.5), ("PMI-ACP", 0.45), ("SAFe-SPC", 0.3), ("PMI-PMOCP", 0.1)),
    "Release Train Engineer": (("PMP", 0.45), ("SAFe-SPC", 0.55), ("PMI-ACP", 0.3)),
    "Business Analyst": (("CAPM", 0.1), ("PMP", 0.08), ("PMI-ACP", 0.05)),
    "Change Manager": (("PMP", 0.2), ("CAPM", 0.1)),
    "Engineering Manager": (("PMP", 0.12), ("PMI-ACP", 0.08), ("SAFe-SPC", 0.03)),
    "Enterprise Architect": (("PMP", 0.1), ("SAFe-SPC", 0.05)),
    "Team Lead": (("PMP", 0.1),),
}
#: Unit heads ("Head of Delivery PMO", ...) hold what their PMO role's title holds.
ROLE_TITLES = {
    "project_coordinator": "Project Coordinator",
    "pmo_analyst": "PMO Analyst",
    "project_manager": "Project Manager",
    "senior_project_manager": "Senior Project Manager",
    "program_manager": "Program Manager",
    "portfolio_manager": "Portfolio Manager",
    "pmo_manager": "PMO Manager",
    "pmo_director": "Head of PMO",
    "agile_pmo_lead": "Agile PMO Lead",
    "release_train_engineer": "Release Train Engineer",
    "agile_transformation_lead": "Agile Coach",
}
BUSINESS_LEADS = (("PMP", 0.06),)
BUSINESS_STAFF = (("PMP", 0.02), ("CAPM", 0.015))

#: Years of experience before a certification is usually earned.
MIN_EXPERIENCE = {
    "PMP": 3,
    "PgMP": 6,
    "PfMP": 8,
    "PMI-ACP": 1,
    "SAFe-SPC": 3,
    "PMI-PMOCP": 3,
    "PMO-CP": 2,
}
MAX_AGE_DAYS = 10 * 365 + 120  # earned within the last ~10 years
#: The first PMP holders of the Enterprise PMO subtree: a mixed team for the PMO head.
PMO_TEAM_FATES = (
    ("suspended", "grace"),
    ("active", "behind"),
    ("expired", "lapsed"),
    ("suspended", "grace"),
)

# --- what the activities are called -------------------------------------------------------

TOPICS = {
    WOW: (
        "Risk management in practice",
        "Earned value management",
        "Hybrid delivery approaches",
        "Schedule compression techniques",
        "Scrum for project managers",
        "Requirements and scope management",
        "Estimating with Monte Carlo simulation",
        "Kanban flow metrics",
        "Quality management on projects",
        "Contract and procurement management",
        "Project controls and reporting",
        "Managing dependencies across teams",
    ),
    PS: (
        "Leading high-performing teams",
        "Negotiation for project leaders",
        "Stakeholder engagement",
        "Coaching skills for managers",
        "Resolving conflict in project teams",
        "Emotional intelligence at work",
        "Facilitating effective workshops",
        "Influencing without authority",
        "Leading remote and hybrid teams",
        "Communicating with executives",
        "Psychological safety in teams",
    ),
    BA: (
        "Benefits realisation management",
        "Writing a compelling business case",
        "Finance for project managers",
        "Portfolio prioritisation and governance",
        "Strategy execution with OKRs",
        "Regulatory compliance on projects",
        "Product management essentials",
        "Value stream management",
        "Organisational change and adoption",
        "Sustainability in project delivery",
    ),
}
BOOKS = {
    WOW: (
        "Making Things Happen",
        "Agile Estimating and Planning",
        "Team Topologies",
        "The Phoenix Project",
        "Kanban: Successful Evolutionary Change",
        "Software Estimation: Demystifying the Black Art",
    ),
    PS: (
        "Crucial Conversations",
        "Radical Candor",
        "The Five Dysfunctions of a Team",
        "Never Split the Difference",
        "Drive",
        "Dare to Lead",
    ),
    BA: (
        "How Big Things Get Done",
        "Good Strategy Bad Strategy",
        "Playing to Win",
        "Measure What Matters",
        "The Lean Startup",
        "Project to Product",
    ),
}
#: PMI Authorized Training Partners (fictional names, PMI-style provider ids).
TRAINING_PARTNERS = (
    ("Kestrel Project Academy", "ATP-4021"),
    ("Northgate PM Training", "ATP-3187"),
    ("Meridian Learning Partners", "ATP-2950"),
    ("Bluewater Consulting Academy", "ATP-5112"),
    ("Ashford Institute of Project Leadership", "ATP-1764"),
    ("Clearpath Agile Training", "ATP-6038"),
)
OTHER_COURSE_PROVIDERS = (
    "Project Management Institute",
    "LinkedIn Learning",
    "Coursera",
    "The Open University",
)
MEDIA_PROVIDERS = (
    "ProjectManagement.com",
    "Project Management Institute",
    "LinkedIn Learning",
    "Association for Project Management",
    "Scrum.org",
)
CHAPTERS = (
    ("PMI UK Chapter", 7),
    ("PMI Ireland Chapter", 1),
    ("PMI Netherlands Chapter", 1),
    ("PMI Germany Chapter", 1),
)
#: Common sizes in PDUs, per activity type (the last activity of a batch takes what is left).
SIZES = {
    "course": (2, 3, 3.5, 4, 7, 7, 8, 10.5, 14, 16, 21),
    "online_media": (0.5, 1, 1, 1, 1.5, 2),
    "organization_meeting": (1, 1.5, 2, 2),  # at most 2 per meeting (PMI)
    "reading": (2, 3, 4, 5, 6),
    "informal_learning": (1, 2, 3, 4),
    WAP: (4, 6, 8),
    "create_content": (1, 2, 3),
    "give_presentation": (1, 1.5, 2, 3),
    "share_knowledge": (1, 2, 3, 4),
    "volunteer": (2, 3, 5, 8),
}
EDUCATION_MIX = (
    ("course", 3),
    ("online_media", 4),
    ("organization_meeting", 2),
    ("reading", 1.5),
    ("informal_learning", 1),
)
GIVING_BACK_MIX = (
    ("volunteer", 2),
    ("share_knowledge", 3),
    ("give_presentation", 2),
    ("create_content", 1),
)
_CUMULATIVE = {
    mix: ([k for k, _ in mix], list(accumulate(w for _, w in mix)))
    for mix in (EDUCATION_MIX, GIVING_BACK_MIX)
}


# --- plans --------------------------------------------------------------------------------


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


# --- the builder --------------------------------------------------------------------------


def build_credentials(ctx: DemoContext) -> dict[str, int]:
    """Give people certifications and PDU histories; {} when the catalog is not seeded."""
    certifications = _load_catalog()
    if "PMP" not in certifications:
        return {}
    builder = _Builder(ctx, certifications)
    builder.plan()
    builder.generate_activities()
    return builder.insert()


def _load_catalog() -> dict[str, Certification]:
    """Certifications with their policies and activity types, in one statement."""
    rows = db.session.scalars(
        select(Certification).options(
            joinedload(Certification.policies).joinedload(RenewalPolicy.activity_types)
        )
    ).unique()
    return {c.code: c for c in rows}


class _Builder:
    def __init__(self, ctx: DemoContext, certifications: dict[str, Certification]) -> None:
        self.ctx = ctx
        self.today = ctx.today
        self.rng: random.Random = ctx.stream(STREAM)
        self.certifications = certifications
        self.rules: dict[int, Rules | None] = {}
        self.company = ctx.units[0].name
        self.credentials: list[CredentialPlan] = []
        self.by_person: dict[int, list[CredentialPlan]] = {}
        self.activities: dict[int, list[Activity]] = {}
        self.numbers: set[str] = {PRACTITIONER_NUMBER}
        self.next_credential_id = ctx.next_id(Credential)
        self.next_activity_id = ctx.next_id(PduActivity)

    # --- planning credentials ---------------------------------------------------------------

    def plan(self) -> None:
        pmo_team_fates = list(PMO_TEAM_FATES)
        for person in self.ctx.people:
            if person.sign_in == "practitioner":
                self._plan_practitioner(person)
                continue
            if person.sign_in == "pmo":
                self._plan_pmo_head(person)
                continue
            holdings = self._holdings_for(person)
            forced = None
            if (
                pmo_team_fates
                and person.unit.in_pmo
                and person.sign_in is None
                and dict(holdings).get("PMP", 0) >= 0.5
            ):
                forced = pmo_team_fates.pop(0)
            self._plan_person(person, holdings, forced)
        self._ensure_every_status()

    def _holdings_for(self, person: DemoPerson) -> tuple[tuple[str, float], ...]:
        title = person.job_title if person.job_title in HOLDINGS else None
        title = title or ROLE_TITLES.get(person.current_role or "")
        if title:
            return HOLDINGS[title]
        if not person.is_project_professional:
            return BUSINESS_LEADS if person.stage >= LEAD else BUSINESS_STAFF
        return BUSINESS_STAFF

    def _plan_person(
        self,
        person: DemoPerson,
        holdings: tuple[tuple[str, float], ...],
        forced: tuple[str, str] | None,
    ) -> None:
        rng = self.rng
        codes = [code for code, chance in holdings if rng.random() < chance]
        if forced and "PMP" not in codes:
            codes.insert(0, "PMP")
        if "PMO-CP" in codes and "PMI-PMOCP" in codes and rng.random() < 0.5:
            codes.remove("PMO-CP")  # most moved on to the new credential
        for code in codes:
            certification = self.certifications.get(code)
            if certification is None:
                continue
            if code == "PMP" and forced:
                fate, target = forced
                earned = self._forced_earned_on() if fate == "active" else None
                self._add(person, certification, fate, target, earned_on=earned)
                continue
            self._add(person, certification, self._draw_fate(person, code, codes), None)

    def _draw_fate(self, person: DemoPerson, code: str, codes: list[str]) -> str:
        retired = 0.04 if person.stage >= SENIOR else 0.0
        if not person.active:
            retired = 0.4
        if code == "CAPM" and "PMP" in codes:  # most let the CAPM lapse once they hold a PMP
            weights = {"active": 0.3, "suspended": 0.1, "expired": 0.6, "retired": 0.0}
        elif code == "PMO-CP":
            weights = {"active": 0.6, "retired": 0.4}
        else:
            weights = {"active": 0.79, "suspended": 0.08, "expired": 0.09, "retired": retired}
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _forced_earned_on(self) -> date:
        """An active cycle well past its middle (so that "behind" means something)."""
        into_cycle = int(3 * 365.25 * self.rng.uniform(0.55, 0.85))
        renewals = self.rng.randint(0, 1)
        return add_years(self.today - timedelta(days=into_cycle), -3 * renewals)

    def _add(
        self,
        person: DemoPerson,
        certification: Certification,
        fate: str,
        target: str | None,
        *,
        earned_on: date | None = None,
        retired_on: date | None = None,
        number: str | None = None,
    ) -> CredentialPlan | None:
        """Plan one credential; its dates follow ``fate`` unless ``earned_on`` is given."""
        rules = self._rules(certification.policy_on(earned_on or self.today))
        if rules is None and fate in ("suspended", "expired"):
            fate = "active"  # no known cycle end: it cannot lapse
        if earned_on is None:
            dates = self._draw_dates(person, certification, fate)
            if dates is None:
                fate, dates = "active", self._draw_dates(person, certification, "active")
            if dates is None:
                return None
            earned_on, until, retired_on = dates
        else:
            until = retired_on or self.today
        cycles = self._cycles(certification, earned_on, until)
        if fate == "retired" and retired_on is None:
            retired_on = self.today
        plan = CredentialPlan(
            id=self.next_credential_id,
            person=person,
            certification=certification,
            number=number or self._number(certification),
            earned_on=earned_on,
            fate=fate,
            target=target,
            cycles=cycles,
            retired_on=retired_on,
        )
        self.next_credential_id += 1
        if plan.target is None:
            plan.target = self._draw_target(plan)
        self.credentials.append(plan)
        self.by_person.setdefault(person.id, []).append(plan)
        return plan

    def _draw_dates(
        self, person: DemoPerson, certification: Certification, fate: str
    ) -> tuple[date, date, date | None] | None:
        """(earned_on, the date the cycles must reach, retired_on) for ``fate``; None if the
        person's experience leaves no room for it."""
        rng, today, code = self.rng, self.today, certification.code
        experience = person.experience_years - MIN_EXPERIENCE.get(code, 0)
        max_age = max(45, min(MAX_AGE_DAYS, experience * 365 + 180))
        if code == "CAPM":
            max_age = min(max_age, 8 * 365)
        earliest = today - timedelta(days=max_age)
        latest = today - timedelta(days=30)
        if certification.available_from:  # a new credential: not before its launch
            earliest = max(earliest, certification.available_from + timedelta(days=20))
        superseded = self.certifications.get(certification.superseded_by or "")
        if superseded is not None and superseded.available_from:  # a legacy one: before it
            latest = min(latest, superseded.available_from - timedelta(days=30))
        if earliest > latest:
            return None
        if fate in ("active", "retired"):
            earned = latest - timedelta(days=rng.randint(0, (latest - earliest).days))
            if fate == "active":
                return earned, today, None
            age = (today - earned).days
            if age < 400:
                return None
            retired_on = today - timedelta(days=rng.randint(0, min(700, age - 300)))
            return earned, retired_on, retired_on
        rules = self._rules(certification.policy_on(latest))
        if rules is None:
            return None
        years = rules.policy.cycle_years
        if fate == "suspended":  # the latest cycle ended less than a grace period ago
            grace_days = max(
                1, (rules_of_cycles.grace_end(today, rules.policy.grace_months) - today).days
            )
            last_end = today - timedelta(days=rng.randint(1, max(1, grace_days - 5)))
        else:  # expired: ended more than a grace period ago
            first = (rules_of_cycles.grace_end(today, rules.policy.grace_months) - today).days + 20
            last_end = today - timedelta(days=rng.randint(first, first + 4 * 365))
        options = [
            n
            for n in (1, 2, 3)
            if add_years(last_end, -years * n) >= earliest - timedelta(days=365)
        ]
        if not options:
            return None
        earned = add_years(last_end, -years * rng.choice(options))
        return earned, last_end, None

    def _cycles(self, certification: Certification, earned_on: date, until: date) -> list:
        """Cycles from ``earned_on`` until one ends on or after ``until``; earlier ones renewed."""
        policy = certification.policy_on(earned_on)
        years = policy.cycle_years if policy else None  # known even when PDUs are not
        end = rules_of_cycles.cycle_end(earned_on, years) if years else None
        cycles = [CyclePlan(1, earned_on, end, policy)]
        while cycles[-1].end is not None and cycles[-1].end < until:
            previous = cycles[-1]
            previous.renewed_on = previous.end - timedelta(days=self.rng.randint(0, 80))
            start = previous.end + timedelta(days=1)
            policy = certification.policy_on(start) or previous.policy
            years = policy.cycle_years if policy else None
            end = add_years(previous.end, years) if years else None
            cycles.append(CyclePlan(previous.number + 1, start, end, policy))
        return cycles

    def _draw_target(self, plan: CredentialPlan) -> str | None:
        """What the latest cycle's compliance should be: drawn for the credential's fate."""
        if self._rules(plan.current_cycle.policy) is None:
            return None
        rng = self.rng
        if plan.fate == "suspended":
            return "grace" if rng.random() < 0.8 else "complete"
        if plan.fate == "expired":
            return "lapsed"
        if plan.fate == "retired":
            return "partial"
        elapsed = self._elapsed_share(plan.current_cycle)
        complete = 0.5 if elapsed >= 0.6 else 0.2 if elapsed >= 0.35 else 0.02
        weights = {"complete": complete, "on_track": 0.38, "at_risk": 0.14, "behind": 0.16}
        return rng.choices(list(weights), weights=list(weights.values()))[0]

    def _elapsed_share(self, cycle: CyclePlan) -> float:
        assert cycle.end is not None
        return (self.today - cycle.start).days / max(1, (cycle.end - cycle.start).days)

    def _number(self, certification: Certification) -> str:
        rng = self.rng
        while True:
            if certification.code == "SAFe-SPC":
                number = f"{rng.randint(10_000_000, 99_999_999)}-{rng.randint(1000, 9999)}"
            elif certification.issuer.code == PMI:
                number = str(rng.randint(1_000_000, 3_999_999))
            else:
                number = f"{certification.code.replace('-', '')}{rng.randint(10_000, 99_999)}"
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def _rules(self, policy: RenewalPolicy | None) -> Rules | None:
        if policy is None:
            return None
        if policy.id not in self.rules:
            self.rules[policy.id] = Rules.of(engine_policy(policy))
        return self.rules[policy.id]

    def _plan_practitioner(self, person: DemoPerson) -> None:
        """An active PMP whose cycle ends in 96 days: API.md's example credential."""
        earned = add_years(self.today + timedelta(days=PRACTITIONER_DAYS_LEFT), -3)
        self._add(
            person,
            self.certifications["PMP"],
            "active",
            "story",
            earned_on=earned,
            number=PRACTITIONER_NUMBER,
        )

    def _plan_pmo_head(self, person: DemoPerson) -> None:
        """PMP in its third cycle, complete; PgMP in its second; the new PMI-PMOCP if it exists."""
        rng = self.rng
        pmp_earned = add_years(self.today, -9) + timedelta(days=rng.randint(250, 330))
        self._add(person, self.certifications["PMP"], "active", "complete", earned_on=pmp_earned)
        if "PgMP" in self.certifications:
            earned = add_years(self.today, -4) + timedelta(days=rng.randint(120, 250))
            self._add(person, self.certifications["PgMP"], "active", "on_track", earned_on=earned)
        pmocp = self.certifications.get("PMI-PMOCP")
        if pmocp is not None and pmocp.available_from:
            earned = pmocp.available_from + timedelta(days=rng.randint(40, 120))
            if earned <= self.today - timedelta(days=14):
                self._add(person, pmocp, "active", None, earned_on=earned)

    def _ensure_every_status(self) -> None:
        """Even a small demo shows each status: re-plan an active credential when one is missing."""
        present = {p.fate for p in self.credentials}
        for fate in ("retired", "expired", "suspended"):
            if fate in present:
                continue
            candidates = [
                p
                for p in self.credentials
                if p.fate == "active"
                and p.person.sign_in is None
                and self._rules(p.current_cycle.policy) is not None
            ]
            candidates.sort(key=lambda p: (-p.person.experience_years, p.id))
            for plan in candidates:
                dates = self._draw_dates(plan.person, plan.certification, fate)
                if dates is None:
                    continue
                plan.earned_on, until, plan.retired_on = dates
                plan.cycles = self._cycles(plan.certification, plan.earned_on, until)
                plan.fate = fate
                if fate == "retired" and plan.retired_on is None:
                    plan.retired_on = self.today
                plan.target = self._draw_target(plan)
                break

    # --- PDU activities ---------------------------------------------------------------------

    def generate_activities(self) -> None:
        for person in self.ctx.people:
            plans = self.by_person.get(person.id)
            if plans:
                self.activities[person.id] = self._person_activities(person, plans)

    def _person_activities(self, person: DemoPerson, plans: list[CredentialPlan]) -> list[Activity]:
        acts: list[Activity] = []
        pmi = [p for p in plans if self._rules(p.current_cycle.policy) is not None]
        if not pmi:
            return acts
        chapter = self.rng.choices([c for c, _ in CHAPTERS], [w for _, w in CHAPTERS])[0]
        # The driver: the most demanding credential still in use; its latest cycle hits its
        # target exactly, so the others get activities only outside that cycle's window (unless
        # the target is complete, which more PDUs cannot change).
        in_use = [p for p in pmi if p.fate in ("active", "suspended")] or pmi
        driver = min(
            in_use, key=lambda p: (-self._rules(p.current_cycle.policy).required, p.earned_on, p.id)
        )
        ordered = [driver] + [p for p in pmi if p is not driver]
        protect = driver.window(driver.current_cycle, self.today)
        if driver.target == "complete":
            protect = None
        for plan in ordered:  # renewed cycles first: each was complete when it was renewed
            for index, cycle in enumerate(plan.cycles[:-1]):
                avoid = None if plan is driver else protect
                self._reach(person, chapter, plan, cycle, "complete", acts, avoid)
                self._carry_over(plan, cycle, plan.cycles[index + 1], acts)
        for plan in ordered:
            if plan.target == "story":
                acts.extend(self._practitioner_story(plan))
                continue
            avoid = None if plan is driver else protect
            if avoid is not None and self._window_outside(plan, plan.current_cycle, avoid) is None:
                continue  # shares the driver's activities
            self._reach(person, chapter, plan, plan.current_cycle, plan.target, acts, avoid)
        self._extras(person, chapter, driver, acts)
        acts.sort(key=lambda a: (a.completed_on, a.id))
        return acts

    def _window_outside(
        self, plan: CredentialPlan, cycle: CyclePlan, avoid: tuple[date, date]
    ) -> tuple[date, date] | None:
        start, end = plan.window(cycle, self.today)
        if end < avoid[0] or start > avoid[1]:
            return start, end
        if start < avoid[0]:
            return start, avoid[0] - timedelta(days=1)
        if end > avoid[1]:
            return avoid[1] + timedelta(days=1), end
        return None

    def _evaluate(
        self, plan: CredentialPlan, cycle: CyclePlan, acts: list[Activity], as_of: date
    ) -> engine.Compliance:
        rules = self._rules(cycle.policy)
        assert rules is not None and cycle.end is not None
        claims = [a.claim for a in acts]
        window = engine.Cycle(
            start=cycle.start,
            end=cycle.end,
            window=plan.counting(cycle, self.today),
            carried_in=tuple(
                engine.Claim(
                    id=-(n + 1),
                    activity_type=item["activity_type"],
                    completed_on=cycle.start,
                    pdus=Decimal(item["pdus"]),
                    areas={a: Decimal(v) for a, v in item["areas"].items()},
                )
                for n, item in enumerate(cycle.carried_in)
            ),
        )
        return engine.evaluate(rules.policy, window, claims, as_of)

    def _reach(
        self,
        person: DemoPerson,
        chapter: str,
        plan: CredentialPlan,
        cycle: CyclePlan,
        target: str | None,
        acts: list[Activity],
        avoid: tuple[date, date] | None,
    ) -> None:
        """Add activities inside ``cycle`` until its applied PDUs reach ``target``."""
        rules = self._rules(cycle.policy)
        if rules is None or target is None:
            return
        start, end = plan.window(cycle, self.today)
        if end < start:
            return
        as_of = min(self.today, plan.retired_on or self.today)
        if cycle is plan.current_cycle and plan.fate in ("active", "retired"):
            end = min(end, as_of)
        goal = self._goal(rules, cycle, target, as_of)
        if goal is None:
            return
        goal_areas, goal_giving_back = goal
        have_areas, have_giving_back, have_wap = (0, 0, 0), 0, 0
        if cycle.carried_in or any(start <= a.completed_on <= end for a in acts):
            result = self._evaluate(plan, cycle, acts, as_of)
            have_areas = tuple(_q(result.by_area[a].applied) for a in AREAS)
            have_giving_back = _q(result.by_category[GIVING_BACK].applied)
            have_wap = _q(result.applied_by_type.get(WAP, 0))
        need_areas = [max(0, g - h) for g, h in zip(goal_areas, have_areas, strict=True)]
        room = rules.giving_back_max - have_giving_back
        need_giving_back = max(0, min(goal_giving_back - have_giving_back, room))
        wap_room = None if rules.wap_cap is None else max(0, rules.wap_cap - have_wap)
        if avoid is not None:
            outside = self._window_outside(plan, cycle, avoid)
            if outside is not None and outside[0] <= min(outside[1], end):
                start, end = outside[0], min(outside[1], end)
        renewed = cycle.renewed_on is not None
        past = renewed or end < self.today - timedelta(days=365)
        acts.extend(self._education(person, chapter, start, end, need_areas, past))
        acts.extend(self._giving_back(chapter, start, end, need_giving_back, wap_room, past))

    def _goal(
        self, rules: Rules, cycle: CyclePlan, target: str, as_of: date
    ) -> tuple[tuple[int, int, int], int] | None:
        """Applied PDUs to reach, in quarters: (per area, giving back)."""
        rng = self.rng
        required = rules.required
        if target == "complete":
            giving_back = round(rules.giving_back_max * rng.uniform(0.2, 1.0))
            education = max(rules.education_min, required - giving_back)
            education += rng.randint(0, required // 5)
            return _split(rng, education, rules.area_min), giving_back
        assert cycle.end is not None
        cycle_days = max(1, (cycle.end - cycle.start).days)
        elapsed = min(max((as_of - cycle.start).days, 0), cycle_days)
        # the engine's pace: on track from required × elapsed / cycle days, at risk from 75 %
        on_track = math.ceil(required * elapsed / cycle_days)
        at_risk = math.ceil(3 * required * elapsed / (4 * cycle_days))
        ceiling = required - Q // 2  # short of the total: never complete by accident
        if target == "behind" and at_risk < 8:
            target = "on_track"
        if target == "at_risk" and at_risk >= on_track:
            target = "on_track"
        if target == "on_track" and on_track > ceiling:
            target = "at_risk"
        if target == "on_track":
            total = rng.randint(on_track, max(on_track, min(ceiling, on_track + required // 5)))
        elif target == "at_risk":
            total = rng.randint(at_risk, min(on_track - 1, ceiling))
        elif target == "behind":
            total = rng.randint(at_risk // 4, at_risk - 1)
        elif target == "grace":
            total = rng.randint(required * 2 // 5, ceiling - Q)
        elif target == "lapsed":
            total = rng.randint(required // 10, required * 3 // 4)
        else:  # partial: a retired credential's last cycle
            total = int(required * elapsed / cycle_days * rng.uniform(0.3, 1.0))
        total = min(max(total, 0), ceiling)
        giving_back = min(rules.giving_back_max, round(total * rng.uniform(0.1, 0.4)))
        zero = (0, 0, 0)
        return _split(rng, total - giving_back, zero), giving_back

    def _carry_over(
        self, plan: CredentialPlan, cycle: CyclePlan, following: CyclePlan, acts: list[Activity]
    ) -> None:
        """At renewal, the engine's carry-over rolls into the next cycle (as ``renew`` does)."""
        rules = self._rules(cycle.policy)
        if rules is None or rules.policy.carry_over_max is None:
            return
        result = self._evaluate(plan, cycle, acts, cycle.renewed_on or cycle.start)
        following.carried_in = [
            {
                "activity_type": c.activity_type,
                "pdus": str(c.pdus),
                "areas": {a: str(v) for a, v in c.areas.items()},
            }
            for c in result.carry_over_claims
        ]

    def _new(self, kind: str, category: str, completed_on: date, quarters: int, **fields: Any):
        activity = Activity(
            id=self.next_activity_id,
            type=kind,
            category=category,
            completed_on=completed_on,
            quarters=quarters,
            areas=fields.pop("areas", (0, 0, 0)),
            **fields,
        )
        self.next_activity_id += 1
        return activity

    def _date(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def _status(self, activity: Activity, past: bool) -> None:
        """Mostly claimed; approved ones (more in past cycles) were reported to the issuer."""
        rng = self.rng
        if rng.random() < (0.3 if past else 0.08):
            activity.status = "approved"
            reported = activity.completed_on + timedelta(days=rng.randint(1, 45))
            activity.reported_on = min(reported, self.today)
        else:
            activity.status = "claimed"

    def _sizes(self, kinds: tuple[tuple[str, float], ...], total: int) -> list[tuple[str, int]]:
        """Activity types and sizes (quarters) adding up to ``total`` exactly."""
        rng = self.rng
        names, cumulative = _CUMULATIVE[kinds]
        result = []
        while total > 0:
            kind = rng.choices(names, cum_weights=cumulative)[0]
            size = min(total, int(rng.choice(SIZES[kind]) * Q))
            if kind == "organization_meeting" and total - size > 0 and total - size < Q:
                kind = "course"  # a meeting counts at most 2: leave no crumbs behind it
            if total - size < Q // 2 and kind != "organization_meeting":
                size = total  # no 0.25-PDU crumbs at the end
            result.append((kind, size))
            total -= size
        return result

    def _education(
        self,
        person: DemoPerson,
        chapter: str,
        start: date,
        end: date,
        need: list[int],
        past: bool,
    ) -> list[Activity]:
        """Education activities adding up to ``need`` in each area exactly."""
        rng = self.rng
        budget = list(need)
        acts = []
        for kind, size in self._sizes(EDUCATION_MIX, sum(need)):
            areas = [0, 0, 0]
            theme = rng.choices(range(3), weights=[b + 0.01 for b in budget])[0]
            left = size
            for index in [theme, *sorted(range(3), key=lambda i: -budget[i])]:
                take = min(left, budget[index])
                areas[index] += take
                budget[index] -= take
                left -= take
            assert left == 0
            dominant = max(range(3), key=lambda i: areas[i])
            completed = self._date(start, end)
            title, provider, provider_id, started = self._describe(
                kind, AREAS[dominant], chapter, completed
            )
            activity = self._new(
                kind,
                EDUCATION,
                completed,
                size,
                areas=tuple(areas),
                title=title,
                provider=provider,
                provider_id=provider_id,
                started_on=started,
            )
            self._status(activity, past)
            acts.append(activity)
        return acts

    def _giving_back(
        self,
        chapter: str,
        start: date,
        end: date,
        need: int,
        wap_room: int | None,
        past: bool,
    ) -> list[Activity]:
        rng = self.rng
        plan: list[tuple[str, int]] = []
        if need > 0 and (wap_room is None or wap_room >= Q) and rng.random() < 0.65:
            size = min(need, int(rng.choice(SIZES[WAP]) * Q))
            size = size if wap_room is None else min(size, wap_room)
            plan.append((WAP, size))
            need -= size
        plan += self._sizes(GIVING_BACK_MIX, need)
        acts = []
        for kind, size in plan:
            completed = self._date(start, end)
            title, provider, provider_id, started = self._describe(
                kind, rng.choice(AREAS), chapter, completed
            )
            activity = self._new(
                kind,
                GIVING_BACK,
                completed,
                size,
                title=title,
                provider=provider,
                provider_id=provider_id,
                started_on=started,
            )
            self._status(activity, past)
            acts.append(activity)
        return acts

    def _describe(
        self, kind: str, area: str, chapter: str, completed: date
    ) -> tuple[str, str | None, str | None, date | None]:
        """(title, provider, provider id, started_on) of an activity of ``kind``."""
        rng = self.rng
        topic = rng.choice(TOPICS[area])
        if kind == "course":
            started = completed - timedelta(days=rng.randint(0, 30))
            if rng.random() < 0.6:
                provider, provider_id = rng.choice(TRAINING_PARTNERS)
                return topic, provider, provider_id, started
            return f"{topic} (e-learning)", rng.choice(OTHER_COURSE_PROVIDERS), None, started
        if kind == "online_media":
            form = rng.choice(("Webinar", "Webinar", "Podcast", "On-demand video"))
            return f"{form}: {topic}", rng.choice(MEDIA_PROVIDERS), None, None
        if kind == "organization_meeting":
            form = rng.choice(("meeting", "evening talk", "breakfast seminar"))
            return f"{chapter} {form}: {topic}", chapter, None, None
        if kind == "reading":
            return f"Book: {rng.choice(BOOKS[area])}", None, None, None
        if kind == "informal_learning":
            form = rng.choice(
                ("Peer learning circle", "Lessons-learned workshop", "Mentoring sessions")
            )
            return f"{form}: {topic}", None, None, None
        if kind == WAP:
            started = completed - timedelta(days=rng.randint(180, 365))
            return (
                f"Working as a project professional at {self.company}",
                self.company,
                None,
                started,
            )
        if kind == "create_content":
            form = rng.choice(
                ("Blog post", f"Article for the {chapter} newsletter", "Internal playbook")
            )
            return f"{form}: {topic}", None, None, None
        if kind == "give_presentation":
            form = rng.choice((f"Talk at the {chapter}", "Lunch-and-learn", "Conference session"))
            return f"{form}: {topic}", None, None, None
        if kind == "share_knowledge":
            title = rng.choice(
                (
                    "Mentoring a junior project manager",
                    "Coaching PMP candidates",
                    "Teaching the internal project fundamentals course",
                )
            )
            return title, None, None, None
        title = rng.choice(
            (
                f"{chapter} volunteer: events team",
                f"{chapter} volunteer: mentoring programme",
                "Pro bono project manager for a local charity",
                "Volunteer reviewer for a PMI standard",
            )
        )
        return title, chapter if chapter in title else None, None, None

    def _extras(
        self, person: DemoPerson, chapter: str, driver: CredentialPlan, acts: list[Activity]
    ) -> None:
        """A few drafts (not counted yet) and the odd rejected claim."""
        rng = self.rng
        if driver.fate != "active" or driver.target == "story":
            return
        start = driver.current_cycle.start
        if rng.random() < 0.2:
            for _ in range(rng.randint(1, 2)):
                completed = max(start, self.today - timedelta(days=rng.randint(0, 45)))
                area = rng.choice(AREAS)
                size = int(rng.choice(SIZES["online_media"]) * Q)
                title, provider, provider_id, started = self._describe(
                    "online_media", area, chapter, completed
                )
                areas = tuple(size if a == area else 0 for a in AREAS)
                acts.append(
                    self._new(
                        "online_media",
                        EDUCATION,
                        completed,
                        size,
                        areas=areas,
                        title=title,
                        provider=provider,
                        provider_id=provider_id,
                        status="draft",
                        notes="To finish: add the certificate.",
                    )
                )
        if rng.random() < 0.03:
            completed = self._date(start, self.today)
            acts.append(
                self._new(
                    "informal_learning",
                    EDUCATION,
                    completed,
                    2 * Q,
                    areas=(2 * Q, 0, 0),
                    title="Weekly project team stand-ups",
                    provider=None,
                    provider_id=None,
                    status="rejected",
                    reported_on=completed,
                    notes="Rejected by PMI: routine work is not learning.",
                )
            )

    def _practitioner_story(self, plan: CredentialPlan) -> list[Activity]:
        """API.md's example: Education 30 (Power Skills 6 of 8), Giving Back 17.5 of which
        Working as a Professional 11.5 (capped at 8), so 44 applied; plus two drafts."""
        start = plan.earned_on
        span = (self.today - start).days
        acts = []
        for share, kind, title, provider, provider_id, pdus, areas in PRACTITIONER_HISTORY:
            completed = start + timedelta(days=int(span * share))
            category = EDUCATION if areas else GIVING_BACK
            provider = {"{company}": self.company}.get(provider or "", provider)
            activity = self._new(
                kind,
                category,
                completed,
                int(pdus * Q),
                areas=tuple(int(x * Q) for x in areas) if areas else (0, 0, 0),
                title=title.format(company=self.company),
                provider=provider,
                provider_id=provider_id,
            )
            self._status(activity, past=share < 0.5)
            acts.append(activity)
        for days_ago, title, provider, pdus in PRACTITIONER_DRAFTS:
            completed = max(start, self.today - timedelta(days=days_ago))
            acts.append(
                self._new(
                    "online_media",
                    EDUCATION,
                    completed,
                    int(pdus * Q),
                    areas=(0, int(pdus * Q), 0),
                    title=title,
                    provider=provider,
                    provider_id=None,
                    status="draft",
                )
            )
        return acts

    # --- rows -------------------------------------------------------------------------------

    def insert(self) -> dict[str, int]:
        ctx = self.ctx
        credential_rows, cycle_rows = [], []
        next_cycle_id = ctx.next_id(CredentialCycle)
        for plan in self.credentials:
            latest_end, latest_grace_end = rules_of_cycles.latest_dates(plan.cycle_dates)
            credential_rows.append(
                {
                    "id": plan.id,
                    "person_id": plan.person.id,
                    "certification_id": plan.certification.id,
                    "number": plan.number,
                    "earned_on": plan.earned_on,
                    "retired_on": plan.retired_on,
                    "latest_end": latest_end,
                    "latest_grace_end": latest_grace_end,
                    "created_at": self._stamp(plan.earned_on + timedelta(days=7)),
                }
            )
            for cycle in plan.cycles:
                cycle_rows.append(
                    {
                        "id": next_cycle_id,
                        "credential_id": plan.id,
                        "number": cycle.number,
                        "start": cycle.start,
                        "end": cycle.end,
                        "policy_id": cycle.policy.id if cycle.policy else None,
                        "renewed_on": cycle.renewed_on,
                        "carried_in": cycle.carried_in,
                    }
                )
                next_cycle_id += 1
        activity_rows, application_rows = [], []
        for person_id, acts in self.activities.items():
            holders = [
                (plan.id, plan.earned_on, plan.last_counting_day(self.today))
                for plan in self.by_person[person_id]
                if plan.certification.issuer.code == PMI
            ]
            for activity in acts:
                activity_rows.append(self._activity_row(person_id, activity))
                day = activity.completed_on
                application_rows += [
                    {"activity_id": activity.id, "credential_id": credential_id}
                    for credential_id, first, last in holders
                    if first <= day <= last
                ]
        counts = {
            "credentials": _insert(ctx, Credential, credential_rows),
            "credential_cycles": _insert(ctx, CredentialCycle, cycle_rows),
            "pdu_activities": _insert(ctx, PduActivity, activity_rows),
            "pdu_applications": _insert(ctx, pdu_applications, application_rows),
        }
        statuses = [
            rules_of_cycles.credential_status(
                plan.cycle_dates, self.today, retired_on=plan.retired_on
            )
            for plan in self.credentials
        ]
        counts |= {f"credentials_{status}": statuses.count(status) for status in STATUSES}
        return counts

    def _activity_row(self, person_id: int, activity: Activity) -> dict[str, Any]:
        areas = activity.areas
        stamp = self._stamp(activity.reported_on or activity.completed_on + timedelta(days=3))
        return {
            "id": activity.id,
            "person_id": person_id,
            "title": activity.title,
            "provider": activity.provider,
            "provider_id": activity.provider_id,
            "activity_type": activity.type,
            "category": activity.category,
            "started_on": activity.started_on,
            "completed_on": activity.completed_on,
            "pdus": _pdus(activity.quarters),
            "ways_of_working": _pdus(areas[0]),
            "power_skills": _pdus(areas[1]),
            "business_acumen": _pdus(areas[2]),
            "notes": activity.notes,
            "status": activity.status,
            "reported_on": activity.reported_on,
            "created_at": stamp,
            "updated_at": stamp,
        }

    def _stamp(self, day: date) -> datetime:
        return datetime.combine(min(day, self.today), time(9), tzinfo=UTC)


def _insert(ctx: DemoContext, model: Any, rows: list[dict[str, Any]]) -> int:
    """Bulk insert in chunks, like ``ctx.insert``, as a Core INSERT of the model's table.

    Why not the ORM bulk INSERT that ``ctx.insert`` uses: it leaves a None out of its row, and
    rows whose None columns differ cannot share a batch (with nullable provider, dates and
    notes, that is nearly one statement per activity); its per-row bookkeeping costs more too.
    Every row here has every column, so no default applies.
    """
    table = getattr(model, "__table__", model)
    statement = insert(table)
    for start in range(0, len(rows), INSERT_CHUNK):
        db.session.execute(statement, rows[start : start + INSERT_CHUNK])
    if rows and "id" in rows[0]:
        ctx.explicit_id_tables.add(table.name)
    return len(rows)


def _split(rng: random.Random, total: int, minimums: tuple[int, int, int]) -> tuple[int, ...]:
    """``total`` quarters over the three areas, each at least its minimum, adding up exactly."""
    spare = total - sum(minimums)
    if spare < 0:
        return minimums
    weights = [rng.uniform(0.5, 1.5) for _ in AREAS]
    shares = [int(spare * w / sum(weights)) for w in weights]
    shares[rng.randrange(3)] += spare - sum(shares)
    return tuple(m + s for m, s in zip(minimums, shares, strict=True))


#: practitioner@'s PMP history: (share of the cycle so far, type, title, provider, provider id,
#: PDUs, (Ways of Working, Power Skills, Business Acumen) or None for Giving Back).
PRACTITIONER_HISTORY: tuple[
    tuple[float, str, str, str | None, str | None, float, tuple[float, float, float] | None], ...
] = (
    (
        0.06,
        WAP,
        "Working as a project manager at {company} (first year)",
        "{company}",
        None,
        6,
        None,
    ),
    (
        0.10,
        "course",
        "Risk management in practice",
        "Kestrel Project Academy",
        "ATP-4021",
        8,
        (8, 0, 0),
    ),
    (
        0.18,
        "organization_meeting",
        "PMI UK Chapter meeting: Earned value on fixed-price contracts",
        "PMI UK Chapter",
        None,
        2,
        (1, 0, 1),
    ),
    (0.25, "reading", "Book: How Big Things Get Done", None, None, 4, (0, 0, 4)),
    (
        0.33,
        "online_media",
        "Webinar: Negotiation for project leaders",
        "ProjectManagement.com",
        None,
        2,
        (0, 2, 0),
    ),
    (
        0.41,
        "give_presentation",
        "Lunch-and-learn: Lessons learned from the ERP roll-out",
        None,
        None,
        3,
        None,
    ),
    (
        0.47,
        "course",
        "Benefits realisation management",
        "Meridian Learning Partners",
        "ATP-2950",
        7,
        (0, 0, 7),
    ),
    (
        0.55,
        WAP,
        "Working as a project manager at {company} (second year)",
        "{company}",
        None,
        5.5,
        None,
    ),
    (
        0.62,
        "online_media",
        "Webinar: Estimating with Monte Carlo simulation",
        "ProjectManagement.com",
        None,
        1.5,
        (1.5, 0, 0),
    ),
    (0.70, "course", "Stakeholder engagement", "Northgate PM Training", "ATP-3187", 4, (0, 4, 0)),
    (0.78, "share_knowledge", "Mentoring a junior project manager", None, None, 3, None),
    (0.86, "reading", "Book: Making Things Happen", None, None, 1.5, (1.5, 0, 0)),
)
#: (days ago, title, provider, Power Skills PDUs): logged but not claimed yet.
PRACTITIONER_DRAFTS = (
    (12, "Webinar: Emotional intelligence at work", "ProjectManagement.com", 1),
    (4, "Podcast: Influencing without authority", "Project Management Institute", 0.5),
)
