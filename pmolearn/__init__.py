"""pmolearn: the PMO certification and learning tracker. ``create_app`` builds the app."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from pmolearn import (
    accounts,
    api,
    authz,
    catalog,
    credentials,
    database,
    errors,
    models,
    ops,
    pdus,
    reminders,
    study,
    templating,
    web,
)
from pmolearn.accounts.services import load_person_from_bearer
from pmolearn.accounts.views import bp as accounts_bp
from pmolearn.catalog.views import bp as catalog_bp
from pmolearn.cli import register_commands
from pmolearn.config import (
    Config,
    check_settings,
    load_environment,
    normalise_database_url,
    shipped,
)
from pmolearn.credentials.views import bp as credentials_bp
from pmolearn.extensions import bootstrap, csrf, db, limiter, login_manager, migrate
from pmolearn.home import nav
from pmolearn.home.views import bp as home_bp
from pmolearn.home.views import team_bp
from pmolearn.pdus.views import bp as pdus_bp
from pmolearn.people.views import bp as people_bp
from pmolearn.reminders.views import bp as reminders_bp
from pmolearn.reports.views import bp as reports_bp
from pmolearn.skills.views import bp as skills_bp
from pmolearn.study.views import bp as study_bp

BLUEPRINTS = (
    home_bp,
    team_bp,
    accounts_bp,
    people_bp,
    catalog_bp,
    credentials_bp,
    pdus_bp,
    study_bp,
    reminders_bp,
    skills_bp,
    reports_bp,
)

assert models  # every model registered before first use (Alembic, relationships by name)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, features, blueprints, errors, templates, commands."""
    app = Flask(__name__, instance_relative_config=True)
    configure(app, test_config)
    register_extensions(app)
    register_features(app)
    register_blueprints(app)
    register_hooks(app)
    errors.register_error_handlers(app)
    templating.register_template_helpers(app)
    web.register_server_timing(app)
    register_commands(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    app.json = web.SafeJSONProvider(app)
    app.config.from_object(Config)
    load_environment(app.config)
    app.config.from_prefixed_env("PMOLEARN")
    if test_config:
        app.config.update(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    check_settings(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "evidence")
    if app.config["SECRET_KEY"] in (None, "", Config.SECRET_KEY) and not app.testing:
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    ops.configure(app)


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
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            database.ping_idle_connections(engine)
    migrate.init_app(app, db, directory=str(shipped("migrations")))
    login_manager.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    api.api.init_app(app)


def register_features(app: Flask) -> None:
    """Features that add to a lower one (claims to credentials, template globals) say so here."""
    ops.init_app(app)
    accounts.init_app(app)
    catalog.init_app(app)
    credentials.init_app(app)
    pdus.init_app(app)
    study.init_app(app)
    reminders.init_app(app)
    nav.init_app(app)


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = web.BoundedIntConverter  # before any route is added
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    api.register_api(app)


def register_hooks(app: Flask) -> None:
    login_manager.request_loader(load_person_from_bearer)
    app.before_request(authz.enforce_access_rule)
    app.after_request(web.security_headers)
    app.before_request_funcs.setdefault(None, []).insert(0, database.mark_read_only)
    app.teardown_request(lambda _error=None: database.end_read_only(db.session))
