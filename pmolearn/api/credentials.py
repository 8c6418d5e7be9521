"""Credentials: /people/{id}/credentials, /credentials/{id}, renewals and the audit pack."""

from __future__ import annotations

from flask import send_file
from flask_login import current_user
from marshmallow import Schema, fields, validate

from pmolearn import clock, text
from pmolearn.api.lists import PageArgs, QueryArgs, page_of, page_schema
from pmolearn.api.openapi import Blueprint, ErrorBody, IsoDate, PolicyFigure
from pmolearn.authz import allow
from pmolearn.credentials import compliance, cycles, services
from pmolearn.credentials import fields as credential_fields
from pmolearn.credentials.audit_pack import build_audit_pack
from pmolearn.credentials.models import Credential, CredentialCycle
from pmolearn.extensions import db
from pmolearn.people.models import Person
from pmolearn.people.scope import person_or_404
from pmolearn.web import looked_up

blp = Blueprint("api_credentials", __name__, url_prefix="/api/v1", description="Credentials")


# --- serialisers -------------------------------------------------------------------------


def cycle_to_dict(cycle: CredentialCycle) -> dict:
    return {
        "number": cycle.number,
        "start": text.iso(cycle.start),
        "end": text.iso(cycle.end),
        "policy": cycle.policy.label if cycle.policy else None,
        "renewed_on": text.iso(cycle.renewed_on),
        "carried_in": float(sum(float(c["pdus"]) for c in cycle.carried_in or [])),
    }


def credential_to_dict(view: services.CredentialView) -> dict:
    """API.md's credential. ``cycle`` is the latest cycle (after a renewal, the new one);
    ``cycle_state`` says whether it is in force on ``as_of`` or starts later (renewed early);
    ``compliance`` judges the cycle in force."""
    credential = view.credential
    latest = credential.latest_cycle
    return {
        "id": credential.id,
        "person_id": credential.person_id,
        "certification": credential.certification.code,
        "certification_name": credential.certification.name,
        "number": credential.number,
        "earned_on": text.iso(credential.earned_on),
        "status": view.status,
        "cycle": {"start": text.iso(latest.start), "end": text.iso(latest.end)},
        "cycle_state": "next" if view.next_cycle else "current",
        "current_cycle": view.cycle.number,
        "cycles": [cycle_to_dict(c) for c in credential.cycles],
        "policy_confirmed": view.compliance is not None,
        "compliance": view.compliance.to_dict() if view.compliance else None,
    }


# --- schemas -----------------------------------------------------------------------------
# The serialisers above build the JSON; these schemas dump it unchanged and document it.


class CycleOut(Schema):
    number = fields.Integer(required=True)
    start = IsoDate(required=True)
    end = IsoDate(required=True, allow_none=True)
    policy = fields.String(required=True, allow_none=True)
    renewed_on = IsoDate(required=True, allow_none=True)
    carried_in = fields.Float(required=True)


class CycleDatesOut(Schema):
    start = IsoDate(required=True)
    end = IsoDate(required=True, allow_none=True)


class CategoryOut(Schema):
    earned = fields.Float(required=True)
    applied = fields.Float(required=True)
    min = PolicyFigure(required=True)
    max = PolicyFigure(required=True, allow_none=True)


class AreaOut(Schema):
    applied = fields.Float(required=True)
    min = PolicyFigure(required=True)


class RemainingOut(Schema):
    total = fields.Float(required=True)
    education = fields.Float(required=True)
    areas = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
    by_category = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)


class CappedClaimOut(Schema):
    id = fields.Integer(required=True)
    earned = fields.Float(required=True)
    applied = fields.Float(required=True)
    cap = fields.String(
        required=True,
        validate=validate.OneOf(
            [compliance.PER_ACTIVITY, compliance.PER_CYCLE, compliance.CATEGORY_MAX]
        ),
    )
    note = fields.String(required=True)


class ComplianceOut(Schema):
    as_of = IsoDate(required=True)
    policy = fields.String(required=True)
    required = PolicyFigure(required=True)
    earned = fields.Float(required=True)
    applied = fields.Float(required=True)
    by_category = fields.Dict(
        keys=fields.String(), values=fields.Nested(CategoryOut), required=True
    )
    by_area = fields.Dict(keys=fields.String(), values=fields.Nested(AreaOut), required=True)
    remaining = fields.Nested(RemainingOut, required=True)
    carry_over = fields.Float(required=True)
    carry_over_known = fields.Boolean(required=True)
    carried_in = fields.Float(required=True)
    days_left = fields.Integer(required=True)
    grace_ends_on = IsoDate(required=True)
    pace_per_month = fields.Float(required=True)
    status = fields.String(required=True, validate=validate.OneOf(compliance.STATUSES))
    next_step = fields.String(required=True)
    ignored_claim_ids = fields.List(fields.Integer(), required=True)
    capped_claims = fields.List(fields.Nested(CappedClaimOut), required=True)


class CredentialOut(Schema):
    id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    certification = fields.String(required=True)
    certification_name = fields.String(required=True)
    number = fields.String(required=True, allow_none=True)
    earned_on = IsoDate(required=True)
    status = fields.String(required=True, validate=validate.OneOf(cycles.CREDENTIAL_STATUSES))
    cycle = fields.Nested(CycleDatesOut, required=True)
    cycle_state = fields.String(required=True, validate=validate.OneOf(["current", "next"]))
    current_cycle = fields.Integer(required=True)
    cycles = fields.List(fields.Nested(CycleOut), required=True)
    policy_confirmed = fields.Boolean(required=True)
    compliance = fields.Nested(ComplianceOut, required=True, allow_none=True)


class CredentialCreate(Schema):
    certification = fields.String(
        required=True, validate=validate.Length(min=1, max=credential_fields.CERTIFICATION.limit)
    )
    number = fields.String(
        allow_none=True, validate=validate.Length(max=credential_fields.NUMBER.limit)
    )
    earned_on = fields.Date(required=True)


class RenewalCreate(Schema):
    renewed_on = fields.Date(required=True)


class RenewalRefused(Schema):
    """409: the cycle is not complete; ``remaining`` says what is still missing."""

    class Body(ErrorBody):
        remaining = fields.Nested(RemainingOut)

    error = fields.Nested(Body, required=True)


class AsOfArgs(QueryArgs):
    as_of = fields.Date()


class CredentialListArgs(PageArgs):
    as_of = fields.Date()


class AuditPackArgs(QueryArgs):
    cycle = fields.Integer(validate=validate.Range(min=1, max=1000))
    as_of = fields.Date()


# --- endpoints ---------------------------------------------------------------------------


@blp.route("/people/<int:person_id>/credentials", methods=["POST"])
@looked_up("person", person_or_404, change=True)
@blp.arguments(CredentialCreate)
@blp.response(201, CredentialOut)
@allow()
def create_credential(data, person: Person):
    credential = services.add_credential(
        person,
        data["certification"],
        data.get("number"),
        data["earned_on"],
        actor=current_user,
        today=clock.today(),
    )
    db.session.commit()
    return credential_to_dict(services.view(credential, clock.today()))


@blp.route("/people/<int:person_id>/credentials")
@looked_up("person", person_or_404)
@blp.arguments(CredentialListArgs, location="query")
@blp.response(200, page_schema(CredentialOut, "CredentialPage"))
@allow()
def list_credentials(args, person: Person):
    views = services.views_of(
        services.person_credentials(person.id),
        args.get("as_of") or clock.today(),
        in_force_only=True,
    )
    page = page_of(views, args["page"], args.get("per_page"))
    return {**page, "items": [credential_to_dict(v) for v in page["items"]]}


@blp.route("/credentials/<int:credential_id>")
@looked_up("credential", services.credential_or_404)
@blp.arguments(AsOfArgs, location="query")
@blp.response(200, CredentialOut)
@allow()
def get_credential(args, credential: Credential):
    on = args.get("as_of") or clock.today()
    return credential_to_dict(services.views_of([credential], on, in_force_only=True)[0])


@blp.route("/credentials/<int:credential_id>/renewals", methods=["POST"])
@looked_up("credential", services.credential_or_404, change=True)
@blp.arguments(RenewalCreate)
@blp.response(201, CredentialOut)
@blp.alt_response(409, schema=RenewalRefused, description="The cycle is not complete")
@allow()
def renew_credential(data, credential: Credential):
    services.renew(credential, data["renewed_on"], actor=current_user, today=clock.today())
    db.session.commit()
    return credential_to_dict(services.view(credential, clock.today()))


@blp.route("/credentials/<int:credential_id>/audit-pack")
@looked_up("credential", services.credential_or_404)
@blp.arguments(AuditPackArgs, location="query")
@blp.response(
    200,
    {"type": "string", "format": "binary"},
    content_type="application/zip",
    description="ZIP: claims.csv, summary.txt and evidence/<activity_id>-<n>-<name>.",
)
@allow()
def audit_pack(args, credential: Credential):
    """Download one credential cycle's claims and evidence as a ZIP, for an issuer's audit.

    ``cycle`` defaults to the latest cycle; ``as_of`` (default today) dates the compliance
    status in summary.txt. The holder, their PMO head and HR may download it; a credential
    outside the caller's scope answers 404.
    """
    filename, buffer = build_audit_pack(
        credential, args.get("cycle"), args.get("as_of") or clock.today()
    )
    return send_file(buffer, mimetype="application/zip", as_attachment=True, download_name=filename)
