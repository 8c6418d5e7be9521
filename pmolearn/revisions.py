"""The organisation's data as a token that changes with every change to it, so that a figure
computed over many people (the team's renewals and head count, the org units a filter offers,
the directory's total) can be kept by each process and reused until the data moves.

Features say which of their models the token covers (:func:`track`). A flush, or a bulk
statement run through the session, that touches one of them gives the token a new random value
in the same transaction, so every host sees the change with its next request. A request reads
the token in the signed-in person's own statement (``people.models``), so reusing a kept figure
costs no statement at all; without a token (a command, a test with an empty table) nothing is
kept. A figure is also dropped after ``MAX_AGE_SECONDS`` whatever happens.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import g, has_request_context
from sqlalchemy import String, event, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from pmolearn.database import Session, reads_only
from pmolearn.extensions import db

T = TypeVar("T")

#: The models whose rows the token covers (``track``).
TRACKED: set[type] = set()
TRACKED_TABLES: set[str] = set()
MAX_AGE_SECONDS = 600.0
MAX_KEPT = 512
_CHANGED = "pmolearn.data_changed"


class DataRevision(db.Model):
    """One row: a random token, new with every change to a tracked table."""

    __tablename__ = "data_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


def track(*models: type) -> None:
    """Changes to these models change the token (a feature calls this for its own models)."""
    TRACKED.update(models)
    TRACKED_TABLES.update(model.__tablename__ for model in models)


def token_column():
    """The token as a scalar subquery, to ride along in another statement."""
    return select(DataRevision.token).where(DataRevision.id == 1).scalar_subquery()


def read_token() -> str | None:
    return db.session.scalar(select(DataRevision.token).where(DataRevision.id == 1))


def keep_token(token: str | None) -> None:
    """The token this request read (with the signed-in person)."""
    if has_request_context():
        g.data_token = token


# --- giving the token a new value --------------------------------------------------------------


@event.listens_for(Session, "after_flush")
def _note_flush(session, _flush_context) -> None:
    if any(type(obj) in TRACKED for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in TRACKED_TABLES:
            state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _new_token(session) -> None:
    """In the committing transaction, after its last flush: ``before_commit`` runs before the
    commit's own flush, so pending changes are flushed here first (else a change committed
    without a flush of its own would not move the token, and the token's row would be locked
    before the data's)."""
    if session.info.get("reads_only"):
        return  # a read-only request cannot have changed anything (database refuses it)
    if session.new or session.dirty or session.deleted:
        session.flush()
    if not session.info.pop(_CHANGED, False):
        return
    token = secrets.token_hex(16)
    done = session.execute(update(DataRevision).where(DataRevision.id == 1).values(token=token))
    if not done.rowcount:
        session.execute(insert(DataRevision).values(id=1, token=token))
    forget()  # this process knows at once; the others with their next request


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_flag(session) -> None:
    session.info.pop(_CHANGED, None)


def note_change(session) -> None:
    """Say that this transaction changed the organisation's data in a way the flush hooks do
    not see (a statement run on the connection)."""
    session.info[_CHANGED] = True


# --- keeping figures -----------------------------------------------------------------------------

_lock = threading.Lock()
_kept: OrderedDict[tuple, tuple[float, object]] = OrderedDict()


def remember(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave before for ``key`` while the data have not changed.

    Only a read-only request keeps or reuses a figure: one that writes may be looking at its
    own uncommitted changes, which must neither be kept for others nor hidden from itself."""
    token = g.get("data_token") if has_request_context() and reads_only() else None
    if token is None:
        return compute()
    full = (token, key)
    now = time.monotonic()
    with _lock:
        found = _kept.get(full)
        if found is not None and now - found[0] < MAX_AGE_SECONDS:
            _kept.move_to_end(full)
            return found[1]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _kept[full] = (now, value)
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)
    return value


def forget() -> None:
    """Drop every kept figure (a change here, or a test emptying the tables)."""
    with _lock:
        _kept.clear()
