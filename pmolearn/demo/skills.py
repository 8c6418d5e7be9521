"""Demo skill assessments: most project professionals assessed themselves in the skills of
their current and target roles, and many managers assessed their reports (sometimes a level
apart: people rate themselves a little higher, on average), so the heatmap and the timeline
show real gaps. ``practitioner@`` is a Project Manager aiming at Senior Project Manager, two
levels short in project management. Deterministic: its own random stream."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from pmolearn.extensions import db
from pmolearn.skills.models import JobRole, JobRoleSkill, Skill, SkillAssessment

if TYPE_CHECKING:
    import random

    from pmolearn.demo.context import DemoContext

STREAM = "skills"
SELF_SHARE, MANAGER_SHARE = 0.8, 0.6
#: How a self-assessment differs from the role's level (people near their role, some short).
SELF_OFFSETS = ((-2, 0.1), (-1, 0.3), (0, 0.45), (1, 0.15))
MANAGER_OFFSETS = ((-1, 0.35), (0, 0.55), (1, 0.1))
PRACTITIONER = {"PRMG": (4, 4), "BURM": (5, 4), "RLMT": (4, 3)}


def _draw(rng: random.Random, options) -> int:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights)[0]


def _nearest(level: int, defined: list[int]) -> int:
    return min(defined, key=lambda d: (abs(d - level), d))


def build_skills(ctx: DemoContext) -> dict[str, int]:
    skills = {s.code: s for s in ctx_skills()}
    if not skills:
        return {}
    needs: dict[str, list[tuple[int, str, int]]] = {}
    for role_code, skill_id, code, level in role_needs():
        needs.setdefault(role_code, []).append((skill_id, code, level))
    rng: random.Random = ctx.stream(STREAM)
    stamp = datetime.combine(ctx.today, time.min, tzinfo=UTC)
    rows: list[dict] = []

    def add(person, skill_id, level, source, by, days_ago, note=None):
        rows.append(
            {
                "person_id": person.id,
                "skill_id": skill_id,
                "level": level,
                "source": source,
                "assessed_by_id": by,
                "assessed_on": ctx.today - timedelta(days=days_ago),
                "note": note,
                "created_at": stamp,
            }
        )

    for person in ctx.people:
        if not person.active or person.track == "business":
            continue
        wanted: dict[str, tuple[int, int]] = {}
        for role in (person.current_role, person.target_role):
            for skill_id, code, level in needs.get(role or "", []):
                wanted.setdefault(code, (skill_id, level))
        if person.sign_in == "practitioner":
            for code, (own, managers) in PRACTITIONER.items():
                skill = skills[code]
                add(
                    person,
                    skill.id,
                    own,
                    "self",
                    person.id,
                    60,
                    "My own view after the ERP programme.",
                )
                if person.manager_id:
                    add(person, skill.id, managers, "manager", person.manager_id, 30)
            continue
        if not wanted or rng.random() >= SELF_SHARE:
            continue
        managed = person.manager_id is not None and rng.random() < MANAGER_SHARE
        for code, (skill_id, level) in sorted(wanted.items()):
            defined = skills[code].levels_defined
            own = _nearest(level + _draw(rng, SELF_OFFSETS), defined)
            days = rng.randint(20, 300)
            add(person, skill_id, own, "self", person.id, days)
            if managed:
                theirs = _nearest(own + _draw(rng, MANAGER_OFFSETS), defined)
                add(person, skill_id, theirs, "manager", person.manager_id, max(days - 14, 1))
    return {"skill_assessments": ctx.insert(SkillAssessment, rows)}


def ctx_skills() -> list[Skill]:
    return list(db.session.scalars(select(Skill)))


def role_needs():
    return db.session.execute(
        select(JobRole.code, Skill.id, Skill.code, JobRoleSkill.level)
        .join(JobRoleSkill, JobRoleSkill.job_role_id == JobRole.id)
        .join(Skill, Skill.id == JobRoleSkill.skill_id)
    ).all()
