"""The builder's first phase: who holds which certification, earned when, with which fate
(active, suspended, expired, retired) and which compliance target for the cycle in force."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from pmolearn.catalog.models import Certification, RenewalPolicy
from pmolearn.clock import add_years
from pmolearn.credentials import cycles as rules_of_cycles
from pmolearn.credentials.services import engine_policy
from pmolearn.demo.credentials.plans import CredentialPlan, CyclePlan, Rules
from pmolearn.demo.credentials.tables import (
    BUSINESS_LEADS,
    BUSINESS_STAFF,
    HOLDINGS,
    LEAD,
    MAX_AGE_DAYS,
    MIN_EXPERIENCE,
    PMI,
    PMO_TEAM_FATES,
    PRACTITIONER_DAYS_LEFT,
    PRACTITIONER_NUMBER,
    ROLE_TITLES,
    SENIOR,
)

if TYPE_CHECKING:  # for annotations only
    from pmolearn.demo.context import DemoPerson


class Planner:
    """Plans each person's credentials (``plan``).

    A part of ``_Builder``, which holds the state."""

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
