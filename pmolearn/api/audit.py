"""Audit pack download: GET /credentials/{id}/audit-pack?cycle=N → application/zip."""

from __future__ import annotations

from flask import abort, send_file
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from pmolearn.authz import allow
from pmolearn.database import today
from pmolearn.pdus import services
from pmolearn.pdus.audit_pack import build_audit_pack

blp = Blueprint("api_audit", __name__, url_prefix="/api/v1", description="Audit packs")


class AuditPackArgs(Schema):
    cycle = fields.Integer(validate=validate.Range(min=1, max=1000))
    as_of = fields.Date()


@blp.route("/credentials/<int:credential_id>/audit-pack")
@blp.arguments(AuditPackArgs, location="query")
@blp.response(
    200,
    {"type": "string", "format": "binary"},
    content_type="application/zip",
    description="ZIP: claims.csv, summary.txt and evidence/<activity_id>-<n>-<name>.",
)
@allow()
def audit_pack(args, credential_id: int):
    """Download one credential cycle's claims and evidence as a ZIP, for an issuer's audit.

    ``cycle`` defaults to the current cycle; ``as_of`` (default today) dates the compliance
    status in summary.txt. The holder, their PMO head and HR may download it; a credential
    outside the caller's scope answers 404.
    ---
    Read scope, not edit scope: auditors and managers read the pack, nothing is written.
    """
    credential = services.credential_for(current_user, credential_id) or abort(404)
    filename, buffer = build_audit_pack(credential, args.get("cycle"), args.get("as_of") or today())
    return send_file(buffer, mimetype="application/zip", as_attachment=True, download_name=filename)
