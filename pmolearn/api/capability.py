"""Capability: /roles, /skills, /people/{id}/skills and /people/{id}/gaps. A unit's capability
and coverage over time are ``api.org_units``."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields, validate

from pmolearn import clock, text
from pmolearn.api.lists import PageArgs, QueryArgs, page_of, page_schema
from pmolearn.api.openapi import Blueprint, IsoDate, json_body
from pmolearn.authz import allow
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db
from pmolearn.people.models import Person
from pmolearn.skills import gap as rules
from pmolearn.skills import services
from pmolearn.web import json_object, looked_up

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


# --- serialisers -----------------------------------------------------------------------------


def group_to_dict(result: rules.GroupResult) -> dict:
    g = result.group
    return {
        "group": g.label,
        "mode": g.mode,
        "requirement": g.requirement,
        "options": list(g.codes),
        "met": result.met,
    }


def skill_gap_to_dict(s: rules.SkillGap) -> dict:
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
        "skills": [skill_gap_to_dict(s) for s in result.skills],
        "certifications": [group_to_dict(g) for g in result.certifications],
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
