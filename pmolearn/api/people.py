"""People endpoints: /me, /people (scoped list, admin create) and /people/{id}."""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from pmolearn.api.common import Id, PageArgs, page_schema, paginate
from pmolearn.authz import AccessRole, allow
from pmolearn.extensions import db
from pmolearn.people import services
from pmolearn.validation import MAX_ID

blp = Blueprint("api_people", __name__, url_prefix="/api/v1", description="People")


class PersonSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    org_unit_id = fields.Integer()
    org_unit = fields.Function(lambda p: p.org_unit.name)
    manager_id = fields.Integer(allow_none=True)
    roles = fields.Function(lambda p: sorted(p.role_codes))
    job_title = fields.String(allow_none=True)
    current_role = fields.Function(lambda p: p.current_role.code if p.current_role else None)
    target_role = fields.Function(lambda p: p.target_role.code if p.target_role else None)
    pmi_member = fields.Boolean()
    active = fields.Boolean()


class MeSchema(PersonSchema):
    calendar_url = fields.Function(
        lambda p: url_for("home.calendar_feed", token=p.calendar_token, _external=True)
    )


class PersonCreateSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    org_unit_id = Id(required=True)
    manager_id = Id(allow_none=True)
    roles = fields.List(
        fields.String(validate=validate.OneOf([r.value for r in AccessRole])),
        load_default=lambda: [AccessRole.PRACTITIONER.value],
        validate=validate.Length(min=1),
    )
    job_title = fields.String(allow_none=True, validate=validate.Length(max=120))
    current_role = fields.String(allow_none=True)
    target_role = fields.String(allow_none=True)
    pmi_member = fields.Boolean(load_default=False)
    active = fields.Boolean(load_default=True)


class PeopleArgs(PageArgs):
    org_unit = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    q = fields.String(validate=validate.Length(max=100))


@blp.route("/me")
@blp.response(200, MeSchema)
@allow()
def me():
    return current_user


@blp.route("/people")
@blp.arguments(PeopleArgs, location="query")
@blp.response(200, page_schema(PersonSchema, "PersonPage"))
@allow()
def list_people(args):
    stmt = services.people_query(current_user, q=args.get("q"), org_unit_id=args.get("org_unit"))
    return paginate(stmt, args["page"], args["per_page"])


@blp.route("/people", methods=["POST"])
@blp.arguments(PersonCreateSchema)
@blp.response(201, PersonSchema)
@allow(AccessRole.ADMIN)
def create_person(data):
    person = services.save_person(services.PersonData(**data), actor=current_user)
    db.session.commit()
    return person


@blp.route("/people/<int:person_id>")
@blp.response(200, PersonSchema)
@allow()
def get_person(person_id: int):
    return services.get_person_for(current_user, person_id) or abort(404)
