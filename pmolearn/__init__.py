"""pmolearn: the PMO certification and learning tracker. ``create_app`` builds the app."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, errors, templates, commands."""
    app = Flask(__name__, instance_relative_config=True)
    configure(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    from pmolearn.errors import register_error_handlers
    from pmolearn.template_helpers import register_template_helpers
    from pmolearn.timing import register_server_timing

    register_error_handlers(app)
    register_template_helpers(app)
    register_server_timing(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    from pmolearn.config import Config, load_environment, normalise_database_url
    from pmolearn.validation import SafeJSONProvider

    app.json = SafeJSONProvider(app)
    app.config.from_object(Config)
    load_environment(app.config)
    app.config.from_prefixed_env("PMOLEARN")
    if test_config:
        app.config.update(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "evidence")
    if app.config["SECRET_KEY"] in (None, "", Config.SECRET_KEY) and not app.testing:
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))


def instance_secret_key(instance: Path) -> str:
    """A random key kept in the instance folder, so a single host needs no setup.

    Several hosts behind a load balancer must share ``SECRET_KEY`` from the environment.
    """
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def register_extensions(app: Flask) -> None:
    from pmolearn.api import api
    from pmolearn.extensions import bootstrap, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    api.init_app(app)
    import pmolearn.models  # noqa: F401 - every model registered before first use


def register_blueprints(app: Flask) -> None:
    from pmolearn.accounts.views import bp as accounts_bp
    from pmolearn.api import register_api
    from pmolearn.catalog.views import bp as catalog_bp
    from pmolearn.home.views import bp as home_bp
    from pmolearn.pdus.tools_views import bp as pdus_tools_bp
    from pmolearn.pdus.views import bp as pdus_bp
    from pmolearn.people.views import bp as people_bp
    from pmolearn.validation import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter  # before any route is added
    for bp in (home_bp, accounts_bp, people_bp, catalog_bp, pdus_bp, pdus_tools_bp):
        app.register_blueprint(bp)
    register_api(app)


def register_hooks(app: Flask) -> None:
    from pmolearn.accounts.services import load_person_from_bearer
    from pmolearn.authz import enforce_access_rule
    from pmolearn.cli import register_commands
    from pmolearn.extensions import login_manager

    login_manager.request_loader(load_person_from_bearer)
    app.before_request(enforce_access_rule)
    app.after_request(security_headers)
    register_commands(app)


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
