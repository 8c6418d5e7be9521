"""Pages for PDU claims: the list (one's own, or a team member's read-only), log with evidence
in the same step, edit, delete, attach and remove evidence, mark reported, the CCRS copy page,
and the CSV import.

Views are thin: the activity is looked up in the viewer's scope first (404 otherwise, 403 for a
change the viewer may not make), one service call, one commit, a redirect with a flash; a
refused call puts the service's messages on the form and re-renders with its status.
"""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SelectChoice

from pmolearn import authz, clock, text
from pmolearn.authz import allow
from pmolearn.credentials import cycles
from pmolearn.credentials.models import Credential
from pmolearn.credentials.services import credential_choices, person_credentials
from pmolearn.errors import ApiError
from pmolearn.extensions import db
from pmolearn.pdus import ccrs, import_file, importer, services
from pmolearn.pdus import evidence as evidence_files
from pmolearn.pdus.forms import ActivityForm, ConfirmForm, EvidenceForm, ImportForm
from pmolearn.pdus.models import PduActivity
from pmolearn.people.scope import person_or_404
from pmolearn.web import (
    form_status,
    int_arg,
    looked_up,
    page_number,
    page_size,
    save,
)

bp = Blueprint("pdus", __name__)


# --- the list ----------------------------------------------------------------------------


@bp.route("/pdus")
@allow()
def activities():
    """``?person=ID`` opens a team member's claims (read-only for a PMO head or HR)."""
    person_id = int_arg("person")
    person = person_or_404(current_user, person_id) if person_id else current_user
    credential_id, reported = int_arg("credential"), request.args.get("reported", "")
    page = services.activity_page(
        person.id,
        page_number(request.args.get("page")),
        page_size(),
        credential_id=credential_id,
        reported=reported,
    )
    return render_template(
        "pdus/index.html",
        page=page,
        person=person,
        own=person.id == current_user.id,
        credentials=credential_choices(person.id),
        credential_id=credential_id,
        reported=reported,
        type_names=services.type_names(),
    )


# --- logging and editing -----------------------------------------------------------------


def _type_label(activity_type) -> str:
    limits = []
    if activity_type.cap_per_activity is not None:
        limits.append(f"at most {text.amount(activity_type.cap_per_activity)} per activity")
    if activity_type.cap_per_cycle is not None:
        limits.append(f"at most {text.amount(activity_type.cap_per_cycle)} per cycle")
    return activity_type.name + (f" ({', '.join(limits)})" if limits else "")


def _type_choices(credentials: list[Credential], keep: str | None) -> tuple[list, dict]:
    """Activity types of the person's current policies, grouped by category, and their caps
    per activity (for the form's live warning).

    With no credential (or none with known rules), every type in the catalog. ``keep`` is an
    activity's current type, kept selectable even when no current policy lists it.
    """
    types = {}
    for credential in credentials:
        policy = credential.latest_cycle.policy
        for activity_type in policy.activity_types if policy else []:
            types.setdefault(activity_type.code, activity_type)
    if not types or (keep and keep not in types):
        catalog = services.catalog_activity_types()
        if not types:
            types = catalog
        elif keep in catalog:
            types[keep] = catalog[keep]
    ordered = sorted(types.values(), key=lambda t: (t.category != "education", t.category))
    choices = [SelectChoice("", "Choose the kind of activity…")] + [
        SelectChoice(t.code, _type_label(t), optgroup=text.title(t.category)) for t in ordered
    ]
    caps = {
        t.code: {"each": float(t.cap_per_activity), "name": t.name}
        for t in ordered
        if t.cap_per_activity is not None
    }
    return choices, caps


def _activity_form(person_id: int, activity: PduActivity | None = None):
    """The form with its choices: the person's credentials and their policies' types."""
    credentials = person_credentials(person_id)
    initial = _initial(activity, credentials) if request.method == "GET" else {}
    form = ActivityForm(editing=activity is not None, data=initial or None)
    today = clock.today()
    form.credential_ids.choices = [
        SelectChoice(c.id, services.credential_choice_label(c, today)) for c in credentials
    ]
    form.activity_type.choices, caps = _type_choices(
        credentials, activity.activity_type if activity else None
    )
    return form, caps


def _initial(activity: PduActivity | None, credentials: list[Credential]) -> dict:
    if activity is None:
        today = clock.today()
        held = [
            c.id
            for c in credentials
            if cycles.credential_status(c.cycle_dates, today, retired_on=c.retired_on)
            in (cycles.ACTIVE, cycles.SUSPENDED)
        ]
        return {"credential_ids": held, "completed_on": today}
    data = {name: getattr(activity, name) for name in ActivityForm.EDITABLE}
    data["pdus"] = text.amount(activity.pdus)
    data.update({a: text.amount(v) for a, v in activity.areas.items() if v})
    data["credential_ids"] = [c.id for c in activity.credentials]
    return data


def _form_page(form: ActivityForm, caps: dict, activity: PduActivity | None):
    if form.activity_type.errors and not form.activity_type.data:
        form.activity_type.errors = ["Choose the kind of activity."]
    page = render_template(
        "pdus/activity_form.html", form=form, activity=activity, caps=json.dumps(caps)
    )
    return page, form_status(form)


def _flash_saved(activity: PduActivity, verb: str) -> None:
    draft = " as a draft" if activity.status == "draft" else ""
    flash(f"{verb} “{activity.title}” ({text.pdus(activity.pdus)}){draft}.", "success")
    for note in services.cap_notes(activity, clock.today()):
        flash(note, "warning")


def _log_with_evidence(form: ActivityForm) -> PduActivity:
    """Create the activity and store the chosen files in one transaction (flushes only)."""
    activity = services.log_activity(
        current_user, form.to_raw(), actor=current_user, today=clock.today()
    )
    stored = []
    try:
        for upload in form.uploads:
            stored.append(evidence_files.add_evidence(activity, upload, actor=current_user))
    except ApiError as error:
        evidence_files.remove_stored_files([item.stored_name for item in stored])
        raise ApiError(error.status, error.message, {"evidence": [error.message]}) from error
    activity.stored_uploads = stored
    return activity


def _commit_with_files(activity: PduActivity) -> None:
    """Commit; if the commit fails, the files already written go too."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        names = [item.stored_name for item in getattr(activity, "stored_uploads", [])]
        evidence_files.remove_stored_files(names)
        raise


@bp.route("/pdus/new", methods=["GET", "POST"])
@allow()
def new_activity():
    form, caps = _activity_form(current_user.id)
    if form.validate_on_submit() and (
        activity := save(form, lambda: _log_with_evidence(form), commit=_commit_with_files)
    ):
        _flash_saved(activity, "Logged")
        return redirect(url_for(".activity", activity_id=activity.id))
    return _form_page(form, caps, None)


@bp.route("/pdus/<int:activity_id>/edit", methods=["GET", "POST"])
@allow()
@looked_up("activity", services.activity_or_404, change=True)
def edit_activity(activity: PduActivity):
    form, caps = _activity_form(activity.person_id, activity)
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_activity(
            activity, form.to_raw(), actor=current_user, today=clock.today()
        ),
    ):
        _flash_saved(activity, "Saved")
        return redirect(url_for(".activity", activity_id=activity.id))
    return _form_page(form, caps, activity)


@bp.route("/pdus/<int:activity_id>/delete", methods=["GET", "POST"])
@allow()
@looked_up("activity", services.activity_or_404, change=True)
def delete_activity(activity: PduActivity):
    form = ConfirmForm()
    if form.validate_on_submit():
        title = activity.title
        stored = services.delete_activity(activity, actor=current_user)
        db.session.commit()
        evidence_files.remove_stored_files(stored)
        flash(f"Deleted “{title}”.", "success")
        return redirect(url_for(".activities"))
    return render_template("pdus/activity_delete.html", activity=activity, form=form)


# --- one activity: CCRS fields, evidence, reported ---------------------------------------


def _activity_page(activity: PduActivity, form: EvidenceForm):
    issuers = sorted({c.certification.issuer.code for c in activity.credentials})
    type_name = services.type_names().get(activity.activity_type, activity.activity_type)
    return render_template(
        "pdus/activity.html",
        activity=activity,
        fields=ccrs.ccrs_fields(activity, type_name),
        issuer=" / ".join(issuers) or "the issuer",
        history=services.history(activity),
        cap_notes=services.cap_notes(activity, clock.today()),
        editable=authz.can_change_records_of(current_user, activity.person_id),
        own=activity.person_id == current_user.id,
        form=form,
        confirm=ConfirmForm(),
    ), form_status(form)


@bp.route("/pdus/<int:activity_id>")
@allow()
@looked_up("activity", services.activity_or_404)
def activity(activity: PduActivity):
    return _activity_page(activity, EvidenceForm())


@bp.route("/pdus/<int:activity_id>/evidence", methods=["POST"])
@allow()
@looked_up("activity", services.activity_or_404, change=True)
def upload_evidence(activity: PduActivity):
    form = EvidenceForm()
    if form.validate_on_submit() and (
        item := save(
            form,
            lambda: evidence_files.add_evidence(activity, form.file.data, actor=current_user),
            commit=evidence_files.commit_upload,
        )
    ):
        flash(f"Attached {item.original_name}.", "success")
        return redirect(url_for(".activity", activity_id=activity.id))
    return _activity_page(activity, form)


@bp.errorhandler(RequestEntityTooLarge)
def _upload_too_large(error):
    """A body past MAX_CONTENT_LENGTH is refused before the view runs: say so plainly."""
    limit = current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)
    activity_id = (request.view_args or {}).get("activity_id")
    if request.endpoint == "pdus.upload_evidence" and activity_id is not None:
        flash(f"The file is larger than {limit} MB; nothing was stored.", "danger")
        return redirect(url_for(".activity", activity_id=activity_id))
    if request.endpoint == "pdus.new_activity":
        flash(f"The files are larger than {limit} MB in all; nothing was saved.", "danger")
        return redirect(url_for(".new_activity"))
    return render_template("errors/generic.html", error=error, status=413), 413


@bp.route("/pdus/<int:activity_id>/evidence/<int:file_id>")
@allow()
@looked_up("activity", services.activity_or_404)
def evidence_file(activity: PduActivity, file_id: int):
    return evidence_files.send_evidence(activity, file_id)


@bp.route("/pdus/<int:activity_id>/evidence/<int:file_id>/delete", methods=["POST"])
@allow()
@looked_up("activity", services.activity_or_404, change=True)
def remove_evidence(activity: PduActivity, file_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    stored = evidence_files.remove_evidence(activity, file_id, actor=current_user) or abort(404)
    db.session.commit()
    evidence_files.remove_stored_files([stored])
    flash("The file was removed.", "info")
    return redirect(url_for(".activity", activity_id=activity.id))


@bp.route("/pdus/<int:activity_id>/reported", methods=["POST"])
@allow()
@looked_up("activity", services.activity_or_404, change=True)
def mark_reported(activity: PduActivity):
    form = ConfirmForm()
    today = clock.today()
    if form.validate_on_submit() and save(
        form,
        lambda: services.update_activity(
            activity, {"reported_on": today}, actor=current_user, today=today
        ),
    ):
        flash(f"Marked as reported on {text.day(today)}.", "success")
    else:
        flash(" ".join(form.form_errors) or "Could not mark it as reported.", "danger")
    return redirect(url_for(".activity", activity_id=activity.id))


# --- importing past history --------------------------------------------------------------


@bp.route("/pdus/import", methods=["GET", "POST"])
@allow()
def import_pdus():
    """Upload one's own past PDU history: all rows are imported, or none and every error shown."""
    form = ImportForm()
    errors: list[import_file.RowError] = []
    if form.validate_on_submit():
        me = current_user._get_current_object()
        try:
            result = importer.import_activities(
                form.file.data.read(), person=me, actor=me, today=clock.today()
            )
        except import_file.ImportFailed as failed:
            db.session.rollback()
            errors = failed.errors
        else:
            db.session.commit()
            flash(f"Imported {text.plural(result.activities, 'PDU activity', 'PDU activities')}.",
                  "success")  # fmt: skip
            return redirect(url_for("home.index"))
    page = render_template(
        "pdus/import.html",
        form=form,
        errors=errors,
        max_rows=import_file.MAX_ROWS,
        activity_types=sorted(services.catalog_activity_types().values(), key=lambda t: t.code),
    )
    return page, 422 if request.method == "POST" else 200


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
