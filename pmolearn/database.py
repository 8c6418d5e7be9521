"""Model base class with a naming convention, and SQLite's connection settings; imports nothing
from pmolearn."""

from __future__ import annotations

import sqlite3

from sqlalchemy import MetaData, event, text
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


def analyze(session) -> None:
    """Refresh the planner's statistics after a bulk load (demo, imports, restore).

    Without it PostgreSQL plans from whatever it last saw: after the demo's insert it expected
    5,982 PDU activities for 45,074 and hash-joined them all (18.5 ms; 0.2 ms once analysed).
    """
    session.execute(text("ANALYZE"))
    session.commit()
