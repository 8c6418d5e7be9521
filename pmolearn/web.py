"""What every page and endpoint shares: the lookup decorator, refusing a form with its errors,
page sizes and a page of a list, the URL converter, the JSON provider, security headers, the
Server-Timing header, page sections and public links (what templates call is ``templating``).

Each feature's own "this object for this viewer, or 404" lives in that feature; this module only
runs it before the view (and so before any request body is read).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from flask import Flask, abort, current_app, g, has_request_context, request, url_for
from flask.json.provider import DefaultJSONProvider
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import event
from sqlalchemy.engine import Engine
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.routing import IntegerConverter

from pmolearn import authz
from pmolearn.errors import ApiError, ValidationFailed
from pmolearn.extensions import db
from pmolearn.fields import MAX_ID, parse_id

MAX_PAGE = 100_000


# --- looking objects up before the view ------------------------------------------------------


def found_or_404(found, viewer, owner_id: Callable[[Any], int], *, change: bool):
    """The generic half of every lookup: 404 when the feature's scoped query found nothing, 403
    when ``change`` is asked of a viewer who may see the record but not change it."""
    if found is None:
        abort(404)
    if change:
        authz.require_change(viewer, owner_id(found))
    return found


def looked_up(name: str, find: Callable[..., Any], **options: Any) -> Callable:
    """Replace the URL argument ``<name>_id`` by the object ``name`` found by ``find``.

    ``find(viewer, id, **options)`` is the feature's lookup-or-404 (and 403 for a change the
    viewer may never make). Placed right under the route, it runs before any body is parsed or
    validated, so an object outside the caller's scope is a 404 whatever the body says.
    """
    key = f"{name}_id"

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            viewer = current_user._get_current_object()
            kwargs[name] = find(viewer, kwargs.pop(key), **options)
            return view(*args, **kwargs)

        return wrapper

    return decorate


# --- forms -----------------------------------------------------------------------------------


def put_errors(form: FlaskForm, error: ApiError) -> None:
    """Show a refused service call on ``form``: each message on its field, the rest on top.

    ``areas`` (a split as a whole) goes to ``form.area_errors`` when the form has one;
    ``areas.power_skills`` goes to that field. A refusal that is not a plain validation failure
    (409, 413, 415) also shows its message at the top of the form.
    """
    for name, messages in (error.fields or {}).items():
        target = name.removeprefix("areas.")
        messages = [messages] if isinstance(messages, str) else list(messages)
        if name == "areas" and hasattr(form, "area_errors"):
            form.area_errors.extend(messages)
        elif target in form:
            form[target].errors = [*form[target].errors, *messages]
        else:
            form.form_errors.extend(messages)
    if not isinstance(error, ValidationFailed) or not error.fields:
        form.form_errors.insert(0, error.message)
    form.error_status = error.status


def form_status(form: FlaskForm) -> int:
    """200 for a fresh form; the refusal's status (422, 409, …) once it shows errors."""
    if getattr(form, "error_status", None):
        return form.error_status
    return 422 if form.is_submitted() and form.errors else 200


def save(form: FlaskForm, action: Callable, commit: Callable | None = None):
    """Run one service call and commit once, or roll back and show its refusal on ``form``."""
    try:
        result = action()
    except ApiError as error:
        db.session.rollback()
        put_errors(form, error)
        return None
    if commit is None:
        db.session.commit()
    else:
        commit(result)
    return result


# --- lists -----------------------------------------------------------------------------------


def page_number(value: str | None) -> int:
    """The ``page`` query argument of an HTML list, clamped to a sane range."""
    number = parse_id(value)
    return min(number, MAX_PAGE) if number else 1


def page_size() -> int:
    """Rows per page of an HTML list (``PMOLEARN_PAGE_SIZE``)."""
    return int(current_app.config["PAGE_SIZE"])


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows and how many there are in all."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)


def int_arg(name: str) -> int | None:
    """An id from the query string, or None when absent or not an id."""
    return parse_id(request.args.get(name))


# --- request parsing -------------------------------------------------------------------------


class BoundedIntConverter(IntegerConverter):
    """``<int:id>`` for ids: a number no database column can hold becomes 0, which no row has,
    so the lookup answers 404 (a converter that refused it would make Werkzeug answer 405 on
    paths another method shares)."""

    regex = r"\d{1,19}"  # longer numbers match no route at all

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= MAX_ID else 0


class SafeJSONProvider(DefaultJSONProvider):
    """The one door JSON bodies come through.

    Deeply nested JSON (``[[[[...``) makes the parser recurse until Python gives up: that is a
    malformed body (400). A lone surrogate (``"a\\ud800b"``) is valid JSON but not Unicode, and
    no database can store it: 422 naming the field, before any service sees it.
    """

    #: Flask's own answers (dates as HTTP dates, dataclasses, Decimal) stay Flask's: orjson
    #: hands those to ``default``.
    _ORJSON_OPTIONS = (
        orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
    )

    def dumps(self, obj, **kwargs):
        """Compact answers through orjson (a page of 50 people: 0.1 ms less than the standard
        library); anything else, or anything orjson refuses (an integer past 64 bits), as
        Flask writes it."""
        if kwargs in ({}, {"separators": (",", ":")}):
            try:
                return orjson.dumps(obj, default=self.default, option=self._ORJSON_OPTIONS).decode()
            except orjson.JSONEncodeError:
                pass
        return super().dumps(obj, **kwargs)

    def loads(self, s, **kwargs):
        try:
            data = super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
        bad = sorted(_surrogate_paths(data, ""))
        if bad:
            message = "Must be valid Unicode text (it holds a lone surrogate)."
            raise ValidationFailed({path or "body": [message] for path in bad})
        return data


def _surrogate_paths(value, path: str):
    if isinstance(value, str):
        if not value.isascii() and any("\ud800" <= ch <= "\udfff" for ch in value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if not str(key).isascii() and any("\ud800" <= ch <= "\udfff" for ch in str(key)):
                yield here.encode("utf-8", "replace").decode()
                continue
            yield from _surrogate_paths(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _surrogate_paths(item, f"{path}.{index}" if path else str(index))


class JsonParser(FlaskParser):
    """webargs' parser, reading JSON through the app's provider (so through the checks above).

    Query strings follow their schema's own ``unknown`` rule (the API's: refuse a parameter it
    does not know) instead of webargs' default of dropping it silently.
    """

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
                                   "query": None, "querystring": None}  # fmt: skip

    def _raw_load_json(self, req):
        return json_object(req) if req.content_length or is_json_request(req) else core.missing


def json_object(req) -> dict:
    """A request's body as a JSON object, or the error every JSON endpoint gives: 415 for
    another content type, 400 for malformed JSON or a JSON value that is not an object."""
    if not is_json_request(req):
        raise ApiError(415, "Send a JSON object with Content-Type: application/json.")
    body = req.get_json()
    if not isinstance(body, dict):
        raise ApiError(400, "The body must be a JSON object.")
    return body


# --- responses -------------------------------------------------------------------------------

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


# --- Server-Timing ---------------------------------------------------------------------------


def _before_cursor(conn, cursor, statement, parameters, context, executemany) -> None:
    if has_request_context():
        context._pmolearn_started = time.perf_counter()


def _after_cursor(conn, cursor, statement, parameters, context, executemany) -> None:
    started = getattr(context, "_pmolearn_started", None)
    if started is not None and has_request_context():
        g.sql_count = g.get("sql_count", 0) + 1
        g.sql_seconds = g.get("sql_seconds", 0.0) + time.perf_counter() - started


def register_server_timing(app: Flask) -> None:
    """``Server-Timing: db;dur=3.2;desc="7 queries", app;dur=11.0`` on every response, when
    ``PMOLEARN_SERVER_TIMING`` is set: each page reports its own statement count."""
    if not app.config.get("SERVER_TIMING"):
        return
    if not event.contains(Engine, "before_cursor_execute", _before_cursor):
        event.listen(Engine, "before_cursor_execute", _before_cursor)
        event.listen(Engine, "after_cursor_execute", _after_cursor)

    def start_clock() -> None:
        g.request_started = time.perf_counter()
        g.sql_count = 0
        g.sql_seconds = 0.0

    # First of all hooks, so the sign-in and access checks are timed and counted too.
    app.before_request_funcs.setdefault(None, []).insert(0, start_clock)

    @app.after_request
    def add_header(response):
        if "request_started" in g:
            total_ms = (time.perf_counter() - g.request_started) * 1000
            db_ms = g.get("sql_seconds", 0.0) * 1000
            count = g.get("sql_count", 0)
            response.headers["Server-Timing"] = (
                f'db;dur={db_ms:.1f};desc="{count} queries", app;dur={total_ms:.1f}'
            )
        return response


# --- sections other features add to a page -----------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A part of a page that a feature above the page's own adds: a template and its data."""

    template: str
    context: dict = field(default_factory=dict)


class Sections:
    """The sections of one page: features register ``maker(*args) -> Section | None`` at
    start-up; the page asks for the ones that apply, in the order they were added."""

    def __init__(self) -> None:
        self._makers: list[Callable] = []

    def add(self, maker: Callable) -> None:
        if maker not in self._makers:
            self._makers.append(maker)

    def __call__(self, *args) -> list[Section]:
        return [s for s in (make(*args) for make in self._makers) if s is not None]


# --- links that leave the app ---------------------------------------------------------------


def public_url(endpoint: str, **values) -> str:
    """An absolute link for mail, feeds and API bodies: PMOLEARN_BASE_URL plus the path, never
    the Host header a request came with."""
    base = (current_app.config.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    return base + url_for(endpoint, **values)
