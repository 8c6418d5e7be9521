"""Load the catalog, the skill framework and the PMO job roles from ``seeds/`` YAML.

The catalog is researched data that changes when issuers change their rules, so it lives in
``seeds/certifications.yaml`` next to the sources it cites, never in Python or in migrations.
Loading is idempotent so that ``pmolearn seed`` can run on every deploy: each row is matched by
its natural key (``Source.code``, ``Issuer.code``, ``Certification.code``, a ``RenewalPolicy`` by
certification and ``effective_from``, an ``ActivityType`` by policy and code, ``SkillLevel.level``,
``Skill.code``, ``JobRole.code``) and only fields that differ are written.

The whole file is checked before anything is written, and the loader only flushes: the caller
commits once (or rolls back), so a bad file leaves the database as it was. Rows that vanish from
the file are kept, because credentials and PDU claims may point at them; only a job role's skill
and certification requirements are replaced to match the file, since nothing else refers to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import String, select
from sqlalchemy.orm import selectinload

from pmolearn.catalog.models import ActivityType, Certification, Issuer, RenewalPolicy, Source
from pmolearn.extensions import db
from pmolearn.skills.models import (
    JobRole,
    JobRoleCertificationGroup,
    JobRoleSkill,
    Skill,
    SkillLevel,
)

SEED_FILE = "certifications.yaml"
SCHEMA_VERSION = 1
CERT_STATUSES = ("active", "superseded", "retired")
#: Weakest first wins when a block grades its parts differently ({cycle: M, requirements: L}).
CONFIDENCE_RANK = {"unconfirmed": 0, "L": 1, "M": 2, "M-H": 3, "H": 4}
KINDS = (
    "sources",
    "issuers",
    "certifications",
    "renewal_policies",
    "activity_types",
    "skill_levels",
    "skills",
    "job_roles",
    "job_role_skills",
    "job_role_certification_groups",
)
REPLACED_KINDS = ("job_role_skills", "job_role_certification_groups")

#: libyaml's safe loader when available (much faster), else the pure-Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SeedError(ValueError):
    """A seed file that cannot be loaded as it stands; the message says where and what is wrong."""


def load_seeds(seeds_dir: Path) -> dict[str, int]:
    """Create or update every catalog, skill and job-role row from ``seeds_dir``; flush only.

    :returns: ``{"<kind>_created": n, "<kind>_updated": n, ...}`` for every kind in ``KINDS``,
        plus ``<kind>_deleted`` for a role's replaced requirements; all zero on a second run.
    :raises SeedError: the file is missing, unreadable or inconsistent; nothing was written.
    """
    path = Path(seeds_dir) / SEED_FILE
    seed = parse_seed(read_seed_file(path), path.name)
    writer = _Writer()
    with db.session.no_autoflush:  # half-built rows must not reach the database early
        writer.write(seed)
    db.session.flush()
    return writer.counts


def read_seed_file(path: Path) -> dict:
    """Parse ``path`` with a safe loader (no object construction from untrusted YAML)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SeedError(f"seed file not found: {path}") from None
    except OSError as exc:
        raise SeedError(f"cannot read seed file {path}: {exc}") from None
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise SeedError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise SeedError(f"{path.name}: expected a mapping at the top level, found {_kind(data)}")
    return data


# --------------------------------------------------------------------------- parsing & checks


@dataclass
class Seed:
    """The file turned into model field values, checked, but not yet written."""

    sources: dict[str, dict] = field(default_factory=dict)
    issuers: dict[str, dict] = field(default_factory=dict)
    #: code -> {"values", "issuer", "policy": {"values", "activity_types": {code: values}}}
    certifications: dict[str, dict] = field(default_factory=dict)
    skill_levels: dict[int, dict] = field(default_factory=dict)
    skills: dict[str, dict] = field(default_factory=dict)
    #: code -> {"values", "skills": {skill code: values}, "groups": {(mode, requirement): values}}
    roles: dict[str, dict] = field(default_factory=dict)


def parse_seed(data: dict, name: str = SEED_FILE) -> Seed:
    """Check the whole document and build a ``Seed``; every error names ``name`` and the place."""
    try:
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise SeedError(
                f"schema_version is {version!r}; this version of pmolearn reads {SCHEMA_VERSION}"
            )
        seed = Seed()
        seed.sources = _parse_sources(data.get("sources"))
        _check_citations(data, set(seed.sources))
        seed.issuers = _parse_issuers(data.get("issuers"))
        skills = _mapping(data.get("skills"), "skills", optional=True)
        seed.skill_levels, seed.skills = _parse_skills(skills)
        roles = _mapping(data.get("roles"), "roles", optional=True)
        seed.certifications = _parse_certifications(data.get("certifications"), seed.issuers)
        seed.roles = _parse_roles(roles, seed.skills, seed.certifications)
        _check_typical_roles(seed)
    except SeedError as exc:
        raise SeedError(f"{name}: {exc}") from None
    return seed


def _parse_sources(raw: Any) -> dict[str, dict]:
    result = {}
    for code, item in _mapping(raw, "sources").items():
        where = f"sources.{code}"
        item = _mapping(item, where)
        values = {
            "code": _text(code, where + " code", required=True),
            "kind": _text(item.get("kind"), where + ".kind", required=True),
            "title": _text(item.get("title"), where + ".title", required=True),
            "url": _text(item.get("url"), where + ".url"),
        }
        result[values["code"]] = _fits(Source, values, where)
    return result


def _check_citations(node: Any, known: set[str], where: str = "") -> None:
    """Every ``sources`` / ``*_sources`` list must cite codes of the source registry."""
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{where}.{key}" if where else str(key)
            if key == "sources" and not where:
                continue  # the registry itself
            if str(key).endswith("sources") and isinstance(value, list):
                unknown = [code for code in value if code not in known]
                if unknown:
                    raise SeedError(f"{path} cites unknown source(s) {unknown}; add to sources")
            _check_citations(value, known, path)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_citations(value, known, f"{where}[{index}]")


def _parse_issuers(raw: Any) -> dict[str, dict]:
    result = {}
    for index, item in enumerate(_list(raw, "issuers")):
        where = f"issuers[{index}]"
        item = _mapping(item, where)
        values = {
            "code": _text(item.get("code"), where + ".code", required=True),
            "name": _text(item.get("name"), where + ".name", required=True),
            "url": _text(item.get("url"), where + ".url"),
            "notes": _text(item.get("notes"), where + ".notes"),
        }
        _unique(values["code"], result, "issuer code")
        result[values["code"]] = _fits(Issuer, values, where)
    return result


def _parse_certifications(raw: Any, issuers: dict) -> dict[str, dict]:
    result: dict[str, dict] = {}
    for index, item in enumerate(_list(raw, "certifications")):
        item = _mapping(item, f"certifications[{index}]")
        code = _text(item.get("code"), f"certifications[{index}].code", required=True)
        _unique(code, result, "certification code")
        result[code] = _parse_certification(item, f"certification {code}", issuers)
    for code, cert in result.items():
        successor = cert["values"]["superseded_by"]
        if successor is not None and successor not in result:
            raise SeedError(f"certification {code}: superseded_by names unknown {successor!r}")
        for old in cert["supersedes"]:
            if old not in result or result[old]["values"]["superseded_by"] != code:
                raise SeedError(
                    f"certification {code}: supersedes {old!r}, but {old!r} is not in the file "
                    f"with superseded_by: {code}"
                )
    return result


def _parse_certification(item: dict, where: str, issuers: dict) -> dict:
    issuer = _text(item.get("issuer"), where + ".issuer", required=True)
    if issuer not in issuers:
        raise SeedError(f"{where}: unknown issuer {issuer!r}; add it to issuers")
    status = _text(item.get("status"), where + ".status") or "active"
    if status not in CERT_STATUSES:
        raise SeedError(f"{where}: status {status!r} is not one of {', '.join(CERT_STATUSES)}")
    values = {
        "code": item["code"],
        "name": _text(item.get("name"), where + ".name", required=True),
        "status": status,
        "level": _text(item.get("level"), where + ".level"),
        "certifies": _text(item.get("certifies"), where + ".certifies"),
        "superseded_by": _text(item.get("superseded_by"), where + ".superseded_by"),
        "available_from": _date(item.get("available_from"), where + ".available_from"),
        "eligibility": _json(_mapping(item.get("eligibility"), where + ".eligibility", True)),
        "exam": _json(_mapping(item.get("exam"), where + ".exam", optional=True)),
        "fees": _json(_mapping(item.get("fees"), where + ".fees", optional=True)),
        "typical_roles": _json(_list(item.get("typical_roles"), where + ".typical_roles", True)),
        "source_codes": _json(_list(item.get("sources"), where + ".sources", optional=True)),
        "unconfirmed": _json(_list(item.get("unconfirmed"), where + ".unconfirmed", True)),
    }
    renewal = _mapping(item.get("renewal"), where + ".renewal")
    return {
        "values": _fits(Certification, values, where),
        "issuer": issuer,
        "supersedes": _codes(item.get("supersedes"), where + ".supersedes"),
        "policy": _parse_policy(renewal, values["fees"], where + ".renewal"),
    }


def _parse_policy(renewal: dict, fees: dict, where: str) -> dict:
    """Map a ``renewal`` block to ``RenewalPolicy`` fields; null numbers stay null (unconfirmed)."""
    carry = _mapping(renewal.get("carry_over"), where + ".carry_over", optional=True)
    grace = _mapping(renewal.get("grace_period"), where + ".grace_period", optional=True)
    categories = _parse_categories(renewal.get("categories"), where + ".categories")
    values = {
        "effective_from": _date(renewal.get("effective_from"), where + ".effective_from", True),
        "scheme": _text(renewal.get("scheme"), where + ".scheme"),
        "cycle_years": _int(renewal.get("cycle_years"), where + ".cycle_years"),
        "pdus_required": _number(renewal.get("pdus_required"), where + ".pdus_required"),
        "categories": categories,
        "area_minimums": _parse_area_minimums(renewal.get("talent_triangle_minimums"), where),
        "carry_over_allowed": bool(carry.get("allowed", False)),
        "carry_over_max": _number(carry.get("max_pdus"), where + ".carry_over.max_pdus"),
        "grace_months": _int(grace.get("grace_months"), where + ".grace_period.grace_months"),
        "renewal_fee_member": _number(fees.get("renewal_member"), where + " fees.renewal_member"),
        "renewal_fee_non_member": _number(
            fees.get("renewal_non_member"), where + " fees.renewal_non_member"
        ),
        "notes": _policy_notes(renewal, carry),
        "source_codes": _json(_list(renewal.get("sources"), where + ".sources", optional=True)),
        "confidence": _confidence(renewal.get("confidence")),
    }
    window = carry.get("earned_within_last_months_of_cycle")
    if window is not None:  # otherwise the column default (12) stands
        values["carry_over_window_months"] = _int(window, where + ".carry_over window")
    excluded = set(_list(carry.get("excludes"), where + ".carry_over.excludes", optional=True))
    activity_types = _parse_activity_types(
        renewal.get("activity_types"), where + ".activity_types", categories, excluded
    )
    return {"values": _fits(RenewalPolicy, values, where), "activity_types": activity_types}


def _parse_categories(raw: Any, where: str) -> dict:
    result = {}
    for code, limits in _mapping(raw, where, optional=True).items():
        limits = _mapping(limits, f"{where}.{code}")
        low = _number(limits.get("min"), f"{where}.{code}.min")
        high = _number(limits.get("max"), f"{where}.{code}.max")
        if low is not None and high is not None and low > high:
            raise SeedError(f"{where}.{code}: min {low} is above max {high}")
        result[str(code)] = {"min": _plain(low), "max": _plain(high)}
    return result


def _parse_area_minimums(raw: Any, where: str) -> dict:
    where += ".talent_triangle_minimums"
    return {
        str(area): _plain(_number(value, f"{where}.{area}", required=True))
        for area, value in _mapping(raw, where, optional=True).items()
    }


def _parse_activity_types(raw: Any, where: str, categories: dict, excluded: set) -> dict:
    """``{group: [type, ...]}`` -> ``{code: ActivityType fields}``; ``position`` is file order."""
    result: dict[str, dict] = {}
    for group, items in _mapping(raw, where, optional=True).items():
        for index, item in enumerate(_list(items, f"{where}.{group}")):
            here = f"{where}.{group}[{index}]"
            values = _parse_activity_type(_mapping(item, here), here, str(group), excluded)
            if categories and values["category"] not in categories:
                raise SeedError(
                    f"{here}: category {values['category']!r} is not one of {list(categories)}"
                )
            _unique(values["code"], result, f"activity type code in {where}")
            result[values["code"]] = {**values, "position": len(result)}
    return result


def _parse_activity_type(item: dict, here: str, group: str, excluded: set) -> dict:
    """The category is the item's own or its group's; carry-over exclusions are not transferable."""
    if item.get("cap") is not None:
        raise SeedError(f"{here}: 'cap' is ambiguous; say cap_per_activity or cap_per_cycle")
    code = _text(item.get("code"), here + ".code", required=True)
    values = {
        "code": code,
        "name": _text(item.get("name"), here + ".name", required=True),
        "category": _text(item.get("category"), here + ".category") or group,
        "cap_per_activity": _number(item.get("cap_per_activity"), here + ".cap_per_activity"),
        "cap_per_cycle": _number(item.get("cap_per_cycle"), here + ".cap_per_cycle"),
        "claims_per_cycle": _int(item.get("claims_per_cycle"), here + ".claims_per_cycle"),
        "transferable": item.get("transferable", True) is not False and code not in excluded,
        "notes": _activity_notes(item),
    }
    return _fits(ActivityType, values, here)


def _parse_skills(raw: dict) -> tuple[dict[int, dict], dict[str, dict]]:
    scale = _mapping(raw.get("scale"), "skills.scale", optional=True)
    levels: dict[int, dict] = {}
    for index, item in enumerate(_list(scale.get("levels"), "skills.scale.levels", True)):
        where = f"skills.scale.levels[{index}]"
        item = _mapping(item, where)
        level = _level(item.get("level"), where + ".level", required=True)
        _unique(level, levels, "skill level")
        levels[level] = {
            "level": level,
            "name": _text(item.get("name"), where + ".name", required=True),
            "essence": _text(item.get("essence"), where + ".essence", required=True),
        }
    framework = None
    if scale.get("framework"):  # "SFIA" + "9 (published Oct 2024)" -> "SFIA 9"
        version = str(scale.get("version") or "").split()
        framework = " ".join([str(scale["framework"]), *version[:1]])
    skills: dict[str, dict] = {}
    for index, item in enumerate(_list(raw.get("sfia"), "skills.sfia", optional=True)):
        item = _mapping(item, f"skills.sfia[{index}]")
        code = _text(item.get("code"), f"skills.sfia[{index}].code", required=True)
        _unique(code, skills, "skill code")
        skills[code] = _parse_skill(item, f"skill {code}", framework)
    return levels, skills


def _parse_skill(item: dict, where: str, framework: str | None) -> dict:
    levels = _list(item.get("levels_defined"), where + ".levels_defined")
    defined = [_level(value, where + ".levels_defined") for value in levels]
    summary = {}
    for level, text in _mapping(item.get("level_summary"), where + ".level_summary", True).items():
        if _level(level, where + ".level_summary") not in defined:
            raise SeedError(f"{where}: level_summary has level {level}, not in levels_defined")
        summary[str(level)] = _text(text, f"{where}.level_summary.{level}", required=True)
    values = {
        "code": item["code"],
        "name": _text(item.get("name"), where + ".name", required=True),
        "category": _text(item.get("category"), where + ".category"),
        "levels_defined": defined,
        "level_summary": summary,
        "url": _text(item.get("url"), where + ".url"),
    }
    if framework:
        values["framework"] = framework
    return _fits(Skill, values, where)


def _parse_roles(raw: dict, skills: dict, certifications: dict) -> dict[str, dict]:
    basis = _text(raw.get("basis"), "roles.basis")
    result: dict[str, dict] = {}
    for index, item in enumerate(_list(raw.get("items"), "roles.items", optional=True)):
        item = _mapping(item, f"roles.items[{index}]")
        code = _text(item.get("id"), f"roles.items[{index}].id", required=True)
        _unique(code, result, "role id")
        result[code] = _parse_role(item, f"role {code}", basis, skills, certifications)
    return result


def _parse_role(item: dict, where: str, basis: str | None, skills: dict, certs: dict) -> dict:
    required_note = _text(item.get("required_note"), where + ".required_note")
    requirements: dict[str, dict] = {}
    for index, need in enumerate(_list(item.get("skills"), where + ".skills", optional=True)):
        here = f"{where}.skills[{index}]"
        need = _mapping(need, here)
        code = _text(need.get("code"), here + ".code", required=True)
        if code not in skills:
            raise SeedError(f"{where}: requires unknown skill {code!r}; add it to skills.sfia")
        _unique(code, requirements, f"skill in {where}")
        level = _level(need.get("level"), here + ".level", required=True)
        target = _level(need.get("target_level"), here + ".target_level")
        for value in (level, target):
            if value is not None and value not in skills[code]["levels_defined"]:
                raise SeedError(f"{where}: skill {code} does not exist at level {value}")
        requirements[code] = {"level": level, "target_level": target}
    groups = {}
    for key, mode, requirement in (
        ("required_certifications", "all", "required"),
        ("preferred_certifications", "any", "preferred"),
    ):
        codes = _list(item.get(key), f"{where}.{key}", optional=True)
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
        "name": _text(item.get("name"), where + ".name", required=True),
        "notes": _role_notes(item, required_note, basis),
        "source_codes": _json(_list(item.get("sources"), where + ".sources", optional=True)),
    }
    return {"values": _fits(JobRole, values, where), "skills": requirements, "groups": groups}


def _check_typical_roles(seed: Seed) -> None:
    if not seed.roles:
        return
    for code, cert in seed.certifications.items():
        unknown = [r for r in cert["values"]["typical_roles"] if r not in seed.roles]
        if unknown:
            raise SeedError(f"certification {code}: typical_roles {unknown} are not role ids")


# --------------------------------------------------------------------------- notes and grades


def _policy_notes(renewal: dict, carry: dict) -> str | None:
    """Free-text facts of the block that have no column, kept so nothing researched is lost."""
    parts = [renewal.get("policy_note")]
    for key, label in (("topic_focus", "Topic focus"), ("legacy_rule", "Legacy rule")):
        if renewal.get(key):
            parts.append(f"{label}: {str(renewal[key]).rstrip('.')}.")
    if renewal.get("reporting"):
        parts.append(f"Reporting: {renewal['reporting']}.")
    grades = renewal.get("confidence")
    if isinstance(grades, dict) and len({str(v) for v in grades.values()}) > 1:
        parts.append("Confidence by part: " + _pairs(grades) + ".")
    if carry.get("confidence") is not None:
        parts.append(f"Carry-over confidence: {_confidence(carry['confidence'])}.")
    return " ".join(str(p) for p in parts if p) or None


def _activity_notes(item: dict) -> str | None:
    parts = [item.get("notes")]
    if item.get("prorated_by_time_worked"):
        parts.append("Prorated by the share of the cycle worked in the profession.")
    if item.get("audit_evidence"):
        parts.append(f"Audit evidence: {item['audit_evidence']}.")
    if item.get("confidence") is not None:
        parts.append(f"Confidence: {_confidence(item['confidence'])}.")
    return " ".join(str(p) for p in parts if p) or None


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


def _confidence(value: Any) -> str | None:
    """``H`` stays ``H``; a graded dict becomes its single grade, or its weakest when mixed."""
    if value is None:
        return None
    if isinstance(value, dict):
        grades = {str(v) for v in value.values()}
        if not grades:
            return None
        return min(grades, key=lambda grade: CONFIDENCE_RANK.get(grade, -1))
    return str(value)


def _pairs(mapping: dict) -> str:
    return ", ".join(f"{key} {value}" for key, value in mapping.items())


# --------------------------------------------------------------------------- value helpers


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def _mapping(value: Any, where: str, optional: bool = False) -> dict:
    if value is None and optional:
        return {}
    if not isinstance(value, dict):
        raise SeedError(f"{where}: expected a mapping, found {_kind(value)}")
    return value


def _list(value: Any, where: str, optional: bool = False) -> list:
    if value is None and optional:
        return []
    if not isinstance(value, list):
        raise SeedError(f"{where}: expected a list, found {_kind(value)}")
    return value


def _text(value: Any, where: str, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise SeedError(f"{where} is missing")
        return None
    if isinstance(value, (dict, list)):
        raise SeedError(f"{where}: expected text, found {_kind(value)}")
    return str(value)


def _number(value: Any, where: str, required: bool = False) -> Decimal | None:
    """A non-negative amount (PDUs, money) as ``Decimal``; null means unconfirmed."""
    if value is None:
        if required:
            raise SeedError(f"{where} is missing")
        return None
    if isinstance(value, bool):
        raise SeedError(f"{where}: expected a number, found {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise SeedError(f"{where}: expected a number, found {value!r}") from None
    if not number.is_finite() or number < 0:
        raise SeedError(f"{where}: expected a number of 0 or more, found {value!r}")
    return number


def _int(value: Any, where: str) -> int | None:
    number = _number(value, where)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise SeedError(f"{where}: expected a whole number, found {value!r}")
    return int(number)


def _level(value: Any, where: str, required: bool = False) -> int | None:
    if value is None and required:
        raise SeedError(f"{where} is missing")
    level = _int(value, where)
    if level is not None and not 1 <= level <= 7:
        raise SeedError(f"{where}: level {level} is outside the 1-7 scale")
    return level


def _date(value: Any, where: str, required: bool = False) -> date | None:
    if value is None:
        if required:
            raise SeedError(f"{where} is missing (a date such as 2015-12-01)")
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SeedError(f"{where}: expected a date YYYY-MM-DD, found {value!r}") from None


def _plain(number: Decimal | None) -> int | float | None:
    """JSON columns hold plain numbers: 35 stays 35, 0.25 stays 0.25."""
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def _json(value: Any) -> Any:
    """YAML blocks made JSON-safe: dates become ISO strings, keys become strings."""
    if isinstance(value, dict):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _plain(value)
    return value


def _codes(value: Any, where: str) -> list[str]:
    """One code or a list of codes, as a list."""
    if value is None or isinstance(value, str):
        return [value] if value else []
    return [_text(code, where, required=True) for code in _list(value, where)]


def _unique(key: Any, seen: dict, what: str) -> None:
    if key in seen:
        raise SeedError(f"duplicate {what} {key!r}")


def _fits(model: type, values: dict, where: str) -> dict:
    """Reject text longer than its column here, since only some databases enforce the limit."""
    columns = model.__table__.columns
    for name, value in values.items():
        column_type = columns[name].type if name in columns else None
        limit = getattr(column_type, "length", None) if isinstance(column_type, String) else None
        if isinstance(value, str) and limit and len(value) > limit:
            raise SeedError(f"{where}: {name} is {len(value)} characters; at most {limit} fit")
    return values


# --------------------------------------------------------------------------- writing


class _Writer:
    """Applies a checked ``Seed`` to the session, counting rows created, updated and deleted."""

    def __init__(self) -> None:
        self.counts = {f"{kind}_{action}": 0 for kind in KINDS for action in ("created", "updated")}
        self.counts.update({f"{kind}_deleted": 0 for kind in REPLACED_KINDS})

    def write(self, seed: Seed) -> None:
        self.keyed(Source, Source.code, "sources", seed.sources)
        issuers = self.keyed(Issuer, Issuer.code, "issuers", seed.issuers)
        self.certifications(seed.certifications, issuers)
        self.keyed(SkillLevel, SkillLevel.level, "skill_levels", seed.skill_levels)
        skills = self.keyed(Skill, Skill.code, "skills", seed.skills)
        self.roles(seed.roles, skills)

    def upsert(self, kind: str, row: Any, model: type, values: dict, parent: list | None = None):
        """Create the row, or set only the fields that differ; count what happened."""
        if row is None:
            row = model(**values)
            db.session.add(row)
            if parent is not None:
                parent.append(row)
            self.counts[f"{kind}_created"] += 1
            return row
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        for name in changed:
            setattr(row, name, values[name])
        if changed:
            self.counts[f"{kind}_updated"] += 1
        return row

    def keyed(self, model: type, key, kind: str, wanted: dict) -> dict:
        """Upsert plain rows matched on one natural-key column; one query for the lot."""
        existing = {getattr(row, key.key): row for row in db.session.scalars(select(model))}
        return {k: self.upsert(kind, existing.get(k), model, v) for k, v in wanted.items()}

    def certifications(self, wanted: dict, issuers: dict) -> None:
        query = select(Certification).options(selectinload(Certification.policies))
        existing = {cert.code: cert for cert in db.session.scalars(query)}
        for code, spec in wanted.items():
            values = {**spec["values"], "issuer": issuers[spec["issuer"]]}
            cert = self.upsert("certifications", existing.get(code), Certification, values)
            self.policy(cert, spec["policy"])

    def policy(self, cert: Certification, spec: dict) -> None:
        start = spec["values"]["effective_from"]
        row = next((p for p in cert.policies if p.effective_from == start), None)
        policy = self.upsert("renewal_policies", row, RenewalPolicy, spec["values"], cert.policies)
        current = {activity.code: activity for activity in policy.activity_types}
        for code, values in spec["activity_types"].items():
            self.upsert(
                "activity_types", current.get(code), ActivityType, values, policy.activity_types
            )

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

    def replace(self, kind: str, rows: list, key, wanted: dict, model: type) -> None:
        """Make a role's child rows match ``wanted``; update in place so unique keys never clash."""
        current = {key(row): row for row in rows}
        for k, values in wanted.items():
            self.upsert(kind, current.pop(k, None), model, values, rows)
        for stale in current.values():
            rows.remove(stale)  # delete-orphan cascade removes the row at flush
            self.counts[f"{kind}_deleted"] += 1
