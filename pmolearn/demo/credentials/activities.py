"""The builder's second phase: PDU activities per person that reach each credential's target,
in quarters, split across the Talent Triangle areas exactly, within the caps."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pmolearn.credentials import compliance as engine
from pmolearn.demo.credentials.plans import Activity, CredentialPlan, CyclePlan, Rules, _q, _split
from pmolearn.demo.credentials.tables import (
    _CUMULATIVE,
    AREAS,
    CHAPTERS,
    EDUCATION,
    EDUCATION_MIX,
    GIVING_BACK,
    GIVING_BACK_MIX,
    SIZES,
    WAP,
    Q,
)

if TYPE_CHECKING:  # for annotations only
    from pmolearn.demo.context import DemoPerson


class ActivityWriter:
    """Generates the PDU activities (``generate_activities``).

    A part of ``_Builder``, which holds the state."""

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
