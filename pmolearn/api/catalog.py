"""Catalog endpoints: /certifications and /certifications/{code}."""

from __future__ import annotations

from decimal import Decimal

from flask import abort
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from pmolearn.api.common import PageArgs, page_of
from pmolearn.authz import allow
from pmolearn.catalog import services
from pmolearn.catalog.models import Certification, RenewalPolicy
from pmolearn.database import today

blp = Blueprint("api_catalog", __name__, url_prefix="/api/v1", description="Certification catalog")


def _num(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def policy_to_dict(policy: RenewalPolicy | None) -> dict | None:
    """A renewal policy as data; null numbers are unconfirmed, listed in ``unconfirmed``."""
    if policy is None:
        return None
    return {
        "policy": policy.label,
        "effective_from": policy.effective_from.isoformat(),
        "scheme": policy.scheme,
        "confirmed": policy.is_confirmed,
        "cycle_years": policy.cycle_years,
        "pdus_required": _num(policy.pdus_required),
        "categories": policy.categories,
        "area_minimums": policy.area_minimums,
        "activity_types": [
            {
                "code": t.code,
                "name": t.name,
                "category": t.category,
                "cap_per_activity": _num(t.cap_per_activity),
                "cap_per_cycle": _num(t.cap_per_cycle),
                "transferable": t.transferable,
            }
            for t in policy.activity_types
        ],
        "carry_over": {
            "allowed": policy.carry_over_allowed,
            "max": _num(policy.carry_over_max),
            "window_months": policy.carry_over_window_months,
        },
        "grace_months": policy.grace_months,
        "fee_member": _num(policy.renewal_fee_member),
        "fee_non_member": _num(policy.renewal_fee_non_member),
        "sources": policy.source_codes,
        "confidence": policy.confidence,
    }


def current_exam(certification: Certification) -> dict:
    exam = certification.exam or {}
    versions = exam.get("versions") or []
    current = next(
        (v for v in versions if v.get("id") == exam.get("current_version")),
        versions[0] if versions else {},
    )
    return {"version": exam.get("current_version"), **current}


class CertificationSchema(Schema):
    code = fields.String()
    name = fields.String()
    issuer = fields.Function(lambda c: c.issuer.code)
    issuer_name = fields.Function(lambda c: c.issuer.name)
    status = fields.String()
    level = fields.String(allow_none=True)
    certifies = fields.String(allow_none=True)
    superseded_by = fields.String(allow_none=True)
    renewal = fields.Function(lambda c: policy_to_dict(c.policy_on(today())))
    renewal_history = fields.Function(lambda c: [policy_to_dict(p) for p in c.policies])
    exam = fields.Function(current_exam)
    exam_versions = fields.Function(lambda c: (c.exam or {}).get("versions", []))
    eligibility = fields.Dict()
    fees = fields.Dict()
    typical_roles = fields.List(fields.String())
    sources = fields.List(fields.String(), attribute="source_codes")
    unconfirmed = fields.List(fields.String())


class CertificationList(Schema):
    items = fields.List(fields.Nested(CertificationSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


@blp.route("/certifications")
@blp.arguments(PageArgs, location="query")
@blp.response(200, CertificationList)
@allow()
def list_certifications(args):
    return page_of(services.list_certifications(), args["page"], args["per_page"])


@blp.route("/certifications/<code>")
@blp.response(200, CertificationSchema)
@allow()
def get_certification(code: str):
    return services.get_certification(code) or abort(404)
