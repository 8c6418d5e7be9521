"""Capability: /roles, /skills, /people/{id}/skills, /people/{id}/gaps,
/org-units/{id}/capability and /org-units/{id}/coverage."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields, validate

from pmolearn import authz, clock, text
from pmolearn.api.lists import PageArgs, QueryArgs, page_of, page_schema
from pmolearn.api.openapi import Blueprint, IsoDate, json_body
from pmolearn.authz import allow
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db
from pmolearn.people.models import Person
from pmolearn.people.scope import unit_in_scope
from pmolearn.skills import capability, services
from pmolearn.skills import gap as rules
from pmolearn.web import found_or_404, json_object, looked_up

blp = Blueprint("api_capability", __name__, url_prefix="/api/v1", description="Capability")


# --- schemas ---------------------------------------------------------------------------------


class RoleSkillOut(Schema):
    skill = fields.String(required=True)
    level = fields.Integer(required=True)
    target_level = fields.Integer(allow_none=True)


class GroupOut(Schema):
    group = fields.String(required=True)
    mode = fields.String(required=True, validate=validate.OneOf(("all", "any")))
    requirement = fields.String(required=True, validate=validate.OneOf(("required", "preferred")))
    options = fields.List(fields.String(), required=True)


class RoleOut(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    skills = fields.List(fields.Nested(RoleSkillOut), required=True)
    certifications = fields.List(fields.Nested(GroupOut), required=True)


class LevelOut(Schema):
    level = fields.Integer(required=True)
    summary = fields.String(allow_none=True)


class SkillOut(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    category = fields.String(allow_none=True)
    levels = fields.List(fields.Nested(LevelOut), required=True)
    url = fields.String(allow_none=True)
    implied_by = fields.Dict(keys=fields.String(), values=fields.Integer())


class AssessmentIn(Schema):
    skill = fields.String(required=True)
    level = fields.Integer(required=True, validate=validate.Range(1, 7))
    source = fields.String(validate=validate.OneOf(rules.SOURCES))
    note = fields.String(allow_none=True, validate=validate.Length(max=500))
    assessed_on = IsoDate()


class AssessmentOut(Schema):
    id = fields.Integer(required=True)
    skill = fields.String(required=True)
    level = fields.Integer(required=True)
    source = fields.String(required=True)
    assessed_on = IsoDate(required=True)
    assessed_by_id = fields.Integer(allow_none=True)
    note = fields.String(allow_none=True)


class PersonSkillOut(Schema):
    skill = fields.String(required=True)
    name = fields.String(required=True)
    level = fields.Integer(required=True)
    source = fields.String(
        required=True, validate=validate.OneOf(("manager", "self", "credential"))
    )
    credential = fields.String(allow_none=True)
    assessed_on = IsoDate(allow_none=True)


class SkillGapOut(Schema):
    skill = fields.String(required=True)
    required = fields.Integer(required=True)
    actual = fields.Integer(required=True)
    gap = fields.Integer(required=True)
    source = fields.String(allow_none=True)


class GroupResultOut(GroupOut):
    met = fields.Boolean(required=True)


class NextStepOut(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("certification", "skill")))
    code = fields.String(required=True)
    level = fields.Integer(allow_none=True)
    meets = fields.Integer(required=True)
    readiness = fields.Float(required=True)
    words = fields.String(required=True)


class GapOut(Schema):
    role = fields.String(required=True)
    role_name = fields.String(required=True)
    readiness = fields.Float(required=True, validate=validate.Range(0, 1))
    ready = fields.Boolean(required=True)
    skills = fields.List(fields.Nested(SkillGapOut), required=True)
    certifications = fields.List(fields.Nested(GroupResultOut), required=True)
    next_step = fields.Nested(NextStepOut, allow_none=True)


class RoleArgs(QueryArgs):
    role = fields.String(validate=validate.Length(1, 40))


class MonthsArgs(QueryArgs):
    months = fields.Integer(load_default=12, validate=validate.Range(1, capability.MAX_MONTHS))


class MatrixPersonOut(Schema):
    person_id = fields.Integer(required=True)
    name = fields.String(required=True)
    org_unit = fields.String(required=True)
    role = fields.String(required=True)
    readiness = fields.Float(required=True)
    ready = fields.Boolean(required=True)
    skills = fields.List(fields.Nested(SkillGapOut), required=True)
    certifications = fields.List(fields.Nested(GroupResultOut), required=True)


class CapabilityOut(Schema):
    org_unit_id = fields.Integer(required=True)
    role = fields.String(allow_none=True)
    people = fields.List(fields.Nested(MatrixPersonOut), required=True)
    without_role = fields.Integer(required=True)
    coverage = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)
    roles = fields.List(fields.Dict(), required=True)
    ready = fields.List(fields.Dict(), required=True)
    certifications = fields.List(fields.Dict(), required=True)


class CoverageOut(Schema):
    org_unit_id = fields.Integer(required=True)
    months = fields.List(fields.Dict(), required=True)


# --- serialisers -----------------------------------------------------------------------------


def _group(result: rules.GroupResult) -> dict:
    g = result.group
    return {
        "group": g.label,
        "mode": g.mode,
        "requirement": g.requirement,
        "options": list(g.codes),
        "met": result.met,
    }


def _skill_gap(s: rules.SkillGap) -> dict:
    return {
        "skill": s.skill,
        "required": s.required,
        "actual": s.actual,
        "gap": s.gap,
        "source": s.source,
    }


def gap_to_dict(result: rules.Gap) -> dict:
    step = result.next_step
    return {
        "role": result.role.code,
        "role_name": result.role.name,
        "readiness": round(result.readiness, 4),
        "ready": result.ready,
        "skills": [_skill_gap(s) for s in result.skills],
        "certifications": [_group(g) for g in result.certifications],
        "next_step": None
        if step is None
        else {
            "kind": step.kind,
            "code": step.code,
            "level": step.level,
            "meets": step.meets,
            "readiness": round(step.readiness, 4),
            "words": step.words,
        },
    }


# --- the framework ---------------------------------------------------------------------------


@blp.route("/roles")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(RoleOut, "RolePage"))
@allow()
def list_roles(args):
    frame = services.framework()
    items = [
        {
            "code": r.code,
            "name": r.name,
            "skills": [
                {"skill": n.skill, "level": n.level, "target_level": n.target} for n in r.skills
            ],
            "certifications": [
                {
                    "group": g.label,
                    "mode": g.mode,
                    "requirement": g.requirement,
                    "options": list(g.codes),
                }
                for g in r.groups
            ],
        }
        for r in frame.roles.values()
    ]
    return page_of(items, args["page"], args.get("per_page"))


@blp.route("/skills")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(SkillOut, "SkillPage"))
@allow()
def list_skills(args):
    frame = services.framework()
    items = [
        {
            "code": s.code,
            "name": s.name,
            "category": s.category,
            "levels": [
                {"level": n, "summary": s.level_summary.get(str(n))} for n in s.levels_defined
            ],
            "url": s.url,
            "implied_by": {c: lv[s.code] for c, lv in frame.implied.items() if s.code in lv},
        }
        for s in frame.skills.values()
    ]
    return page_of(items, args["page"], args.get("per_page"))


# --- a person --------------------------------------------------------------------------------


@blp.route("/people/<int:person_id>/skills", methods=["POST"])
@looked_up("person", services.assessable_or_404)
@blp.doc(requestBody=json_body(AssessmentIn))
@blp.response(201, AssessmentOut)
@allow()
def assess(person: Person):
    made = services.record_assessment(
        person, json_object(request), actor=current_user, today=clock.today()
    )
    db.session.commit()
    return {
        "id": made.id,
        "skill": made.skill.code,
        "level": made.level,
        "source": made.source,
        "assessed_on": text.iso(made.assessed_on),
        "assessed_by_id": made.assessed_by_id,
        "note": made.note,
    }


@blp.route("/people/<int:person_id>/skills")
@looked_up("person", services.assessable_or_404)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(PersonSkillOut, "PersonSkillPage"))
@allow()
def person_skills(args, person: Person):
    found = services.person_capability(person, None, clock.today())
    names = found.frame.skill_names
    items = [
        {
            "skill": code,
            "name": names.get(code, code),
            "level": lv.level,
            "source": lv.source,
            "credential": lv.credential,
            "assessed_on": text.iso(lv.assessed_on),
        }
        for code, lv in sorted(found.levels.items())
    ]
    return page_of(items, args["page"], args.get("per_page"))


@blp.route("/people/<int:person_id>/gaps")
@looked_up("person", services.assessable_or_404)
@blp.arguments(RoleArgs, location="query")
@blp.response(200, GapOut)
@allow()
def person_gaps(args, person: Person):
    found = services.person_capability(person, args.get("role"), clock.today())
    if found.gap is None:
        raise ValidationFailed(
            {"role": ["This person has no target or current role: give ?role=CODE."]}
        )
    return gap_to_dict(found.gap)


# --- a unit ----------------------------------------------------------------------------------


def _unit_or_404(unit_id: int):
    """A unit the caller may look into; a practitioner may look into none (404, not 403)."""
    unit = unit_in_scope(current_user, unit_id) if authz.can_view_team(current_user) else None
    return found_or_404(unit, current_user, lambda u: u.id, change=False)


@blp.route("/org-units/<int:unit_id>/capability")
@blp.arguments(RoleArgs, location="query")
@blp.response(200, CapabilityOut)
@allow()
def unit_capability(args, unit_id: int):
    unit = _unit_or_404(unit_id)
    frame = services.framework()
    if args.get("role") and args["role"] not in frame.roles:
        raise ValidationFailed({"role": [f"Unknown role '{args['role']}'."]})
    cap = capability.capability(current_user, unit, args.get("role"), clock.today())
    return {
        "org_unit_id": unit.id,
        "role": args.get("role"),
        "people": [
            {
                "person_id": r.member.id,
                "name": r.member.name,
                "org_unit": r.member.unit,
                "role": r.role.code,
                "readiness": round(r.gap.readiness, 4),
                "ready": r.gap.ready,
                "skills": [_skill_gap(s) for s in r.gap.skills],
                "certifications": [_group(g) for g in r.gap.certifications],
            }
            for r in cap.rows
        ],
        "without_role": cap.without_role,
        "coverage": {
            skill: {str(k): v for k, v in by.items()} for skill, by in cap.coverage.items()
        },
        "roles": [
            {"role": b.role, "name": b.name, "demand": b.demand, "supply": b.supply}
            for b in cap.balance
        ],
        "ready": [
            {"person_id": r.member.id, "name": r.member.name, "role": r.role.code}
            for r in cap.ready
        ],
        "certifications": [
            {"code": lv.code, "closes": lv.closes, "people": lv.people} for lv in cap.levers
        ],
    }


@blp.route("/org-units/<int:unit_id>/coverage")
@blp.arguments(MonthsArgs, location="query")
@blp.response(200, CoverageOut)
@allow()
def unit_coverage(args, unit_id: int):
    unit = _unit_or_404(unit_id)
    months = capability.coverage(current_user, unit, args["months"], clock.today())
    return {
        "org_unit_id": unit.id,
        "months": [
            {
                "month": m.month,
                "certifications": [
                    {
                        "code": c.code,
                        "valid_holders": c.valid_holders,
                        "expected_holders": c.expected_holders,
                    }
                    for c in m.certifications
                ],
                "roles": [
                    {
                        "role": r.role,
                        "name": r.name,
                        "people_meeting": r.people_meeting,
                        "people_expected": r.people_expected,
                        "people_needed": r.people_needed,
                    }
                    for r in m.roles
                ],
            }
            for m in months
        ],
    }
