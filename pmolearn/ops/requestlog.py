"""One JSON line per request, and every log record in JSON, each with the request's id.

The id comes from the proxy's ``X-Request-ID`` when it is a sane token (so the proxy's log and
ours share it), else a new one; the answer carries it back in ``X-Request-ID``. The line holds
the route rather than the path when the path carries a secret (calendar feed, unsubscribe,
password links), the signed-in person's id, the status, the time and the SQL statement count.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
#: URL arguments that are secrets: the path is logged as its route ("/calendar/<token>.ics").
SECRET_ARGS = frozenset({"token"})

request_log = logging.getLogger("pmolearn.request")


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", ...fields}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id and request_id != "-":
            entry["request_id"] = request_id
        entry.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class RequestIdFilter(logging.Filter):
    """Stamp the current request's id on every record logged while it runs ("-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = (g.get("request_id") if has_request_context() else None) or "-"
        return True


#: ``PMOLEARN_LOG_FORMAT=text``: the same records, a line a person reads.
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def install_logging(app: Flask) -> None:
    """The ``pmolearn`` loggers on standard error (once per process), in JSON or, with
    ``PMOLEARN_LOG_FORMAT=text``, in plain lines. Tests read records through pytest's capture
    instead."""
    logger = logging.getLogger("pmolearn")
    if not app.testing and not any(getattr(h, "_pmolearn", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        as_json = app.config.get("LOG_FORMAT", "json") == "json"
        handler.setFormatter(JsonFormatter() if as_json else logging.Formatter(TEXT_FORMAT))
        handler.addFilter(RequestIdFilter())
        handler._pmolearn = True
        logger.removeHandler(default_handler)  # Flask's plain-text one, if it came first
        logger.addHandler(handler)  # gunicorn leaves the root logger bare: no line twice
    logger.setLevel(logging.INFO)


def start() -> None:
    """``before_request``, first of all: the request's clock and id."""
    g.request_started = time.perf_counter()
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if _SANE_ID.fullmatch(incoming) else uuid.uuid4().hex


def person_seen():
    """The signed-in person if this request has already asked who it is (Flask-Login keeps the
    answer in ``g``), else None. It never asks itself: that would load a person, and run a
    statement, on requests that had no need to."""
    user = g.get("_login_user")
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def finish(app: Flask):
    enabled = bool(app.config.get("REQUEST_LOG", True))

    def after(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers[HEADER] = request_id
        if enabled and request.endpoint not in ("static", "bootstrap.static"):
            fields = _fields(response)
            request_log.info(
                "%s %s %s", request.method, fields["path"], response.status_code,
                extra={"request_id": request_id, "fields": fields},
            )  # fmt: skip
        return response

    return after


def _loggable_path() -> str:
    if request.url_rule is not None and SECRET_ARGS & set(request.view_args or {}):
        return request.url_rule.rule
    return request.path


def _fields(response) -> dict:
    started = g.get("request_started")
    person = person_seen()
    fields = {
        "method": request.method,
        "path": _loggable_path(),
        "endpoint": request.endpoint,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
        "client": request.remote_addr,
    }
    if "sql_count" in g:  # counted when PMOLEARN_SERVER_TIMING is on
        fields["sql"] = g.sql_count
    if person is not None:
        fields["person_id"] = person.id
    return fields
