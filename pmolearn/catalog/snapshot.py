"""The catalog as plain, immutable values, loaded once per process and shared by its requests.

Nearly every page reads certifications, renewal policies, activity types and eligibility rule
sets, and they change only when ``pmolearn seed`` runs. Loading them as ORM rows on every
request (six JSON columns a certification, four a policy, each policy's activity types joined
into its rows) cost more than the rest of a dashboard's queries. A snapshot is rebuilt when:

- this process changed a catalog row (a flush of a catalog model marks it stale, and the end of
  that transaction marks it stale again, so a rolled-back change does not linger);
- ``catalog_state.revision`` moved: every seed raises it, and each process compares at most
  every ``PMOLEARN_CATALOG_RECHECK_SECONDS`` (30 by default; 0 on every read): another host, or
  a ``pmolearn seed`` beside a running server, is seen within that time.

The values are read-only: they are shared by every request of the process.
"""

from __future__ import annotations

import copy
import threading
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from flask import current_app
from sqlalchemy import event, select, update

from pmolearn.catalog import models
from pmolearn.database import Session
from pmolearn.extensions import db

CATALOG_MODELS = (
    models.Source,
    models.Issuer,
    models.Certification,
    models.RenewalPolicy,
    models.ActivityType,
    models.EligibilityRuleSet,
)
DEFAULT_RECHECK_SECONDS = 30.0


@dataclass(frozen=True)
class Issuer:
    id: int
    code: str
    name: str
    url: str | None
    notes: str | None


@dataclass(frozen=True)
class ActivityType:
    id: int
    policy_id: int
    code: str
    name: str
    category: str
    position: int
    cap_per_activity: Decimal | None
    cap_per_cycle: Decimal | None
    claims_per_cycle: int | None
    transferable: bool
    notes: str | None


@dataclass(frozen=True, eq=False)
class Policy:
    """A renewal policy, its activity types in order. Compared by identity (a snapshot holds
    one of each), so the engine's view of it can be kept beside it."""

    id: int
    certification_id: int
    certification_code: str
    effective_from: date
    scheme: str | None
    cycle_years: int | None
    pdus_required: Decimal | None
    categories: Mapping[str, Any]
    area_minimums: Mapping[str, Any]
    area_category: str
    carry_over_allowed: bool
    carry_over_max: Decimal | None
    carry_over_window_months: int
    grace_months: int | None
    renewal_fee_member: Decimal | None
    renewal_fee_non_member: Decimal | None
    notes: str | None
    source_codes: tuple[str, ...]
    confidence: str | None
    effective_from_known: bool
    lifetime: bool
    activity_types: tuple[ActivityType, ...] = ()

    @property
    def label(self) -> str:
        return models.policy_label(
            self.certification_code, self.effective_from, self.effective_from_known
        )

    @property
    def is_confirmed(self) -> bool:
        return models.policy_confirmed(self.cycle_years, self.pdus_required)


@dataclass(frozen=True, eq=False)
class RuleSet:
    id: int
    certification_id: int
    label: str
    position: int
    effective_from: date | None
    effective_to: date | None
    disputed: str | None
    rules: Mapping[str, Any]
    source_codes: tuple[str, ...]
    confidence: str | None

    def applies_on(self, day: date) -> bool:
        return models.rule_set_applies(self.effective_from, self.effective_to, day)


@dataclass(frozen=True, eq=False)
class Certification:
    """A certification with its issuer, policies (oldest first) and eligibility rule sets."""

    id: int
    code: str
    name: str
    issuer_id: int
    issuer: Issuer
    status: str
    level: str | None
    certifies: str | None
    superseded_by: str | None
    available_from: date | None
    eligibility: Mapping[str, Any]
    exam: Mapping[str, Any]
    fees: Mapping[str, Any]
    typical_roles: tuple[Any, ...]
    source_codes: tuple[str, ...]
    unconfirmed: tuple[Any, ...]
    suits: str | None
    study_hours: int | None
    exam_rules: Mapping[str, Any]
    policies: tuple[Policy, ...] = ()
    eligibility_rules: tuple[RuleSet, ...] = ()

    def policy_on(self, day: date) -> Policy | None:
        return models.policy_on(self.policies, day)

    def rules_on(self, day: date) -> RuleSet | None:
        return models.rules_on(self.eligibility_rules, day)

    def __repr__(self) -> str:
        return f"<Certification {self.code}>"


@dataclass(frozen=True)
class Catalog:
    revision: int
    #: In the catalog's order: by status (active first), then code.
    certifications: tuple[Certification, ...]
    by_id: Mapping[int, Certification] = field(repr=False)
    by_code: Mapping[str, Certification] = field(repr=False)
    policies: Mapping[int, Policy] = field(repr=False)

    def find(self, code: str) -> Certification | None:
        """By code, whatever its case (``pmp`` is the PMP)."""
        return (
            self.by_code.get(code)
            or self.by_code.get(code.upper())
            or next((c for c in self.certifications if c.code.lower() == code.lower()), None)
        )

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.certifications)


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
    engine = db.engine
    key = _keys.get(engine)
    if key is None:
        key = _keys[engine] = engine.url.render_as_string(hide_password=False)
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
    """Four statements: issuers with certifications, policies, activity types, rule sets."""
    revision = read_revision()
    issuers = {
        row.id: Issuer(row.id, row.code, row.name, row.url, row.notes)
        for row in db.session.execute(select(*models.Issuer.__table__.c))
    }
    types: dict[int, list[ActivityType]] = {}
    for row in db.session.execute(
        select(*models.ActivityType.__table__.c).order_by(
            models.ActivityType.policy_id, models.ActivityType.position, models.ActivityType.id
        )
    ):
        types.setdefault(row.policy_id, []).append(ActivityType(**row._asdict()))
    codes = dict(
        db.session.execute(select(models.Certification.id, models.Certification.code)).all()
    )
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
                "categories": _frozen(values["categories"] or {}),
                "area_minimums": _frozen(values["area_minimums"] or {}),
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
                    "rules": _frozen(values["rules"] or {}),
                    "source_codes": tuple(values["source_codes"] or ()),
                }
            )
        )
    certifications = []
    for row in db.session.execute(
        select(*models.Certification.__table__.c).order_by(
            models.Certification.status, models.Certification.code
        )
    ):
        values = row._asdict()
        certifications.append(
            Certification(
                **values
                | {
                    "issuer": issuers[row.issuer_id],
                    "eligibility": _frozen(values["eligibility"] or {}),
                    "exam": _frozen(values["exam"] or {}),
                    "fees": _frozen(values["fees"] or {}),
                    "exam_rules": _frozen(values["exam_rules"] or {}),
                    "typical_roles": tuple(values["typical_roles"] or ()),
                    "source_codes": tuple(values["source_codes"] or ()),
                    "unconfirmed": tuple(values["unconfirmed"] or ()),
                    "policies": tuple(policies.get(row.id, ())),
                    "eligibility_rules": tuple(rule_sets.get(row.id, ())),
                }
            )
        )
    return Catalog(
        revision=revision,
        certifications=tuple(certifications),
        by_id=MappingProxyType({c.id: c for c in certifications}),
        by_code=MappingProxyType({c.code: c for c in certifications}),
        policies=MappingProxyType(by_policy_id),
    )


def _frozen(value: Any) -> Any:
    """JSON as read-only dicts and lists: every request of the process shares them. They stay
    ``dict`` and ``list`` (the rules engines test for them, the API serialises them), and any
    attempt to change one raises."""
    if isinstance(value, dict):
        return FrozenDict({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return FrozenList(_frozen(v) for v in value)
    return value


def _read_only(*_args, **_kwargs):
    raise TypeError("the catalog's snapshot is shared by every request: copy it to change it")


class FrozenDict(dict):
    """A dict that refuses changes; its copies are plain dicts, free to change."""

    __slots__ = ()
    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __copy__(self) -> dict:
        return dict(self)

    def __deepcopy__(self, memo) -> dict:
        return {k: copy.deepcopy(v, memo) for k, v in self.items()}

    def __reduce__(self):
        return dict, (dict(self),)


class FrozenList(list):
    """A list that refuses changes; its copies are plain lists, free to change."""

    __slots__ = ()
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only
    append = extend = insert = pop = remove = clear = sort = reverse = _read_only

    def __copy__(self) -> list:
        return list(self)

    def __deepcopy__(self, memo) -> list:
        return [copy.deepcopy(v, memo) for v in self]

    def __reduce__(self):
        return list, (list(self),)


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
