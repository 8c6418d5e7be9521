"""Study background: /people/{id}/experience, /people/{id}/training and /people/{id}/education,
the facts exam eligibility is judged on."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields, validate

from pmolearn import clock, text
from pmolearn.api.lists import PageArgs, page_of, page_schema
from pmolearn.api.openapi import Blueprint, IsoDate, json_body
from pmolearn.authz import allow
from pmolearn.extensions import db
from pmolearn.people.models import Person
from pmolearn.people.scope import person_or_404
from pmolearn.study import background
from pmolearn.study import fields as study_fields
from pmolearn.study.models import ExperienceEntry, TrainingEntry
from pmolearn.web import json_object, looked_up

blp = Blueprint("api_background", __name__, url_prefix="/api/v1", description="Study background")


# --- serialisers -------------------------------------------------------------------------


def experience_to_dict(entry: ExperienceEntry) -> dict:
    return {
        "id": entry.id,
        "title": entry.title,
        "organisation": entry.organisation,
        "kind": entry.kind,
        "agile": entry.agile,
        "started_on": text.iso(entry.started_on),
        "ended_on": text.iso(entry.ended_on),
    }


def training_to_dict(entry: TrainingEntry) -> dict:
    return {
        "id": entry.id,
        "title": entry.title,
        "provider": entry.provider,
        "topic": entry.topic,
        "hours": float(entry.hours),
        "completed_on": text.iso(entry.completed_on),
    }


# --- schemas -----------------------------------------------------------------------------


class ExperienceIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    organisation = fields.String(allow_none=True, validate=validate.Length(max=200))
    kind = fields.String(required=True, validate=validate.OneOf(study_fields.EXPERIENCE_KINDS))
    agile = fields.Boolean()
    started_on = fields.Date(required=True)
    ended_on = fields.Date(allow_none=True)


class ExperienceOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    organisation = fields.String(allow_none=True)
    kind = fields.String(required=True)
    agile = fields.Boolean(required=True)
    started_on = IsoDate(required=True)
    ended_on = IsoDate(allow_none=True)


class TrainingIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    provider = fields.String(allow_none=True, validate=validate.Length(max=200))
    hours = fields.Float(
        required=True,
        validate=validate.Range(
            min=float(study_fields.TRAINING_HOURS_STEP),
            max=float(study_fields.MAX_TRAINING_HOURS),
        ),
        metadata={"multipleOf": float(study_fields.TRAINING_HOURS_STEP)},
    )
    completed_on = fields.Date(required=True)
    topic = fields.String(validate=validate.OneOf(study_fields.TRAINING_TOPICS))


class TrainingOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    provider = fields.String(allow_none=True)
    topic = fields.String(required=True)
    hours = fields.Float(required=True)
    completed_on = IsoDate(required=True)


class EducationIn(Schema):
    education_level = fields.String(
        required=True, validate=validate.OneOf(study_fields.EDUCATION_LEVELS)
    )
    gac_accredited = fields.Boolean()


# --- routes ------------------------------------------------------------------------------


@blp.route("/people/<int:person_id>/experience")
@looked_up("person", person_or_404)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(ExperienceOut, "ExperiencePage"))
@allow()
def list_experience(args, person: Person):
    page = page_of(background.experience_of(person.id), args["page"], args.get("per_page"))
    return {**page, "items": [experience_to_dict(e) for e in page["items"]]}


@blp.route("/people/<int:person_id>/experience", methods=["POST"])
@looked_up("person", person_or_404, change=True)
@blp.doc(requestBody=json_body(ExperienceIn))
@blp.response(201, ExperienceOut)
@allow()
def create_experience(person: Person):
    entry = background.add_experience(
        person, json_object(request), actor=current_user, today=clock.today()
    )
    db.session.commit()
    return experience_to_dict(entry)


@blp.route("/people/<int:person_id>/training")
@looked_up("person", person_or_404)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(TrainingOut, "TrainingPage"))
@allow()
def list_training(args, person: Person):
    page = page_of(background.training_of(person.id), args["page"], args.get("per_page"))
    return {**page, "items": [training_to_dict(t) for t in page["items"]]}


@blp.route("/people/<int:person_id>/training", methods=["POST"])
@looked_up("person", person_or_404, change=True)
@blp.doc(requestBody=json_body(TrainingIn))
@blp.response(201, TrainingOut)
@allow()
def create_training(person: Person):
    entry = background.add_training(
        person, json_object(request), actor=current_user, today=clock.today()
    )
    db.session.commit()
    return training_to_dict(entry)


@blp.route("/people/<int:person_id>/education", methods=["PUT"])
@looked_up("person", person_or_404, change=True)
@blp.doc(requestBody=json_body(EducationIn))
@blp.response(200, EducationIn)
@allow()
def set_education(person: Person):
    profile = background.save_profile(person, json_object(request), actor=current_user)
    db.session.commit()
    return {"education_level": profile.education_level, "gac_accredited": profile.gac_accredited}
