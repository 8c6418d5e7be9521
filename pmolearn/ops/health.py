"""``/healthz`` (the process serves) and ``/readyz`` (it can serve requests: the database answers
and its schema is at the migrations' head). A load balancer sends traffic only to ready hosts; an
orchestrator restarts only a host that is not alive, so a database outage restarts nothing.
Neither reveals data, nor an error's text (which could name hosts or users)."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app
from sqlalchemy.exc import SQLAlchemyError

from pmolearn.authz import public
from pmolearn.config import shipped
from pmolearn.extensions import db

bp = Blueprint("ops", __name__)

NOT_ANSWERING = "the database does not answer"
BEHIND = "the database schema is not at the migrations' head (run pmolearn db upgrade)"


@functools.cache
def migration_heads(directory: Path) -> frozenset[str]:
    """The revisions the code expects; read once per process (the files do not change)."""
    return frozenset(ScriptDirectory(str(directory)).get_heads())


def not_ready_reason() -> str | None:
    """Why this host cannot serve yet, or None when it can."""
    try:
        with db.engine.connect() as connection:
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError:
        current_app.logger.warning("readiness: the database does not answer", exc_info=True)
        return NOT_ANSWERING
    if current != migration_heads(shipped("migrations")):
        return BEHIND
    return None


def _answer(body: dict, status: int):
    return body, status, {"Cache-Control": "no-store"}


@bp.route("/healthz")
@public
def health():
    return _answer({"status": "ok"}, 200)


@bp.route("/readyz")
@public
def ready():
    reason = not_ready_reason()
    if reason:
        return _answer({"status": "unavailable", "reason": reason}, 503)
    return _answer({"status": "ok"}, 200)
