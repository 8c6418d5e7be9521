"""Capability of one person: the framework as pure values, assessments (recorded, never
changed), effective levels and the gap to a role. Loads in a fixed number of statements and asks
``gap`` for every rule."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pmolearn.audit.services import record
from pmolearn.credentials import cycles
from pmolearn.credentials.queries import held_by
from pmolearn.errors import ApiError, ValidationFailed
from pmolearn.extensions import db
from pmolearn.fields import Field
from pmolearn.people.models import Person
from pmolearn.people.scope import can_see
from pmolearn.skills import gap as rules
from pmolearn.skills.models import (
    CertificationSkill,
    JobRole,
    JobRoleSkill,
    Skill,
    SkillAssessment,
    SkillLevel,
)
from pmolearn.web import found_or_404

NOTE = Field("note", "Note", limit=500)


# --- the framework ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Framework:
    """Roles, skills and implied levels as the pure module wants them (4 statements)."""

    roles: dict[str, rules.Role]
    role_names: dict[str, str]
    skills: dict[str, Skill]
    implied: dict[str, dict[str, int]]

    @property
    def skill_names(self) -> dict[str, str]:
        return {code: skill.name for code, skill in self.skills.items()}

    @property
    def levels_defined(self) -> dict[str, list[int]]:
        return {code: list(skill.levels_defined) for code, skill in self.skills.items()}


def job_roles() -> list[JobRole]:
    return list(
        db.session.scalars(
            select(JobRole)
            .options(
                selectinload(JobRole.skill_requirements),
                selectinload(JobRole.certification_groups),
            )
            .order_by(JobRole.name)
        )
    )


def pure_role(role: JobRole) -> rules.Role:
    groups = sorted(role.certification_groups, key=lambda g: (g.requirement != "required", g.id))
    return rules.Role(
        role.code,
        role.name,
        tuple(
            rules.SkillNeed(r.skill.code, r.level, r.target_level)
            for r in sorted(role.skill_requirements, key=lambda r: (-r.level, r.skill.code))
        ),
        tuple(rules.CertGroup(g.mode, g.requirement, tuple(g.certification_codes)) for g in groups),
    )


def framework() -> Framework:
    roles = job_roles()
    skills = {s.code: s for s in db.session.scalars(select(Skill).order_by(Skill.code))}
    implied: dict[str, dict[str, int]] = defaultdict(dict)
    for code, skill, level in db.session.execute(
        select(CertificationSkill.certification_code, Skill.code, CertificationSkill.level).join(
            Skill, Skill.id == CertificationSkill.skill_id
        )
    ):
        implied[code][skill] = level
    return Framework(
        {r.code: pure_role(r) for r in roles},
        {r.code: r.name for r in roles},
        skills,
        dict(implied),
    )


def skill_levels() -> list[SkillLevel]:
    return list(db.session.scalars(select(SkillLevel).order_by(SkillLevel.level)))


# --- facts about people ----------------------------------------------------------------------


def assessments_of(person_ids: Iterable[int]) -> dict[int, list[rules.Assessment]]:
    """Every assessment of these people, as pure values (one statement)."""
    ids = list(person_ids)
    found: dict[int, list[rules.Assessment]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.execute(
        select(
            SkillAssessment.person_id,
            Skill.code,
            SkillAssessment.level,
            SkillAssessment.source,
            SkillAssessment.assessed_on,
        )
        .join(Skill, Skill.id == SkillAssessment.skill_id)
        .where(SkillAssessment.person_id.in_(ids))
        .order_by(SkillAssessment.assessed_on, SkillAssessment.id)
    )
    for pid, skill, level, source, on in rows:
        found[pid].append(rules.Assessment(skill, level, source, on))
    return found


def active_codes(person_ids: Iterable[int], on: date) -> dict[int, frozenset[str]]:
    """The certifications each person holds active on ``on`` (one statement)."""
    ids = list(person_ids)
    held = held_by(ids, on)
    return {
        pid: frozenset(h.certification for h in held.get(pid, []) if h.status == cycles.ACTIVE)
        for pid in ids
    }


def role_of(person: Person, asked: str | None, known: dict[str, rules.Role]) -> rules.Role | None:
    """The role asked for, else the person's target role, else their current one."""
    for code in (
        asked,
        person.target_role.code if person.target_role else None,
        person.current_role.code if person.current_role else None,
    ):
        if code:
            return known.get(code)
    return None


@dataclass(frozen=True)
class PersonCapability:
    person: Person
    levels: dict[str, rules.Level]
    active: frozenset[str]
    gap: rules.Gap | None
    frame: Framework


def person_capability(person: Person, role_code: str | None, on: date) -> PersonCapability:
    """:raises ValidationFailed: an unknown role code."""
    frame = framework()
    if role_code and role_code not in frame.roles:
        raise ValidationFailed({"role": [f"Unknown role '{role_code[:40]}'."]})
    own = assessments_of([person.id])[person.id]
    active = active_codes([person.id], on)[person.id]
    role = role_of(person, role_code, frame.roles)
    result = None
    if role is not None:
        result = rules.gap(
            role, own, active, frame.implied, frame.levels_defined, names=frame.skill_names
        )
    return PersonCapability(
        person, rules.effective_levels(own, active, frame.implied), active, result, frame
    )


def history_of(person_id: int) -> list[SkillAssessment]:
    return list(
        db.session.scalars(
            select(SkillAssessment)
            .where(SkillAssessment.person_id == person_id)
            .order_by(SkillAssessment.assessed_on.desc(), SkillAssessment.id.desc())
        )
    )


# --- recording an assessment -----------------------------------------------------------------

ASSESSMENT_FIELDS = {"skill", "level", "source", "note", "assessed_on"}


def may_assess(actor: Person, person: Person, source: str | None = None) -> bool:
    """Self assessments by the person; manager ones by the person's manager only. Without a
    source: whether the actor may make either kind (the person or their manager)."""
    is_self = actor.id == person.id
    is_manager = person.manager_id is not None and person.manager_id == actor.id
    if source is None:
        return is_self or is_manager
    return is_self if source == "self" else is_manager


def record_assessment(person: Person, raw: dict, *, actor: Person, today: date) -> SkillAssessment:
    """Record a level; every bad field at once, nothing written.

    :raises ValidationFailed: unknown field or skill, a level at which the skill does not exist,
        an unknown source, a note too long, a date in the future.
    :raises ApiError: 403 when the actor may not make this kind of assessment of this person;
        before any field is checked when they may make neither kind.
    """
    if not may_assess(actor, person):
        raise ApiError(403, "An assessment is made by the person themself or their manager.")
    errors: dict[str, list[str]] = {}
    for name in sorted(set(raw) - ASSESSMENT_FIELDS):
        errors[name] = ["Unknown field."]
    code = raw.get("skill")
    skill = None
    if not isinstance(code, str) or not code.strip():
        errors["skill"] = ["Give a skill code (GET /api/v1/skills lists them)."]
    else:
        skill = db.session.scalar(select(Skill).where(Skill.code == code.strip().upper()[:10]))
        if skill is None:
            errors["skill"] = [f"Unknown skill '{code[:20]}'."]
    level = raw.get("level")
    if isinstance(level, bool) or not isinstance(level, int):
        errors["level"] = ["A whole number from 1 to 7."]
    elif skill is not None and level not in skill.levels_defined:
        at = ", ".join(str(n) for n in skill.levels_defined)
        errors["level"] = [f"{skill.name} exists at levels {at} only."]
    source = raw.get("source", "self")
    if source not in rules.SOURCES:
        errors["source"] = ["Must be self or manager."]
    note = NOTE.clean(raw.get("note"), errors)
    on = raw.get("assessed_on") or today
    if isinstance(on, str):
        try:
            on = date.fromisoformat(on) if len(on) == 10 else None
        except ValueError:
            on = None
    if not isinstance(on, date):
        errors["assessed_on"] = ["Not a valid date (YYYY-MM-DD)."]
    elif on > today:
        errors["assessed_on"] = ["Cannot be in the future."]
    if errors:
        raise ValidationFailed(errors)
    if not may_assess(actor, person, source):
        who = "their manager" if source == "manager" else "the person themself"
        raise ApiError(403, f"A {source} assessment is made by {who}.")
    assessment = SkillAssessment(
        person_id=person.id,
        skill=skill,
        level=level,
        source=source,
        assessed_by_id=actor.id,
        assessed_on=on,
        note=note or None,
    )
    db.session.add(assessment)
    db.session.flush()
    record(
        "create",
        "skill_assessment",
        assessment.id,
        actor_id=actor.id,
        person_id=person.id,
        after={"skill": skill.code, "level": level, "source": source},
    )
    return assessment


def assessable_or_404(viewer: Person, person_id: int, *, change: bool = False) -> Person:
    """The person if the viewer may see them or manages them (a manager assesses their reports
    even without a team role); else 404."""
    person = db.session.get(Person, person_id)
    if person is not None and not (can_see(viewer, person) or person.manager_id == viewer.id):
        person = None
    return found_or_404(person, viewer, lambda p: p.id, change=False)


# --- editing a role (admins) -----------------------------------------------------------------


def set_role_skills(role: JobRole, levels: dict[str, str], *, actor: Person) -> None:
    """Make the role ask for exactly these skill levels (skill code -> level as text; empty:
    not asked for); audited.

    :raises ValidationFailed: a level at which the skill does not exist (per skill).
    """
    skills = {s.code: s for s in db.session.scalars(select(Skill))}
    errors: dict[str, list[str]] = {}
    wanted: dict[str, int] = {}
    for code, text in levels.items():
        skill = skills.get(code)
        if skill is None:
            errors[code] = ["Unknown skill."]
        elif text:
            if not text.isdigit() or int(text) not in skill.levels_defined:
                at = ", ".join(str(n) for n in skill.levels_defined)
                errors[code] = [f"{skill.name} exists at levels {at} only."]
            else:
                wanted[code] = int(text)
    if errors:
        raise ValidationFailed(errors)
    before = {r.skill.code: r.level for r in role.skill_requirements}
    current = {r.skill.code: r for r in role.skill_requirements}
    for code, level in wanted.items():
        if code in current:
            current[code].level = level
        else:
            role.skill_requirements.append(JobRoleSkill(skill=skills[code], level=level))
    for code, row in current.items():
        if code not in wanted:
            role.skill_requirements.remove(row)
    db.session.flush()
    record(
        "update",
        "job_role",
        role.id,
        actor_id=actor.id,
        person_id=None,
        before={"skills": before},
        after={"skills": wanted},
    )
