"""Model base class with a naming convention, SQLite's connection settings, and how a request
talks to the database; imports nothing from pmolearn."""

from __future__ import annotations

import sqlite3
import time
import weakref

from flask import has_request_context, request
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import MetaData, event, exc, func, literal_column, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

#: Deterministic constraint names, so Alembic (and SQLite batch rebuilds) see stable names.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite ignores foreign keys unless asked, and WAL lets readers run beside a writer."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def comma_joined(expression):
    """The aggregate of ``expression``'s values joined by commas (``group_concat`` on SQLite,
    ``string_agg`` on PostgreSQL), the comma written into the SQL: given as a value,
    SQLAlchemy binds the separator "literal_execute" and redoes part of the compilation on
    every execution (20 µs a statement, on every signed-in request)."""
    return func.aggregate_strings(expression, literal_column("','"))


def analyze(session) -> None:
    """Refresh the planner's statistics after a bulk load (demo, imports, restore).

    Without it PostgreSQL plans from whatever it last saw: after the demo's insert it expected
    5,982 PDU activities for 45,074 and hash-joined them all (18.5 ms; 0.2 ms once analysed).
    """
    session.execute(text("ANALYZE"))
    session.commit()


# --- how a request uses its connection ---------------------------------------------------------

#: Requests that only read: they run without a transaction of their own.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: A pooled connection idle longer than this is pinged before use.
PING_AFTER_IDLE_SECONDS = 5.0
_AUTOCOMMIT = "AUTOCOMMIT"


class Session(FlaskSession):
    """``db.session``: on PostgreSQL, a request that only reads (GET, HEAD, OPTIONS) runs each
    statement on its own, without BEGIN and ROLLBACK.

    Those are two round trips a request, as many as a small page's queries, and they buy
    nothing: under READ COMMITTED each statement sees what was committed when it started, in a
    transaction or not. (SQLite's BEGIN costs nothing, and there each statement outside a
    transaction pays for a read lock of its own: measured slower, so it keeps one.)

    Such a request must not write: ``_refuse_writes`` turns a flush into an error instead of
    letting it commit on the spot. Everything else (forms, API writes, commands, tests) keeps
    one transaction, committed once.
    """

    def get_bind(self, *args, **kwargs):
        bind = super().get_bind(*args, **kwargs)
        if not isinstance(bind, Engine) or bind.dialect.name != "postgresql":
            return bind
        reading = self.info.get("reads_only")
        if reading is None:  # the transaction's first statement decides, once
            reading = self.info["reads_only"] = reads_only()
        return _autocommit(bind) if reading else bind


@event.listens_for(Session, "after_transaction_end")
def _forget_mode(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop("reads_only", None)


#: Set on a request that the app dispatches with a safe method (``mark_read_only``). Not the
#: method alone: commands and tests run writes inside ``test_request_context()`` (a GET) to
#: build links, and those must keep their transaction.
READ_ONLY = "pmolearn.read_only"


def mark_read_only() -> None:
    """``before_request``, first of all: a GET, HEAD or OPTIONS the app serves only reads."""
    if request.method in SAFE_METHODS:
        request.environ[READ_ONLY] = True


def reads_only() -> bool:
    return has_request_context() and request.environ.get(READ_ONLY, False)


_AUTOCOMMIT_ENGINES: dict[int, Engine] = {}


def _autocommit(engine: Engine) -> Engine:
    """The same engine and pool, its connections in autocommit while checked out."""
    found = _AUTOCOMMIT_ENGINES.get(id(engine))
    if found is None or found.pool is not engine.pool:
        found = _AUTOCOMMIT_ENGINES[id(engine)] = engine.execution_options(
            isolation_level=_AUTOCOMMIT
        )
    return found


@event.listens_for(Session, "before_flush")
def _refuse_writes(session, _flush_context, _instances) -> None:
    """On every database, so a GET that writes fails in the SQLite tests too, not only where
    its statements would commit one by one (PostgreSQL)."""
    if (session.new or session.dirty or session.deleted) and reads_only():
        raise RuntimeError(
            f"a {request.method if has_request_context() else 'read-only'} request tried to "
            "write; writes belong to POST, PUT, PATCH and DELETE"
        )


def end_read_only(session) -> None:
    """At the end of a request: a read-only one leaves no transaction behind, even where the
    app context outlives the request (a test holding one open), so what comes next starts its
    own. Its objects stay in the session, expired. ``session`` is ``db.session``."""
    if session.registry.has() and session.info.get("reads_only"):
        session.rollback()


_PINGING: weakref.WeakSet = weakref.WeakSet()


def ping_idle_connections(engine: Engine, idle_seconds: float = PING_AFTER_IDLE_SECONDS) -> None:
    """Ping a pooled connection before use only when it sat idle a while.

    A connection used moments ago is alive; one that sat while the database restarted or a
    firewall dropped it is pinged (``SELECT 1``) and, if dead, replaced before the request sees
    it. SQLAlchemy's ``pool_pre_ping`` pings on every checkout: a round trip per request.
    """
    if engine.pool in _PINGING:
        return
    _PINGING.add(engine.pool)

    @event.listens_for(engine.pool, "checkin")
    def stamp(_dbapi_connection, record) -> None:
        if record is not None:
            record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def ping_if_idle(dbapi_connection, record, _proxy) -> None:
        last = record.info.get("checked_in_at")
        if last is None or time.monotonic() - last < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise exc.DisconnectionError(f"ping failed after idling: {error}") from error
