"""Pages for credentials: add one, the credential page with its cycles, renew it (after a
confirmation step), and download a cycle's audit pack.

Views are thin: the credential is looked up in the viewer's scope before anything else (404
otherwise, 403 for a change the viewer may not make), one service call, one commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from pmolearn import authz, clock, text
from pmolearn.authz import allow
from pmolearn.catalog.services import certification_choices
from pmolearn.credentials import cards, services
from pmolearn.credentials.audit_pack import build_audit_pack
from pmolearn.credentials.forms import CredentialForm, RenewForm
from pmolearn.credentials.models import Credential
from pmolearn.errors import ApiError, ValidationFailed
from pmolearn.extensions import db
from pmolearn.web import form_status, looked_up, put_errors, save

bp = Blueprint("credentials", __name__)


@bp.route("/me/credentials/new", methods=["GET", "POST"])
@allow()
def new():
    form = CredentialForm()
    form.certification.choices = certification_choices()
    if form.validate_on_submit() and (
        credential := save(
            form,
            lambda: services.add_credential(
                current_user,
                form.certification.data,
                form.number.data,
                form.earned_on.data,
                actor=current_user,
                today=clock.today(),
            ),
        )
    ):
        flash(f"{credential.certification.code} was added to your certifications.", "success")
        return redirect(url_for(".show", credential_id=credential.id))
    return render_template("credentials/new.html", form=form), form_status(form)


def type_names(credential: Credential) -> dict[str, str]:
    return {
        t.code: t.name
        for cycle in credential.cycles
        if cycle.policy
        for t in cycle.policy.activity_types
    }


@dataclass(frozen=True)
class RenewalPreview:
    """What a renewal on ``renewed_on`` will do, shown before it is recorded."""

    renewed_on: date
    ending: int
    number: int
    start: date
    end: date
    carried: Decimal


def _page(credential: Credential, form: RenewForm, preview: RenewalPreview | None = None):
    view = services.view(credential, clock.today())
    outcomes = view.compliance.outcomes if view.compliance else {}
    current = view.claims_in(view.cycle)
    counted = {c.id for c in current}
    return render_template(
        "credentials/show.html",
        card=cards.credential_card(view),
        view=view,
        cycles=cards.cycle_rows(view),
        current=current[::-1],
        others=[c for c in view.claims[::-1] if c.id not in counted],
        cap_notes=[
            (c, outcomes[c.id].note) for c in current if c.id in outcomes and outcomes[c.id].cap
        ],
        holder=credential.person,
        editable=authz.can_change_records_of(current_user, credential.person_id),
        type_names=type_names(credential),
        form=form,
        preview=preview,
    ), form_status(form)


@bp.route("/credentials/<int:credential_id>")
@allow()
@looked_up("credential", services.credential_or_404)
def show(credential: Credential):
    return _page(credential, RenewForm(renewed_on=clock.today()))


def _preview(credential: Credential, renewed_on: date) -> RenewalPreview:
    """Run the real renewal and roll it back: the page shows exactly what it would record."""
    ending = credential.latest_cycle.number
    try:
        cycle = services.renew(credential, renewed_on, actor=current_user, today=clock.today())
        carried = sum((Decimal(str(c["pdus"])) for c in cycle.carried_in), Decimal(0))
        return RenewalPreview(renewed_on, ending, cycle.number, cycle.start, cycle.end, carried)
    finally:
        db.session.rollback()


@bp.route("/credentials/<int:credential_id>/renew", methods=["POST"])
@allow()
@looked_up("credential", services.credential_or_404, change=True)
def renew(credential: Credential):
    form = RenewForm()
    if not form.validate_on_submit():
        return _page(credential, form)
    if not form.is_confirmed:
        try:
            preview = _preview(credential, form.renewed_on.data)
        except ApiError as error:
            put_errors(form, error)
            return _page(credential, form)
        return _page(credential, form, preview)
    cycle = save(
        form,
        lambda: services.renew(
            credential, form.renewed_on.data, actor=current_user, today=clock.today()
        ),
    )
    if cycle is None:
        return _page(credential, form)
    dates = f"{text.day(cycle.start)} to {text.day(cycle.end)}"
    flash(f"Renewed: cycle {cycle.number} runs from {dates}.", "success")
    return redirect(url_for(".show", credential_id=credential.id))


def _cycle_arg() -> int | None:
    """``?cycle=N`` (default: the latest cycle); anything but a number is refused with 422."""
    value = request.args.get("cycle", "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 4:
        raise ValidationFailed({"cycle": ["Must be a cycle number (1, 2, ...)."]})
    return int(value)


@bp.route("/credentials/<int:credential_id>/audit-pack")
@allow()
@looked_up("credential", services.credential_or_404)
def audit_pack(credential: Credential):
    """The holder, their PMO head or HR download the pack; anyone else gets 404."""
    filename, buffer = build_audit_pack(credential, _cycle_arg(), clock.today())
    return send_file(buffer, mimetype="application/zip", as_attachment=True, download_name=filename)
