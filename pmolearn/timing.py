"""``Server-Timing`` header: how many SQL statements a request ran and how long they took."""

from __future__ import annotations

import time

from flask import Flask, g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine


def _before(conn, cursor, statement, parameters, context, executemany) -> None:
    if has_request_context():
        context._pmolearn_started = time.perf_counter()


def _after(conn, cursor, statement, parameters, context, executemany) -> None:
    started = getattr(context, "_pmolearn_started", None)
    if started is not None and has_request_context():
        g.sql_count = g.get("sql_count", 0) + 1
        g.sql_seconds = g.get("sql_seconds", 0.0) + time.perf_counter() - started


def register_server_timing(app: Flask) -> None:
    if not app.config.get("SERVER_TIMING"):
        return
    if not event.contains(Engine, "before_cursor_execute", _before):
        event.listen(Engine, "before_cursor_execute", _before)
        event.listen(Engine, "after_cursor_execute", _after)

    def _start_clock() -> None:
        g.request_started = time.perf_counter()
        g.sql_count = 0
        g.sql_seconds = 0.0

    # First of all hooks, so the sign-in and access checks are timed and counted too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_clock)

    @app.after_request
    def _add_header(response):
        if "request_started" in g:
            total_ms = (time.perf_counter() - g.request_started) * 1000
            db_ms = g.get("sql_seconds", 0.0) * 1000
            count = g.get("sql_count", 0)
            response.headers["Server-Timing"] = (
                f'db;dur={db_ms:.1f};desc="{count} queries", app;dur={total_ms:.1f}'
            )
        return response
