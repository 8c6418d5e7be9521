"""JSON API v1 under /api/v1: Bearer-token or session auth, one error shape, OpenAPI document."""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_login import current_user
from flask_smorest import Api as SmorestApi
from marshmallow import Schema, fields

from pmolearn.authz import public
from pmolearn.extensions import csrf

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ErrorBody(Schema):
    code = fields.String(metadata={"example": "validation_error"})
    message = fields.String()
    fields_ = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"example": {"pdus": ["must be > 0"]}},
    )


class Error(Schema):
    error = fields.Nested(ErrorBody)


class Api(SmorestApi):
    """flask-smorest, minus its app-wide JSON error handler: pmolearn.errors owns errors."""

    ERROR_SCHEMA = Error

    def _register_error_handlers(self) -> None:
        pass


api = Api()


def _check_api_write() -> None:
    """Writes: a JSON body must parse (400 otherwise, however it is broken), and
    session-authenticated writes from the app's own pages need the CSRF header too."""
    if not request.path.startswith("/api/") or request.method not in UNSAFE_METHODS:
        return
    if request.is_json and request.content_length:
        request.get_json()  # a BadRequest (400) for any malformed or too deeply nested body
    # Loading the user runs the Bearer loader; unauthenticated calls get their 401 later.
    enabled = current_app.config.get("WTF_CSRF_ENABLED", True)
    if enabled and current_user.is_authenticated and not g.get("bearer_auth"):
        csrf.protect()


@public
def openapi_json():
    return api.spec.to_dict()


def register_api(app: Flask) -> None:
    from pmolearn.api import audit, catalog, evidence, pdus, people

    for blueprint in (people.blp, catalog.blp, pdus.blp, evidence.blp, audit.blp):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    app.add_url_rule("/api/v1/openapi.json", "api.openapi_json", openapi_json)
    app.before_request(_check_api_write)
