"""Evidence files: POST /pdus/{id}/evidence, GET and DELETE /pdus/{id}/evidence/{file_id}."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from pmolearn.api.openapi import Blueprint
from pmolearn.api.pdus import EvidenceOut, evidence_to_dict
from pmolearn.authz import allow
from pmolearn.extensions import db
from pmolearn.pdus import evidence, services
from pmolearn.pdus.models import PduActivity
from pmolearn.web import looked_up

blp = Blueprint("api_evidence", __name__, url_prefix="/api/v1", description="Evidence files")

UPLOAD_BODY = {
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "PDF, PNG or JPEG (judged by content), at most 10 MB",
                    }
                },
            }
        }
    },
    "required": True,
}
BINARY = {"schema": {"type": "string", "format": "binary"}}


@blp.route("/pdus/<int:activity_id>/evidence", methods=["POST"])
@looked_up("activity", services.activity_or_404, change=True)
@blp.doc(requestBody=UPLOAD_BODY)
@blp.response(201, EvidenceOut)
@allow()
def upload(activity: PduActivity):
    item = evidence.add_evidence(activity, request.files.get("file"), actor=current_user)
    evidence.commit_upload(item)
    return evidence_to_dict(item)


@blp.route("/pdus/<int:activity_id>/evidence/<int:file_id>")
@looked_up("activity", services.activity_or_404)
@blp.doc(
    responses={
        "200": {
            "description": "The file, under the extension of its detected type",
            "content": {"application/pdf": BINARY, "image/png": BINARY, "image/jpeg": BINARY},
        }
    }
)
@allow()
def download(activity: PduActivity, file_id: int):
    return evidence.send_evidence(activity, file_id)


@blp.route("/pdus/<int:activity_id>/evidence/<int:file_id>", methods=["DELETE"])
@looked_up("activity", services.activity_or_404, change=True)
@blp.response(204)
@allow()
def remove(activity: PduActivity, file_id: int):
    stored = evidence.remove_evidence(activity, file_id, actor=current_user)
    if stored is None:
        abort(404)
    db.session.commit()
    evidence.remove_stored_files([stored])
