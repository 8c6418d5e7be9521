"""Schemas that describe the credential, activity and evidence JSON in the OpenAPI document.

Responses are built by the serializers in ``api/pdus.py`` and ``api/evidence.py``; these
schemas dump those dicts unchanged and document them. Activity bodies are validated as a whole
by ``pdus.services.clean_activity`` (one message per field), so ``ActivityIn`` only documents.
"""

from __future__ import annotations

from marshmallow import Schema, fields


class CycleOut(Schema):
    number = fields.Integer()
    start = fields.String()
    end = fields.String(allow_none=True)
    policy = fields.String(allow_none=True)
    renewed_on = fields.String(allow_none=True)
    carried_in = fields.Float()


class CredentialOut(Schema):
    id = fields.Integer()
    person_id = fields.Integer()
    certification = fields.String()
    certification_name = fields.String()
    number = fields.String(allow_none=True)
    earned_on = fields.String()
    status = fields.String(metadata={"enum": ["active", "suspended", "expired", "retired"]})
    cycle = fields.Dict(metadata={"description": '{"start", "end"} of the latest cycle'})
    cycles = fields.List(fields.Nested(CycleOut))
    policy_confirmed = fields.Boolean()
    compliance = fields.Dict(
        allow_none=True,
        metadata={"description": "The engine's verdict (API.md); null when rules are unconfirmed"},
    )


class CredentialList(Schema):
    items = fields.List(fields.Nested(CredentialOut))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class EvidenceOut(Schema):
    id = fields.Integer()
    activity_id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    url = fields.String()


class ActivityOut(Schema):
    id = fields.Integer()
    person_id = fields.Integer()
    title = fields.String()
    provider = fields.String(allow_none=True)
    provider_id = fields.String(allow_none=True)
    activity_type = fields.String()
    category = fields.String()
    started_on = fields.String(allow_none=True)
    completed_on = fields.String()
    pdus = fields.Float()
    areas = fields.Dict(keys=fields.String(), values=fields.Float())
    credential_ids = fields.List(fields.Integer())
    notes = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": ["draft", "claimed", "approved", "rejected"]})
    reported_on = fields.String(allow_none=True)
    evidence = fields.List(fields.Dict())
    created_at = fields.String()
    updated_at = fields.String()


class ActivityList(Schema):
    items = fields.List(fields.Nested(ActivityOut))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class ActivityIn(Schema):
    """POST creates (title, activity_type, completed_on, pdus required); PATCH changes any."""

    title = fields.String(metadata={"maxLength": 200})
    provider = fields.String(allow_none=True)
    provider_id = fields.String(allow_none=True)
    activity_type = fields.String(metadata={"description": "a catalog type; fixes the category"})
    started_on = fields.Date(allow_none=True)
    completed_on = fields.Date(metadata={"description": "not in the future"})
    pdus = fields.Float(metadata={"description": "> 0, in steps of 0.25"})
    areas = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        metadata={"description": "Education only: split that adds up to pdus"},
    )
    credential_ids = fields.List(fields.Integer())
    notes = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": ["draft", "claimed", "approved", "rejected"]})
    reported_on = fields.Date(allow_none=True)


ACTIVITY_BODY = {"content": {"application/json": {"schema": ActivityIn}}, "required": True}
EVIDENCE_BODY = {
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        }
    },
    "required": True,
}
