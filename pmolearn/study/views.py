"""Study pages: my pursuits, start one, a pursuit with its plan, progress, charts and sessions,
moving it through its stages, my background (education, experience, training), and the team's
pursuits for PMO heads and HR."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from pmolearn import authz, clock, text
from pmolearn.authz import allow
from pmolearn.catalog.services import certification_choices
from pmolearn.credentials import cycles
from pmolearn.credentials.services import person_credentials
from pmolearn.extensions import db
from pmolearn.people import roles
from pmolearn.people.models import Person
from pmolearn.people.scope import person_or_404, sees_private_notes
from pmolearn.study import (
    background,
    charts,
    eligibility,
    fields,
    plan,
    pursuits,
    queries,
    services,
    sessions,
)
from pmolearn.study.forms import (
    ConfirmForm,
    EducationForm,
    ExperienceForm,
    PlanForm,
    PursuitForm,
    SessionForm,
    StageForm,
    TrainingForm,
)
from pmolearn.study.models import ExperienceEntry, Pursuit, TrainingEntry
from pmolearn.web import form_status, int_arg, looked_up, save

bp = Blueprint("study", __name__, url_prefix="/study")


# --- my pursuits -------------------------------------------------------------------------


def _pursuit_form() -> PursuitForm:
    form = PursuitForm()
    form.certification.choices = certification_choices(active_only=True)
    if request.method == "GET":
        form.certification.data = (request.args.get("certification") or "")[:20]
        form.target_exam_on.data = clock.today() + timedelta(weeks=16)
        form.weekly_hours.data = "6"
    return form


@bp.route("/")
@allow()
def index():
    return render_template(
        "study/index.html",
        views=services.cards_of(current_user.id, clock.today()),
        form=_pursuit_form(),
        profile=background.profile_of(current_user.id),
    )


@bp.route("/new", methods=["GET", "POST"])
@allow()
def new():
    form = _pursuit_form()
    if form.validate_on_submit() and (
        pursuit := save(
            form,
            lambda: pursuits.start_pursuit(
                current_user, form.to_raw(), actor=current_user, today=clock.today()
            ),
        )
    ):
        flash(
            f"Your {pursuit.certification.code} plan is ready: "
            f"{text.amount(pursuit.total_hours)} hours by {text.day(pursuit.target_exam_on)}.",
            "success",
        )
        return redirect(url_for(".show", pursuit_id=pursuit.id))
    return render_template("study/new.html", form=form), form_status(form)


# --- one pursuit -------------------------------------------------------------------------


def _session_form(pursuit: Pursuit, form: SessionForm | None = None) -> SessionForm:
    form = form or SessionForm(formdata=None, studied_on=clock.today())
    form.domain.choices = [SelectChoice(d.name, d.name) for d in pursuit.domains]
    today = clock.today()
    pmi = [
        c
        for c in person_credentials(pursuit.person_id)
        if c.certification.issuer.code == "PMI"
        and cycles.credential_status(c.cycle_dates, today, retired_on=c.retired_on) == cycles.ACTIVE
    ]
    if pmi:
        form.as_pdu_for.choices = [SelectChoice(c.id, c.certification.code) for c in pmi]
    else:
        del form.as_pdu_for
    return form


def _stage_form(view: services.PursuitView, form: StageForm | None = None) -> StageForm:
    form = form or StageForm(formdata=None, target_exam_on=view.pursuit.target_exam_on)
    form.stage.choices = [SelectChoice(s, fields.STAGE_LABELS[s]) for s in view.next_stages]
    return form


def _page(pursuit: Pursuit, **forms):
    view = services.view(pursuit, clock.today())
    on = clock.today()
    points = plan.burn_up(view.plan, services.as_sessions(view.sessions), on)
    editable = authz.can_change_records_of(current_user, pursuit.person_id)
    forms.setdefault("session_form", _session_form(pursuit))
    forms.setdefault("stage_form", _stage_form(view))
    forms.setdefault(
        "plan_form",
        PlanForm(
            formdata=None,
            target_exam_on=pursuit.target_exam_on,
            weekly_hours=text.amount(pursuit.weekly_hours),
            total_hours=text.amount(pursuit.total_hours),
        ),
    )
    status = max((form_status(f) for f in forms.values()), default=200)
    return render_template(
        "study/show.html",
        view=view,
        pursuit=pursuit,
        burn_up=charts.burn_up_chart(view.plan, points, on),
        points=points,
        bars=charts.coverage_bars(view.progress),
        editable=editable,
        own=pursuit.person_id == current_user.id,
        private=sees_private_notes(current_user, pursuit.person_id),
        kinds=fields.SESSION_KINDS,
        person=db.session.get(Person, pursuit.person_id),
        words=requirement_words,
        recent=None if request.args.get("sessions") == "all" else RECENT_SESSIONS,
        **forms,
    ), status


#: Sessions a plan's page lists before "Show all".
RECENT_SESSIONS = 20


def requirement_words(item: eligibility.Item) -> tuple[str, str]:
    """What a requirement needs and what the person has, in words for the page."""

    def words(value) -> str:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return f"{text.amount(value)} {item.unit}".strip()
        if isinstance(value, str):
            level, _, rest = value.partition(" ")  # "bachelor (GAC-accredited)"
            if level in fields.EDUCATION_LEVELS:
                return fields.EDUCATION_LEVELS[level] + (" " + rest if rest else "")
        return str(value)

    return words(item.required), words(item.have)


@bp.route("/<int:pursuit_id>")
@allow()
@looked_up("pursuit", services.pursuit_or_404)
def show(pursuit: Pursuit):
    return _page(pursuit)


@bp.route("/<int:pursuit_id>/sessions", methods=["POST"])
@allow()
@looked_up("pursuit", services.pursuit_or_404, change=True)
def log_session(pursuit: Pursuit):
    form = _session_form(pursuit, SessionForm())
    if form.validate_on_submit() and (
        session := save(
            form,
            lambda: sessions.log_session(
                pursuit, form.to_raw(), actor=current_user, today=clock.today()
            ),
        )
    ):
        also = " and as a draft PDU claim" if session.pdu_activity_id else ""
        flash(f"Logged {session.minutes} minutes of {session.domain}{also}.", "success")
        return redirect(url_for(".show", pursuit_id=pursuit.id) + "#progress-h")
    return _page(pursuit, session_form=form)


@bp.route("/<int:pursuit_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@allow()
@looked_up("pursuit", services.pursuit_or_404, change=True)
def edit_session(pursuit: Pursuit, session_id: int):
    session = services.session_or_404(pursuit, session_id)
    if request.method == "GET":
        form = SessionForm(obj=session)
        form.minutes.data = str(session.minutes)
        form.score.data = "" if session.score is None else str(session.score)
    else:
        form = SessionForm()
    form = _session_form(pursuit, form)
    if "as_pdu_for" in form:
        del form.as_pdu_for
    if form.validate_on_submit() and save(
        form,
        lambda: sessions.update_session(
            session, pursuit, form.to_raw(), actor=current_user, today=clock.today()
        ),
    ):
        flash("The session was saved.", "success")
        return redirect(url_for(".show", pursuit_id=pursuit.id))
    page = render_template("study/session_edit.html", form=form, pursuit=pursuit, session=session)
    return page, form_status(form)


@bp.route("/<int:pursuit_id>/sessions/<int:session_id>/delete", methods=["POST"])
@allow()
@looked_up("pursuit", services.pursuit_or_404, change=True)
def delete_session(pursuit: Pursuit, session_id: int):
    session = services.session_or_404(pursuit, session_id)
    if ConfirmForm().validate_on_submit():
        sessions.delete_session(session, pursuit, actor=current_user)
        db.session.commit()
        flash("The session was deleted.", "info")
    return redirect(url_for(".show", pursuit_id=pursuit.id))


@bp.route("/<int:pursuit_id>/stage", methods=["POST"])
@allow()
@looked_up("pursuit", services.pursuit_or_404, change=True)
def move(pursuit: Pursuit):
    view = services.view(pursuit, clock.today())
    form = _stage_form(view, StageForm())
    raw = {"stage": form.stage.data}
    if form.target_exam_on.data and form.target_exam_on.data != pursuit.target_exam_on:
        raw["target_exam_on"] = form.target_exam_on.data
    if form.validate_on_submit() and save(
        form,
        lambda: pursuits.update_pursuit(pursuit, raw, actor=current_user, today=clock.today()),
    ):
        flash(f"{pursuit.certification.code}: {fields.STAGE_LABELS[pursuit.stage]}.", "success")
        return redirect(url_for(".show", pursuit_id=pursuit.id))
    return _page(pursuit, stage_form=form)


@bp.route("/<int:pursuit_id>/plan", methods=["POST"])
@allow()
@looked_up("pursuit", services.pursuit_or_404, change=True)
def replan(pursuit: Pursuit):
    form = PlanForm()
    if form.validate_on_submit() and save(
        form,
        lambda: pursuits.update_pursuit(
            pursuit, form.to_raw(), actor=current_user, today=clock.today()
        ),
    ):
        flash("The plan was updated.", "success")
        return redirect(url_for(".show", pursuit_id=pursuit.id))
    return _page(pursuit, plan_form=form)


# --- my background -----------------------------------------------------------------------


def _background_page(person, **forms):
    profile = background.profile_of(person.id)
    forms.setdefault(
        "education_form",
        EducationForm(
            formdata=None,
            education_level=profile.education_level if profile else "",
            gac_accredited=profile.gac_accredited if profile else False,
        ),
    )
    forms.setdefault("experience_form", ExperienceForm(formdata=None))
    forms.setdefault("training_form", TrainingForm(formdata=None))
    status = max((form_status(f) for f in forms.values()), default=200)
    return render_template(
        "study/background.html",
        person=person,
        own=person.id == current_user.id,
        editable=authz.can_change_records_of(current_user, person.id),
        profile=profile,
        experience=background.experience_of(person.id),
        training=background.training_of(person.id),
        kinds=fields.EXPERIENCE_KINDS,
        topics=fields.TRAINING_TOPICS,
        levels=fields.EDUCATION_LEVELS,
        confirm=ConfirmForm(),
        **forms,
    ), status


def _whose():
    """``?person=ID`` shows a team member's background (read-only); default: one's own."""
    person_id = int_arg("person")
    return person_or_404(current_user, person_id) if person_id else current_user


@bp.route("/background")
@allow()
def background_page():
    return _background_page(_whose())


def _add(form, action, anchor: str):
    if form.validate_on_submit() and save(form, action):
        flash("Saved.", "success")
        return redirect(url_for(".background_page") + anchor)
    return None


@bp.route("/background/education", methods=["POST"])
@allow()
def save_education():
    form = EducationForm()
    raw = {"education_level": form.education_level.data, "gac_accredited": form.gac_accredited.data}
    done = _add(form, lambda: background.save_profile(current_user, raw, actor=current_user), "")
    return done or _background_page(current_user, education_form=form)


@bp.route("/background/experience", methods=["POST"])
@allow()
def add_experience():
    form = ExperienceForm()
    raw = {name: form[name].data for name in ("title", "organisation", "kind", "agile",
                                              "started_on", "ended_on")}  # fmt: skip
    done = _add(
        form,
        lambda: background.add_experience(
            current_user, raw, actor=current_user, today=clock.today()
        ),
        "#experience-h",
    )
    return done or _background_page(current_user, experience_form=form)


@bp.route("/background/training", methods=["POST"])
@allow()
def add_training():
    form = TrainingForm()
    raw = {name: form[name].data for name in ("title", "provider", "topic", "hours",
                                              "completed_on")}  # fmt: skip
    done = _add(
        form,
        lambda: background.add_training(current_user, raw, actor=current_user, today=clock.today()),
        "#training-h",
    )
    return done or _background_page(current_user, training_form=form)


@bp.route("/background/<kind>/<int:entry_id>/delete", methods=["POST"])
@allow()
def delete_entry(kind: str, entry_id: int):
    model = {"experience": ExperienceEntry, "training": TrainingEntry}.get(kind)
    if model is None:
        return redirect(url_for(".background_page"))
    entry = background.owned_or_404(model, entry_id, current_user, change=True)
    if ConfirmForm().validate_on_submit():
        background.delete_entry(entry, actor=current_user)
        db.session.commit()
        flash("Deleted.", "info")
    return redirect(url_for(".background_page"))


# --- the team ----------------------------------------------------------------------------


@bp.route("/team")
@allow(*roles.TEAM_ROLES)
def team():
    """Every list shows its first ``TEAM_ROWS``; ``?stage=`` shows one stage in full."""
    board = queries.team_board(current_user, clock.today())
    stage = request.args.get("stage")
    if stage is not None and stage not in board.stages:
        abort(404)
    return render_template("study/team.html", board=board, stage=stage, limit=TEAM_ROWS)


TEAM_ROWS = 25
