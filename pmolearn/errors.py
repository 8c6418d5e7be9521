"""Error pages for people, one JSON error shape for programs (everything under /api/)."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, make_response, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

from pmolearn.authz import is_api_request
from pmolearn.extensions import db

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
}


class ApiError(Exception):
    """A refused request: status, machine code, message and per-field messages."""

    def __init__(
        self,
        status: int,
        message: str,
        fields: dict | None = None,
        code: str = "",
        extra: dict | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields or {}
        self.code = code or ERROR_CODES.get(status, "error")
        self.extra = extra or {}

    def to_dict(self) -> dict:
        body = {"code": self.code, "message": self.message, "fields": self.fields}
        return {"error": {**body, **self.extra}}


class ValidationFailed(ApiError):
    """422 with field errors; raised by services, rendered as form errors by views."""

    def __init__(self, fields: dict, message: str = "The request has invalid fields."):
        super().__init__(422, message, fields)


def json_error(status: int, message: str, fields: dict | None = None, code: str = ""):
    return jsonify(ApiError(status, message, fields, code).to_dict()), status


def _http_error(error: HTTPException):
    status = error.code or 500
    if status >= 500:
        db.session.rollback()
    if is_api_request():
        fields = getattr(error, "data", {}).get("messages") if hasattr(error, "data") else None
        message = error.description or error.name
        response, _ = json_error(status, message, _flatten_webargs(fields) if fields else None)
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="pmolearn"'
    else:
        page = f"errors/{status}.html" if status in (403, 404, 429, 500) else "errors/generic.html"
        response = make_response(render_template(page, error=error, status=status))
    # The exception's own headers say what the client must know (405: Allow; 429: Retry-After).
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, status


def _flatten_webargs(messages: dict) -> dict:
    """webargs nests errors by location ({"json": {"pdus": [...]}}) and list items by index
    ({"roles": {"0": [...]}}); clients get ``{field: [message, ...]}``."""
    flat: dict = {}
    for location in messages.values():
        if isinstance(location, dict):
            flat.update(location)
    return {name: _messages(value) for name, value in (flat or messages).items()}


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [m for item in value.values() for m in _messages(item)]
    if isinstance(value, list):
        return [m for item in value for m in _messages(item)]
    return [str(value)]


def _api_error(error: ApiError):
    db.session.rollback()
    if is_api_request():
        return jsonify(error.to_dict()), error.status
    return render_template("errors/generic.html", error=error, status=error.status), error.status


def _unhandled(error: Exception):
    current_app.logger.exception("unhandled error: %s", error)
    db.session.rollback()
    return _http_error(InternalServerError(original_exception=error))


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ApiError, _api_error)
    if not app.config.get("PROPAGATE_EXCEPTIONS_IN_TESTS"):
        app.register_error_handler(Exception, _unhandled)
