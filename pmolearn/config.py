"""Settings: defaults here, then the environment (DATABASE_URL, SECRET_KEY, PMOLEARN_*)."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused outside debug/testing


def normalise_database_url(url: str) -> str:
    """Let DATABASE_URL use the common postgres:// spellings; we talk to it through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def shipped(name: str) -> Path:
    """``migrations`` or ``seeds``: the copy inside an installed wheel (``setup.py`` puts it
    there), else the repository's own top-level folder (a checkout or an editable install)."""
    inside = _PACKAGE / "_shipped" / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


class Config:
    SECRET_KEY = DEV_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = "sqlite:///pmolearn.sqlite3"  # relative: inside the instance folder
    #: No pool_pre_ping: it costs a round trip on every request. ``database`` pings only a
    #: connection that sat idle (``ping_idle_connections``).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    #: None: Secure exactly when PMOLEARN_BASE_URL is https (``ops.deployment``); true or false
    #: from the environment wins.
    SESSION_COOKIE_SECURE = None
    REMEMBER_COOKIE_SECURE = None
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    #: Evidence files are at most 10 MB each; a log form may carry a few of them.
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    UPLOAD_FOLDER = None  # default: <instance>/evidence
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    #: Failed sign-ins to one account from one address.
    LOGIN_RATE_LIMIT = "10 per minute"
    #: Failed sign-ins from one address to any accounts (an office behind one NAT shares it).
    LOGIN_ADDRESS_RATE_LIMIT = "30 per minute"
    #: Reset and invitation links asked for or used, per address and per client.
    RESET_RATE_LIMIT = "5 per 10 minutes"
    #: The public address in every link that leaves the app (mail, feeds, API bodies).
    BASE_URL = "http://127.0.0.1:5000"
    SERVER_TIMING = False
    #: How many reverse proxies stand in front; their X-Forwarded-* headers are believed.
    TRUSTED_PROXIES = 0
    #: "json" (one object per line on standard error) or "text" (Flask's default).
    LOG_FORMAT = "json"
    #: One line per request in the log, with its id, route, status, time and person.
    REQUEST_LOG = True
    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BOOTSWATCH_THEME = None
    API_TITLE = "pmolearn API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = None  # we serve /api/v1/openapi.json ourselves
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_DEFAULT_SENDER = "pmolearn@localhost"
    #: Rows per page: HTML lists, and the API's default and maximum ``per_page``.
    PAGE_SIZE = 50
    PER_PAGE_DEFAULT = 50
    PER_PAGE_MAX = 500
    #: The team's renewals table: credentials due within this many days, most urgent rows.
    RENEWALS_WINDOW_DAYS = 90
    RENEWALS_ROWS = 10


def load_environment(config: dict) -> None:
    """Apply DATABASE_URL, SECRET_KEY and every PMOLEARN_<NAME> variable."""
    if url := os.environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = url
    if key := os.environ.get("SECRET_KEY"):
        config["SECRET_KEY"] = key
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
