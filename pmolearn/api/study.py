"""Study: /people/{id}/pursuits and /pursuits/{id} with its sessions. A person's background
(experience, training, education) is ``api.background``."""

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
from pmolearn.people.scope import person_or_404, sees_private_notes
from pmolearn.study import fields as study_fields
from pmolearn.study import pursuits, services, sessions
from pmolearn.study.models import Pursuit, StudySession
from pmolearn.web import json_object, looked_up

blp = Blueprint("api_study", __name__, url_prefix="/api/v1", description="Study")


# --- serialisers -------------------------------------------------------------------------


def _number(value) -> float:
    return float(value)


def session_to_dict(session: StudySession, *, private: bool) -> dict:
    return {
        "id": session.id,
        "pursuit_id": session.pursuit_id,
        "studied_on": text.iso(session.studied_on),
        "minutes": session.minutes,
        "domain": session.domain,
        "kind": session.kind,
        "score": session.score,
        "notes": session.notes if private else None,
        "pdu_activity_id": session.pdu_activity_id,
    }


def pursuit_to_dict(view: services.PursuitView) -> dict:
    """API.md's pursuit, with the outline, the attempts and the standing beside it."""
    pursuit = view.pursuit
    result = view.eligibility
    standing = view.standing
    return {
        "id": pursuit.id,
        "person_id": pursuit.person_id,
        "certification": pursuit.certification.code,
        "certification_name": pursuit.certification.name,
        "stage": pursuit.stage,
        "target_exam_on": text.iso(pursuit.target_exam_on),
        "started_on": text.iso(pursuit.started_on),
        "applied_on": text.iso(pursuit.applied_on),
        "credential_id": pursuit.credential_id,
        "plan": {
            "weekly_hours": _number(pursuit.weekly_hours),
            "total_hours": _number(pursuit.total_hours),
            "outline": pursuit.outline,
            "weekly_hours_needed": _number(view.plan.weekly_needed),
            "domains": [
                {
                    "name": d.name,
                    "weight": _number(d.weight_pct),
                    "planned_hours": _number(d.planned_hours),
                    "area": d.area,
                }
                for d in pursuit.domains
            ],
        },
        "progress": view.progress.to_dict(),
        "eligibility": (
            result.to_dict()
            if result
            else {"met": False, "items": [], "rules": None, "disputed": False, "closed": None}
        ),
        "attempts": [
            {"taken_on": text.iso(a.taken_on), "passed": a.passed} for a in pursuit.attempts
        ],
        "standing": {
            "may_sit": standing.may_sit,
            "reason": standing.reason,
            "window_ends_on": text.iso(standing.window_ends_on),
            "attempts_left": standing.attempts_left,
            "again_on": text.iso(standing.again_on),
        },
        "next_stages": list(view.next_stages),
    }


# --- schemas -----------------------------------------------------------------------------


class DomainOut(Schema):
    name = fields.String(required=True)
    weight = fields.Float(required=True)
    planned_hours = fields.Float(required=True)
    area = fields.String(allow_none=True)


class PlanOut(Schema):
    weekly_hours = fields.Float(required=True)
    total_hours = fields.Float(required=True)
    outline = fields.String(allow_none=True)
    weekly_hours_needed = fields.Float()
    domains = fields.List(fields.Nested(DomainOut), required=True)


class DomainProgressOut(Schema):
    name = fields.String(required=True)
    weight = fields.Float()
    hours_logged = fields.Float(required=True)
    planned_hours = fields.Float(required=True)


class ScoreOut(Schema):
    on = IsoDate(required=True)
    score = fields.Integer(required=True)


class ProgressOut(Schema):
    hours_logged = fields.Float(required=True)
    hours_planned_to_date = fields.Float(required=True)
    behind_by_hours = fields.Float(required=True)
    by_domain = fields.List(fields.Nested(DomainProgressOut), required=True)
    practice_scores = fields.List(fields.Nested(ScoreOut))
    score_trend = fields.Integer(allow_none=True)
    pace_per_week = fields.Float()
    projected_ready_on = IsoDate(required=True, allow_none=True)


class ItemOut(Schema):
    requirement = fields.String(required=True)
    required = fields.Raw(required=True)
    have = fields.Raw(required=True)
    met = fields.Boolean(required=True)
    unit = fields.String()
    note = fields.String()
    source = fields.String(allow_none=True)


class EligibilityOut(Schema):
    met = fields.Boolean(required=True)
    items = fields.List(fields.Nested(ItemOut), required=True)
    rules = fields.String(allow_none=True)
    disputed = fields.Boolean(required=True)
    dispute = fields.String(allow_none=True)
    closed = fields.String(allow_none=True)
    sources = fields.List(fields.String())


class PursuitOut(Schema):
    id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    certification = fields.String(required=True)
    certification_name = fields.String()
    stage = fields.String(required=True, validate=validate.OneOf(study_fields.STAGES))
    target_exam_on = IsoDate(required=True)
    started_on = IsoDate()
    applied_on = IsoDate(allow_none=True)
    credential_id = fields.Integer(allow_none=True)
    plan = fields.Nested(PlanOut, required=True)
    progress = fields.Nested(ProgressOut, required=True)
    eligibility = fields.Nested(EligibilityOut, required=True)
    attempts = fields.List(fields.Dict())
    standing = fields.Dict()
    next_stages = fields.List(fields.String(validate=validate.OneOf(study_fields.STAGES)))


class PursuitCreate(Schema):
    certification = fields.String(required=True, validate=validate.Length(min=1, max=20))
    target_exam_on = fields.Date(required=True)
    weekly_hours = fields.Float(required=True, validate=validate.Range(min=0.5, max=80))
    total_hours = fields.Float(validate=validate.Range(min=0.5, max=2000))


class PursuitChange(Schema):
    stage = fields.String(validate=validate.OneOf(study_fields.STAGES))
    target_exam_on = fields.Date()
    weekly_hours = fields.Float(validate=validate.Range(min=0.5, max=80))
    total_hours = fields.Float(validate=validate.Range(min=0.5, max=2000))


class SessionIn(Schema):
    studied_on = fields.Date(required=True, metadata={"description": "not in the future"})
    minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=1440))
    domain = fields.String(required=True, metadata={"description": "one of the plan's domains"})
    kind = fields.String(required=True, validate=validate.OneOf(study_fields.SESSION_KINDS))
    score = fields.Integer(
        allow_none=True,
        validate=validate.Range(min=0, max=100),
        metadata={"description": "practice exams only"},
    )
    notes = fields.String(allow_none=True, validate=validate.Length(max=2000))
    as_pdu_for = fields.List(
        fields.Integer(validate=validate.Range(min=1)),
        metadata={"description": "credential ids: also a draft PDU claim"},
    )


class SessionOut(Schema):
    id = fields.Integer(required=True)
    pursuit_id = fields.Integer(required=True)
    studied_on = IsoDate(required=True)
    minutes = fields.Integer(required=True)
    domain = fields.String(required=True)
    kind = fields.String(required=True)
    score = fields.Integer(allow_none=True)
    notes = fields.String(allow_none=True)
    pdu_activity_id = fields.Integer(allow_none=True)


# --- pursuits ----------------------------------------------------------------------------


@blp.route("/people/<int:person_id>/pursuits", methods=["POST"])
@looked_up("person", person_or_404, change=True)
@blp.doc(requestBody=json_body(PursuitCreate))
@blp.response(201, PursuitOut)
@allow()
def create_pursuit(person: Person):
    pursuit = pursuits.start_pursuit(
        person, json_object(request), actor=current_user, today=clock.today()
    )
    db.session.commit()
    return pursuit_to_dict(services.view(pursuit, clock.today()))


@blp.route("/people/<int:person_id>/pursuits")
@looked_up("person", person_or_404)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(PursuitOut, "PursuitPage"))
@allow()
def list_pursuits(args, person: Person):
    views = services.views_of(services.pursuits_of(person.id), clock.today())
    page = page_of(views, args["page"], args.get("per_page"))
    return {**page, "items": [pursuit_to_dict(v) for v in page["items"]]}


@blp.route("/pursuits/<int:pursuit_id>")
@looked_up("pursuit", services.pursuit_or_404)
@blp.response(200, PursuitOut)
@allow()
def get_pursuit(pursuit: Pursuit):
    return pursuit_to_dict(services.view(pursuit, clock.today()))


@blp.route("/pursuits/<int:pursuit_id>", methods=["PATCH"])
@looked_up("pursuit", services.pursuit_or_404, change=True)
@blp.doc(requestBody=json_body(PursuitChange))
@blp.response(200, PursuitOut)
@allow()
def update_pursuit(pursuit: Pursuit):
    pursuits.update_pursuit(pursuit, json_object(request), actor=current_user, today=clock.today())
    db.session.commit()
    return pursuit_to_dict(services.view(pursuit, clock.today()))


# --- sessions ----------------------------------------------------------------------------


@blp.route("/pursuits/<int:pursuit_id>/sessions", methods=["POST"])
@looked_up("pursuit", services.pursuit_or_404, change=True)
@blp.doc(requestBody=json_body(SessionIn))
@blp.response(201, SessionOut)
@allow()
def create_session(pursuit: Pursuit):
    session = sessions.log_session(
        pursuit, json_object(request), actor=current_user, today=clock.today()
    )
    db.session.commit()
    return session_to_dict(session, private=True)


@blp.route("/pursuits/<int:pursuit_id>/sessions")
@looked_up("pursuit", services.pursuit_or_404)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(SessionOut, "SessionPage"))
@allow()
def list_sessions(args, pursuit: Pursuit):
    private = sees_private_notes(current_user, pursuit.person_id)
    rows = services.sessions_of([pursuit.id])[pursuit.id][::-1]
    page = page_of(rows, args["page"], args.get("per_page"))
    return {**page, "items": [session_to_dict(s, private=private) for s in page["items"]]}


@blp.route("/pursuits/<int:pursuit_id>/sessions/<int:session_id>", methods=["PATCH"])
@looked_up("pursuit", services.pursuit_or_404, change=True)
@blp.doc(requestBody=json_body(SessionIn))
@blp.response(200, SessionOut)
@allow()
def update_session(pursuit: Pursuit, session_id: int):
    session = services.session_or_404(pursuit, session_id)
    sessions.update_session(
        session, pursuit, json_object(request), actor=current_user, today=clock.today()
    )
    db.session.commit()
    return session_to_dict(session, private=True)


@blp.route("/pursuits/<int:pursuit_id>/sessions/<int:session_id>", methods=["DELETE"])
@looked_up("pursuit", services.pursuit_or_404, change=True)
@blp.response(204)
@allow()
def delete_session(pursuit: Pursuit, session_id: int):
    session = services.session_or_404(pursuit, session_id)
    sessions.delete_session(session, pursuit, actor=current_user)
    db.session.commit()
