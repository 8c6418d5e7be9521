"""Team list and person pages (scoped), and the admin pages for people and org units."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from pmolearn.authz import AccessRole, allow
from pmolearn.database import today
from pmolearn.errors import ApiError
from pmolearn.extensions import db
from pmolearn.pdus.presenters import credential_card
from pmolearn.pdus.services import credential_statuses, credential_views
from pmolearn.people import services
from pmolearn.people.forms import OrgUnitForm, PersonForm
from pmolearn.people.models import OrgUnit, Person
from pmolearn.skills.models import JobRole
from pmolearn.validation import page_number, parse_id

bp = Blueprint("people", __name__)

TEAM_ROLES = (AccessRole.PMO_HEAD, AccessRole.HR, AccessRole.ADMIN)


def _int_arg(name: str) -> int | None:
    return parse_id(request.args.get(name))


@bp.route("/people")
@allow(*TEAM_ROLES)
def index():
    q = request.args.get("q", "").strip()[:100]
    unit_id = _int_arg("org_unit")
    page = db.paginate(
        services.people_query(current_user, q=q or None, org_unit_id=unit_id),
        page=page_number(request.args.get("page")),
        per_page=50,
        max_per_page=200,
        error_out=False,
    )
    return render_template(
        "people/index.html",
        page=page,
        q=q,
        unit_id=unit_id,
        units=services.visible_units(current_user),
        certifications=credential_statuses([p.id for p in page.items], today()),
    )


@bp.route("/people/<int:person_id>")
@allow()
def show(person_id: int):
    person = services.get_person_for(current_user, person_id) or abort(404)
    cards = [credential_card(view) for view in credential_views(person, today())]
    return render_template("people/show.html", person=person, cards=cards)


# --- admin: people -----------------------------------------------------------------------


def _fill_choices(form: PersonForm) -> None:
    units = db.session.scalars(select(OrgUnit).order_by(OrgUnit.path)).all()
    form.org_unit_id.choices = [SelectChoice(u.id, "— " * u.depth + u.name) for u in units]
    roles = [SelectChoice("", "— none —")] + [
        SelectChoice(code, name)
        for code, name in db.session.execute(
            select(JobRole.code, JobRole.name).order_by(JobRole.name)
        )
    ]
    form.current_role.choices = roles
    form.target_role.choices = roles


def _person_data(form: PersonForm) -> services.PersonData:
    return services.PersonData(
        email=form.email.data,
        name=form.name.data,
        org_unit_id=form.org_unit_id.data,
        roles=form.roles.data,
        manager_id=form.manager_id.data,
        job_title=form.job_title.data,
        current_role=form.current_role.data or None,
        target_role=form.target_role.data or None,
        active=form.active.data,
        pmi_member=form.pmi_member.data,
        password=form.password.data or None,
    )


def _save_person_form(form: PersonForm, person: Person | None):
    try:
        saved = services.save_person(_person_data(form), person, actor=current_user)
    except ApiError as error:
        db.session.rollback()
        for name, messages in error.fields.items():
            getattr(form, name, form.email).errors = list(messages)
        return None
    db.session.commit()
    return saved


@bp.route("/admin/people/new", methods=["GET", "POST"])
@allow(AccessRole.ADMIN)
def create_person():
    form = PersonForm()
    _fill_choices(form)
    if request.method == "GET":
        form.roles.data = [AccessRole.PRACTITIONER.value]
    if form.validate_on_submit() and (person := _save_person_form(form, None)):
        flash(f"{person.name} was added.", "success")
        return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/edit.html", form=form, person=None)


@bp.route("/admin/people/<int:person_id>/edit", methods=["GET", "POST"])
@allow(AccessRole.ADMIN)
def edit_person(person_id: int):
    person = db.session.get(Person, person_id) or abort(404)
    form = PersonForm(obj=person)
    _fill_choices(form)
    if request.method == "GET":
        form.roles.data = sorted(person.role_codes)
        form.current_role.data = person.current_role.code if person.current_role else ""
        form.target_role.data = person.target_role.code if person.target_role else ""
    if form.validate_on_submit() and _save_person_form(form, person):
        flash(f"{person.name} was saved.", "success")
        return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/edit.html", form=form, person=person)


# --- admin: org units --------------------------------------------------------------------


@bp.route("/admin/org-units")
@allow(AccessRole.ADMIN)
def units():
    return render_template(
        "people/units.html",
        units=db.session.scalars(select(OrgUnit).order_by(OrgUnit.path)).all(),
        counts=services.unit_member_counts(),
    )


def _unit_form(unit: OrgUnit | None):
    form = OrgUnitForm(obj=unit)
    candidates = db.session.scalars(select(OrgUnit).order_by(OrgUnit.path)).all()
    form.parent_id.choices = [SelectChoice("", "— top level —")] + [
        SelectChoice(u.id, "— " * u.depth + u.name)
        for u in candidates
        if unit is None or not u.path.startswith(unit.path)
    ]
    if form.validate_on_submit():
        try:
            saved = services.save_org_unit(
                form.name.data, form.code.data, form.parent_id.data, unit
            )
        except ApiError as error:
            db.session.rollback()
            for name, messages in error.fields.items():
                getattr(form, name).errors = list(messages)
        else:
            db.session.commit()
            flash(f"Org unit {saved.name} was saved.", "success")
            return redirect(url_for("people.units"))
    return render_template("people/unit_edit.html", form=form, unit=unit)


@bp.route("/admin/org-units/new", methods=["GET", "POST"])
@allow(AccessRole.ADMIN)
def create_unit():
    return _unit_form(None)


@bp.route("/admin/org-units/<int:unit_id>/edit", methods=["GET", "POST"])
@allow(AccessRole.ADMIN)
def edit_unit(unit_id: int):
    return _unit_form(db.session.get(OrgUnit, unit_id) or abort(404))
