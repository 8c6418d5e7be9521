"""Audit pack download and PDU history import pages (thin: the work is in audit_pack/importer)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField

from pmolearn.authz import allow
from pmolearn.database import today
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db
from pmolearn.pdus import importer, services
from pmolearn.pdus.audit_pack import build_audit_pack

bp = Blueprint("pdus_tools", __name__)


class ImportForm(FlaskForm):
    file = FileField(
        "CSV file",
        validators=[
            FileRequired("Choose a CSV file."),
            FileAllowed(["csv"], "Upload a .csv file (save the spreadsheet as CSV UTF-8)."),
        ],
        description=f"UTF-8 CSV, one activity per row, at most {importer.MAX_ROWS:,} rows.",
        render_kw={"accept": ".csv,text/csv"},
    )
    submit = SubmitField("Import")


def _cycle_arg() -> int | None:
    """``?cycle=N`` (default: the current cycle); anything but a number is refused with 422."""
    value = request.args.get("cycle", "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 4:
        raise ValidationFailed({"cycle": ["Must be a cycle number (1, 2, ...)."]})
    return int(value)


@bp.route("/credentials/<int:credential_id>/audit-pack")
@allow()
def audit_pack(credential_id: int):
    """The holder, their PMO head or HR download the pack; anyone else gets 404."""
    credential = services.credential_for(current_user, credential_id) or abort(404)
    filename, buffer = build_audit_pack(credential, _cycle_arg(), today())
    return send_file(buffer, mimetype="application/zip", as_attachment=True, download_name=filename)


@bp.route("/pdus/import", methods=["GET", "POST"])
@allow()
def import_pdus():
    """Upload one's own past PDU history: all rows are imported, or none and every error shown."""
    form = ImportForm()
    errors: list[importer.RowError] = []
    if form.validate_on_submit():
        me = current_user._get_current_object()
        try:
            result = importer.import_activities(
                form.file.data.read(), person=me, actor=me, today=today()
            )
        except importer.ImportFailed as failed:
            db.session.rollback()
            errors = failed.errors
        else:
            db.session.commit()
            flash(f"Imported {result.activities} PDU activities.", "success")
            return redirect(url_for("home.index"))
    return _import_page(form, errors), 422 if request.method == "POST" else 200


def _import_page(form: ImportForm, errors: list[importer.RowError]) -> str:
    return render_template(
        "pdus/import.html",
        form=form,
        errors=errors,
        max_rows=importer.MAX_ROWS,
        activity_types=sorted(services.catalog_activity_types().values(), key=lambda t: t.code),
    )


@bp.route("/pdus/import/template.csv")
@allow()
def import_template():
    """A CSV to fill in; the BOM makes Excel read it as UTF-8 (the importer drops it)."""
    body = "\ufeff" + importer.template_csv(current_user.email)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=pdu-import-template.csv"},
    )
