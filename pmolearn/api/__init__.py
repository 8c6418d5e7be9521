"""JSON API v1 under /api/v1: Bearer-token or session auth, one error shape, OpenAPI document.

One module per resource; each calls the same services and lookups the pages use. Object routes
look the object up before any body is read (``web.looked_up`` right under the route), so an
object outside the caller's scope is a 404 whatever the body says.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_login import current_user

from pmolearn.api import (
    background,
    capability,
    catalog,
    credentials,
    docs,
    evidence,
    org_units,
    pdus,
    people,
    reminders,
    reports,
    study,
)
from pmolearn.api.openapi import api
from pmolearn.authz import public
from pmolearn.extensions import csrf

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
RESOURCES = (
    people,
    catalog,
    credentials,
    pdus,
    evidence,
    study,
    background,
    reminders,
    capability,
    org_units,
    reports,
)


def _check_api_write() -> None:
    """Session-authenticated writes from the app's own pages need the CSRF header too (a call
    with a Bearer token carries no cookie an attacker could borrow)."""
    if not request.path.startswith("/api/") or request.method not in UNSAFE_METHODS:
        return
    enabled = current_app.config.get("WTF_CSRF_ENABLED", True)
    if enabled and current_user.is_authenticated and not g.get("bearer_auth"):
        csrf.protect()


@public
def openapi_json():
    return api.spec.to_dict()


def register_api(app: Flask) -> None:
    for resource in RESOURCES:
        csrf.exempt(resource.blp)
        api.register_blueprint(resource.blp)
    app.add_url_rule("/api/v1/openapi.json", "api.openapi_json", openapi_json)
    app.add_url_rule("/api/v1/docs", "api.docs", public(docs.docs_page))
    app.before_request(_check_api_write)
