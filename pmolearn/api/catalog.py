"""Catalog endpoints: /certifications and /certifications/{code}."""

from __future__ import annotations

from decimal import Decimal

from flask import abort
from marshmallow import Schema, fields

from pmolearn import text
from pmolearn.api.lists import PageArgs, page_of, page_schema
from pmolearn.api.openapi import Blueprint
from pmolearn.authz import allow
from pmolearn.catalog import snapshot, values
from pmolearn.clock import today

blp = Blueprint("api_catalog", __name__, url_prefix="/api/v1", description="Certification catalog")


def _num(value: Decimal | None) -> float | int | None:
    return None if value is None else text.number(value)


def policy_to_dict(policy: values.Policy | None) -> dict | None:
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


def current_exam(certification: values.Certification) -> dict:
    exam = certification.exam or {}
    versions = exam.get("versions") or []
    current = next(
        (v for v in versions if v.get("id") == exam.get("current_version")),
        versions[0] if versions else {},
    )
    return {"version": exam.get("current_version"), **current}


def certification_to_dict(certification: values.Certification) -> dict:
    """A certification as the API answers it (``CertificationSchema`` documents it)."""
    return {
        "code": certification.code,
        "name": certification.name,
        "issuer": certification.issuer.code,
        "issuer_name": certification.issuer.name,
        "status": certification.status,
        "level": certification.level,
        "certifies": certification.certifies,
        "superseded_by": certification.superseded_by,
        "renewal": policy_to_dict(certification.policy_on(today())),
        "renewal_history": [policy_to_dict(p) for p in certification.policies],
        "exam": current_exam(certification),
        "exam_versions": (certification.exam or {}).get("versions", []),
        "eligibility": certification.eligibility,
        "fees": certification.fees,
        "typical_roles": [str(r) for r in certification.typical_roles],
        "sources": list(certification.source_codes),
        "unconfirmed": [str(u) for u in certification.unconfirmed],
    }


class CertificationSchema(Schema):
    """Documents ``certification_to_dict``'s answer (the views send that dict as it is)."""

    code = fields.String()
    name = fields.String()
    issuer = fields.String()
    issuer_name = fields.String()
    status = fields.String()
    level = fields.String(allow_none=True)
    certifies = fields.String(allow_none=True)
    superseded_by = fields.String(allow_none=True)
    renewal = fields.Dict(allow_none=True, metadata={"description": "The policy in force today"})
    renewal_history = fields.List(fields.Dict())
    exam = fields.Dict()
    exam_versions = fields.List(fields.Dict())
    eligibility = fields.Dict()
    fees = fields.Dict()
    typical_roles = fields.List(fields.String())
    sources = fields.List(fields.String())
    unconfirmed = fields.List(fields.String())


CertificationList = page_schema(CertificationSchema, "CertificationPage")


@blp.route("/certifications")
@blp.arguments(PageArgs, location="query")
@blp.response(200, CertificationList)
@allow()
def list_certifications(args):
    page = page_of(snapshot.current().certifications, args["page"], args.get("per_page"))
    return {**page, "items": [certification_to_dict(c) for c in page["items"]]}


@blp.route("/certifications/<code>")
@blp.response(200, CertificationSchema)
@allow()
def get_certification(code: str):
    found = snapshot.current().find(code)
    return certification_to_dict(found) if found is not None else abort(404)
