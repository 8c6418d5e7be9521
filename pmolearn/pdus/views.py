"""Pages for credentials and PDU claims: add a credential, renew it, log, edit and delete PDUs,
attach evidence, and copy each claim into the issuer's portal (PMI's CCRS has no API).

Views are thin: they find the record in the viewer's scope (404 otherwise), check the right to
change it (403 for a read-only viewer), call one service, commit once and redirect with a flash;
a refused call puts the service's messages on the form and re-renders with its status.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
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

from pmolearn.authz import allow, can_edit_records_of, require_edit
from pmolearn.database import today
from pmolearn.errors import ApiError
from pmolearn.extensions import db
from pmolearn.pdus import evidence as evidence_service
from pmolearn.pdus import page_queries, presenters, services
from pmolearn.pdus.forms import (
    ActivityForm,
    ConfirmForm,
    CredentialForm,
    EvidenceForm,
    RenewForm,
    form_status,
)
from pmolearn.pdus.models import Credential, PduActivity
from pmolearn.validation import page_number, parse_id

bp = Blueprint("pdus", __name__)

PER_PAGE = 25


def _save(form, action: Callable, commit: Callable | None = None):
    """Run one service call and commit, or roll back and show its refusal on ``form``."""
    try:
        result = action()
    except ApiError as error:
        db.session.rollback()
        form.show_error(error)
        return None
    if commit is None:
        db.session.commit()
    else:
        commit(result)
    return result


def _int_arg(name: str) -> int | None:
    return parse_id(request.args.get(name))


def _editable_activity(activity_id: int) -> PduActivity:
    activity = services.activity_for(current_user, activity_id) or abort(404)
    require_edit(current_user, activity.person_id)
    return activity


# --- credentials ---------------------------------------------------------------------------


@bp.route("/me/credentials/new", methods=["GET", "POST"])
@allow()
def new_credential():
    form = CredentialForm()
    form.certification.choices = page_queries.certification_choices()
    if form.validate_on_submit() and (
        credential := _save(
            form,
            lambda: services.add_credential(
                current_user,
                form.certification.data,
                form.number.data,
                form.earned_on.data,
                actor=current_user,
                today=today(),
            ),
        )
    ):
        flash(f"{credential.certification.code} was added to your certifications.", "success")
        return redirect(url_for(".credential", credential_id=credential.id))
    return render_template("pdus/credential_new.html", form=form), form_status(form)


def _credential_page(credential: Credential, form: RenewForm):
    view = services.credential_view(credential, today())
    current, earlier = presenters.split_by_cycle(view)
    return render_template(
        "pdus/credential.html",
        card=presenters.credential_card(view),
        cycles=presenters.cycle_rows(credential, view.activities),
        current=current,
        earlier=earlier,
        holder=credential.person,
        editable=can_edit_records_of(current_user, credential.person),
        type_names=page_queries.type_names(),
        form=form,
    ), form_status(form)


@bp.route("/credentials/<int:credential_id>")
@allow()
def credential(credential_id: int):
    credential = services.credential_for(current_user, credential_id) or abort(404)
    return _credential_page(credential, RenewForm(renewed_on=today()))


@bp.route("/credentials/<int:credential_id>/renew", methods=["POST"])
@allow()
def renew(credential_id: int):
    credential = services.credential_for(current_user, credential_id) or abort(404)
    require_edit(current_user, credential.person_id)
    form = RenewForm()
    if form.validate_on_submit() and (
        cycle := _save(
            form,
            lambda: services.renew(
                credential, form.renewed_on.data, actor=current_user, today=today()
            ),
        )
    ):
        flash(
            f"Renewed: cycle {cycle.number} runs from {presenters.day(cycle.start)} "
            f"to {presenters.day(cycle.end)}.",
            "success",
        )
        return redirect(url_for(".credential", credential_id=credential.id))
    return _credential_page(credential, form)


# --- PDU activities ------------------------------------------------------------------------


@bp.route("/pdus")
@allow()
def activities():
    credential_id, reported = _int_arg("credential"), request.args.get("reported", "")
    stmt = services.activities_query(current_user.id, credential_id=credential_id)
    page = db.paginate(
        page_queries.only_reported(stmt, reported),
        page=page_number(request.args.get("page")),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "pdus/index.html",
        page=page,
        credentials=page_queries.person_credentials(current_user.id),
        credential_id=credential_id,
        reported=reported,
        type_names=page_queries.type_names(),
    )


def _activity_form(person_id: int, activity: PduActivity | None = None) -> ActivityForm:
    """The form with its choices: the person's credentials and their policies' types."""
    credentials = page_queries.person_credentials(person_id)
    initial = _initial(activity, credentials) if request.method == "GET" else {}
    form = ActivityForm(editing=activity is not None, data=initial or None)
    form.credential_ids.choices = page_queries.credential_choices(credentials, today())
    form.activity_type.choices = page_queries.activity_type_choices(
        credentials, activity.activity_type if activity else None
    )
    return form


def _initial(activity: PduActivity | None, credentials: list[Credential]) -> dict:
    if activity is None:
        held = [c.id for c in credentials if services.credential_status(c, today()) != "expired"]
        return {"credential_ids": held, "completed_on": today()}
    data = {name: getattr(activity, name) for name in ActivityForm.EDITABLE}
    data["pdus"] = presenters.num(activity.pdus)
    data.update({a: presenters.num(v) for a, v in activity.areas.items() if v})
    data["credential_ids"] = [c.id for c in activity.credentials]
    return data


@bp.route("/pdus/new", methods=["GET", "POST"])
@allow()
def new_activity():
    form = _activity_form(current_user.id)
    if form.validate_on_submit() and (
        activity := _save(
            form,
            lambda: services.log_activity(
                current_user, form.to_raw(), actor=current_user, today=today()
            ),
        )
    ):
        flash(_logged_message(activity, "Logged"), "success")
        return redirect(url_for(".activity", activity_id=activity.id))
    return render_template("pdus/activity_form.html", form=form, activity=None), form_status(form)


@bp.route("/pdus/<int:activity_id>/edit", methods=["GET", "POST"])
@allow()
def edit_activity(activity_id: int):
    activity = _editable_activity(activity_id)
    form = _activity_form(activity.person_id, activity)
    if form.validate_on_submit() and _save(
        form,
        lambda: services.update_activity(
            activity, form.to_raw(), actor=current_user, today=today()
        ),
    ):
        flash(_logged_message(activity, "Saved"), "success")
        return redirect(url_for(".activity", activity_id=activity.id))
    page = render_template("pdus/activity_form.html", form=form, activity=activity)
    return page, form_status(form)


def _logged_message(activity: PduActivity, verb: str) -> str:
    pdus = presenters.num(activity.pdus)
    draft = " as a draft" if activity.status == "draft" else ""
    return f"{verb} “{activity.title}” ({pdus} PDUs){draft}."


@bp.route("/pdus/<int:activity_id>/delete", methods=["GET", "POST"])
@allow()
def delete_activity(activity_id: int):
    activity = _editable_activity(activity_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = activity.title
        stored = services.delete_activity(activity, actor=current_user)
        db.session.commit()
        evidence_service.remove_stored_files(stored)
        flash(f"Deleted “{title}”.", "success")
        return redirect(url_for(".activities"))
    return render_template("pdus/activity_delete.html", activity=activity, form=form)


# --- one activity: CCRS fields, evidence, reported -----------------------------------------


def _activity_page(activity: PduActivity, form: EvidenceForm):
    issuers = sorted({c.certification.issuer.code for c in activity.credentials})
    return render_template(
        "pdus/activity.html",
        activity=activity,
        fields=presenters.ccrs_fields(
            activity, page_queries.type_names().get(activity.activity_type, activity.activity_type)
        ),
        issuer=" / ".join(issuers) or "the issuer",
        history=page_queries.activity_history(activity),
        editable=can_edit_records_of(current_user, services.activity_owner(activity)),
        form=form,
        confirm=ConfirmForm(),
    ), form_status(form)


@bp.route("/pdus/<int:activity_id>")
@allow()
def activity(activity_id: int):
    activity = services.activity_for(current_user, activity_id) or abort(404)
    return _activity_page(activity, EvidenceForm())


@bp.route("/pdus/<int:activity_id>/evidence", methods=["POST"])
@allow()
def upload_evidence(activity_id: int):
    activity = _editable_activity(activity_id)
    form = EvidenceForm()
    if form.validate_on_submit() and (
        item := _save(
            form,
            lambda: evidence_service.add_evidence(activity, form.file.data, actor=current_user),
            commit=evidence_service.commit_upload,
        )
    ):
        flash(f"Attached {item.original_name}.", "success")
        return redirect(url_for(".activity", activity_id=activity.id))
    return _activity_page(activity, form)


@bp.errorhandler(RequestEntityTooLarge)
def _upload_too_large(error):
    """A body past MAX_CONTENT_LENGTH is refused before the view runs: say so plainly."""
    activity_id = (request.view_args or {}).get("activity_id")
    if request.endpoint != "pdus.upload_evidence" or activity_id is None:
        return render_template("errors/generic.html", error=error, status=413), 413
    limit = current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)
    flash(f"The file is larger than {limit} MB; nothing was stored.", "danger")
    return redirect(url_for(".activity", activity_id=activity_id))


@bp.route("/pdus/<int:activity_id>/evidence/<int:file_id>")
@allow()
def evidence_file(activity_id: int, file_id: int):
    activity = services.activity_for(current_user, activity_id) or abort(404)
    return evidence_service.send_evidence(activity, file_id)


@bp.route("/pdus/<int:activity_id>/evidence/<int:file_id>/delete", methods=["POST"])
@allow()
def remove_evidence(activity_id: int, file_id: int):
    activity = _editable_activity(activity_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    stored = evidence_service.remove_evidence(activity, file_id, actor=current_user) or abort(404)
    db.session.commit()
    evidence_service.remove_stored_files([stored])
    flash("The file was removed.", "info")
    return redirect(url_for(".activity", activity_id=activity_id))


@bp.route("/pdus/<int:activity_id>/reported", methods=["POST"])
@allow()
def mark_reported(activity_id: int):
    activity = _editable_activity(activity_id)
    form = ConfirmForm()
    if form.validate_on_submit() and _save(
        form,
        lambda: services.update_activity(
            activity, {"reported_on": today()}, actor=current_user, today=today()
        ),
    ):
        flash(f"Marked as reported on {presenters.day(today())}.", "success")
    else:
        flash(" ".join(form.form_errors) or "Could not mark it as reported.", "danger")
    return redirect(url_for(".activity", activity_id=activity_id))
