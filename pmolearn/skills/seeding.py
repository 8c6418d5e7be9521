"""Load the skill framework (levels, skills) and the PMO job roles from ``seeds/`` YAML.

The framework shares ``certifications.yaml`` with the catalog (its ``skills`` and ``roles``
sections) and is loaded after it: a role's certification groups name catalog certifications.
Like the catalog loader it checks the whole file before writing, only flushes, and counts what
it created and updated; a role's skill and certification requirements are replaced to match
the file, since nothing else refers to them.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from pmolearn.catalog.seed_values import (
    SEED_FILE,
    SeedError,
    Writer,
    check_version,
    fits,
    json_value,
    level_value,
    list_value,
    mapping,
    read_seed_file,
    text_value,
    unique,
)
from pmolearn.extensions import db
from pmolearn.skills.models import (
    CertificationSkill,
    JobRole,
    JobRoleCertificationGroup,
    JobRoleSkill,
    Skill,
    SkillLevel,
)

KINDS = (
    "skill_levels",
    "skills",
    "job_roles",
    "job_role_skills",
    "job_role_certification_groups",
    "certification_skills",
)
REPLACED_KINDS = ("job_role_skills", "job_role_certification_groups", "certification_skills")


def load_framework(seeds_dir: Path) -> dict[str, int]:
    """Create or update skill levels, skills and job roles from ``seeds_dir``; flush only.

    :raises SeedError: the file is missing or inconsistent; nothing was written.
    """
    path = Path(seeds_dir) / SEED_FILE
    return write_framework(parse_framework(read_seed_file(path), path.name))


def write_framework(framework: tuple[dict, dict, dict, dict]) -> dict[str, int]:
    """Write checked skill levels, skills, roles and implied levels; flush only."""
    levels, skills, roles, implied = framework
    writer = _FrameworkWriter(KINDS, REPLACED_KINDS)
    with db.session.no_autoflush:
        writer.keyed(SkillLevel, SkillLevel.level, "skill_levels", levels)
        written = writer.keyed(Skill, Skill.code, "skills", skills)
        writer.roles(roles, written)
        writer.implied(implied, written)
    db.session.flush()
    return writer.counts


def parse_framework(data: dict, name: str = SEED_FILE) -> tuple[dict, dict, dict, dict]:
    """The file's skill levels, skills, roles and the levels credentials imply, as model values,
    every error naming its place."""
    try:
        check_version(data)
        skills = mapping(data.get("skills"), "skills", optional=True)
        levels, parsed_skills = _parse_skills(skills)
        certifications = {
            str(item.get("code")): item
            for item in list_value(data.get("certifications"), "certifications", optional=True)
            if isinstance(item, dict)
        }
        roles = _parse_roles(
            mapping(data.get("roles"), "roles", optional=True), parsed_skills, certifications
        )
        _check_typical_roles(certifications, roles)
        implied = _parse_implied(
            skills.get("implied_by_certifications"), parsed_skills, certifications
        )
    except SeedError as exc:
        raise SeedError(f"{name}: {exc}") from None
    return levels, parsed_skills, roles, implied


def _parse_implied(raw, skills: dict, certifications: dict) -> dict[tuple[str, str], int]:
    """{(certification, skill): level} from ``skills.implied_by_certifications``."""
    where = "skills.implied_by_certifications"
    block = mapping(raw, where, optional=True)
    result: dict[tuple[str, str], int] = {}
    for index, item in enumerate(list_value(block.get("items"), where + ".items", True)):
        here = f"{where}.items[{index}]"
        item = mapping(item, here)
        code = text_value(item.get("certification"), here + ".certification", required=True)
        if code not in certifications:
            raise SeedError(f"{here}: unknown certification {code!r}")
        for n, need in enumerate(list_value(item.get("skills"), here + ".skills")):
            need = mapping(need, f"{here}.skills[{n}]")
            skill = text_value(need.get("code"), f"{here}.skills[{n}].code", required=True)
            if skill not in skills:
                raise SeedError(f"{here}: unknown skill {skill!r}")
            level = level_value(need.get("level"), f"{here}.skills[{n}].level", required=True)
            if level not in skills[skill]["levels_defined"]:
                raise SeedError(f"{here}: skill {skill} does not exist at level {level}")
            unique((code, skill), result, "implied level")
            result[(code, skill)] = level
    return result


def _parse_skills(raw: dict) -> tuple[dict[int, dict], dict[str, dict]]:
    scale = mapping(raw.get("scale"), "skills.scale", optional=True)
    levels: dict[int, dict] = {}
    for index, item in enumerate(list_value(scale.get("levels"), "skills.scale.levels", True)):
        where = f"skills.scale.levels[{index}]"
        item = mapping(item, where)
        level = level_value(item.get("level"), where + ".level", required=True)
        unique(level, levels, "skill level")
        levels[level] = {
            "level": level,
            "name": text_value(item.get("name"), where + ".name", required=True),
            "essence": text_value(item.get("essence"), where + ".essence", required=True),
        }
    framework = None
    if scale.get("framework"):  # "SFIA" + "9 (published Oct 2024)" -> "SFIA 9"
        version = str(scale.get("version") or "").split()
        framework = " ".join([str(scale["framework"]), *version[:1]])
    skills: dict[str, dict] = {}
    for index, item in enumerate(list_value(raw.get("sfia"), "skills.sfia", optional=True)):
        item = mapping(item, f"skills.sfia[{index}]")
        code = text_value(item.get("code"), f"skills.sfia[{index}].code", required=True)
        unique(code, skills, "skill code")
        skills[code] = _parse_skill(item, f"skill {code}", framework)
    return levels, skills


def _parse_skill(item: dict, where: str, framework: str | None) -> dict:
    levels = list_value(item.get("levels_defined"), where + ".levels_defined")
    defined = [level_value(value, where + ".levels_defined") for value in levels]
    summary = {}
    for level, text in mapping(item.get("level_summary"), where + ".level_summary", True).items():
        if level_value(level, where + ".level_summary") not in defined:
            raise SeedError(f"{where}: level_summary has level {level}, not in levels_defined")
        summary[str(level)] = text_value(text, f"{where}.level_summary.{level}", required=True)
    values = {
        "code": item["code"],
        "name": text_value(item.get("name"), where + ".name", required=True),
        "category": text_value(item.get("category"), where + ".category"),
        "levels_defined": defined,
        "level_summary": summary,
        "url": text_value(item.get("url"), where + ".url"),
    }
    if framework:
        values["framework"] = framework
    return fits(Skill, values, where)


def _parse_roles(raw: dict, skills: dict, certifications: dict) -> dict[str, dict]:
    basis = text_value(raw.get("basis"), "roles.basis")
    result: dict[str, dict] = {}
    for index, item in enumerate(list_value(raw.get("items"), "roles.items", optional=True)):
        item = mapping(item, f"roles.items[{index}]")
        code = text_value(item.get("id"), f"roles.items[{index}].id", required=True)
        unique(code, result, "role id")
        result[code] = _parse_role(item, f"role {code}", basis, skills, certifications)
    return result


def _parse_role(item: dict, where: str, basis: str | None, skills: dict, certs: dict) -> dict:
    required_note = text_value(item.get("required_note"), where + ".required_note")
    requirements: dict[str, dict] = {}
    for index, need in enumerate(list_value(item.get("skills"), where + ".skills", optional=True)):
        here = f"{where}.skills[{index}]"
        need = mapping(need, here)
        code = text_value(need.get("code"), here + ".code", required=True)
        if code not in skills:
            raise SeedError(f"{where}: requires unknown skill {code!r}; add it to skills.sfia")
        unique(code, requirements, f"skill in {where}")
        level = level_value(need.get("level"), here + ".level", required=True)
        target = level_value(need.get("target_level"), here + ".target_level")
        for value in (level, target):
            if value is not None and value not in skills[code]["levels_defined"]:
                raise SeedError(f"{where}: skill {code} does not exist at level {value}")
        requirements[code] = {"level": level, "target_level": target}
    groups = {}
    for key, mode, requirement in (
        ("required_certifications", "all", "required"),
        ("preferred_certifications", "any", "preferred"),
    ):
        codes = list_value(item.get(key), f"{where}.{key}", optional=True)
        unknown = [code for code in codes if code not in certs]
        if unknown:
            raise SeedError(f"{where}.{key}: unknown certification(s) {unknown}")
        if codes:
            note = required_note if requirement == "required" else None
            groups[(mode, requirement)] = {
                "mode": mode,
                "requirement": requirement,
                "certification_codes": list(codes),
                "note": note,
            }
    values = {
        "code": item["id"],
        "name": text_value(item.get("name"), where + ".name", required=True),
        "notes": _role_notes(item, required_note, basis),
        "source_codes": json_value(
            list_value(item.get("sources"), where + ".sources", optional=True)
        ),
    }
    return {"values": fits(JobRole, values, where), "skills": requirements, "groups": groups}


def _check_typical_roles(certifications: dict, roles: dict) -> None:
    if not roles:
        return
    for code, cert in certifications.items():
        unknown = [r for r in cert.get("typical_roles") or [] if r not in roles]
        if unknown:
            raise SeedError(f"certification {code}: typical_roles {unknown} are not role ids")


def _role_notes(item: dict, required_note: str | None, basis: str | None) -> str | None:
    parts = [required_note]
    outside = item.get("related_non_catalog_certifications")
    if outside:
        parts.append("Related certifications outside this catalog: " + ", ".join(outside) + ".")
    for need in item.get("skills") or []:
        if isinstance(need, dict) and need.get("senior_level") is not None:
            parts.append(f"{need.get('code')} at senior level: {need['senior_level']}.")
    parts.append(basis)
    return " ".join(str(p) for p in parts if p) or None


class _FrameworkWriter(Writer):
    def implied(self, wanted: dict[tuple[str, str], int], skills: dict) -> None:
        rows = list(db.session.scalars(select(CertificationSkill)))
        current = {(row.certification_code, row.skill.code): row for row in rows}
        for (code, skill), level in wanted.items():
            values = {"certification_code": code, "skill": skills[skill], "level": level}
            self.upsert(
                "certification_skills", current.pop((code, skill), None), CertificationSkill, values
            )
        for stale in current.values():
            db.session.delete(stale)
            self.counts["certification_skills_deleted"] += 1

    def roles(self, wanted: dict, skills: dict) -> None:
        existing = {role.code: role for role in db.session.scalars(select(JobRole))}
        for code, spec in wanted.items():
            role = self.upsert("job_roles", existing.get(code), JobRole, spec["values"])
            self.replace(
                "job_role_skills",
                role.skill_requirements,
                lambda req: req.skill.code,
                {c: {**v, "skill": skills[c]} for c, v in spec["skills"].items()},
                JobRoleSkill,
            )
            self.replace(
                "job_role_certification_groups",
                role.certification_groups,
                lambda group: (group.mode, group.requirement),
                spec["groups"],
                JobRoleCertificationGroup,
            )
