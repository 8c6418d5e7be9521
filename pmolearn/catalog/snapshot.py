"""The catalog as plain, immutable values, loaded once per process and shared by its requests.

Nearly every page reads certifications, renewal policies, activity types and eligibility rule
sets, and they change only when ``pmolearn seed`` runs. Loading them as ORM rows on every
request (six JSON columns a certification, four a policy, each policy's activity types joined
into its rows) cost more than the rest of a dashboard's queries. A snapshot is rebuilt when:

- this process changed a catalog row (a flush of a catalog model marks it stale, and the end of
  that transaction marks it stale again, so a rolled-back change does not linger);
- ``catalog_state.revision`` moved: every seed raises it. A signed-in request reads the
  revision in the signed-in person's own statement (``REVISION_EXTRA``), so it reads a seed
  made on another host, or by ``pmolearn seed`` beside a running server, at once, for no
  statement of its own. Anything else (a command, an anonymous page) compares at most every
  ``PMOLEARN_CATALOG_RECHECK_SECONDS`` (30 by default; 0 on every read).

The values themselves are ``catalog.values``: read-only, shared by every request.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass
from types import MappingProxyType

from flask import current_app, has_request_context
from sqlalchemy import event, select, update

from pmolearn.catalog import models
from pmolearn.catalog.values import (
    ActivityType,
    Catalog,
    Certification,
    Issuer,
    Policy,
    RuleSet,
    frozen,
)
from pmolearn.database import Session
from pmolearn.extensions import db
from pmolearn.people.models import SignedInExtra

CATALOG_MODELS = (
    models.Source,
    models.Issuer,
    models.Certification,
    models.RenewalPolicy,
    models.ActivityType,
    models.EligibilityRuleSet,
)
DEFAULT_RECHECK_SECONDS = 30.0


# --- the process's snapshot --------------------------------------------------------------------


@dataclass
class _Held:
    catalog: Catalog
    checked_at: float
    #: Seconds between checks of the revision (None: never), read from the app when loaded.
    recheck: float | None


#: Reentrant: loading may flush the session, and a flush of catalog rows invalidates.
_lock = threading.RLock()
#: One snapshot per database (a process may serve several apps: the tests, a restore).
_held: dict[str, _Held] = {}
#: Each engine's database, as the key of ``_held`` (rendering a URL costs more than a lookup).
_keys: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: Raised by every ``invalidate``: a load that began before it is not kept.
_generation = 0
_PRIVATE = "pmolearn.catalog_private"


def current() -> Catalog:
    """The catalog as this process knows it: loaded on first use, rebuilt when it changed.
    Called many times a request (every ``credential.certification``): the usual path is two
    dictionary lookups and a clock read.

    A transaction that changed catalog rows reads its own snapshot, kept in its session and
    never shared: the change may yet be rolled back."""
    session = db.session
    if session.info.get("catalog_changed"):
        if _PRIVATE not in session.info:
            session.info[_PRIVATE] = load()
        return session.info[_PRIVATE]
    key = _key()
    held = _held.get(key)
    if held is not None and (
        held.recheck is None or time.monotonic() - held.checked_at < held.recheck
    ):
        return held.catalog
    with _lock:
        held = _held.get(key)
        if held is not None and read_revision() == held.catalog.revision:
            held.checked_at = time.monotonic()
            return held.catalog
        generation = _generation
        catalog = load()
        if generation == _generation:  # nothing changed the catalog while it loaded
            _held[key] = _Held(catalog, time.monotonic(), _recheck_seconds())
        return catalog


def _key() -> str:
    engine = db.engine
    key = _keys.get(engine)
    if key is None:
        key = _keys[engine] = engine.url.render_as_string(hide_password=False)
    return key


def _revision_column():
    """The catalog's revision as a scalar subquery, to ride in the signed-in person's row."""
    state = models.CatalogState
    return select(state.revision).where(state.id == 1).scalar_subquery()


def _keep_revision(_person, revision: int | None) -> None:
    """A request's view of the revision, read with the signed-in person: a snapshot behind it
    is dropped now, so this request reads the catalog as it stands; one that matches it needs
    no recheck for another ``PMOLEARN_CATALOG_RECHECK_SECONDS``."""
    if not has_request_context():
        return
    held = _held.get(_key())
    if held is None:
        return
    if held.catalog.revision == (revision or 0):
        held.checked_at = time.monotonic()
    else:
        invalidate()


#: Registered by ``catalog.init_app``: the revision in every signed-in request's first statement.
REVISION_EXTRA = SignedInExtra("catalog_revision", _revision_column, _keep_revision)


def certification(certification_id: int) -> Certification:
    """One certification by id. One this process does not know yet (seeded on another host
    since its last check) makes it load the catalog again, once."""
    found = current().by_id.get(certification_id)
    if found is None:
        invalidate()
        found = current().by_id.get(certification_id)
    if found is None:
        raise LookupError(f"no certification {certification_id} in the catalog")
    return found


def policy(policy_id: int | None) -> Policy | None:
    """One renewal policy by id (None for none), loading the catalog again, once, when this
    process does not know it yet."""
    if policy_id is None:
        return None
    found = current().policies.get(policy_id)
    if found is None:
        invalidate()
        found = current().policies.get(policy_id)
    return found


def invalidate() -> None:
    """Forget every snapshot this process holds: the next read loads the catalog again."""
    global _generation
    with _lock:
        _generation += 1
        _held.clear()


def _recheck_seconds() -> float | None:
    value = current_app.config.get("CATALOG_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS)
    return None if value is None else float(value)


def read_revision() -> int:
    state = models.CatalogState
    return db.session.scalar(select(state.revision).where(state.id == 1)) or 0


def raise_revision() -> None:
    """Tell every process that the catalog changed (seeding calls it; flushes only)."""
    done = db.session.execute(
        update(models.CatalogState)
        .where(models.CatalogState.id == 1)
        .values(revision=models.CatalogState.revision + 1)
    )
    if not done.rowcount:
        db.session.add(models.CatalogState(id=1, revision=1))
    db.session.flush()


def load() -> Catalog:
    """Six statements: the revision, issuers, certifications, activity types, policies and
    rule sets, each read as rows."""
    revision = read_revision()
    issuers = {
        row.id: Issuer(row.id, row.code, row.name, row.url, row.notes)
        for row in db.session.execute(select(*models.Issuer.__table__.c))
    }
    certification_rows = db.session.execute(
        select(*models.Certification.__table__.c).order_by(
            models.Certification.status, models.Certification.code
        )
    ).all()
    codes = {row.id: row.code for row in certification_rows}
    types: dict[int, list[ActivityType]] = {}
    for row in db.session.execute(
        select(*models.ActivityType.__table__.c).order_by(
            models.ActivityType.policy_id, models.ActivityType.position, models.ActivityType.id
        )
    ):
        types.setdefault(row.policy_id, []).append(ActivityType(**row._asdict()))
    policies: dict[int, list[Policy]] = {}
    by_policy_id: dict[int, Policy] = {}
    for row in db.session.execute(
        select(*models.RenewalPolicy.__table__.c).order_by(
            models.RenewalPolicy.certification_id, models.RenewalPolicy.effective_from
        )
    ):
        values = row._asdict()
        policy = Policy(
            **values
            | {
                "certification_code": codes.get(row.certification_id, "?"),
                "categories": frozen(values["categories"] or {}),
                "area_minimums": frozen(values["area_minimums"] or {}),
                "source_codes": tuple(values["source_codes"] or ()),
                "activity_types": tuple(types.get(row.id, ())),
            }
        )
        policies.setdefault(row.certification_id, []).append(policy)
        by_policy_id[policy.id] = policy
    rule_sets: dict[int, list[RuleSet]] = {}
    for row in db.session.execute(
        select(*models.EligibilityRuleSet.__table__.c).order_by(
            models.EligibilityRuleSet.certification_id,
            models.EligibilityRuleSet.position,
            models.EligibilityRuleSet.id,
        )
    ):
        values = row._asdict()
        rule_sets.setdefault(row.certification_id, []).append(
            RuleSet(
                **values
                | {
                    "rules": frozen(values["rules"] or {}),
                    "source_codes": tuple(values["source_codes"] or ()),
                }
            )
        )
    certifications = [
        Certification(
            **values
            | {
                "issuer": issuers[values["issuer_id"]],
                "eligibility": frozen(values["eligibility"] or {}),
                "exam": frozen(values["exam"] or {}),
                "fees": frozen(values["fees"] or {}),
                "exam_rules": frozen(values["exam_rules"] or {}),
                "typical_roles": tuple(values["typical_roles"] or ()),
                "source_codes": tuple(values["source_codes"] or ()),
                "unconfirmed": tuple(values["unconfirmed"] or ()),
                "policies": tuple(policies.get(values["id"], ())),
                "eligibility_rules": tuple(rule_sets.get(values["id"], ())),
            }
        )
        for values in (row._asdict() for row in certification_rows)
    ]
    return Catalog(
        revision=revision,
        certifications=tuple(certifications),
        by_id=MappingProxyType({c.id: c for c in certifications}),
        by_code=MappingProxyType({c.code: c for c in certifications}),
        policies=MappingProxyType(by_policy_id),
    )


# --- staying current ---------------------------------------------------------------------------


@event.listens_for(Session, "after_flush")
def _note_catalog_change(session, _flush_context) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, CATALOG_MODELS) for obj in changed):
        session.info["catalog_changed"] = True
        session.info.pop(_PRIVATE, None)
        invalidate()


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _after_catalog_change(session) -> None:
    session.info.pop(_PRIVATE, None)
    if session.info.pop("catalog_changed", False):
        invalidate()
