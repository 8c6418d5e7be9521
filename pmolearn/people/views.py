"""Admin pages for people and org units. (The team list and person pages compose several
features, so they live in ``home``.)"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from pmolearn.authz import AccessRole, allow
from pmolearn.extensions import db
from pmolearn.people import importer, services
from pmolearn.people.forms import OrgUnitForm, PeopleImportForm, PersonForm
from pmolearn.people.models import OrgUnit, Person
from pmolearn.web import form_status, save

bp = Blueprint("people", __name__)


def _unit_choices(exclude: OrgUnit | None = None) -> list[SelectChoice]:
    units = db.session.scalars(select(OrgUnit).order_by(OrgUnit.path)).all()
    return [
        SelectChoice(u.id, "— " * u.depth + u.name)
        for u in units
        if exclude is None or not u.path.startswith(exclude.path)
    ]


def _fill_choices(form: PersonForm) -> None:
    form.org_unit_id.choices = _unit_choices()
    roles = [SelectChoice("", "— none —")] + [
        SelectChoice(code, name) for code, name in services.job_role_choices()
    ]
    form.current_role.choices = roles
    form.target_role.choices = roles


def _person_data(form: PersonForm) -> services.PersonData:
    return services.PersonData(
        email=form.email.data,
        name=form.name.data,
        org_unit_id=form.org_unit_id.data,
        roles=form.roles.data,
        manager=form.manager.data or None,
        job_title=form.job_title.data,
        current_role=form.current_role.data or None,
        target_role=form.target_role.data or None,
        active=form.active.data,
        pmi_member=form.pmi_member.data,
        password=form.password.data or None,
    )


@bp.route("/admin/people/new", methods=["GET", "POST"])
@allow(AccessRole.ADMIN)
def create_person():
    form = PersonForm()
    form.for_creating()
    _fill_choices(form)
    if request.method == "GET":
        form.roles.data = [AccessRole.PRACTITIONER.value]
        form.active.data = True
    if form.validate_on_submit() and (
        person := save(form, lambda: services.save_person(_person_data(form), actor=current_user))
    ):
        flash(f"{person.name} was added.", "success")
        for message, category in services.person_created(person):
            flash(message, category)
        return redirect(url_for("team.person", person_id=person.id))
    page = render_template("people/edit.html", form=form, person=None, managers=_managers())
    return page, form_status(form)


@bp.route("/admin/people/<int:person_id>/edit", methods=["GET", "POST"])
@allow(AccessRole.ADMIN)
def edit_person(person_id: int):
    person = db.session.get(Person, person_id) or abort(404)
    form = PersonForm(obj=person)
    _fill_choices(form)
    if request.method == "GET":
        form.manager.data = person.manager.email if person.manager else ""
        form.roles.data = sorted(person.role_codes)
        form.current_role.data = person.current_role.code if person.current_role else ""
        form.target_role.data = person.target_role.code if person.target_role else ""
    if form.validate_on_submit() and save(
        form, lambda: services.save_person(_person_data(form), person, actor=current_user)
    ):
        flash(f"{person.name} was saved.", "success")
        return redirect(url_for("team.person", person_id=person.id))
    page = render_template("people/edit.html", form=form, person=person, managers=_managers())
    return page, form_status(form)


def _managers() -> list[tuple[str, str]]:
    """(email, name) of the people who manage someone: suggestions for the manager field."""
    return services.managers()


@bp.route("/admin/people/import", methods=["GET", "POST"])
@allow(AccessRole.ADMIN)
def import_people_page():
    """Upload an HR export; a dry run first shows line by line what the import would do."""
    form = PeopleImportForm()
    result = None
    if form.validate_on_submit():
        data = form.file.data.read(importer.MAX_BYTES + 1)
        dry_run, skip = bool(form.dry_run.data), bool(form.skip_invalid.data)
        try:
            result = importer.import_people(
                data, actor=current_user, dry_run=dry_run, skip_invalid=skip
            )
        except importer.ImportRefused as refused:
            db.session.rollback()
            result = refused.result
        else:
            if not dry_run:
                db.session.commit()
                flash(
                    f"Imported: {result.count('create')} created, "
                    f"{result.count('update')} updated.",
                    "success",
                )
    page = render_template("people/import.html", form=form, result=result, columns=importer.COLUMNS)
    return page, 422 if (
        result is not None and not result.ok and not form.skip_invalid.data
    ) else form_status(form)


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
    form.parent_id.choices = [SelectChoice("", "— top level —"), *_unit_choices(exclude=unit)]
    if form.validate_on_submit() and (
        saved := save(
            form,
            lambda: services.save_org_unit(
                form.name.data, form.code.data, form.parent_id.data, unit
            ),
        )
    ):
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
