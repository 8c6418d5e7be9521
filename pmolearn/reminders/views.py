"""Reminder pages: the inbox, my notification settings, one-click unsubscribe (no sign-in), the
admins' view of the reminder runs, and the private calendar feed."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from pmolearn import clock
from pmolearn.authz import allow, public
from pmolearn.extensions import csrf, db
from pmolearn.people.models import Person, new_calendar_token
from pmolearn.people.roles import AccessRole
from pmolearn.reminders import calendar, inbox, services, settings
from pmolearn.reminders.forms import ConfirmForm, SettingsForm
from pmolearn.reminders.models import Reminder
from pmolearn.web import Section, form_status, page_number, public_url, save

bp = Blueprint("reminders", __name__)


# --- the inbox -------------------------------------------------------------------------------


@bp.route("/inbox")
@allow()
def inbox_page():
    size = 25
    page = page_number(request.args.get("page"))
    query = inbox.inbox_query(current_user.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(query.limit(size).offset((page - 1) * size)).all()
    return render_template(
        "reminders/inbox.html",
        items=items,
        page=page,
        pages=max((total + size - 1) // size, 1),
        total=total,
        unread=inbox.unread_count(current_user.id),
        confirm=ConfirmForm(),
    )


@bp.route("/inbox/<int:reminder_id>/read", methods=["POST"])
@allow()
def read(reminder_id: int):
    found = db.session.scalar(
        select(Reminder).where(
            Reminder.id == reminder_id,
            Reminder.person_id == current_user.id,
            Reminder.channel == "inbox",
        )
    )
    if found is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        inbox.mark_read(current_user.id, reminder_id)
        db.session.commit()
    if request.form.get("open"):
        return redirect(found.link)
    return redirect(url_for(".inbox_page"))


@bp.route("/inbox/read-all", methods=["POST"])
@allow()
def read_all():
    if ConfirmForm().validate_on_submit():
        count = inbox.mark_read(current_user.id)
        db.session.commit()
        flash(f"Marked {count} as read.", "info")
    return redirect(url_for(".inbox_page"))


# --- settings --------------------------------------------------------------------------------


def settings_form(person: Person, form: SettingsForm | None = None) -> SettingsForm:
    if form is not None:
        return form
    current = settings.settings_of([person.id])[person.id]
    return SettingsForm(
        formdata=None,
        email=current.email,
        inbox=current.inbox,
        lead_days=", ".join(str(d) for d in current.lead_days),
        digest=current.digest,
    )


def profile_section(person: Person) -> Section:
    """Notification settings and the calendar feed on the profile page."""
    return Section(
        "reminders/_profile.html",
        {
            "settings_form": settings_form(person),
            "calendar_url": public_url("reminders.calendar_feed", token=person.calendar_token),
            "confirm": ConfirmForm(),
        },
    )


@bp.route("/me/notifications", methods=["GET", "POST"])
@allow()
def settings_page():
    form = SettingsForm() if request.method == "POST" else settings_form(current_user)
    if (
        request.method == "POST"
        and form.validate_on_submit()
        and save(
            form,
            lambda: settings.save_settings(current_user, form.to_raw(), actor=current_user),
        )
    ):
        flash("Your reminder settings are saved.", "success")
        return redirect(url_for(".settings_page"))
    page = render_template("reminders/settings.html", form=form)
    return page, form_status(form)


@bp.route("/me/calendar-token", methods=["POST"])
@allow()
def new_calendar_url():
    if ConfirmForm().validate_on_submit():
        current_user.calendar_token = new_calendar_token()
        db.session.commit()
        flash("A new calendar address is made: the old one no longer works.", "info")
    return redirect(url_for("accounts.profile") + "#calendar-h")


# --- unsubscribe -----------------------------------------------------------------------------


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click"; the token is the key
def unsubscribe(token: str):
    person_id = settings.person_of_unsubscribe(token) if len(token) <= 200 else None
    if person_id is None:
        abort(404)
    if request.method == "POST":
        if not settings.unsubscribe(person_id):
            abort(404)
        db.session.commit()
        if request.form.get("List-Unsubscribe") == "One-Click":
            return "", 204
        return render_template("reminders/unsubscribe.html", done=True, token=token)
    return render_template("reminders/unsubscribe.html", done=False, token=token)


# --- the runs (admins) -----------------------------------------------------------------------


@bp.route("/admin/reminders")
@allow(AccessRole.ADMIN)
def runs():
    return render_template("reminders/runs.html", status=services.status(), now=clock.now())


# --- the calendar feed -----------------------------------------------------------------------


@bp.route("/calendar/<token>.ics")
@public
def calendar_feed(token: str):
    """A person's private iCalendar (RFC 5545) feed, for Outlook or Google Calendar."""
    if len(token) > 64:
        abort(404)
    person = db.session.scalar(
        select(Person).where(Person.calendar_token == token, Person.active.is_(True))
    ) or abort(404)
    return calendar.feed(person), 200, {"Content-Type": "text/calendar; charset=utf-8"}
