"""How far a person is from a PMO role: the one home of the capability rules. Pure (standard
library only), over plain facts the services load in bulk.

- **Effective level** of a skill: the latest manager assessment, else the latest self
  assessment; an active credential that implies a higher level lifts it to that floor (and only
  while the credential is active: the caller passes the codes active on the day).
- **Gap** per required skill: exactly ``max(0, required - actual)``, an unassessed skill being 0.
- **Certification groups**: ``all`` of the codes, or ``any`` one of them, held active; only
  ``required`` groups count toward readiness, ``preferred`` ones are shown.
- **Readiness** in [0, 1]: the mean over the requirements (each required skill counting
  ``min(actual / required, 1)``, each required group 1 or 0); 1 with no requirement at all.
- **Ready**: every skill at its level and every required group met.
- **Next step**: of earning one certification (any option of an unmet group, with the levels it
  implies) or raising one skill by one level, the one that lifts readiness most; ties go to what
  meets more requirements (preferred groups too), then to a certification.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

SOURCES = ("self", "manager")


# --- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillNeed:
    skill: str
    level: int
    #: The level the role aims at in time (shown; not required).
    target: int | None = None


@dataclass(frozen=True)
class CertGroup:
    mode: str  # "all" | "any"
    requirement: str  # "required" | "preferred"
    codes: tuple[str, ...]

    @property
    def label(self) -> str:
        return ("all of " if self.mode == "all" else "any of ") + ", ".join(self.codes)

    def met_by(self, active: Iterable[str]) -> bool:
        held = set(active)
        if self.mode == "all":
            return all(code in held for code in self.codes)
        return any(code in held for code in self.codes)


@dataclass(frozen=True)
class Role:
    code: str
    name: str
    skills: tuple[SkillNeed, ...] = ()
    groups: tuple[CertGroup, ...] = ()


@dataclass(frozen=True)
class Assessment:
    skill: str
    level: int
    source: str  # "self" | "manager"
    on: date


#: {certification code: {skill code: level}}
Implied = Mapping[str, Mapping[str, int]]


# --- effective levels ------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    skill: str
    level: int
    #: "manager", "self" or "credential" (then ``credential`` names it).
    source: str
    credential: str | None = None
    assessed_on: date | None = None


def effective_levels(
    assessments: Iterable[Assessment], active: Iterable[str], implied: Implied
) -> dict[str, Level]:
    """Each skill's level from the latest manager, else self, assessment, floored by what the
    active credentials imply."""
    latest: dict[tuple[str, str], Assessment] = {}
    for a in assessments:
        key = (a.skill, a.source)
        if key not in latest or a.on >= latest[key].on:
            latest[key] = a
    levels: dict[str, Level] = {}
    for (skill, source), a in latest.items():
        if source == "manager" or (skill, "manager") not in latest:
            levels[skill] = Level(skill, a.level, source, assessed_on=a.on)
    for code in sorted(set(active)):
        for skill, floor in (implied.get(code) or {}).items():
            current = levels.get(skill)
            if current is None or floor > current.level:
                levels[skill] = Level(skill, floor, "credential", code)
    return levels


# --- the gap ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillGap:
    skill: str
    required: int
    actual: int
    source: str | None = None
    target: int | None = None

    @property
    def gap(self) -> int:
        return max(0, self.required - self.actual)


@dataclass(frozen=True)
class GroupResult:
    group: CertGroup
    met: bool

    @property
    def mode(self) -> str:
        return self.group.mode

    @property
    def options(self) -> tuple[str, ...]:
        return self.group.codes


@dataclass(frozen=True)
class NextStep:
    kind: str  # "certification" | "skill"
    code: str
    #: The skill's new level (for a skill step).
    level: int | None
    #: Requirements it would newly meet (preferred groups included).
    meets: int
    readiness: float
    words: str


@dataclass(frozen=True)
class Gap:
    role: Role
    readiness: float
    skills: tuple[SkillGap, ...]
    certifications: tuple[GroupResult, ...]
    next_step: NextStep | None = None

    @property
    def ready(self) -> bool:
        return all(s.gap == 0 for s in self.skills) and all(
            g.met for g in self.certifications if g.group.requirement == "required"
        )

    @property
    def total_gap(self) -> int:
        return sum(s.gap for s in self.skills)


def _score(role: Role, levels: Mapping[str, Level], active: frozenset[str]) -> tuple:
    skills = tuple(
        SkillGap(
            need.skill,
            need.level,
            levels[need.skill].level if need.skill in levels else 0,
            levels[need.skill].source if need.skill in levels else None,
            need.target,
        )
        for need in role.skills
    )
    groups = tuple(GroupResult(g, g.met_by(active)) for g in role.groups)
    required = [g for g in groups if g.group.requirement == "required"]
    parts = [min(Fraction(s.actual, s.required), Fraction(1)) for s in skills]
    parts += [Fraction(int(g.met)) for g in required]
    readiness = float(sum(parts) / len(parts)) if parts else 1.0
    met = sum(s.gap == 0 for s in skills) + sum(g.met for g in groups)
    return readiness, skills, groups, met


def gap(
    role: Role,
    assessments: Iterable[Assessment],
    active: Iterable[str],
    implied: Implied,
    levels_defined: Mapping[str, Iterable[int]] | None = None,
    *,
    names: Mapping[str, str] | None = None,
    with_next_step: bool = True,
) -> Gap:
    """The person's gap to ``role``; ``levels_defined`` (skill -> levels at which it exists)
    lets the next step name the next real level of a skill."""
    assessments = tuple(assessments)
    held = frozenset(active)
    levels = effective_levels(assessments, held, implied)
    readiness, skills, groups, met = _score(role, levels, held)
    step = None
    if with_next_step:
        step = _next_step(
            role,
            assessments,
            held,
            implied,
            levels_defined or {},
            names or {},
            readiness,
            met,
            skills,
        )
    return Gap(role, readiness, skills, groups, step)


def _next_step(role, assessments, held, implied, defined, names, readiness, met, skills):
    candidates: list[tuple[tuple, NextStep]] = []
    for group in role.groups:
        if group.met_by(held):
            continue
        for code in group.codes:
            if code in held:
                continue
            after = held | {code}
            levels = effective_levels(assessments, after, implied)
            new, _s, _g, new_met = _score(role, levels, after)
            raised = [
                f"{names.get(s, s)} to {lvl}"
                for s, lvl in (implied.get(code) or {}).items()
                if any(n.skill == s for n in role.skills)
            ]
            words = f"Earn the {code}: it meets “{group.label}”"
            words += " and raises " + ", ".join(raised) + "." if raised else "."
            step = NextStep("certification", code, None, new_met - met, new, words)
            candidates.append(((new - readiness, new_met - met, 1), step))
    for s in skills:
        if s.gap == 0:
            continue
        options = sorted(level for level in defined.get(s.skill, ()) if level > s.actual)
        level = options[0] if options else s.actual + 1
        raised = [a for a in assessments if a.skill != s.skill]
        raised.append(Assessment(s.skill, level, "manager", date.max))
        levels = effective_levels(raised, held, implied)
        new, _s, _g, new_met = _score(role, levels, held)
        name = names.get(s.skill, s.skill)
        words = (
            f"Raise {name} from {s.actual} to {level}"
            if s.actual
            else f"Reach {name} at level {level}"
        )
        words += f" (the role asks for {s.required})."
        step = NextStep("skill", s.skill, level, new_met - met, new, words)
        candidates.append(((new - readiness, new_met - met, 0), step))
    if not candidates:
        return None
    return max(candidates, key=lambda c: c[0])[1]
