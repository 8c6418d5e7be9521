"""Settings: defaults here, then the environment (DATABASE_URL, SECRET_KEY, PMOLEARN_*)."""

from __future__ import annotations

import math
import os
from pathlib import Path

from limits import parse_many

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
    #: Redis unreachable: each host counts in its own memory until it is back (Flask-Limiter
    #: logs the error), rather than refusing every sign-in with a 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
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
    #: "json" (one object per line on standard error) or "text" (``requestlog.TEXT_FORMAT``).
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


# --- settings checked at start ---------------------------------------------------------------


class SettingError(ValueError):
    """A setting the app cannot run with: raised at start, not on the first page that reads it."""


#: Whole numbers from the first value to the second (None: no upper bound).
WHOLE_NUMBERS = {
    "PAGE_SIZE": (1, None), "PER_PAGE_DEFAULT": (1, None), "PER_PAGE_MAX": (1, None),
    "RENEWALS_WINDOW_DAYS": (0, None), "RENEWALS_ROWS": (1, None), "TRUSTED_PROXIES": (0, 10),
    "MAIL_PORT": (1, 65535), "UPLOAD_MAX_BYTES": (1, None), "MAX_CONTENT_LENGTH": (1, None),
}  # fmt: skip
#: Seconds, fractions allowed, when set (None: not set, or no limit); True where zero is refused
#: too (a form token's life).
SECONDS = {"CATALOG_RECHECK_SECONDS": False, "WTF_CSRF_TIME_LIMIT": True}
#: On or off; None (not set) is kept where it means "follow another setting".
SWITCHES = ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE", "REQUEST_LOG", "SERVER_TIMING")
RATE_LIMITS = ("LOGIN_RATE_LIMIT", "LOGIN_ADDRESS_RATE_LIMIT", "RESET_RATE_LIMIT")
LOG_FORMATS = ("json", "text")
_ON = frozenset({"true", "yes", "on", "1"})
_OFF = frozenset({"false", "no", "off", "0"})


def check_settings(config: dict) -> None:
    """Refuse, with the variable's name, a setting that would fail later (a 500 on the page that
    reads it, or a login limit silently off); write on/off words as booleans."""
    for name, (least, most) in WHOLE_NUMBERS.items():
        value = config.get(name)
        if isinstance(value, str) and value.strip().isdigit():
            value = config[name] = int(value)
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < least
            or (most is not None and value > most)
        ):
            within = f"from {least} to {most}" if most is not None else f"of at least {least}"
            raise SettingError(f"PMOLEARN_{name} must be a whole number {within}, not {value!r}")
    for name, positive in SECONDS.items():
        value = config.get(name)
        if value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)  # NaN and Infinity are JSON to Flask's env reader
            or value < 0
            or (positive and value == 0)
        ):
            wanted = "a positive number of seconds" if positive else "a number of seconds"
            raise SettingError(f"PMOLEARN_{name} must be {wanted}, not {value!r}")
    for name in SWITCHES:
        config[name] = switch(name, config.get(name))
    for name in RATE_LIMITS:
        rate_limit(name, config.get(name))
    if config.get("LOG_FORMAT") not in LOG_FORMATS:
        raise SettingError(
            f"PMOLEARN_LOG_FORMAT must be json or text, not {config.get('LOG_FORMAT')!r}"
        )


def switch(name: str, value):
    """True, False or None from a boolean or the words people write (True, off, 0, yes...)."""
    if value is None or isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _ON:
        return True
    if word in _OFF:
        return False
    raise SettingError(f"PMOLEARN_{name} must be true or false, not {value!r}")


def rate_limit(name: str, value) -> None:
    """A limit in Flask-Limiter's notation ("10 per minute"; several joined by ";")."""
    try:
        if not isinstance(value, str) or not parse_many(value):
            raise ValueError
    except ValueError:
        raise SettingError(
            f'PMOLEARN_{name} must be a rate limit such as "10 per minute", not {value!r}'
        ) from None
