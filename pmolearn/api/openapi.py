"""The API's OpenAPI machinery: the flask-smorest ``Api``, the blueprint class every resource
uses, the error schema, and the Bearer security scheme the document declares."""

from __future__ import annotations

from functools import wraps

from flask import jsonify
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.utils import unpack_tuple_response
from marshmallow import Schema, fields

from pmolearn.web import JsonParser

BEARER = {"bearerAuth": []}


class ErrorBody(Schema):
    code = fields.String(required=True, metadata={"example": "validation_error"})
    message = fields.String(required=True)
    fields_ = fields.Dict(
        data_key="fields",
        required=True,
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"example": {"pdus": ["must be > 0"]}},
    )


class Error(Schema):
    error = fields.Nested(ErrorBody, required=True)


class Blueprint(SmorestBlueprint):
    """flask-smorest's blueprint, reading JSON bodies through the app's one JSON door."""

    ARGUMENTS_PARSER = JsonParser()

    def arguments(self, schema, *args, **kwargs):
        """One schema object per endpoint, not one per request: given a class, webargs builds
        it again on every call (deep copies of every field, 0.1 ms an API read)."""
        return super().arguments(schema() if isinstance(schema, type) else schema, *args, **kwargs)

    def response(self, status_code, schema=None, **kwargs):
        """``schema`` documents the answer; a dict the view built is sent as it is.

        Each resource's serialiser (``credential_to_dict``, ``person_json``…) builds the
        JSON, and dumping it through the schema again cost more than the request's queries
        (500 people, twice). What a view returns that is not a dict (catalog rows) is still
        dumped by the schema. The schemathesis test holds every answer to the document.
        """
        document = super().response(status_code, schema, **kwargs)

        def decorate(view):
            @wraps(view)
            def send_built(*args, **kw):
                result = view(*args, **kw)
                body, status, headers = unpack_tuple_response(result)
                if not isinstance(body, dict):
                    return result
                answer = jsonify(body)
                answer.status_code = int(status or status_code)
                answer.headers.update(headers or {})
                return answer

            return document(send_built)

        return decorate


class Api(SmorestApi):
    """flask-smorest, minus its app-wide JSON error handler: pmolearn.errors owns errors."""

    ERROR_SCHEMA = Error

    def _register_error_handlers(self) -> None:
        pass


api = Api(
    spec_kwargs={
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "description": "pmolearn token"}
            }
        },
        "security": [BEARER],
    }
)


def json_body(schema, *, required: bool = True) -> dict:
    """An operation's JSON request body for ``@blp.doc(requestBody=…)``: the endpoints that read
    their body themselves (through ``web.json_object``) document it with this."""
    return {"content": {"application/json": {"schema": schema}}, "required": required}


def IsoDate(**kwargs) -> fields.String:  # noqa: N802 - reads like a field class
    """A date the serialiser already wrote as ISO 8601 (``2027-03-01``)."""
    return fields.String(metadata={"format": "date"}, **kwargs)


def IsoTimestamp(**kwargs) -> fields.String:  # noqa: N802
    return fields.String(metadata={"format": "date-time"}, **kwargs)


def PolicyFigure(**kwargs) -> fields.Raw:  # noqa: N802
    """A figure as the policy writes it: 60 stays 60, not 60.0."""
    return fields.Raw(metadata={"type": "number"}, **kwargs)
