"""People endpoints: /me, /people (scoped list, admin create) and /people/{id}."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields, validate

from pmolearn import clock, text
from pmolearn.api.lists import Id, IdArg, PageArgs, page_schema, per_page_of
from pmolearn.api.openapi import Blueprint, IsoDate
from pmolearn.authz import allow
from pmolearn.catalog import snapshot as catalog_snapshot
from pmolearn.credentials import directory
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db
from pmolearn.people import fields as person_fields
from pmolearn.people import scope, services
from pmolearn.people.models import Person
from pmolearn.people.roles import ROLE_VALUES, AccessRole
from pmolearn.web import looked_up, public_url

blp = Blueprint("api_people", __name__, url_prefix="/api/v1", description="People")


def _length(spec) -> validate.Length:
    return validate.Length(min=1 if spec.required else 0, max=spec.limit)


class PersonSchema(Schema):
    """A person, as ``person_json`` builds it."""

    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    org_unit_id = fields.Integer(required=True)
    org_unit = fields.String(dump_only=True)
    manager_id = fields.Integer(allow_none=True, required=True)
    roles = fields.List(
        fields.String(validate=validate.OneOf(sorted(ROLE_VALUES))), required=True, dump_only=True
    )
    job_title = fields.String(allow_none=True)
    current_role = fields.String(allow_none=True, required=True, dump_only=True)
    target_role = fields.String(allow_none=True, required=True, dump_only=True)
    pmi_member = fields.Boolean(required=True)
    active = fields.Boolean()


class MeSchema(PersonSchema):
    calendar_url = fields.String(required=True, dump_only=True, metadata={"format": "uri"})


class PersonCreateSchema(Schema):
    email = fields.String(required=True, validate=_length(person_fields.EMAIL))
    name = fields.String(required=True, validate=_length(person_fields.NAME))
    org_unit_id = Id(required=True)
    manager_id = Id(allow_none=True)
    roles = fields.List(
        fields.String(validate=validate.OneOf(sorted(ROLE_VALUES))),
        load_default=lambda: [AccessRole.PRACTITIONER.value],
        validate=validate.Length(min=1),
    )
    job_title = fields.String(allow_none=True, validate=_length(person_fields.JOB_TITLE))
    current_role = fields.String(allow_none=True, validate=_length(person_fields.CURRENT_ROLE))
    target_role = fields.String(allow_none=True, validate=_length(person_fields.TARGET_ROLE))
    pmi_member = fields.Boolean(load_default=False)
    active = fields.Boolean(load_default=True)


class PeopleArgs(PageArgs):
    org_unit = IdArg()
    q = fields.String(validate=validate.Length(max=100))
    certification = fields.String(validate=validate.Length(min=1, max=20))
    status = fields.String(validate=validate.OneOf(directory.STATUSES))
    expiring_within = fields.Integer(validate=validate.Range(min=1, max=3650))
    sort = fields.String(load_default="name", validate=validate.OneOf(directory.SORTS))


class HeldSchema(Schema):
    id = fields.Integer(required=True)
    certification = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(directory.STATUSES))
    cycle_end = IsoDate(allow_none=True, required=True)


class PersonItemSchema(Schema):
    """A person in a list: the person's fields and their credentials."""

    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    org_unit_id = fields.Integer(required=True)
    org_unit = fields.String()
    manager_id = fields.Integer(allow_none=True, required=True)
    roles = fields.List(fields.String(validate=validate.OneOf(sorted(ROLE_VALUES))), required=True)
    job_title = fields.String(allow_none=True)
    current_role = fields.String(allow_none=True, required=True)
    target_role = fields.String(allow_none=True, required=True)
    pmi_member = fields.Boolean(required=True)
    active = fields.Boolean()
    credentials = fields.List(fields.Nested(HeldSchema), required=True)


def person_json(person: directory.PersonRow) -> dict:
    """A person as every people endpoint answers (``PersonSchema`` documents it), built by
    hand: a list of 500 dumped through marshmallow twice cost more than its queries."""
    return {
        "id": person.id,
        "email": person.email,
        "name": person.name,
        "org_unit_id": person.org_unit_id,
        "org_unit": person.org_unit,
        "manager_id": person.manager_id,
        "roles": list(person.role_codes),
        "job_title": person.job_title,
        "current_role": person.current_role,
        "target_role": person.target_role,
        "pmi_member": person.pmi_member,
        "active": person.active,
    }


def _held_json(held) -> dict:
    return {
        "id": held.credential_id,
        "certification": held.certification,
        "status": held.status,
        "cycle_end": text.iso(held.cycle_end),
    }


@blp.route("/me")
@blp.response(200, MeSchema)
@allow()
def me():
    person = current_user._get_current_object()
    body = person_json(directory.people_rows([person.id])[0])
    body["calendar_url"] = public_url("reminders.calendar_feed", token=person.calendar_token)
    return body


@blp.route("/people")
@blp.arguments(PeopleArgs, location="query")
@blp.response(200, page_schema(PersonItemSchema, "PersonPage"))
@allow()
def list_people(args):
    """Filters: org-unit subtree, text, a certification held, its status, a cycle ending within
    N days; sorted by name or by the next cycle end. An unknown value is a 422."""
    code = args.get("certification")
    if code and code not in catalog_snapshot.current().by_code:
        raise ValidationFailed({"certification": [f"Unknown certification {code!r}."]})
    unit_id = args.get("org_unit")
    if unit_id is not None and scope.unit_in_scope(current_user, unit_id) is None:
        raise ValidationFailed({"org_unit": [scope.unknown_unit(unit_id)]})
    query = directory.Query(
        q=args.get("q"),
        org_unit_id=args.get("org_unit"),
        certification=code,
        status=args.get("status"),
        expiring_within=args.get("expiring_within"),
        sort=args["sort"],
    )
    per_page = per_page_of(args.get("per_page"))
    found = directory.directory(current_user, query, clock.today(), args["page"], per_page)
    items = [
        person_json(person)
        | {"credentials": [_held_json(h) for h in found.held.get(person.id, [])]}
        for person in found.people
    ]
    return {"items": items, "page": args["page"], "per_page": per_page, "total": found.total}


@blp.route("/people", methods=["POST"])
@blp.arguments(PersonCreateSchema)
@blp.response(201, PersonSchema)
@allow(AccessRole.ADMIN)
def create_person(data):
    person = services.save_person(services.PersonData(**data), actor=current_user)
    db.session.commit()
    services.person_created(person)  # the invitation email (a mail failure is logged)
    return person_json(directory.people_rows([person.id])[0])


@blp.route("/people/<int:person_id>")
@looked_up("person", scope.person_or_404)
@blp.response(200, PersonSchema)
@allow()
def get_person(person: Person):
    return person_json(directory.people_rows([person.id])[0])
