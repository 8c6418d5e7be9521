"""Evidence upload and download: POST /pdus/{id}/evidence, GET /pdus/{id}/evidence/{file_id}."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user
from flask_smorest import Blueprint

from pmolearn.api.pdu_schemas import EVIDENCE_BODY, EvidenceOut
from pmolearn.authz import allow, require_edit
from pmolearn.extensions import db
from pmolearn.pdus import evidence as evidence_service
from pmolearn.pdus import services

blp = Blueprint("api_evidence", __name__, url_prefix="/api/v1", description="Evidence files")


def evidence_to_dict(item) -> dict:
    return {
        "id": item.id,
        "activity_id": item.activity_id,
        "filename": item.original_name,
        "content_type": item.content_type,
        "size": item.size,
        "sha256": item.sha256,
        "url": f"/api/v1/pdus/{item.activity_id}/evidence/{item.id}",
    }


@blp.route("/pdus/<int:activity_id>/evidence", methods=["POST"])
@blp.doc(requestBody=EVIDENCE_BODY)
@blp.response(201, EvidenceOut)
@allow()
def upload(activity_id: int):
    activity = services.activity_for(current_user, activity_id) or abort(404)
    require_edit(current_user, activity.person_id)
    item = evidence_service.add_evidence(activity, request.files.get("file"), actor=current_user)
    evidence_service.commit_upload(item)
    return evidence_to_dict(item)


@blp.route("/pdus/<int:activity_id>/evidence/<int:file_id>")
@allow()
def download(activity_id: int, file_id: int):
    activity = services.activity_for(current_user, activity_id) or abort(404)
    return evidence_service.send_evidence(activity, file_id)


@blp.route("/pdus/<int:activity_id>/evidence/<int:file_id>", methods=["DELETE"])
@blp.response(204)
@allow()
def remove(activity_id: int, file_id: int):
    activity = services.activity_for(current_user, activity_id) or abort(404)
    require_edit(current_user, activity.person_id)
    stored = evidence_service.remove_evidence(activity, file_id, actor=current_user)
    if stored is None:
        abort(404)
    db.session.commit()
    evidence_service.remove_stored_files([stored])
