"""Credentials and PDU activities: /people/{id}/credentials, /credentials/{id}, /pdus, ..."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from pmolearn.api.common import PageArgs, QueryArgs, page_of, paginate
from pmolearn.api.pdu_schemas import (
    ACTIVITY_BODY,
    ActivityList,
    ActivityOut,
    CredentialList,
    CredentialOut,
)
from pmolearn.authz import allow, require_edit
from pmolearn.database import today
from pmolearn.errors import ApiError
from pmolearn.extensions import db
from pmolearn.pdus import services
from pmolearn.pdus.models import Credential, PduActivity
from pmolearn.people.services import get_person_for
from pmolearn.validation import MAX_ID

blp = Blueprint("api_pdus", __name__, url_prefix="/api/v1", description="Credentials and PDUs")


def _num(value):
    return None if value is None else float(value)


def cycle_to_dict(cycle) -> dict:
    return {
        "number": cycle.number,
        "start": cycle.start.isoformat(),
        "end": cycle.end.isoformat() if cycle.end else None,
        "policy": cycle.policy.label if cycle.policy else None,
        "renewed_on": cycle.renewed_on.isoformat() if cycle.renewed_on else None,
        "carried_in": sum(float(c["pdus"]) for c in cycle.carried_in or []),
    }


def credential_to_dict(view: services.CredentialView) -> dict:
    credential = view.credential
    cycle = credential.current_cycle
    return {
        "id": credential.id,
        "person_id": credential.person_id,
        "certification": credential.certification.code,
        "certification_name": credential.certification.name,
        "number": credential.number,
        "earned_on": credential.earned_on.isoformat(),
        "status": view.status,
        "cycle": {
            "start": cycle.start.isoformat(),
            "end": cycle.end.isoformat() if cycle.end else None,
        },
        "cycles": [cycle_to_dict(c) for c in credential.cycles],
        "policy_confirmed": view.compliance is not None,
        "compliance": view.compliance.to_dict() if view.compliance else None,
    }


def activity_to_dict(activity: PduActivity) -> dict:
    return {
        "id": activity.id,
        "person_id": activity.person_id,
        "title": activity.title,
        "provider": activity.provider,
        "provider_id": activity.provider_id,
        "activity_type": activity.activity_type,
        "category": activity.category,
        "started_on": activity.started_on.isoformat() if activity.started_on else None,
        "completed_on": activity.completed_on.isoformat(),
        "pdus": float(activity.pdus),
        "areas": {a: float(v) for a, v in activity.areas.items()},
        "credential_ids": sorted(c.id for c in activity.credentials),
        "notes": activity.notes,
        "status": activity.status,
        "reported_on": activity.reported_on.isoformat() if activity.reported_on else None,
        "evidence": [
            {
                "id": f.id,
                "filename": f.original_name,
                "content_type": f.content_type,
                "size": f.size,
                "url": f"/api/v1/pdus/{activity.id}/evidence/{f.id}",
            }
            for f in activity.evidence
        ],
        "created_at": activity.created_at.isoformat(),
        "updated_at": activity.updated_at.isoformat(),
    }


class CredentialCreate(Schema):
    certification = fields.String(required=True)
    number = fields.String(allow_none=True, validate=validate.Length(max=40))
    earned_on = fields.Date(required=True)


class RenewalCreate(Schema):
    renewed_on = fields.Date(required=True)


class AsOfArgs(QueryArgs):
    as_of = fields.Date()


class CredentialListArgs(PageArgs):
    as_of = fields.Date()


class PduListArgs(PageArgs):
    credential_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    from_ = fields.Date(data_key="from")
    to = fields.Date()


def _person_or_404(person_id: int):
    return get_person_for(current_user, person_id) or abort(404)


def _json_object() -> dict:
    if not request.is_json:
        raise ApiError(415, "Send a JSON object with Content-Type: application/json.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "The body must be a JSON object.")
    return body


@blp.route("/people/<int:person_id>/credentials", methods=["POST"])
@blp.arguments(CredentialCreate)
@blp.response(201, CredentialOut)
@allow()
def create_credential(data, person_id: int):
    person = _person_or_404(person_id)
    require_edit(current_user, person.id)
    credential = services.add_credential(
        person,
        data["certification"],
        data.get("number"),
        data["earned_on"],
        actor=current_user,
        today=today(),
    )
    db.session.commit()
    return credential_to_dict(services.credential_view(credential, today()))


@blp.route("/people/<int:person_id>/credentials")
@blp.arguments(CredentialListArgs, location="query")
@blp.response(200, CredentialList)
@allow()
def list_credentials(args, person_id: int):
    person = _person_or_404(person_id)
    views = services.credential_views(person, args.get("as_of") or today())
    page = page_of(views, args["page"], args["per_page"])
    return {**page, "items": [credential_to_dict(v) for v in page["items"]]}


@blp.route("/credentials/<int:credential_id>")
@blp.arguments(AsOfArgs, location="query")
@blp.response(200, CredentialOut)
@allow()
def get_credential(args, credential_id: int):
    credential = services.credential_for(current_user, credential_id) or abort(404)
    return credential_to_dict(services.credential_view(credential, args.get("as_of") or today()))


@blp.route("/credentials/<int:credential_id>/renewals", methods=["POST"])
@blp.arguments(RenewalCreate)
@blp.response(201, CredentialOut)
@allow()
def renew_credential(data, credential_id: int):
    credential: Credential = services.credential_for(current_user, credential_id) or abort(404)
    require_edit(current_user, credential.person_id)
    services.renew(credential, data["renewed_on"], actor=current_user, today=today())
    db.session.commit()
    return credential_to_dict(services.credential_view(credential, today()))


@blp.route("/people/<int:person_id>/pdus", methods=["POST"])
@blp.doc(requestBody=ACTIVITY_BODY)
@blp.response(201, ActivityOut)
@allow()
def create_activity(person_id: int):
    person = _person_or_404(person_id)
    require_edit(current_user, person.id)
    activity = services.log_activity(person, _json_object(), actor=current_user, today=today())
    db.session.commit()
    return activity_to_dict(activity)


@blp.route("/people/<int:person_id>/pdus")
@blp.arguments(PduListArgs, location="query")
@blp.response(200, ActivityList)
@allow()
def list_activities(args, person_id: int):
    person = _person_or_404(person_id)
    stmt = services.activities_query(
        person.id,
        credential_id=args.get("credential_id"),
        start=args.get("from_"),
        end=args.get("to"),
    )
    page = paginate(stmt, args["page"], args["per_page"])
    return {**page, "items": [activity_to_dict(a) for a in page["items"]]}


@blp.route("/pdus/<int:activity_id>")
@blp.response(200, ActivityOut)
@allow()
def get_activity(activity_id: int):
    return activity_to_dict(services.activity_for(current_user, activity_id) or abort(404))


@blp.route("/pdus/<int:activity_id>", methods=["PATCH"])
@blp.doc(requestBody=ACTIVITY_BODY)
@blp.response(200, ActivityOut)
@allow()
def update_activity(activity_id: int):
    activity = services.activity_for(current_user, activity_id) or abort(404)
    require_edit(current_user, activity.person_id)
    services.update_activity(activity, _json_object(), actor=current_user, today=today())
    db.session.commit()
    return activity_to_dict(activity)


@blp.route("/pdus/<int:activity_id>", methods=["DELETE"])
@blp.response(204)
@allow()
def delete_activity(activity_id: int):
    from pmolearn.pdus.evidence import remove_stored_files

    activity = services.activity_for(current_user, activity_id) or abort(404)
    require_edit(current_user, activity.person_id)
    stored = services.delete_activity(activity, actor=current_user)
    db.session.commit()
    remove_stored_files(stored)
    return None
