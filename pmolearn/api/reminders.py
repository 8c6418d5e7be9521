"""Reminders: /people/{id}/reminders, /people/{id}/notifications and /me/calendar-token."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields, validate

from pmolearn import clock, text
from pmolearn.api.lists import PageArgs, page_of, page_schema
from pmolearn.api.openapi import Blueprint, IsoDate, IsoTimestamp, json_body
from pmolearn.authz import allow
from pmolearn.extensions import db
from pmolearn.people.models import Person, new_calendar_token
from pmolearn.people.scope import person_or_404
from pmolearn.reminders import inbox, schedule, services, settings
from pmolearn.reminders.models import CHANNELS, Reminder
from pmolearn.web import json_object, looked_up, public_url

blp = Blueprint("api_reminders", __name__, url_prefix="/api/v1", description="Reminders")


class ReminderOut(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(schedule.KINDS))
    subject_type = fields.String(required=True, validate=validate.OneOf(("credential", "pursuit")))
    subject_id = fields.Integer(required=True)
    due_on = IsoDate(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    sent_at = IsoTimestamp(required=True, allow_none=True)
    title = fields.String(required=True)
    #: False for a reminder still ahead (computed, not made yet).
    made = fields.Boolean(required=True)
    read_at = IsoTimestamp(allow_none=True)


class SettingsOut(Schema):
    email = fields.Boolean(required=True)
    inbox = fields.Boolean(required=True)
    lead_days = fields.List(
        fields.Integer(validate=validate.Range(0, settings.MAX_LEAD_DAYS)),
        required=True,
        validate=validate.Length(1, settings.MAX_LEADS),
    )
    digest = fields.String(required=True, validate=validate.OneOf(("immediate", "weekly")))


class SettingsChange(Schema):
    email = fields.Boolean()
    inbox = fields.Boolean()
    lead_days = fields.List(
        fields.Integer(validate=validate.Range(0, settings.MAX_LEAD_DAYS)),
        validate=validate.Length(1, settings.MAX_LEADS),
    )
    digest = fields.String(validate=validate.OneOf(("immediate", "weekly")))


class CalendarUrlOut(Schema):
    calendar_url = fields.String(required=True)


def reminder_to_dict(r: Reminder) -> dict:
    return {
        "kind": r.kind,
        "subject_type": r.subject_type,
        "subject_id": r.subject_id,
        "due_on": text.iso(r.due_on),
        "channel": r.channel,
        "sent_at": text.timestamp(r.sent_at),
        "title": r.title,
        "made": True,
        "read_at": text.timestamp(r.read_at),
    }


def _upcoming_to_dict(item: dict) -> dict:
    return {**item, "due_on": text.iso(item["due_on"]), "made": False, "read_at": None}


@blp.route("/people/<int:person_id>/reminders")
@looked_up("person", person_or_404)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(ReminderOut, "ReminderPage"))
@allow()
def list_reminders(args, person: Person):
    """Reminders still ahead (soonest first), then those made (newest due first)."""
    upcoming = [_upcoming_to_dict(i) for i in services.upcoming_of(person.id, clock.today())]
    made = [reminder_to_dict(r) for r in db.session.scalars(inbox.reminders_of(person.id))]
    return page_of(upcoming + made, args["page"], args.get("per_page"))


@blp.route("/people/<int:person_id>/notifications")
@looked_up("person", person_or_404)
@blp.response(200, SettingsOut)
@allow()
def get_notifications(person: Person):
    return settings.settings_of([person.id])[person.id].to_dict()


@blp.route("/people/<int:person_id>/notifications", methods=["PATCH"])
@looked_up("person", person_or_404, change=True)
@blp.doc(requestBody=json_body(SettingsChange, required=False))
@blp.response(200, SettingsOut)
@allow()
def change_notifications(person: Person):
    saved = settings.save_settings(person, json_object(request), actor=current_user)
    db.session.commit()
    return saved.to_dict()


@blp.route("/me/calendar-token", methods=["POST"])
@blp.response(201, CalendarUrlOut)
@allow()
def new_calendar_token_api():
    """A new private feed URL; the old one answers 404 from then on."""
    current_user.calendar_token = new_calendar_token()
    db.session.commit()
    token = current_user.calendar_token
    return {"calendar_url": public_url("reminders.calendar_feed", token=token)}
