"""Capability pages: my skills and my gap to a role, a person's capability as their manager
or PMO head sees it (with the manager's assessment), the team's capability (matrix, coverage,
supply and demand, ready now, what closes the most gaps, the timeline) with CSV and XLSX, and
the admins' editing of role requirements."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from pmolearn import clock
from pmolearn.authz import allow
from pmolearn.errors import ValidationFailed
from pmolearn.exports import FORMATS, table_response
from pmolearn.extensions import db
from pmolearn.people import roles as access
from pmolearn.people.models import Person
from pmolearn.people.scope import unit_in_scope, visible_units
from pmolearn.skills import capability, charts, services
from pmolearn.skills.forms import AssessmentForm
from pmolearn.skills.models import Skill
from pmolearn.web import form_status, int_arg, save

bp = Blueprint("skills", __name__)


def _assessment_form(frame: services.Framework, form: AssessmentForm | None = None):
    form = form or AssessmentForm(formdata=None)
    form.skill.choices = [SelectChoice("", "Choose a skill…")] + [
        SelectChoice(code, f"{s.name} ({code})") for code, s in frame.skills.items()
    ]
    form.level.choices = [SelectChoice("", "Choose…")] + [
        SelectChoice(str(n), str(n)) for n in range(1, 8)
    ]
    return form


def _role_arg(frame: services.Framework) -> str | None:
    code = (request.args.get("role") or "").strip()[:40]
    return code if code in frame.roles else None


def _person_page(person: Person, *, own: bool, form: AssessmentForm | None = None):
    asked = request.args.get("role") or None
    try:
        found = services.person_capability(person, asked, clock.today())
    except ValidationFailed:
        found = services.person_capability(person, None, clock.today())
    frame = found.frame
    source = "self" if own else "manager"
    may_assess = services.may_assess(current_user, person, source)
    page = render_template(
        "skills/person.html",
        person=person,
        own=own,
        found=found,
        frame=frame,
        roles=sorted(frame.roles.values(), key=lambda r: r.name),
        form=_assessment_form(frame, form) if may_assess else None,
        source=source,
        history=services.history_of(person.id),
        LEVEL_WORDS={lv.level: lv.name for lv in services.skill_levels()},
    )
    return page, form_status(form) if form is not None else 200


@bp.route("/skills/me", methods=["GET", "POST"])
@allow()
def mine():
    if request.method == "POST":
        return _assess(current_user, own=True)
    return _person_page(current_user, own=True)


@bp.route("/skills/people/<int:person_id>", methods=["GET", "POST"])
@allow()
def person(person_id: int):
    shown = services.assessable_or_404(current_user, person_id)
    if shown.id == current_user.id:
        return redirect(url_for(".mine", **request.args))
    if request.method == "POST":
        return _assess(shown, own=False)
    return _person_page(shown, own=False)


def _assess(person: Person, *, own: bool):
    frame = services.framework()
    form = _assessment_form(frame, AssessmentForm())
    source = "self" if own else "manager"
    if not services.may_assess(current_user, person, source):
        abort(403)
    if form.validate_on_submit() and save(
        form,
        lambda: services.record_assessment(
            person, form.to_raw(source), actor=current_user, today=clock.today()
        ),
    ):
        flash("The assessment is recorded.", "success")
        target = url_for(".mine") if own else url_for(".person", person_id=person.id)
        return redirect(target + "#levels-h")
    return _person_page(person, own=own, form=form)


# --- the team --------------------------------------------------------------------------------


def _team_unit():
    unit_id = int_arg("unit")
    if unit_id:
        return unit_in_scope(current_user, unit_id) or abort(404)
    if access.sees_everyone(current_user.role_codes):
        return None  # the whole organisation
    return current_user.org_unit


@bp.route("/capability")
@allow(*access.TEAM_ROLES)
def team():
    frame = services.framework()
    unit = _team_unit()
    role = _role_arg(frame)
    on = clock.today()
    cap = capability.capability(current_user, unit, role, on)
    months = capability.coverage(current_user, unit, 12, on)
    return render_template(
        "skills/team.html",
        cap=cap,
        frame=frame,
        units=visible_units(current_user),
        unit=unit,
        role=role,
        roles=sorted(frame.roles.values(), key=lambda r: r.name),
        months=months,
        chart=charts.timeline_chart(months),
        cell_text=capability.cell_text,
        formats=FORMATS,
    )


@bp.route("/capability.<fmt>")
@allow(*access.TEAM_ROLES)
def export(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    frame = services.framework()
    unit = _team_unit()
    cap = capability.capability(current_user, unit, _role_arg(frame), clock.today())
    header, rows = capability.matrix_table(cap)
    name = "capability-" + (unit.code.lower() if unit is not None else "organisation")
    return table_response(fmt, name, "Capability", header, rows)


# --- admins: role requirements ---------------------------------------------------------------


@bp.route("/admin/roles")
@allow(access.AccessRole.ADMIN)
def roles():
    return render_template("skills/roles.html", roles=services.job_roles())


@bp.route("/admin/roles/<code>", methods=["GET", "POST"])
@allow(access.AccessRole.ADMIN)
def edit_role(code: str):
    role = next((r for r in services.job_roles() if r.code == code[:40]), None) or abort(404)
    skills = list(db.session.scalars(select(Skill).order_by(Skill.code)))
    values = {r.skill.code: str(r.level) for r in role.skill_requirements}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {s.code: (request.form.get(f"level-{s.code}") or "").strip() for s in skills}
        try:
            services.set_role_skills(role, values, actor=current_user)
        except ValidationFailed as error:
            db.session.rollback()
            errors = error.fields
        else:
            db.session.commit()
            flash(f"The requirements of {role.name} are saved.", "success")
            return redirect(url_for(".roles"))
    page = render_template(
        "skills/role_edit.html", role=role, skills=skills, values=values, errors=errors
    )
    return page, 422 if errors else 200
