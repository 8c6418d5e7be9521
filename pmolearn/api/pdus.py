"""PDU activities: /people/{id}/pdus and /pdus/{id}.

Activity bodies are validated as a whole by ``pdus.services.clean_activity`` (one message per
field, the same rules as the form and the importer); ``ActivityIn`` documents them.
"""

from __future__ import annotations

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields, validate

from pmolearn import clock, text
from pmolearn.api.lists import IdArg, PageArgs, page_schema, per_page_of
from pmolearn.api.openapi import Blueprint, IsoDate, IsoTimestamp, json_body
from pmolearn.authz import allow
from pmolearn.credentials.compliance import AREAS
from pmolearn.extensions import db
from pmolearn.pdus import fields as pdu_fields
from pmolearn.pdus import services
from pmolearn.pdus.evidence import remove_stored_files
from pmolearn.pdus.models import EvidenceFile, PduActivity
from pmolearn.people.models import Person
from pmolearn.people.scope import person_or_404
from pmolearn.web import json_object, looked_up

blp = Blueprint("api_pdus", __name__, url_prefix="/api/v1", description="PDU activities")


def evidence_to_dict(item: EvidenceFile) -> dict:
    return {
        "id": item.id,
        "activity_id": item.activity_id,
        "filename": item.download_name,
        "content_type": item.content_type,
        "size": item.size,
        "sha256": item.sha256,
        "url": f"/api/v1/pdus/{item.activity_id}/evidence/{item.id}",
    }


def activity_to_dict(
    activity: PduActivity | services.ListedActivity, evidence: list[EvidenceFile] | None = None
) -> dict:
    """A claim as the API answers it, from the ORM object or a listed row (with its files)."""
    if evidence is None:
        evidence = activity.evidence
    return {
        "id": activity.id,
        "person_id": activity.person_id,
        "title": activity.title,
        "provider": activity.provider,
        "provider_id": activity.provider_id,
        "activity_type": activity.activity_type,
        "category": activity.category,
        "started_on": text.iso(activity.started_on),
        "completed_on": text.iso(activity.completed_on),
        "pdus": float(activity.pdus),
        "areas": {a: float(v) for a, v in activity.areas.items()},
        "credential_ids": list(activity.credential_ids),
        "notes": activity.notes,
        "status": activity.status,
        "reported_on": text.iso(activity.reported_on),
        "evidence": [evidence_to_dict(f) for f in evidence],
        "created_at": text.timestamp(activity.created_at),
        "updated_at": text.timestamp(activity.updated_at),
    }


class EvidenceOut(Schema):
    id = fields.Integer(required=True)
    activity_id = fields.Integer(required=True)
    filename = fields.String(required=True)
    content_type = fields.String(
        required=True, validate=validate.OneOf(["application/pdf", "image/png", "image/jpeg"])
    )
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    url = fields.String(required=True)


def _nullable_text(spec) -> fields.String:
    return fields.String(required=True, allow_none=True, validate=validate.Length(max=spec.limit))


class ActivityOut(Schema):
    id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    title = fields.String(required=True)
    provider = _nullable_text(pdu_fields.PROVIDER)
    provider_id = _nullable_text(pdu_fields.PROVIDER_ID)
    activity_type = fields.String(required=True)
    category = fields.String(required=True)
    started_on = IsoDate(required=True, allow_none=True)
    completed_on = IsoDate(required=True)
    pdus = fields.Float(required=True)
    areas = fields.Dict(keys=fields.String(validate=validate.OneOf(AREAS)), values=fields.Float(),
                        required=True)  # fmt: skip
    credential_ids = fields.List(fields.Integer(), required=True)
    notes = _nullable_text(pdu_fields.NOTES)
    status = fields.String(required=True, validate=validate.OneOf(pdu_fields.STATUSES))
    reported_on = IsoDate(required=True, allow_none=True)
    evidence = fields.List(fields.Nested(EvidenceOut), required=True)
    created_at = IsoTimestamp(required=True)
    updated_at = IsoTimestamp(required=True)


def _amount(metadata: dict | None = None, **kwargs) -> fields.Float:
    return fields.Float(
        validate=validate.Range(min=0, max=float(pdu_fields.MAX_PDUS)),
        metadata={"multipleOf": float(pdu_fields.QUARTER), **(metadata or {})},
        **kwargs,
    )


class ActivityIn(Schema):
    """POST creates (title, activity_type, completed_on and pdus required); PATCH changes any."""

    title = fields.String(validate=validate.Length(min=1, max=pdu_fields.TITLE.limit))
    provider = fields.String(
        allow_none=True, validate=validate.Length(max=pdu_fields.PROVIDER.limit)
    )
    provider_id = fields.String(
        allow_none=True, validate=validate.Length(max=pdu_fields.PROVIDER_ID.limit)
    )
    activity_type = fields.String(metadata={"description": "a catalog type; fixes the category"})
    started_on = fields.Date(allow_none=True)
    completed_on = fields.Date(metadata={"description": "not in the future"})
    pdus = _amount(metadata={"description": "> 0, in steps of 0.25", "minimum": 0.25})
    areas = fields.Dict(
        keys=fields.String(validate=validate.OneOf(AREAS)),
        values=_amount(),
        metadata={"description": "Education only: a split that adds up to pdus"},
    )
    credential_ids = fields.List(fields.Integer(validate=validate.Range(min=1)))
    notes = fields.String(allow_none=True, validate=validate.Length(max=pdu_fields.NOTES.limit))
    status = fields.String(validate=validate.OneOf(pdu_fields.STATUSES))
    reported_on = fields.Date(allow_none=True)


class ActivityCreate(ActivityIn):
    title = fields.String(
        required=True, validate=validate.Length(min=1, max=pdu_fields.TITLE.limit)
    )
    activity_type = fields.String(required=True)
    completed_on = fields.Date(required=True, metadata={"description": "not in the future"})
    pdus = _amount(required=True, metadata={"minimum": 0.25})
    status = fields.String(validate=validate.OneOf(pdu_fields.NEW_STATUSES))


class PduListArgs(PageArgs):
    credential_id = IdArg()
    from_ = fields.Date(data_key="from")
    to = fields.Date()


@blp.route("/people/<int:person_id>/pdus", methods=["POST"])
@looked_up("person", person_or_404, change=True)
@blp.doc(requestBody=json_body(ActivityCreate))
@blp.response(201, ActivityOut)
@allow()
def create_activity(person: Person):
    activity = services.log_activity(
        person, json_object(request), actor=current_user, today=clock.today()
    )
    db.session.commit()
    return activity_to_dict(activity)


@blp.route("/people/<int:person_id>/pdus")
@looked_up("person", person_or_404)
@blp.arguments(PduListArgs, location="query")
@blp.response(200, page_schema(ActivityOut, "ActivityPage"))
@allow()
def list_activities(args, person: Person):
    found = services.activity_page(
        person.id,
        args["page"],
        per_page_of(args.get("per_page")),
        credential_id=args.get("credential_id"),
        start=args.get("from_"),
        end=args.get("to"),
    )
    evidence = services.evidence_of([a.id for a in found.items])
    return {
        "items": [activity_to_dict(a, evidence[a.id]) for a in found.items],
        "page": found.page,
        "per_page": found.per_page,
        "total": found.total,
    }


@blp.route("/pdus/<int:activity_id>")
@looked_up("activity", services.activity_or_404)
@blp.response(200, ActivityOut)
@allow()
def get_activity(activity: PduActivity):
    return activity_to_dict(activity)


@blp.route("/pdus/<int:activity_id>", methods=["PATCH"])
@looked_up("activity", services.activity_or_404, change=True)
@blp.doc(requestBody=json_body(ActivityIn))
@blp.response(200, ActivityOut)
@allow()
def update_activity(activity: PduActivity):
    services.update_activity(
        activity, json_object(request), actor=current_user, today=clock.today()
    )
    db.session.commit()
    return activity_to_dict(activity)


@blp.route("/pdus/<int:activity_id>", methods=["DELETE"])
@looked_up("activity", services.activity_or_404, change=True)
@blp.response(204)
@allow()
def delete_activity(activity: PduActivity):
    stored = services.delete_activity(activity, actor=current_user)
    db.session.commit()
    remove_stored_files(stored)
