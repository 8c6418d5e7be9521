"""A team's capability: /org-units/{id}/capability (each person against a role, coverage of each
skill, supply against demand, who is ready, what closes the most gaps) and
/org-units/{id}/coverage (month by month, what holds then)."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields, validate

from pmolearn import authz, clock
from pmolearn.api.capability import (
    GroupResultOut,
    RoleArgs,
    SkillGapOut,
    group_to_dict,
    skill_gap_to_dict,
)
from pmolearn.api.lists import QueryArgs
from pmolearn.api.openapi import Blueprint
from pmolearn.authz import allow
from pmolearn.errors import ValidationFailed
from pmolearn.people.scope import unit_in_scope
from pmolearn.skills import capability, services
from pmolearn.web import found_or_404

blp = Blueprint("api_org_units", __name__, url_prefix="/api/v1", description="Team capability")


# --- schemas ---------------------------------------------------------------------------------


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


# --- routes ----------------------------------------------------------------------------------


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
                "skills": [skill_gap_to_dict(s) for s in r.gap.skills],
                "certifications": [group_to_dict(g) for g in r.gap.certifications],
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
